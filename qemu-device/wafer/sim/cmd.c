// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd.c - executing a job's commands on the simulated wafer.
 *
 * Each command is checked and executed as the device executes it
 * (qemu-device/wse-cmd.c), with the device's statuses, so that a job
 * fails on the simulator where and as it fails on the device; the
 * errnos are the driver's (driver/wse_queue.c): a kernel fault is
 * -EFAULT, a job the time limit stopped -ETIMEDOUT, one a reset stopped
 * -ECANCELED, any other failing command -EIO. The first failing command
 * ends the job. PE coordinates are relative to the context's region, the
 * wafer's SRAM is addressed absolutely.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <string.h>

#include "pe-dump.h"
#include "sim.h"

static uint8_t *sim_cmd_pe(struct wse_backend_dev *dev, uint32_t x, uint32_t y)
{
	const struct wafer_config *c = &dev->sw->spec.cfg;

	return dev->sw->sram +
	       ((size_t)(dev->region.y + y) * c->width + dev->region.x + x) *
	       c->sram_bytes;
}

/*
 * WRITE / READ: a linear range from offset of PE (x, y) on, through the
 * region's PEs in row-major order. One region row is contiguous in the
 * wafer's SRAM, so the copy goes row by row.
 */
static uint32_t sim_cmd_linear(struct wse_backend_dev *dev,
			       const struct wse_backend_cmd *c, bool to_host)
{
	uint64_t sram = dev->sw->spec.cfg.sram_bytes;
	uint64_t row_bytes = (uint64_t)dev->region.w * sram;
	uint64_t start, left, done = 0;
	uint8_t *host = c->host;

	if (!c->length)
		return WSE_BACKEND_STATUS_BAD_FIELD;
	if (c->length > SIM_MAX_XFER)
		return WSE_BACKEND_STATUS_TOO_LARGE;
	if (c->sram.x >= dev->region.w || c->sram.y >= dev->region.h ||
	    c->sram.offset >= sram)
		return WSE_BACKEND_STATUS_OUT_OF_REGION;
	start = ((uint64_t)c->sram.y * dev->region.w + c->sram.x) * sram +
		c->sram.offset;
	if (start + c->length > row_bytes * dev->region.h)
		return WSE_BACKEND_STATUS_OUT_OF_REGION;

	for (left = c->length; left; ) {
		uint64_t row = start / row_bytes, in_row = start % row_bytes;
		uint64_t n = row_bytes - in_row;
		uint8_t *pe = sim_cmd_pe(dev, 0, row) + in_row;

		if (n > left)
			n = left;
		if (to_host)
			memcpy(host + done, pe, n);
		else
			memcpy(pe, host + done, n);
		start += n;
		left -= n;
		done += n;
	}
	return WSE_BACKEND_STATUS_OK;
}

/* Index of element e of PE (col, row) in the host array, in elements. */
static uint64_t sim_host_index(const struct wse_backend_cmd *c, uint32_t col,
			       uint32_t row, uint32_t e)
{
	uint64_t w = c->rect.w, h = c->rect.h, epp = c->rect.elem_per_pe;
	bool cm = c->rect.order == WSE_BACKEND_ORDER_COL_MAJOR;

	switch (c->rect.bcast) {
	case WSE_BACKEND_BCAST_ROW:	/* h x epp */
		return cm ? row + e * h : row * epp + e;
	case WSE_BACKEND_BCAST_COL:	/* w x epp */
		return cm ? col + e * w : col * epp + e;
	}
	/* h x w x epp */
	return cm ? row + col * h + e * h * w : (row * w + col) * epp + e;
}

static uint64_t sim_host_elems(const struct wse_backend_cmd *c)
{
	uint64_t epp = c->rect.elem_per_pe;

	switch (c->rect.bcast) {
	case WSE_BACKEND_BCAST_ROW:
		return c->rect.h * epp;
	case WSE_BACKEND_BCAST_COL:
		return c->rect.w * epp;
	}
	return (uint64_t)c->rect.w * c->rect.h * epp;
}

