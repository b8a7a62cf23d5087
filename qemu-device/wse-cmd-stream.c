// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-cmd-stream.c - resident kernels and streams: the RESIDENT,
 * STREAM_IN, STREAM_OUT, CALL and STOP entries (hardware.rst,
 * Documentation/wse/streaming.rst). The wafer core does the work
 * (wafer/stream.h); this file checks the entry and moves the bytes.
 * A kernel stays resident on the queue's program between entries, so
 * later jobs of the same queue feed it; other queues run meanwhile.
 */
#include <stdlib.h>
#include <string.h>

#include "wse-dev.h"
#include "wse-sgl.h"
#include "wafer/stream.h"

static bool zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

static uint8_t stream_bad(struct wse_queue *q, const char *what)
{
	wse_dev_guest_error(q->dev, "queue %u: %s", q->id, what);
	return WSE_CQE_BAD_FIELD;
}

/* A failed wafer operation as a completion. */
static uint8_t stream_status(struct wse_queue *q, int ret,
			     const struct wafer_fault *f, struct wse_cqe *cqe)
{
	if (!ret && f->status == WAFER_OK)
		return WSE_CQE_OK;
	cqe->reason = f->status;
	cqe->pe_x = f->pe_x;
	cqe->pe_y = f->pe_y;
	cqe->pc = f->pc;
	wse_dev_guest_error(q->dev, "queue %u: %s", q->id, f->msg);
	switch (f->status) {
	case WAFER_ERR_STREAM_TIMEOUT:
		return WSE_CQE_STREAM_TIMEOUT;
	case WAFER_ERR_CANCELLED:
		return WSE_CQE_ABORTED;
	case WAFER_ERR_INVALID:
	case WAFER_ERR_NO_FUNCTION:
		return WSE_CQE_BAD_FIELD;
	case WAFER_ERR_NOMEM:
		return WSE_CQE_TOO_LARGE;
	default:
		wse_dev_count(q->dev, WSE_CNT_PE_FAULTS, 1);
		return WSE_CQE_KERNEL_FAULT;
	}
}

static uint8_t launch_check(struct wse_queue *q, const struct wse_sqe *sqe)
{
	uint32_t n = sqe->launch.nargs;

	if (n > WAFER_MAX_ARGS)
		return stream_bad(q, "RESIDENT/CALL with more than 8 arguments");
	for (uint32_t i = n; i < WAFER_MAX_ARGS; i++)
		if (sqe->launch.args[i])
			return stream_bad(q, "unused RESIDENT/CALL argument is not zero");
	if (!q->program)
		return WSE_CQE_NO_PROGRAM;
	return WSE_CQE_OK;
}

static uint8_t cmd_resident(struct wse_queue *q, const struct wse_sqe *sqe,
			    struct wse_cqe *cqe)
{
	struct wafer_run_stats st = { 0 };
	struct wafer_fault f = { 0 };
	uint8_t s;
	int ret;

	if (sqe->sgl || sqe->sgl_count)
		return stream_bad(q, "RESIDENT with a scatter-gather list");
	s = launch_check(q, sqe);
	if (s)
		return s;
	wse_dev_count(q->dev, WSE_CNT_LAUNCHES, 1);
	ret = wafer_resident_launch(q->program, sqe->launch.function,
				    sqe->launch.args, sqe->launch.nargs, &st, &f);
	wse_dev_count(q->dev, WSE_CNT_CYCLES, st.cycles);
	cqe->result = st.cycles;
	return stream_status(q, ret, &f, cqe);
}

static uint8_t cmd_call(struct wse_queue *q, const struct wse_sqe *sqe,
			struct wse_cqe *cqe)
{
	struct wafer_run_stats st = { 0 };
	struct wafer_fault f = { 0 };
	struct wse_sgl sgl;
	uint32_t val = 0;
	uint8_t s;
	int ret;

