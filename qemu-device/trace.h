/* SPDX-License-Identifier: GPL-2.0-or-later */
/* QEMU generates it from trace-events (hw/misc/wse in its tree). */
#include "trace/trace-hw_misc_wse.h"