static uint32_t sim_rect_check(struct wse_backend_dev *dev,
			       const struct wse_backend_cmd *c, bool to_host)
{
	uint32_t eb = c->rect.elem_bytes, sram = dev->sw->spec.cfg.sram_bytes;

	if (eb != 2 && eb != 4)
		return WSE_BACKEND_STATUS_BAD_FIELD;
	if (c->rect.order > WSE_BACKEND_ORDER_COL_MAJOR)
		return WSE_BACKEND_STATUS_BAD_FIELD;
	if (c->rect.bcast > WSE_BACKEND_BCAST_COL || (to_host && c->rect.bcast))
		return WSE_BACKEND_STATUS_BAD_FIELD;
	if (!c->rect.w || !c->rect.h || !c->rect.elem_per_pe)
		return WSE_BACKEND_STATUS_BAD_FIELD;
	if (c->rect.addr % eb)
		return WSE_BACKEND_STATUS_BAD_FIELD;
	if ((uint64_t)c->rect.x + c->rect.w > dev->region.w ||
	    (uint64_t)c->rect.y + c->rect.h > dev->region.h ||
	    (uint64_t)c->rect.elem_per_pe * eb > sram ||
	    c->rect.addr + (uint64_t)c->rect.elem_per_pe * eb > sram)
		return WSE_BACKEND_STATUS_OUT_OF_REGION;
	if (sim_host_elems(c) * eb > SIM_MAX_XFER)
		return WSE_BACKEND_STATUS_TOO_LARGE;
	if (sim_host_elems(c) * eb != c->length)
		return WSE_BACKEND_STATUS_BAD_FIELD;
	return WSE_BACKEND_STATUS_OK;
}

/* H2D / D2H: the elements of every PE of the rectangle. */
static uint32_t sim_cmd_rect(struct wse_backend_dev *dev,
			     const struct wse_backend_cmd *c, bool to_host)
{
	uint32_t eb = c->rect.elem_bytes, epp = c->rect.elem_per_pe;
	bool contiguous = !c->rect.bcast &&
			  c->rect.order == WSE_BACKEND_ORDER_ROW_MAJOR;
	uint8_t *host = c->host;
	uint32_t row, col, e;
	uint32_t st;

	st = sim_rect_check(dev, c, to_host);
	if (st)
		return st;
	for (row = 0; row < c->rect.h; row++)
		for (col = 0; col < c->rect.w; col++) {
			uint8_t *pe = sim_cmd_pe(dev, c->rect.x + col,
						 c->rect.y + row) + c->rect.addr;

			if (contiguous) {
				uint8_t *h = host + sim_host_index(c, col, row, 0) * eb;

				if (to_host)
					memcpy(h, pe, (size_t)epp * eb);
				else
					memcpy(pe, h, (size_t)epp * eb);
				continue;
			}
			for (e = 0; e < epp; e++) {
				uint8_t *h = host + sim_host_index(c, col, row, e) * eb;

				if (to_host)
					memcpy(h, pe + (size_t)e * eb, eb);
				else
					memcpy(pe + (size_t)e * eb, h, eb);
			}
		}
	return WSE_BACKEND_STATUS_OK;
}

static void sim_fault_to_result(const struct wafer_fault *f,
				struct wse_backend_result *res)
{
	res->reason = f->status;
	res->pe_x = f->pe_x;
	res->pe_y = f->pe_y;
	res->pc = f->pc;
}

static uint32_t sim_cmd_load(struct wse_backend_dev *dev,
			     const struct wse_backend_cmd *c,
			     struct wse_backend_result *res)
{
	struct wafer_program *prog = NULL;
	struct wafer_fault fault = { 0 };
	struct wafer_image *img;
	char err[192];
	uint32_t ew, eh;

