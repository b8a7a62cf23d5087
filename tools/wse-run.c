// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-run - run a kernel image from the command line: load it, fill its
 * arrays from files, launch its functions, write arrays back to files,
 * and say how long each step took. Documentation/wse/wse-run.rst.
 *
 *   wse-run [-d DEVICE] [-q] IMAGE [ACTION]...   (DEVICE: 0, /dev/accel/accel0,
 *                                                  drm:0, sim:8x8, ...)
 *   wse-run -l IMAGE
 *
 * Actions run in the order given:
 *   --h2d SYM[:TYPE][@PX,PY,W,H[,N]]=FILE
 *   --launch NAME[:ARG[,ARG]...]
 *   --d2h SYM[:TYPE][@PX,PY,W,H[,N]]=FILE
 *   --dump X,Y                 (the state of region PE (X, Y) now)
 *   --resident NAME[:ARG[,ARG]...]   (a kernel that stays; wse-run-stream.c)
 *   --stream-in COLOR[:TYPE]@west[,Y,H]=FILE
 *   --stream-out COLOR[:TYPE]@west[,Y,H]=FILE[:N]
 *   --call NAME[:ARG[,ARG]...]       (an RPC of the resident kernel)
 *   --stop
 * and --dump-on-fault prints the faulting PE's state when a launch faults;
 * --trace FILE and --profile PREFIX record the last --launch (run/trace.c).
 *
 * Every action is checked against the image and its file before the
 * device is opened, so a typo costs no load.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wse/wse.h>

#include "wafer-abi.h"
#include "image.h"
#include "run/npy.h"
#include "run/spec.h"
#include "run/trace.h"
#include "run/xfer.h"
#include "wse-run-stream.h"

#define RUN_CLOCK_HZ	0.85e9	/* the SDK's cycles-to-seconds clock */
#define RUN_ERR_BYTES	1024

enum run_kind {
	RUN_H2D,
	RUN_D2H,
	RUN_LAUNCH,
	RUN_DUMP,
	RUN_RESIDENT,
	RUN_CALL,
	RUN_STOP,
	RUN_STREAM_IN,
	RUN_STREAM_OUT,
};

static const char *const run_kind_names[] = {
	[RUN_H2D] = "h2d", [RUN_D2H] = "d2h", [RUN_LAUNCH] = "launch",
	[RUN_DUMP] = "dump", [RUN_RESIDENT] = "resident", [RUN_CALL] = "call",
	[RUN_STOP] = "stop", [RUN_STREAM_IN] = "stream-in",
	[RUN_STREAM_OUT] = "stream-out",
};

/**
 * struct run_action - one step of the command line
 * @kind: what it does
 * @arg: its argument as written
 * @copy: H2D, D2H: the checked copy
 * @launch: RUN_LAUNCH, RUN_RESIDENT, RUN_CALL: the function and its arguments
 * @stream: RUN_STREAM_IN, RUN_STREAM_OUT: the stream (@copy its host array)
 */
struct run_action {
	enum run_kind kind;
	const char *arg;
	struct run_copy copy;
	struct run_launch launch;
	struct run_stream_spec stream;
	uint32_t x, y;
};

struct run {
	const char *image_path;
	const char *device;
	int quiet;
	int list;
	int dump_on_fault;
	bool resident_at_end;
	struct run_trace trace;
	struct run_action *acts;
	unsigned int nacts;
	void *image;
	size_t image_len;
	struct wafer_image *img;
};

static unsigned int run_traced_launch(const struct run *r);

