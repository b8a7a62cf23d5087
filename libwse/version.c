// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * version.c - the library's version at run time (wse_version()), next to
 * the headers' WSE_VERSION macros: a program built against older headers
 * can ask the libwse.so.1 it runs with what it provides.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include "wse/wse.h"

uint32_t wse_version(void)
{
	return WSE_VERSION;
}
