/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wse-run-stream.h - wse-run's resident kernel actions on the device:
 * --resident, --stream-in, --stream-out, --call and --stop
 * (Documentation/wse/wse-run.rst). Kept apart from wse-run.c so that
 * its other actions and these grow independently.
 */
#ifndef WSE_RUN_STREAM_EXEC_H
#define WSE_RUN_STREAM_EXEC_H

#include <stdbool.h>

#include <wse/wse.h>

#include "run/spec.h"
#include "run/stream.h"
#include "run/xfer.h"

enum run_rpc_kind {
	RUN_RPC_RESIDENT,	/* wse_launch_resident() */
	RUN_RPC_CALL,		/* wse_call() */
	RUN_RPC_STOP,		/* wse_stop() */
};

/* Prints the state of region PE (x, y) after a fault (--dump-on-fault). */
typedef int (*run_dump_fn)(struct wse_device *dev, uint32_t x, uint32_t y);

/*
 * One stream: send @c's host array, or receive into it and write its
 * file. @arg is the option's argument as written, for messages.
 * Return: 0, or the error, reported on standard error.
 */
int run_stream_exec(struct wse_program *prog, struct wse_device *dev,
		    bool quiet, const char *arg, const struct run_stream_spec *s,
		    struct run_copy *c, run_dump_fn dump);

/* --resident, --call (prints the return value) or --stop (@l unused). */
int run_rpc_exec(struct wse_program *prog, struct wse_device *dev,
		 bool quiet, enum run_rpc_kind kind, const char *arg,
		 const struct run_launch *l, run_dump_fn dump);

#endif /* WSE_RUN_STREAM_EXEC_H */