static void usage(FILE *f)
{
	fprintf(f,
		"usage: wse-run [-d DEVICE] [-q] IMAGE [ACTION]...\n"
		"       wse-run -l IMAGE\n"
		"Load a kernel image, copy arrays in, launch functions, copy arrays out.\n"
		"Actions, run in the order given:\n"
		"  --h2d SYM[:TYPE][@PX,PY,W,H[,N]]=FILE   copy FILE into array SYM\n"
		"  --launch NAME[:ARG[,ARG]...]             run function NAME on every PE\n"
		"  --d2h SYM[:TYPE][@PX,PY,W,H[,N]]=FILE   copy array SYM out to FILE\n"
		"  --dump X,Y                               print the state of PE (X, Y)\n"
		"  --resident NAME[:ARG[,ARG]...]           launch NAME as a resident kernel\n"
		"  --stream-in COLOR[:TYPE]@west[,Y,H]=FILE stream FILE in through the west edge\n"
		"  --stream-out COLOR[:TYPE]@west[,Y,H]=FILE[:N]\n"
		"                                           receive N elements a row into FILE\n"
		"  --call NAME[:ARG[,ARG]...]               call NAME of the resident kernel\n"
		"  --stop                                   end the resident kernel\n"
		"FILE is a .npy file (little-endian f4, i4, u4, f2 or i2, C order), raw\n"
		"bytes otherwise, or - (--d2h, --stream-out) to print the values. Its\n"
		"elements go to the W x H PEs at (PX, PY) (default: all of them), N to\n"
		"each PE, in row-major order; a 3-D .npy has shape (H, W, N). TYPE\n"
		"(f32, i32, u32, f16, i16) defaults to the array's type. ARG is an\n"
		"integer or a float (1.5, 2e3), passed in r1..r8. A stream's FILE holds\n"
		"H x N elements (rows Y..Y+H-1, default all; PE (0, Y+r) gets the r-th\n"
		"N); a --stream-out's N and TYPE default to the last --stream-in's. The\n"
		"resident kernel is stopped at the end if no --stop did it.\n"
		"Options:\n"
		"  -d, --device DEV      wse device: an index (default 0, the first of\n"
		"                        $WSE_DEVICE if set), a node, drm:N or sim:WxH\n"
		"  -l, --list            list the image's arrays and functions\n"
		"      --dump-on-fault   print the faulting PE's state when a launch faults\n"
		"      --trace FILE      write the last launch's trace as Chrome/Perfetto\n"
		"                        trace-event JSON (simulator devices)\n"
		"      --trace-sample N  with --trace, an instruction sample every N\n"
		"      --trace-events N  with --trace, events kept per PE (default 4096)\n"
		"      --profile PREFIX  write the last launch's per-PE counters as\n"
		"                        PREFIX-COUNTER.png heatmaps and PREFIX.csv\n"
		"  -q, --quiet           print nothing but errors and '-' dumps\n"
		"  -h, --help            this text\n");
}

static double run_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* "256 KiB", "1.5 MiB", "96 B" */
static const char *run_fmt_bytes(uint64_t n, char *buf, size_t len)
{
	if (n >= 1024 * 1024)
		snprintf(buf, len, "%.1f MiB", n / (1024.0 * 1024));
	else if (n >= 1024)
		snprintf(buf, len, "%.1f KiB", n / 1024.0);
	else
		snprintf(buf, len, "%" PRIu64 " B", n);
	return buf;
}

