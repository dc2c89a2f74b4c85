/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Lua's <ctype.h> in userspace: klua's, the "C" locale, as in the kernel.
 * (userspace/libc/ holds the C library headers whose kernel versions
 * define what Lua computes; the others are the C library's.)
 */
#include "../../module/klua/libc/ctype.h"