	s = launch_check(q, sqe);
	if (s)
		return s;
	if (sqe->sgl_count) {
		s = wse_sgl_init(&sgl, q->dev, sqe->sgl, sqe->sgl_count);
		if (s)
			return s;
	}
	ret = wafer_resident_call(q->program, sqe->launch.function,
				  sqe->launch.args, sqe->launch.nargs, &val, &st, &f);
	wse_dev_count(q->dev, WSE_CNT_CYCLES, st.cycles);
	cqe->result = st.cycles;
	s = stream_status(q, ret, &f, cqe);
	if (!s && sqe->sgl_count)
		s = wse_sgl_copy(&sgl, &val, sizeof(val), true);
	return s;
}

static uint8_t cmd_stream(struct wse_queue *q, const struct wse_sqe *sqe,
			  struct wse_cqe *cqe, bool in)
{
	struct wafer_run_stats st = { 0 };
	struct wafer_fault f = { 0 };
	uint32_t eb = sqe->stream.elem_bytes;
	uint64_t n = (uint64_t)sqe->stream.h * sqe->stream.elem_per_pe;
	struct wse_sgl sgl;
	uint8_t *buf, s;
	int ret;

	if (sqe->stream.rsvd0 || sqe->stream.rsvd1 || !zero(sqe->stream.rsvd, sizeof(sqe->stream.rsvd)))
		return stream_bad(q, "reserved bytes of a STREAM_IN/OUT are set");
	if (sqe->stream.color >= WAFER_COLORS || sqe->stream.edge != WAFER_EDGE_WEST ||
	    (eb != 2 && eb != 4) || !sqe->stream.h || !sqe->stream.elem_per_pe)
		return stream_bad(q, "bad color, edge, element size or count of a stream");
	if ((uint32_t)sqe->stream.y + sqe->stream.h > q->region.h)
		return WSE_CQE_OUT_OF_REGION;
	if (sqe->stream.length != n * eb)
		return stream_bad(q, "stream length is not h x elem_per_pe elements");
	if (sqe->stream.length > q->dev->cfg.max_xfer)
		return WSE_CQE_TOO_LARGE;
	if (!q->program)
		return WSE_CQE_NO_PROGRAM;
	s = wse_sgl_init(&sgl, q->dev, sqe->sgl, sqe->sgl_count);
	if (s)
		return s;
	buf = malloc(sqe->stream.length);
	if (!buf)
		return WSE_CQE_TOO_LARGE;
	if (in) {
		s = wse_sgl_copy(&sgl, buf, sqe->stream.length, false);
		if (s)
			goto out;
		ret = wafer_stream_in(q->program, sqe->stream.color, sqe->stream.edge,
				      sqe->stream.y, sqe->stream.h, eb, buf, n, &st, &f);
	} else {
		ret = wafer_stream_out(q->program, sqe->stream.color, sqe->stream.edge,
				       sqe->stream.y, sqe->stream.h, eb, buf, n, &st, &f);
	}
	wse_dev_count(q->dev, WSE_CNT_CYCLES, st.cycles);
	cqe->result = st.cycles;
	s = stream_status(q, ret, &f, cqe);
	if (!s) {
		wse_dev_count(q->dev, in ? WSE_CNT_BYTES_H2D : WSE_CNT_BYTES_D2H,
			      sqe->stream.length);
		if (!in)
			s = wse_sgl_copy(&sgl, buf, sqe->stream.length, true);
	}
out:
	free(buf);
	return s;
}

uint8_t wse_cmd_stream_execute(struct wse_queue *q, const struct wse_sqe *sqe,
			       struct wse_cqe *cqe)
{
	switch (sqe->opcode) {
	case WSE_OP_RESIDENT:
		return cmd_resident(q, sqe, cqe);
	case WSE_OP_STREAM_IN:
		return cmd_stream(q, sqe, cqe, true);
	case WSE_OP_STREAM_OUT:
		return cmd_stream(q, sqe, cqe, false);
	case WSE_OP_CALL:
		return cmd_call(q, sqe, cqe);
	case WSE_OP_STOP:
		if (sqe->sgl || sqe->sgl_count || !zero(&sqe->sram, sizeof(sqe->sram)))
			return stream_bad(q, "STOP with operands");
		if (q->program)
			wafer_resident_stop(q->program);
		return WSE_CQE_OK;
	}
	return WSE_CQE_BAD_OPCODE;
}