	if (!c->length)
		return WSE_BACKEND_STATUS_BAD_FIELD;
	if (c->length > SIM_MAX_IMAGE)
		return WSE_BACKEND_STATUS_TOO_LARGE;
	if (wafer_image_parse(c->host, c->length, &img, err, sizeof(err))) {
		res->reason = WAFER_ERR_BAD_IMAGE;
		return WSE_BACKEND_STATUS_BAD_IMAGE;
	}
	wafer_image_extent(img, &ew, &eh);
	if (ew > dev->region.w || eh > dev->region.h) {
		wafer_image_free(img);
		res->reason = WAFER_ERR_BAD_REGION;
		return WSE_BACKEND_STATUS_OUT_OF_REGION;
	}
	/* The old program goes first: the new one takes over its PEs. */
	pthread_mutex_lock(&dev->lock);
	sim_prog_drop_locked(dev);
	pthread_mutex_unlock(&dev->lock);
	if (wafer_load(dev->sw->w, &dev->region, img, &prog, &fault)) {
		wafer_image_free(img);
		sim_fault_to_result(&fault, res);
		return WSE_BACKEND_STATUS_BAD_IMAGE;
	}
	pthread_mutex_lock(&dev->lock);
	dev->prog = prog;
	dev->img = img;
	pthread_mutex_unlock(&dev->lock);
	return WSE_BACKEND_STATUS_OK;
}

static uint32_t sim_cmd_launch(struct wse_backend_dev *dev,
			       struct wse_backend_job *job,
			       const struct wse_backend_cmd *c,
			       struct wse_backend_result *res)
{
	struct wafer_run_stats stats = { 0 };
	struct wafer_fault fault = { 0 };
	struct wafer_program *prog;
	int ret;

	if (c->launch.nargs > WAFER_MAX_ARGS)
		return WSE_BACKEND_STATUS_BAD_FIELD;
	pthread_mutex_lock(&dev->lock);
	prog = dev->prog;
	pthread_mutex_unlock(&dev->lock);
	if (!prog)
		return WSE_BACKEND_STATUS_NO_PROGRAM;

	wafer_resident_stop(prog);
	if (sim_trace_launch(dev, prog))
		return WSE_BACKEND_STATUS_BAD_FIELD;
	ret = wafer_launch(prog, c->launch.function, c->launch.args,
			   c->launch.nargs, &stats, &fault);
	res->cycles += stats.cycles;
	if (!ret && fault.status == WAFER_OK)
		return WSE_BACKEND_STATUS_OK;
	sim_fault_to_result(&fault, res);
	if (fault.status == WAFER_ERR_CANCELLED)
		return WSE_BACKEND_STATUS_ABORTED;
	if (fault.status == WAFER_ERR_NO_FUNCTION || fault.status == WAFER_ERR_INVALID)
		return WSE_BACKEND_STATUS_BAD_FIELD;
	return WSE_BACKEND_STATUS_KERNEL_FAULT;
}

/* PE_DUMP: the state record of one PE of the region, as the device does. */
static uint32_t sim_cmd_pe_dump(struct wse_backend_dev *dev,
				const struct wse_backend_cmd *c)
{
	struct wafer_program *prog;
	struct wafer_pe_dump d;
	int ret;

	if (c->length < WAFER_PE_DUMP_V1_SIZE || c->sram.offset)
		return WSE_BACKEND_STATUS_BAD_FIELD;
	if (c->length > SIM_MAX_XFER)
		return WSE_BACKEND_STATUS_TOO_LARGE;
	if (c->sram.x >= dev->region.w || c->sram.y >= dev->region.h)
		return WSE_BACKEND_STATUS_OUT_OF_REGION;
	pthread_mutex_lock(&dev->lock);
	prog = dev->prog;
	pthread_mutex_unlock(&dev->lock);
	if (!prog)
		return WSE_BACKEND_STATUS_NO_PROGRAM;
	ret = wafer_pe_dump(prog, c->sram.x, c->sram.y, &d);
	if (ret)
		return WSE_BACKEND_STATUS_BAD_FIELD;
	memcpy(c->host, &d, sizeof(d));
	return WSE_BACKEND_STATUS_OK;
}

