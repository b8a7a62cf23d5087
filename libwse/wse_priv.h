/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wse_priv.h - internals of libwse's front end, shared by its source
 * files. Not installed.
 *
 * The front end is everything a backend does not do: it checks every
 * argument, keeps a device's region, programs, tasks and windows, and
 * turns a job's result into a sentence, the same for every backend. The
 * backends (abi/wse-backend.h: drm built in, sim and others as plugins)
 * only run jobs.
 *
 * Copyright (c) 2026 The wse authors.
 */
#ifndef WSE_PRIV_H
#define WSE_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wse-backend.h"
#include "wse/wse.h"

struct wafer_image;

#define WSE_ERR_LEN		256

/* Largest job of a raw SRAM copy; longer copies are several jobs. */
#define WSE_STAGE_MAX		(64u << 20)
/* Offsets and lengths of windows: multiples of the device's 4 KiB grain. */
#define WSE_WINDOW_ALIGN	4096u
/* Default of wse_device_set_small_copy(), measured in bench/vm/. */
#define WSE_SMALL_COPY_BYTES	(128u << 10)
/* The drivers' limit of host memory of one wse_host_alloc(). */
#define WSE_HOST_MAX		(1ull << 30)

struct wse_device {
	const struct wse_backend_ops *ops;
	struct wse_backend_dev *be;
	struct wse_device_info info;	/* read once at open, immutable */
	uint32_t timeout_ms;		/* of new jobs; atomic accesses */
	unsigned int trace_id;		/* its number in WSE_TRACE's lines */
	uint64_t tasks;			/* tasks started; atomic */
	/* Protects has_region, region and region_owner */
	pthread_mutex_t lock;
	bool has_region;
	struct wse_region region;
	const struct wse_program *region_owner;	/* NULL: wse_region_alloc() */
};

struct wse_program {
	struct wse_device *dev;
	struct wafer_image *img;
	struct wse_region region;
};

/* A host range a finished task wrote, for WSE_TRACE's digest. */
struct wse_trace_range {
	const void *host;
	uint64_t len;
};

struct wse_task {
	struct wse_device *dev;
	struct wse_backend_job *job;	/* until the task is done */
	uint64_t seq;			/* number among the device's tasks */
	uint32_t op;			/* WSE_BACKEND_OP_* of its commands */
	bool done;
	int status;			/* result once done */
	uint64_t cycles;
	uint32_t fault_x, fault_y, fault_pc;	/* status -EFAULT */
	char error[WSE_ERR_LEN];
	/* With WSE_TRACE: what the task copies out (READ, D2H). */
	unsigned int ntrace;
	struct wse_trace_range *trace;
	/* A streaming d2h in column-major order: reordered when it ends. */
	struct wse_reorder *reorder;
};

/**
 * struct wse_reorder - a staged host array, reordered into the caller's
 * when its task succeeds (memcpy-stream.c)
 * @stage: what the job wrote (malloc'ed, freed with the task)
 * @host: the caller's array
 * @w, @h, @n, @elem_bytes: the rectangle, elements per PE, their size
 */
struct wse_reorder {
	void *stage;
	void *host;
	uint32_t w, h, n, elem_bytes;
};

/* backend.c */
const struct wse_backend_ops *wse_backend_find(const char *name, char *err,
					       size_t errlen);

/* error.c */
int wse_fail(const struct wse_device *dev, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void wse_set_error(const struct wse_device *dev, const char *msg);
void wse_job_describe(const struct wse_backend_result *res, uint32_t op,
		      char *buf, size_t len);

/* program.c */
int wse_program_lookup(const struct wse_program *prog, const char *name,
		       uint32_t kind, struct wse_symbol *sym);
int wse_program_symbol_1_2(const struct wse_program *prog, const char *name,
			   struct wse_symbol *sym);
int wse_program_function_1_2(const struct wse_program *prog, const char *name,
			     struct wse_symbol *sym);

/* region.c */
int wse_region_get(struct wse_device *dev, struct wse_region *region);
int wse_region_reserve(struct wse_device *dev, uint32_t width, uint32_t height,
		       const struct wse_program *owner, struct wse_region *region);
int wse_region_release(struct wse_device *dev, const struct wse_program *owner);

/* task.c */
int wse_task_start(struct wse_device *dev, const struct wse_backend_cmd *cmds,
		   unsigned int count, unsigned int flags, struct wse_task **task);
/* wse_task_start() whose task owns @ro (also on failure) and runs it at its end. */
int wse_task_start_reorder(struct wse_device *dev,
			   const struct wse_backend_cmd *cmds,
			   unsigned int count, unsigned int flags,
			   struct wse_task **out, struct wse_reorder *ro);

/* memcpy-stream.c: @ro's stage (row-major) into its column-major host array. */
void wse_reorder_finish(const struct wse_reorder *ro);

/* stream.c: check a stream's arguments and build its command. */
int wse_stream_flags(struct wse_program *prog, const char *what,
		     unsigned int flags, struct wse_task **task);
int wse_stream_cmd(struct wse_program *prog, bool in, unsigned int color,
		   unsigned int edge, uint32_t y, uint32_t h,
		   uint32_t elem_per_pe, unsigned int elem_bytes, void *buf,
		   const char *what, struct wse_backend_cmd *cmd);

/* trace.c */
unsigned int wse_trace_device(void);
bool wse_trace_on(void);
void wse_trace_task(const struct wse_task *task);

/* window.c */
uint64_t wse_window_grain(void);

#endif /* WSE_PRIV_H */
