/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XDPLUATABLES_ROUTE_H
#define XDPLUATABLES_ROUTE_H

#include <linux/types.h>

int route_oif(__u32 addr);

#endif
