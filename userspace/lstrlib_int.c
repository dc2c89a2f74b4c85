// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Lua's lstrlib.c as the kernel builds it: string.pack/unpack's C float and
 * double are integers of the same sizes (module/Kbuild says it with -D).
 * Here the C library's headers come first, with their own float and double.
 */
#include <limits.h>
#include <locale.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <float.h>

#define float int
#define double long long
#include "lstrlib.c"