/* RESIDENT, STREAM_IN/OUT, CALL, STOP: as qemu-device/wse-cmd-stream.c. */
static uint32_t sim_cmd_stream(struct wse_backend_dev *dev,
			       const struct wse_backend_cmd *c,
			       struct wse_backend_result *res)
{
	struct wafer_run_stats stats = { 0 };
	struct wafer_fault fault = { 0 };
	struct wafer_program *prog;
	uint64_t n = (uint64_t)c->stream.h * c->stream.elem_per_pe;
	uint32_t val = 0;
	int ret = 0;

	pthread_mutex_lock(&dev->lock);
	prog = dev->prog;
	pthread_mutex_unlock(&dev->lock);
	if (!prog)
		return WSE_BACKEND_STATUS_NO_PROGRAM;
	switch (c->op) {
	case WSE_BACKEND_OP_STOP:
		wafer_resident_stop(prog);
		return WSE_BACKEND_STATUS_OK;
	case WSE_BACKEND_OP_RESIDENT:
		if (c->launch.nargs > WAFER_MAX_ARGS)
			return WSE_BACKEND_STATUS_BAD_FIELD;
		ret = wafer_resident_launch(prog, c->launch.function, c->launch.args,
					    c->launch.nargs, &stats, &fault);
		break;
	case WSE_BACKEND_OP_CALL:
		if (c->launch.nargs > WAFER_MAX_ARGS)
			return WSE_BACKEND_STATUS_BAD_FIELD;
		ret = wafer_resident_call(prog, c->launch.function, c->launch.args,
					  c->launch.nargs, &val, &stats, &fault);
		if (!ret && c->host)
			memcpy(c->host, &val, sizeof(val));
		break;
	case WSE_BACKEND_OP_STREAM_IN:
	case WSE_BACKEND_OP_STREAM_OUT:
		if (c->stream.y + (uint64_t)c->stream.h > dev->region.h)
			return WSE_BACKEND_STATUS_OUT_OF_REGION;
		if (c->length != n * c->stream.elem_bytes)
			return WSE_BACKEND_STATUS_BAD_FIELD;
		if (c->op == WSE_BACKEND_OP_STREAM_IN)
			ret = wafer_stream_in(prog, c->stream.color, c->stream.edge,
					      c->stream.y, c->stream.h,
					      c->stream.elem_bytes, c->host, n,
					      &stats, &fault);
		else
			ret = wafer_stream_out(prog, c->stream.color, c->stream.edge,
					       c->stream.y, c->stream.h,
					       c->stream.elem_bytes, c->host, n,
					       &stats, &fault);
		break;
	}
	res->cycles += stats.cycles;
	if (!ret && fault.status == WAFER_OK)
		return WSE_BACKEND_STATUS_OK;
	sim_fault_to_result(&fault, res);
	switch (fault.status) {
	case WAFER_ERR_STREAM_TIMEOUT:
		return WSE_BACKEND_STATUS_STREAM_TIMEOUT;
	case WAFER_ERR_CANCELLED:
		return WSE_BACKEND_STATUS_ABORTED;
	case WAFER_ERR_INVALID:
	case WAFER_ERR_NO_FUNCTION:
		return WSE_BACKEND_STATUS_BAD_FIELD;
	default:
		return WSE_BACKEND_STATUS_KERNEL_FAULT;
	}
}

static uint32_t sim_cmd_run(struct wse_backend_dev *dev,
			    struct wse_backend_job *job,
			    const struct wse_backend_cmd *c,
			    struct wse_backend_result *res)
{
	switch (c->op) {
	case WSE_BACKEND_OP_NOP:
		return WSE_BACKEND_STATUS_OK;
	case WSE_BACKEND_OP_WRITE:
		return sim_cmd_linear(dev, c, false);
	case WSE_BACKEND_OP_READ:
		return sim_cmd_linear(dev, c, true);
	case WSE_BACKEND_OP_LOAD:
		return sim_cmd_load(dev, c, res);
	case WSE_BACKEND_OP_H2D:
		return sim_cmd_rect(dev, c, false);
	case WSE_BACKEND_OP_D2H:
		return sim_cmd_rect(dev, c, true);
	case WSE_BACKEND_OP_LAUNCH:
		return sim_cmd_launch(dev, job, c, res);
	case WSE_BACKEND_OP_RESIDENT:
	case WSE_BACKEND_OP_STREAM_IN:
	case WSE_BACKEND_OP_STREAM_OUT:
	case WSE_BACKEND_OP_CALL:
	case WSE_BACKEND_OP_STOP:
		return sim_cmd_stream(dev, c, res);
	case WSE_BACKEND_OP_PE_DUMP:
		return sim_cmd_pe_dump(dev, c);
	}
	return WSE_BACKEND_STATUS_BAD_OPCODE;
}

