// SPDX-License-Identifier: GPL-2.0
/*
 * The one place the wse tracepoints are instantiated (wse_trace.h).
 */
#define CREATE_TRACE_POINTS
#include "wse_trace.h"