static int run_add(struct run *r, enum run_kind kind, const char *arg)
{
	struct run_action *a = realloc(r->acts, (r->nacts + 1) * sizeof(*a));

	if (!a) {
		fprintf(stderr, "wse-run: out of memory\n");
		return -1;
	}
	r->acts = a;
	a = &r->acts[r->nacts++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->arg = arg;
	return 0;
}

/* 0 to run, 1 after --help, -1 for a bad command line. */
static int run_parse(int argc, char **argv, struct run *r)
{
	enum { OPT_H2D = 256, OPT_D2H, OPT_LAUNCH, OPT_DUMP, OPT_DUMP_ON_FAULT,
	       OPT_RESIDENT, OPT_CALL, OPT_STOP, OPT_STREAM_IN, OPT_STREAM_OUT,
	       OPT_TRACE, OPT_TRACE_SAMPLE, OPT_TRACE_EVENTS, OPT_PROFILE };
	static const struct option opts[] = {
		{ "h2d", required_argument, NULL, OPT_H2D },
		{ "d2h", required_argument, NULL, OPT_D2H },
		{ "launch", required_argument, NULL, OPT_LAUNCH },
		{ "dump", required_argument, NULL, OPT_DUMP },
		{ "dump-on-fault", no_argument, NULL, OPT_DUMP_ON_FAULT },
		{ "resident", required_argument, NULL, OPT_RESIDENT },
		{ "call", required_argument, NULL, OPT_CALL },
		{ "stop", no_argument, NULL, OPT_STOP },
		{ "stream-in", required_argument, NULL, OPT_STREAM_IN },
		{ "stream-out", required_argument, NULL, OPT_STREAM_OUT },
		{ "trace", required_argument, NULL, OPT_TRACE },
		{ "trace-sample", required_argument, NULL, OPT_TRACE_SAMPLE },
		{ "trace-events", required_argument, NULL, OPT_TRACE_EVENTS },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "device", required_argument, NULL, 'd' },
		{ "list", no_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "d:lqh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_H2D:
		case OPT_D2H:
		case OPT_LAUNCH:
			if (run_add(r, c == OPT_H2D ? RUN_H2D : c == OPT_D2H ?
				    RUN_D2H : RUN_LAUNCH, optarg))
				return -1;
			break;
		case OPT_DUMP:
			if (run_add(r, RUN_DUMP, optarg))
				return -1;
			break;
		case OPT_DUMP_ON_FAULT:
			r->dump_on_fault = 1;
			break;
		case OPT_RESIDENT:
		case OPT_CALL:
		case OPT_STOP:
		case OPT_STREAM_IN:
		case OPT_STREAM_OUT:
			if (run_add(r, RUN_RESIDENT + (c - OPT_RESIDENT), optarg))
				return -1;
			break;
		case OPT_TRACE:
			r->trace.json = optarg;
			break;
		case OPT_PROFILE:
			r->trace.profile = optarg;
			break;
		case OPT_TRACE_SAMPLE:
		case OPT_TRACE_EVENTS:
			if (run_trace_number(c == OPT_TRACE_SAMPLE ? "--trace-sample" :
					     "--trace-events", optarg,
					     c == OPT_TRACE_SAMPLE ? &r->trace.sample :
					     &r->trace.max_events))
				return -1;
			break;
		case 'd':
			r->device = optarg;
			break;
		case 'l':
			r->list = 1;
			break;
		case 'q':
			r->quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "wse-run: %s\n", optind < argc ?
			"one image only (actions start with --h2d, --launch, --d2h, --dump, --resident, --stream-in, --stream-out, --call or --stop)" :
			"no image given");
		usage(stderr);
		return -1;
	}
	r->image_path = argv[optind];
	return 0;
}

static void run_list(const struct run *r)
{
	const struct wafer_image *img = r->img;

	printf("%s: %ux%u PEs, %u-byte SRAM per PE\n", r->image_path,
	       img->extent_w, img->extent_h, img->sram_bytes);
	for (uint32_t i = 0; i < img->nsymbols; i++) {
		const struct wafer_image_symbol *s = &img->symbols[i];

		if (s->kind == WAFER_SYM_FUNCTION)
			printf("  function %s\n", s->name);
		else
			printf("  array    %s: %s[%u] at 0x%x\n", s->name,
			       run_elem_type_name(s), s->size / s->elem_bytes,
			       s->addr);
	}
}

/*
 * --dump X,Y: a PE of the image's extent (the region is at least that
 * big; the device checks the rest).
 */
