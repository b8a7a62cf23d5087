// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * type.c - names of element types.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include "wse_priv.h"

const char *wse_type_name(enum wse_type type)
{
	switch (type) {
	case WSE_TYPE_NONE:
		return "none";
	case WSE_TYPE_I32:
		return "i32";
	case WSE_TYPE_F32:
		return "f32";
	case WSE_TYPE_I16:
		return "i16";
	case WSE_TYPE_F16:
		return "f16";
	case WSE_TYPE_U32:
		return "u32";
	}
	return NULL;
}
