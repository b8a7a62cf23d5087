// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-run-stream.c - run wse-run's resident kernel actions: launch the
 * kernel resident, stream files in and out through the west edge, call
 * its exported functions, stop it. Each action is one task; a failure
 * prints the task's error (the PE and pc of a fault) and, with
 * --dump-on-fault, the faulting PE's state.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "wse-run-stream.h"

#define RUN_CLOCK_HZ	0.85e9	/* the SDK's cycles-to-seconds clock */

static double rs_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/*
 * Wait for @task (started with @ret); on failure report it as @what.
 * Return: 0 with *@cycles, or the error.
 */
static int rs_finish(struct wse_device *dev, const char *what, int ret,
		     struct wse_task *task, run_dump_fn dump, uint64_t *cycles)
{
	uint32_t x, y;

	if (!ret)
		ret = wse_task_wait(task, -1);
	if (!ret) {
		*cycles = wse_task_cycles(task);
		wse_task_free(task);
		return 0;
	}
	fprintf(stderr, "wse-run: %s: %s (%s)\n", what, wse_strerror(ret),
		task ? wse_task_error(task) : wse_last_error(dev));
	if (task && dump && !wse_task_fault(task, &x, &y, NULL))
		dump(dev, x, y);
	wse_task_free(task);
	return ret;
}

int run_stream_exec(struct wse_program *prog, struct wse_device *dev,
		    bool quiet, const char *arg, const struct run_stream_spec *s,
		    struct run_copy *c, run_dump_fn dump)
{
	const unsigned int es = npy_dtype_size(c->type);
	struct wse_task *task = NULL;
	char what[300], err[1024];
	uint64_t cycles = 0;
	double t0 = rs_now();
	int ret;

	snprintf(what, sizeof(what), "--stream-%s %s", s->in ? "in" : "out", arg);
	if (s->in)
		ret = wse_stream_send(prog, s->color, s->edge, c->x.py, c->x.h,
				      c->x.n, es, c->host, WSE_NONBLOCK, &task);
	else
		ret = wse_stream_receive(prog, s->color, s->edge, c->x.py, c->x.h,
					 c->x.n, es, c->host, WSE_NONBLOCK, &task);
	ret = rs_finish(dev, what, ret, task, dump, &cycles);
	t0 = rs_now() - t0;
	if (ret)
		return ret;
	if (!quiet)
		printf("stream-%s %u@west,%u,%u %s %s: %u rows x %u %s in %.1f ms, %" PRIu64 " cycles\n",
		       s->in ? "in" : "out", s->color, c->x.py, c->x.h,
		       s->in ? "<-" : "->", s->file, c->x.h, c->x.n,
		       npy_dtype_name(c->type), t0 * 1e3, cycles);
	if (s->in)
		return 0;
	fflush(stdout);
	ret = run_copy_write(c, err, sizeof(err));
	if (ret)
		fprintf(stderr, "wse-run: %s: %s\n", what, err);
	return ret;
}

int run_rpc_exec(struct wse_program *prog, struct wse_device *dev,
		 bool quiet, enum run_rpc_kind kind, const char *arg,
		 const struct run_launch *l, run_dump_fn dump)
{
	static const char *const names[] = { "resident", "call", "stop" };
	struct wse_task *task = NULL;
	uint32_t rv = 0;
	uint64_t cycles = 0;
	char what[300];
	double t0 = rs_now();
	int ret;

	snprintf(what, sizeof(what), "--%s%s%s", names[kind], arg ? " " : "",
		 arg ? arg : "");
	if (kind == RUN_RPC_RESIDENT)
		ret = wse_launch_resident(prog, l->name, l->nargs, l->args,
					  WSE_NONBLOCK, &task);
	else if (kind == RUN_RPC_CALL)
		ret = wse_call(prog, l->name, l->nargs, l->args, &rv,
			       WSE_NONBLOCK, &task);
	else
		ret = wse_stop(prog, WSE_NONBLOCK, &task);
	ret = rs_finish(dev, what, ret, task, dump, &cycles);
	t0 = rs_now() - t0;
	if (ret || quiet)
		return ret;
	if (kind == RUN_RPC_STOP) {
		printf("stop: %.1f ms\n", t0 * 1e3);
		return 0;
	}
	printf("%s %s(", names[kind], l->name);
	for (unsigned int i = 0; i < l->nargs; i++)
		printf("%s0x%" PRIx32, i ? ", " : "", l->args[i]);
	printf(")");
	if (kind == RUN_RPC_CALL)
		printf(" = %" PRId32 " (0x%" PRIx32 ")", (int32_t)rv, rv);
	printf(": %.1f ms, %" PRIu64 " cycles = %.2f us at %.2f GHz\n", t0 * 1e3,
	       cycles, cycles / RUN_CLOCK_HZ * 1e6, RUN_CLOCK_HZ / 1e9);
	return 0;
}
