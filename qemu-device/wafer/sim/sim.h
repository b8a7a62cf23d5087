/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sim.h - the simulator backend of libwse: the wafer core run in the
 * calling process, behind the backend contract of abi/wse-backend.h.
 * Built into the plugin libwse-sim.so.1 with the core; private to sim/.
 *
 * It does what the device and the driver do together, and answers the
 * same: regions placed first fit on a shared wafer, one queue per
 * context run by a worker thread in submission order, commands checked
 * and executed as the device executes them (qemu-device/wse-cmd.c), job
 * time limits, window slots, reset.
 *
 * Objects:
 *   struct sim_wafer       one simulated wafer, shared by every open of
 *                          the same device string in the process
 *   struct wse_backend_dev a context: its region, program and queue
 *   struct wse_backend_job a job: its commands and their staged bytes
 *
 * Lock order: sim_registry_lock, then sim_wafer.lock, then the
 * context's lock.
 *
 * Copyright (c) 2026 The wse authors.
 */
#ifndef WSE_SIM_H
#define WSE_SIM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wafer.h"
#include "wafer-trace.h"
#include "stream.h"
#include "wse-backend.h"

/* What the simulator reports, as the device does with its defaults. */
#define SIM_NUM_QUEUES		16
#define SIM_NUM_WINDOWS		16
#define SIM_WINDOW_SIZE		(4u << 20)
#define SIM_MAX_XFER		(32u << 20)	/* the driver's limit */
#define SIM_MAX_IMAGE		(16u << 20)
#define SIM_HW_VERSION		(1u << 16 | 0)
#define SIM_FW_VERSION		(1u << 16 | 0)
#define SIM_VERSION		"1.0.0"
/* Run time limit of jobs that set none (the driver's timeout_ms). */
#define SIM_TIMEOUT_MS		60000

/* A device string's settings (spec.c). */
struct sim_spec {
	struct wafer_config cfg;
	char key[64];		/* the normalised string, "sim:8x8,threads=2" */
};

struct sim_wafer {
	struct sim_wafer *next;		/* in the registry */
	unsigned int refs;		/* contexts; under sim_registry_lock */
	struct sim_spec spec;
	struct wafer *w;
	uint8_t *sram;			/* wafer_sram_base() */
	/* Protects everything below */
	pthread_mutex_t lock;
	uint8_t *taken;			/* per PE: 1 if in a region */
	bool slot_used[SIM_NUM_WINDOWS];
	unsigned int queues_used;
	uint64_t resets;
	uint32_t epoch;			/* resets, for windows made before one */
	struct wse_backend_dev *ctxs;	/* the contexts, for reset */
};

struct wse_backend_job {
	struct wse_backend_job *next;	/* in the context's queue */
	uint32_t timeout_ms;
	bool done;
	bool timed_out;			/* the time limit stopped it */
	bool reset;			/* a device reset stopped it */
	struct wse_backend_result res;
	void *staged;			/* the H2D, WRITE, LOAD bytes, or NULL */
	unsigned int n;
	struct wse_backend_cmd cmds[];
};

/* Memory of host_alloc. */
struct sim_host {
	struct sim_host *next;
	void *ptr;
	size_t size;
};

struct wse_backend_dev {
	struct sim_wafer *sw;
	struct wse_backend_dev *next;	/* in sw->ctxs; under sw->lock */
	struct wse_backend_info info;
	/* Protects everything below */
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* queue, job or state changed */
	bool has_region;
	struct wafer_rect region;
	bool stale;			/* reset since the region was made */
	bool has_queue;			/* holds one of the wafer's queues */
	struct wafer_program *prog;	/* loaded program; the worker's */
	struct wafer_image *img;
	bool drop_prog;			/* free prog after the running job */
	struct wse_backend_job *head, *tail;	/* queued, not started */
	struct wse_backend_job *running;	/* the worker's, or NULL */
	bool inline_busy;		/* a job runs in a submitter's thread */
	bool stop;			/* close: the worker exits */
	bool have_worker;
	pthread_t worker;
	bool have_watchdog;
	pthread_t watchdog;
	uint64_t deadline_ns;		/* of the running job; 0: none */
	struct sim_host *host;		/* from host_alloc */
	bool trace_armed;		/* trace the next LAUNCH (trace.c) */
	struct wafer_trace_config trace_cfg;
};

/* spec.c */
int sim_spec_parse(const char *args, struct sim_spec *spec, char *err,
		   size_t errlen);

/* wafer.c: the shared wafers, regions, windows and reset */
int sim_wafer_get(const struct sim_spec *spec, struct sim_wafer **sw,
		  char *err, size_t errlen);
void sim_wafer_put(struct sim_wafer *sw);
int sim_region_alloc(struct wse_backend_dev *dev, uint32_t w, uint32_t h,
		     uint32_t *x, uint32_t *y);
int sim_region_free(struct wse_backend_dev *dev);
int sim_queue_take(struct wse_backend_dev *dev);
int sim_window_map(struct wse_backend_dev *dev, uint32_t row, uint64_t start,
		   uint32_t length, unsigned int flags, void **map,
		   uintptr_t *handle);
void sim_window_unmap(struct wse_backend_dev *dev, void *map, uintptr_t handle,
		      uint32_t length);
int sim_reset(struct wse_backend_dev *dev, uint64_t *count);
void sim_prog_drop_locked(struct wse_backend_dev *dev);

/* cmd.c: executing one job's commands, as the device does */
void sim_job_run(struct wse_backend_dev *dev, struct wse_backend_job *job);

/* trace.c: launch traces and counters */
int sim_trace_arm(struct wse_backend_dev *dev, const struct wafer_trace_config *cfg);
int sim_trace_read(struct wse_backend_dev *dev, uint32_t x, uint32_t y,
		   struct wafer_trace_pe *hdr, struct wafer_trace_event *ev,
		   uint32_t max);
int sim_counters_read(struct wse_backend_dev *dev, struct wafer_pe_counters *c,
		      size_t n);
int sim_trace_launch(struct wse_backend_dev *dev, struct wafer_program *prog);

/* queue.c: jobs in order, time limits */
int sim_submit(struct wse_backend_dev *dev, const struct wse_backend_cmd *cmds,
	       unsigned int n, const struct wse_backend_submit *how,
	       struct wse_backend_job **job, struct wse_backend_result *res);
int sim_wait(struct wse_backend_dev *dev, struct wse_backend_job *job,
	     int64_t timeout_ns, struct wse_backend_result *res);
void sim_job_free(struct wse_backend_dev *dev, struct wse_backend_job *job);
void sim_queue_cancel_locked(struct wse_backend_dev *dev);
void sim_queue_stop(struct wse_backend_dev *dev);
uint64_t sim_now_ns(void);

#endif /* WSE_SIM_H */