static int run_parse_pe(const char *arg, const struct wafer_image *img,
			uint32_t *x, uint32_t *y, char *err, size_t len)
{
	unsigned long vx, vy;
	char *end;

	errno = 0;
	vx = strtoul(arg, &end, 10);
	if (end == arg || *end != ',' || arg[0] == '-')
		goto bad;
	arg = end + 1;
	vy = strtoul(arg, &end, 10);
	if (end == arg || *end || arg[0] == '-' || errno)
		goto bad;
	if (vx >= img->extent_w || vy >= img->extent_h) {
		snprintf(err, len, "PE (%lu,%lu) is outside the image's %ux%u PEs",
			 vx, vy, img->extent_w, img->extent_h);
		return -EINVAL;
	}
	*x = (uint32_t)vx;
	*y = (uint32_t)vy;
	return 0;
bad:
	snprintf(err, len, "expected X,Y (a PE of the region, e.g. 0,0)");
	return -EINVAL;
}

/*
 * A resident kernel's action: parsed, checked against the image, and in
 * an order that has a resident kernel for it (*@resident: since the last
 * --resident, no --launch or --stop); *@prev_in: the last --stream-in.
 */
static int run_check_resident(const struct run *r, struct run_action *a,
			      bool *resident, const struct run_copy **prev_in,
			      char *err, size_t len)
{
	const struct wafer_image_symbol *s;
	int ret = 0;

	if (a->kind == RUN_STREAM_IN || a->kind == RUN_STREAM_OUT) {
		ret = run_parse_stream(a->arg, a->kind == RUN_STREAM_IN,
				       &a->stream, err, len);
		if (!ret)
			ret = run_stream_prepare(r->img, &a->stream, *prev_in,
						 &a->copy, err, len);
		if (!ret && a->kind == RUN_STREAM_IN)
			*prev_in = &a->copy;
	} else if (a->kind != RUN_STOP) {
		ret = run_parse_launch(a->arg, &a->launch, err, len);
		s = ret ? NULL : run_image_symbol(r->img, a->launch.name);
		if (!ret && (!s || s->kind != WAFER_SYM_FUNCTION)) {
			snprintf(err, len, "%s exports no function '%s' (wse-run -l lists them)",
				 r->image_path, a->launch.name);
			ret = -ENOENT;
		}
	}
	if (ret)
		return ret;
	if (a->kind == RUN_RESIDENT) {
		*resident = true;
	} else if (!*resident) {
		snprintf(err, len, "no resident kernel to %s: start one with --resident NAME first",
			 a->kind == RUN_CALL ? "call" : a->kind == RUN_STOP ?
			 "stop" : "stream to or from");
		return -EINVAL;
	} else if (a->kind == RUN_STOP) {
		*resident = false;
	}
	return 0;
}

/* Every action against the image and its files, before the device. */
static int run_check(struct run *r)
{
	const struct run_copy *prev_in = NULL;
	char err[RUN_ERR_BYTES];
	bool resident = false;

	if (run_trace_wanted(&r->trace) && run_traced_launch(r) == UINT32_MAX) {
		fprintf(stderr, "wse-run: --trace and --profile record a launch: give --launch\n");
		return -1;
	}
	for (unsigned int i = 0; i < r->nacts; i++) {
		struct run_action *a = &r->acts[i];
		const struct wafer_image_symbol *s;
		struct run_xfer x;
		int ret;

		if (a->kind >= RUN_RESIDENT) {
			ret = run_check_resident(r, a, &resident, &prev_in, err,
						 sizeof(err));
		} else if (a->kind == RUN_DUMP) {
			ret = run_parse_pe(a->arg, r->img, &a->x, &a->y, err,
					   sizeof(err));
		} else if (a->kind == RUN_LAUNCH) {
			/* A plain launch ends a resident kernel. */
			resident = false;
			ret = run_parse_launch(a->arg, &a->launch, err, sizeof(err));
			if (!ret) {
				s = run_image_symbol(r->img, a->launch.name);
				if (!s || s->kind != WAFER_SYM_FUNCTION) {
					snprintf(err, sizeof(err), "%s exports no function '%s' (wse-run -l lists them)",
						 r->image_path, a->launch.name);
					ret = -ENOENT;
				}
			}
		} else {
			ret = run_parse_xfer(a->arg, &x, err, sizeof(err));
			if (!ret && a->kind == RUN_H2D)
				ret = run_copy_h2d(r->img, &x, &a->copy, err, sizeof(err));
			else if (!ret)
				ret = run_copy_d2h(r->img, &x, &a->copy, err, sizeof(err));
		}
		if (ret) {
			fprintf(stderr, "wse-run: --%s%s%s: %s\n",
				run_kind_names[a->kind], a->arg ? " " : "",
				a->arg ? a->arg : "", err);
			return -1;
		}
	}
	r->resident_at_end = resident;
	return 0;
}