/* The errno of a failed command, as the driver gives it. */
static int sim_cmd_errno(struct wse_backend_dev *dev,
			 const struct wse_backend_job *job, uint32_t st)
{
	int err = -EIO;

	switch (st) {
	case WSE_BACKEND_STATUS_OK:
		return 0;
	case WSE_BACKEND_STATUS_KERNEL_FAULT:
		return -EFAULT;
	case WSE_BACKEND_STATUS_STREAM_TIMEOUT:
		return -ETIMEDOUT;
	case WSE_BACKEND_STATUS_ABORTED:
		pthread_mutex_lock(&dev->lock);
		if (job->reset)
			err = -ECANCELED;
		else if (job->timed_out)
			err = -ETIMEDOUT;
		pthread_mutex_unlock(&dev->lock);
		return err;
	}
	return -EIO;
}

/*
 * A stream-in followed by a stream-out in one job (wse_stream_send_receive()):
 * the receive is known before the send runs, so the sinks write what the
 * kernel sends straight into its buffer (wafer_stream_out_post()) and
 * the receive copies nothing. Returns the program posted to, or NULL.
 * The same bytes, cycles and statuses as without (the wafer's rule).
 */
static struct wafer_program *sim_stream_post(struct wse_backend_dev *dev,
					     const struct wse_backend_job *job,
					     unsigned int i)
{
	const struct wse_backend_cmd *in = &job->cmds[i], *out = in + 1;
	struct wafer_program *prog;

	if (i + 1 >= job->n || in->op != WSE_BACKEND_OP_STREAM_IN ||
	    out->op != WSE_BACKEND_OP_STREAM_OUT || !dev->has_region ||
	    out->stream.y + (uint64_t)out->stream.h > dev->region.h ||
	    out->length != (uint64_t)out->stream.h * out->stream.elem_per_pe *
			   out->stream.elem_bytes)
		return NULL;
	pthread_mutex_lock(&dev->lock);
	prog = dev->prog;
	pthread_mutex_unlock(&dev->lock);
	if (!prog || wafer_stream_out_post(prog, out->stream.color, out->stream.edge,
					   out->stream.y, out->stream.h,
					   out->stream.elem_bytes, out->host,
					   (uint64_t)out->stream.h * out->stream.elem_per_pe,
					   NULL))
		return NULL;
	return prog;
}

void sim_job_run(struct wse_backend_dev *dev, struct wse_backend_job *job)
{
	struct wse_backend_result *res = &job->res;
	struct wafer_program *posted = NULL;
	unsigned int i, color = 0;
	uint32_t st;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < job->n; i++) {
		if (!posted && (posted = sim_stream_post(dev, job, i)))
			color = job->cmds[i + 1].stream.color;
		/* Commands other than NOP need a region, as SUBMIT says. */
		st = job->cmds[i].op != WSE_BACKEND_OP_NOP && !dev->has_region ?
		     WSE_BACKEND_STATUS_OUT_OF_REGION :
		     sim_cmd_run(dev, job, &job->cmds[i], res);
		if (posted && job->cmds[i].op == WSE_BACKEND_OP_STREAM_OUT) {
			wafer_stream_out_unpost(posted, color);
			posted = NULL;
		}
		if (st) {
			res->status = sim_cmd_errno(dev, job, st);
			res->failed_cmd = i;
			res->device_status = st;
			break;
		}
	}
	/* The receive did not run: its buffer is the caller's again. */
	if (posted)
		wafer_stream_out_unpost(posted, color);
}
