/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Lua's <math.h> in userspace: klua's integer meanings, as in the kernel. */
#include <limits.h>
#include "../../module/klua/libc/math.h"