static void run_fail_msg(const char *what, int err, const char *detail)
{
	fprintf(stderr, "wse-run: %s: %s%s%s%s\n", what, wse_strerror(err),
		*detail ? " (" : "", detail, *detail ? ")" : "");
}

static void run_fail(const struct wse_device *dev, const char *what, int err)
{
	run_fail_msg(what, err, wse_last_error(dev));
}

/* An index (of the driver's devices, or of $WSE_DEVICE), or a device string. */
static int run_open(const struct run *r, struct wse_device **dev)
{
	const char *d = r->device ? r->device : "0";
	char what[300];
	unsigned long idx;
	char *end;
	int ret;

	idx = strtoul(d, &end, 10);
	if (d[0] >= '0' && d[0] <= '9' && !*end && idx <= INT32_MAX)
		ret = wse_device_open((int)idx, dev);
	else
		ret = wse_device_open_path(d, dev);
	if (ret) {
		snprintf(what, sizeof(what), "cannot open the device %s", d);
		run_fail(NULL, what, ret);
	}
	return ret;
}

static int run_copy_exec(struct wse_program *prog, struct wse_device *dev,
			 const struct run *r, struct run_action *a)
{
	struct run_copy *c = &a->copy;
	const struct run_xfer *x = &c->x;
	enum wse_dtype dt = c->sym->elem_bytes == 2 ? WSE_MEMCPY_16BIT :
			    WSE_MEMCPY_32BIT;
	char err[RUN_ERR_BYTES], sz[32];
	struct wse_symbol sym;
	double t0;
	int ret;

	ret = wse_program_symbol(prog, x->sym, &sym);
	if (ret) {
		run_fail(dev, x->sym, ret);
		return ret;
	}
	t0 = run_now();
	if (a->kind == RUN_H2D)
		ret = wse_memcpy_h2d(prog, &sym, c->host, x->px, x->py, x->w,
				     x->h, x->n, dt, WSE_MEMCPY_ROW_MAJOR, 0, NULL);
	else
		ret = wse_memcpy_d2h(prog, &sym, c->host, x->px, x->py, x->w,
				     x->h, x->n, dt, WSE_MEMCPY_ROW_MAJOR, 0, NULL);
	t0 = run_now() - t0;
	if (ret) {
		snprintf(err, sizeof(err), "--%s %s", a->kind == RUN_H2D ?
			 "h2d" : "d2h", a->arg);
		run_fail(dev, err, ret);
		return ret;
	}
	if (!r->quiet)
		printf("%s %s@%u,%u,%u,%u %s %s: %u PEs x %u %s (%s) in %.1f ms\n",
		       a->kind == RUN_H2D ? "h2d" : "d2h", x->sym, x->px, x->py,
		       x->w, x->h, a->kind == RUN_H2D ? "<-" : "->", x->file,
		       x->w * x->h, x->n, npy_dtype_name(c->type),
		       run_fmt_bytes(c->bytes, sz, sizeof(sz)), t0 * 1e3);
	if (a->kind == RUN_D2H) {
		/* Flush our lines before a "-" dump. */
		fflush(stdout);
		ret = run_copy_write(c, err, sizeof(err));
		if (ret)
			fprintf(stderr, "wse-run: %s\n", err);
	}
	return ret;
}

/* Print the state record of region PE (x, y) on standard output. */
static int run_dump_pe(struct wse_device *dev, uint32_t x, uint32_t y)
{
	uint8_t rec[WSE_PE_DUMP_SIZE];
	char what[64], *text;
	int ret, n;

	snprintf(what, sizeof(what), "--dump %u,%u", x, y);
	ret = wse_pe_dump(dev, x, y, rec, sizeof(rec));
	if (ret < 0) {
		run_fail(dev, what, ret);
		return ret;
	}
	n = wse_pe_dump_text(rec, sizeof(rec), NULL, 0);
	text = n > 0 ? malloc((size_t)n + 1) : NULL;
	if (!text) {
		fprintf(stderr, "wse-run: %s: %s\n", what,
			n > 0 ? "out of memory" : "the device returned no valid record");
		return n > 0 ? -ENOMEM : -EIO;
	}
	wse_pe_dump_text(rec, sizeof(rec), text, (size_t)n + 1);
	fflush(stderr);
	fputs(text, stdout);
	fflush(stdout);
	free(text);
	return 0;
}

static int run_launch_exec(struct wse_program *prog, struct wse_device *dev,
			   const struct run *r, const struct run_action *a)
{
	const struct run_launch *l = &a->launch;
	struct wse_task *task = NULL;
	uint64_t cycles;
	double t0;
	int ret;

	t0 = run_now();
	/* A task of our own outlives a failure: it names the faulting PE. */
	ret = wse_launch(prog, l->name, l->nargs, l->args, WSE_NONBLOCK, &task);
	if (!ret) {
		ret = wse_task_wait(task, -1);
	}
	t0 = run_now() - t0;
	if (ret) {
		char what[128];
		uint32_t x, y;

		snprintf(what, sizeof(what), "--launch %s", a->arg);
		run_fail_msg(what, ret, task ? wse_task_error(task) :
			     wse_last_error(dev));
		if (task && r->dump_on_fault && !wse_task_fault(task, &x, &y, NULL))
			run_dump_pe(dev, x, y);
		wse_task_free(task);
		return ret;
	}
	cycles = wse_task_cycles(task);
	wse_task_free(task);
	if (!r->quiet) {
		printf("launch %s(", l->name);
		for (unsigned int i = 0; i < l->nargs; i++)
			printf("%s0x%" PRIx32, i ? ", " : "", l->args[i]);
		printf("): %.1f ms, %" PRIu64 " cycles = %.2f us at %.2f GHz\n",
		       t0 * 1e3, cycles, cycles / RUN_CLOCK_HZ * 1e6,
		       RUN_CLOCK_HZ / 1e9);
	}
	return 0;
}

/* --resident, --call, --stop, --stream-in, --stream-out: wse-run-stream.c */
static int run_resident_exec(struct wse_program *prog, struct wse_device *dev,
			     const struct run *r, struct run_action *a)
{
	run_dump_fn dump = r->dump_on_fault ? run_dump_pe : NULL;

	if (a->kind == RUN_STREAM_IN || a->kind == RUN_STREAM_OUT)
		return run_stream_exec(prog, dev, r->quiet, a->arg, &a->stream,
				       &a->copy, dump);
	return run_rpc_exec(prog, dev, r->quiet, a->kind == RUN_RESIDENT ?
			    RUN_RPC_RESIDENT : a->kind == RUN_CALL ?
			    RUN_RPC_CALL : RUN_RPC_STOP, a->arg, &a->launch, dump);
}

/* The action --trace and --profile record: the last launch, or none. */
static unsigned int run_traced_launch(const struct run *r)
{
	unsigned int last = UINT32_MAX;

	if (!run_trace_wanted(&r->trace))
		return UINT32_MAX;
	for (unsigned int i = 0; i < r->nacts; i++)
		if (r->acts[i].kind == RUN_LAUNCH)
			last = i;
	return last;
}

/* A launch that ran (a faulting one too) leaves a trace to write. */
static int run_launch_traced(struct wse_program *prog, struct wse_device *dev,
			     const struct run *r, const struct run_action *a)
{
	int ret = run_trace_arm(dev, &r->trace);
	int wret;

	if (ret)
		return ret;
	ret = run_launch_exec(prog, dev, r, a);
	if (ret && ret != -EFAULT && ret != -EDEADLK && ret != -ETIMEDOUT)
		return ret;
	wret = run_trace_write(dev, prog, &r->trace, r->quiet);
	return ret ? ret : wret;
}

/* Open, load, then every action in order. */
static int run_exec(struct run *r)
{
	struct wse_program *prog;
	struct wse_device_info info;
	struct wse_region rg;
	struct wse_device *dev;
	double t0, start = run_now();
	int ret;

	ret = run_open(r, &dev);
	if (ret)
		return ret;
	t0 = run_now();
	ret = wse_program_load_mem(dev, r->image, r->image_len, &prog);
	t0 = run_now() - t0;
	if (ret) {
		char what[300];

		snprintf(what, sizeof(what), "cannot load %s", r->image_path);
		run_fail(dev, what, ret);
		goto err_close;
	}
	if (!r->quiet && !wse_device_info(dev, &info) &&
	    !wse_program_region(prog, &rg))
		printf("load %s on %s: %ux%u PEs at (%u,%u) in %.1f ms\n",
		       r->image_path, info.node, rg.width, rg.height, rg.x,
		       rg.y, t0 * 1e3);
	for (unsigned int i = 0; i < r->nacts && !ret; i++) {
		struct run_action *a = &r->acts[i];

		if (a->kind == RUN_LAUNCH && i == run_traced_launch(r))
			ret = run_launch_traced(prog, dev, r, a);
		else if (a->kind == RUN_LAUNCH)
			ret = run_launch_exec(prog, dev, r, a);
		else if (a->kind == RUN_DUMP)
			ret = run_dump_pe(dev, a->x, a->y);
		else if (a->kind >= RUN_RESIDENT)
			ret = run_resident_exec(prog, dev, r, a);
		else
			ret = run_copy_exec(prog, dev, r, a);
	}
	/* A resident kernel left running is stopped, its error reported. */
	if (!ret && r->resident_at_end)
		ret = run_rpc_exec(prog, dev, r->quiet, RUN_RPC_STOP, NULL, NULL,
				   NULL);
	if (!ret && !r->quiet)
		printf("total %.1f ms\n", (run_now() - start) * 1e3);
	wse_program_free(prog);
err_close:
	wse_device_close(dev);
	return ret;
}

static void run_free(struct run *r)
{
	for (unsigned int i = 0; i < r->nacts; i++)
		run_copy_free(&r->acts[i].copy);
	free(r->acts);
	wafer_image_free(r->img);
	free(r->image);
}

int main(int argc, char **argv)
{
	char err[RUN_ERR_BYTES];
	struct run r = { 0 };
	int ret;

	ret = run_parse(argc, argv, &r);
	if (ret) {
		free(r.acts);
		return ret > 0 ? 0 : 2;
	}
	ret = run_read_file(r.image_path, &r.image, &r.image_len, err, sizeof(err));
	if (!ret && wafer_image_parse(r.image, r.image_len, &r.img, err,
				      sizeof(err))) {
		ret = -EINVAL;
		fprintf(stderr, "wse-run: %s: not a kernel image: %s\n",
			r.image_path, err);
	} else if (ret) {
		fprintf(stderr, "wse-run: %s\n", err);
	}
	if (!ret && r.list)
		run_list(&r);
	else if (!ret)
		ret = run_check(&r) ? -EINVAL : run_exec(&r);
	run_free(&r);
	return ret ? 1 : 0;
}
