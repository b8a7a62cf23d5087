// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-cmd.c - executing submission entries.
 *
 * Every field is checked before anything moves: reserved bytes must be
 * zero, sizes must fit MAX_XFER / MAX_IMAGE, PEs and SRAM ranges must lie
 * inside the queue's region. PE coordinates in commands are relative to
 * that region; the wafer's SRAM is addressed absolutely.
 */
#include <stdlib.h>
#include <string.h>

#include "pe-dump.h"
#include "wse-dev.h"
#include "wse-sgl.h"
#include "wafer/stream.h"

/* Copies whose per-PE chunks are smaller than this go through a bounce
 * buffer: one DMA per tiny chunk would cost more than the extra memcpy. */
#define WSE_DIRECT_CHUNK	1024

/*
 * The bounce buffer of a rectangle copy: the host array streams through
 * it in pieces of this size, so host memory per command stays bounded
 * whatever MAX_XFER is (SG entries may all name one guest page: a guest
 * must not make the device allocate what it did not give).
 */
#define WSE_BOUNCE_BYTES	(64u * 1024)

static bool bytes_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

static uint8_t *pe_sram(struct wse_queue *q, uint32_t x, uint32_t y)
{
	const struct wse_dev_config *c = &q->dev->cfg;

	return wse_dev_sram(q->dev) +
	       ((size_t)(q->region.y + y) * c->mesh_width + q->region.x + x) *
	       c->sram_bytes;
}

static uint8_t bad_field(struct wse_queue *q, const char *what)
{
	wse_dev_guest_error(q->dev, "queue %u: %s", q->id, what);
	return WSE_CQE_BAD_FIELD;
}

/*
 * WRITE / READ: a linear byte range starting at offset of PE (x, y) and
 * running on through the region's PEs in row-major order. One region
 * row is contiguous in the wafer's SRAM, so the copy goes row by row.
 */
static uint8_t cmd_linear(struct wse_queue *q, const struct wse_sqe *sqe,
			  struct wse_cqe *cqe, bool to_guest)
{
	struct wse_dev *d = q->dev;
	uint32_t sram = d->cfg.sram_bytes;
	uint64_t row_bytes = (uint64_t)q->region.w * sram;
	uint64_t len = sqe->sram.length, start, left;
	struct wse_sgl sgl;
	uint8_t st;

	if (!bytes_zero(sqe->sram.rsvd, sizeof(sqe->sram.rsvd)))
		return bad_field(q, "reserved bytes of a WRITE/READ are set");
	if (!len)
		return bad_field(q, "WRITE/READ of zero bytes");
	if (len > d->cfg.max_xfer)
		return WSE_CQE_TOO_LARGE;
	if (sqe->sram.x >= q->region.w || sqe->sram.y >= q->region.h ||
	    sqe->sram.offset >= sram)
		return WSE_CQE_OUT_OF_REGION;
	start = ((uint64_t)sqe->sram.y * q->region.w + sqe->sram.x) * sram +
		sqe->sram.offset;
	if (start + len > row_bytes * q->region.h)
		return WSE_CQE_OUT_OF_REGION;
	st = wse_sgl_init(&sgl, d, sqe->sgl, sqe->sgl_count);
	if (st)
		return st;

	for (left = len; left; ) {
		uint64_t row = start / row_bytes, in_row = start % row_bytes;
		uint64_t n = row_bytes - in_row;

		if (wse_queue_cancelled(q))
			return WSE_CQE_ABORTED;
		if (n > left)
			n = left;
		st = wse_sgl_copy(&sgl, pe_sram(q, 0, row) + in_row, n, to_guest);
		if (st)
			return st;
		start += n;
		left -= n;
	}
	wse_dev_count(d, to_guest ? WSE_CNT_BYTES_D2H : WSE_CNT_BYTES_H2D, len);
	cqe->result = len;
	return WSE_CQE_OK;
}

static uint64_t host_elems(const struct wse_sqe *sqe)
{
	uint64_t epp = sqe->rect.elem_per_pe;

	switch (sqe->rect.bcast) {
	case WSE_BCAST_ROW:
		return sqe->rect.h * epp;
	case WSE_BCAST_COL:
		return sqe->rect.w * epp;
	}
	return (uint64_t)sqe->rect.w * sqe->rect.h * epp;
}

static uint8_t rect_check(struct wse_queue *q, const struct wse_sqe *sqe,
			  bool to_guest)
{
	const struct wse_dev_config *c = &q->dev->cfg;
	uint32_t eb = sqe->rect.elem_bytes;

	if (!bytes_zero(sqe->rect.rsvd, sizeof(sqe->rect.rsvd)))
		return bad_field(q, "reserved bytes of an H2D/D2H are set");
	if (eb != 2 && eb != 4)
		return bad_field(q, "element size is not 2 or 4 bytes");
	if (sqe->rect.order > WSE_ORDER_COL_MAJOR)
		return bad_field(q, "unknown host order");
	if (sqe->rect.bcast > WSE_BCAST_COL || (to_guest && sqe->rect.bcast))
		return bad_field(q, "bad broadcast mode");
	if (!sqe->rect.w || !sqe->rect.h || !sqe->rect.elem_per_pe)
		return bad_field(q, "empty rectangle");
	if (sqe->rect.addr % eb)
		return bad_field(q, "SRAM address not aligned to the element size");
	if ((uint32_t)sqe->rect.x + sqe->rect.w > q->region.w ||
	    (uint32_t)sqe->rect.y + sqe->rect.h > q->region.h ||
	    (uint64_t)sqe->rect.elem_per_pe * eb > c->sram_bytes ||
	    sqe->rect.addr + (uint64_t)sqe->rect.elem_per_pe * eb > c->sram_bytes)
		return WSE_CQE_OUT_OF_REGION;
	if (host_elems(sqe) * eb > c->max_xfer)
		return WSE_CQE_TOO_LARGE;
	return WSE_CQE_OK;
}

/* Row-major, no broadcast, big chunks: each PE's elements are contiguous
 * in the host array and PEs follow in host order, so copy straight. */
static uint8_t rect_direct(struct wse_queue *q, const struct wse_sqe *sqe,
			   struct wse_sgl *sgl, bool to_guest)
{
	size_t chunk = (size_t)sqe->rect.elem_per_pe * sqe->rect.elem_bytes;
	uint32_t r, c;
	uint8_t st;

	for (r = 0; r < sqe->rect.h; r++) {
		if (wse_queue_cancelled(q))
			return WSE_CQE_ABORTED;
		for (c = 0; c < sqe->rect.w; c++) {
			st = wse_sgl_copy(sgl, pe_sram(q, sqe->rect.x + c, sqe->rect.y + r) +
					  sqe->rect.addr, chunk, to_guest);
			if (st)
				return st;
		}
	}
	return WSE_CQE_OK;
}

/*
 * Where host element i goes: the host array is h x w x epp elements
 * (ROW broadcast: h x epp, COL: w x epp), row- or column-major. Returns
 * the PE (c, r) and element e that host element i belongs to (for a
 * broadcast, the first PE it goes to), and how many elements from i on
 * stay contiguous in that PE.
 */
static uint64_t host_unindex(const struct wse_sqe *sqe, uint64_t i,
			     uint32_t *c, uint32_t *r, uint32_t *e)
{
	uint64_t w = sqe->rect.w, h = sqe->rect.h, epp = sqe->rect.elem_per_pe;
	bool col = sqe->rect.order == WSE_ORDER_COL_MAJOR;

	switch (sqe->rect.bcast) {
	case WSE_BCAST_ROW:	/* h x epp */
		*c = 0;
		*r = col ? i % h : i / epp;
		*e = col ? i / h : i % epp;
		break;
	case WSE_BCAST_COL:	/* w x epp */
		*r = 0;
		*c = col ? i % w : i / epp;
		*e = col ? i / w : i % epp;
		break;
	default:		/* h x w x epp */
		if (col) {
			*r = i % h;
			*c = i / h % w;
			*e = i / (h * w);
		} else {
			*e = i % epp;
			*c = i / epp % w;
			*r = i / epp / w;
		}
	}
	/* Row-major keeps a PE's elements together; column-major never. */
	return col ? 1 : epp - *e;
}

/* Move n elements between the bounce buffer and every PE they belong to. */
static void rect_scatter(struct wse_queue *q, const struct wse_sqe *sqe,
			 uint8_t *buf, uint64_t first, uint64_t n, bool to_guest)
{
	uint32_t eb = sqe->rect.elem_bytes;
	uint64_t k, run;
	uint32_t c, r, e, i;

	for (k = 0; k < n; k += run) {
		uint8_t *h = buf + k * eb;
		size_t bytes;

		run = host_unindex(sqe, first + k, &c, &r, &e);
		if (run > n - k)
			run = n - k;
		bytes = run * eb;
#define PE_AT(cc, rr) (pe_sram(q, sqe->rect.x + (cc), sqe->rect.y + (rr)) + \
		       sqe->rect.addr + (size_t)e * eb)
		if (to_guest)
			memcpy(h, PE_AT(c, r), bytes);
		else if (sqe->rect.bcast == WSE_BCAST_ROW)
			for (i = 0; i < sqe->rect.w; i++)
				memcpy(PE_AT(i, r), h, bytes);
		else if (sqe->rect.bcast == WSE_BCAST_COL)
			for (i = 0; i < sqe->rect.h; i++)
				memcpy(PE_AT(c, i), h, bytes);
		else
			memcpy(PE_AT(c, r), h, bytes);
#undef PE_AT
	}
}

/*
 * Anything else: the host array streams through a bounded bounce buffer,
 * piece by piece in host order.
 */
static uint8_t rect_bounce(struct wse_queue *q, const struct wse_sqe *sqe,
			   struct wse_sgl *sgl, bool to_guest)
{
	uint32_t eb = sqe->rect.elem_bytes;
	uint64_t total = host_elems(sqe), per = WSE_BOUNCE_BYTES / eb;
	uint64_t done, n;
	uint8_t *buf;
	uint8_t st = WSE_CQE_OK;

	buf = malloc((total < per ? total : per) * eb);
	if (!buf)
		return WSE_CQE_TOO_LARGE;
	for (done = 0; done < total; done += n) {
		n = total - done < per ? total - done : per;
		if (wse_queue_cancelled(q)) {
			st = WSE_CQE_ABORTED;
			break;
		}
		if (!to_guest) {
			st = wse_sgl_copy(sgl, buf, n * eb, false);
			if (st)
				break;
		}
		rect_scatter(q, sqe, buf, done, n, to_guest);
		if (to_guest) {
			st = wse_sgl_copy(sgl, buf, n * eb, true);
			if (st)
				break;
		}
	}
	free(buf);
	return st;
}

static uint8_t cmd_rect(struct wse_queue *q, const struct wse_sqe *sqe,
			struct wse_cqe *cqe, bool to_guest)
{
	struct wse_sgl sgl;
	uint64_t bytes;
	uint8_t st;

	st = rect_check(q, sqe, to_guest);
	if (st)
		return st;
	st = wse_sgl_init(&sgl, q->dev, sqe->sgl, sqe->sgl_count);
	if (st)
		return st;
	if (!sqe->rect.bcast && sqe->rect.order == WSE_ORDER_ROW_MAJOR &&
	    (uint64_t)sqe->rect.elem_per_pe * sqe->rect.elem_bytes >= WSE_DIRECT_CHUNK)
		st = rect_direct(q, sqe, &sgl, to_guest);
	else
		st = rect_bounce(q, sqe, &sgl, to_guest);
	if (st)
		return st;
	bytes = host_elems(sqe) * sqe->rect.elem_bytes;
	wse_dev_count(q->dev, to_guest ? WSE_CNT_BYTES_D2H : WSE_CNT_BYTES_H2D, bytes);
	cqe->result = bytes;
	return WSE_CQE_OK;
}

static void fault_to_cqe(const struct wafer_fault *f, struct wse_cqe *cqe)
{
	cqe->reason = f->status;
	cqe->pe_x = f->pe_x;
	cqe->pe_y = f->pe_y;
	cqe->pc = f->pc;
}

static uint8_t cmd_load(struct wse_queue *q, const struct wse_sqe *sqe,
			struct wse_cqe *cqe)
{
	struct wse_dev *d = q->dev;
	struct wafer_program *prog = NULL;
	struct wafer_image *img = NULL;
	struct wafer_fault fault = { 0 };
	uint64_t len = sqe->load.length;
	struct wse_sgl sgl;
	uint32_t ew, eh;
	char err[192];
	uint8_t *buf;
	uint8_t st;

	if (!bytes_zero(sqe->load.rsvd, sizeof(sqe->load.rsvd)))
		return bad_field(q, "reserved bytes of a LOAD are set");
	if (!len)
		return bad_field(q, "LOAD of an empty image");
	if (len > d->cfg.max_image)
		return WSE_CQE_TOO_LARGE;
	st = wse_sgl_init(&sgl, d, sqe->sgl, sqe->sgl_count);
	if (st)
		return st;
	pthread_mutex_lock(&d->load_lock);
	buf = malloc(len);
	st = buf ? wse_sgl_copy(&sgl, buf, len, false) : WSE_CQE_TOO_LARGE;
	if (!st && wafer_image_parse(buf, len, &img, err, sizeof(err))) {
		wse_dev_guest_error(d, "queue %u: LOAD: %s", q->id, err);
		cqe->reason = WAFER_ERR_BAD_IMAGE;
		st = WSE_CQE_BAD_IMAGE;
	}
	/* The parsed image has its own copy. */
	free(buf);
	pthread_mutex_unlock(&d->load_lock);
	if (st)
		return st;
	wse_dev_count(d, WSE_CNT_BYTES_H2D, len);

	wafer_image_extent(img, &ew, &eh);
	if (ew > q->region.w || eh > q->region.h) {
		wse_dev_guest_error(d, "queue %u: LOAD: image needs %ux%u PEs, region is %ux%u",
				    q->id, ew, eh, q->region.w, q->region.h);
		cqe->reason = WAFER_ERR_BAD_REGION;
		st = WSE_CQE_OUT_OF_REGION;
		goto out;
	}
	/* The old program goes first: the new one takes over its PEs. */
	pthread_mutex_lock(&q->lock);
	wse_queue_program_drop(q);
	pthread_mutex_unlock(&q->lock);
	/* A full-wafer load takes seconds: a queue stop cuts it short. */
	if (wse_queue_cancelled(q) ||
	    wafer_load_cancellable(d->wafer, &q->region, img, &prog, &fault,
				   &q->cancel)) {
		if (wse_queue_cancelled(q)) {
			cqe->reason = WAFER_ERR_CANCELLED;
			st = WSE_CQE_ABORTED;
			goto out;
		}
		wse_dev_guest_error(d, "queue %u: LOAD: %s", q->id, fault.msg);
		fault_to_cqe(&fault, cqe);
		st = WSE_CQE_BAD_IMAGE;
		goto out;
	}
	pthread_mutex_lock(&q->lock);
	q->program = prog;
	q->image = img;
	pthread_mutex_unlock(&q->lock);
	img = NULL;
	wse_dev_count(d, WSE_CNT_LOADS, 1);
	cqe->result = len;
out:
	if (img)
		wafer_image_free(img);
	return st;
}

static uint8_t cmd_launch(struct wse_queue *q, const struct wse_sqe *sqe,
			  struct wse_cqe *cqe)
{
	struct wse_dev *d = q->dev;
	struct wafer_run_stats stats = { 0 };
	struct wafer_fault fault = { 0 };
	uint32_t n = sqe->launch.nargs, i;
	int ret;

	if (sqe->sgl || sqe->sgl_count)
		return bad_field(q, "LAUNCH with a scatter-gather list");
	if (n > WAFER_MAX_ARGS)
		return bad_field(q, "LAUNCH with more than 8 arguments");
	for (i = n; i < WAFER_MAX_ARGS; i++)
		if (sqe->launch.args[i])
			return bad_field(q, "unused LAUNCH argument is not zero");
	if (!q->program)
		return WSE_CQE_NO_PROGRAM;

	wse_dev_count(d, WSE_CNT_LAUNCHES, 1);
	/* A plain launch ends a resident kernel first. */
	wafer_resident_stop(q->program);
	ret = wafer_launch(q->program, sqe->launch.function, sqe->launch.args, n,
			   &stats, &fault);
	wse_dev_count(d, WSE_CNT_CYCLES, stats.cycles);
	cqe->result = stats.cycles;
	if (!ret && fault.status == WAFER_OK)
		return WSE_CQE_OK;
	fault_to_cqe(&fault, cqe);
	if (fault.status == WAFER_ERR_CANCELLED)
		return WSE_CQE_ABORTED;
	if (fault.status == WAFER_ERR_NO_FUNCTION || fault.status == WAFER_ERR_INVALID)
		return WSE_CQE_BAD_FIELD;
	wse_dev_count(d, WSE_CNT_PE_FAULTS, 1);
	return WSE_CQE_KERNEL_FAULT;
}

/*
 * PE_DUMP: the state record (abi/pe-dump.h) of region PE (x, y), as the
 * last launch of the queue's program left it, into the list. Entries run
 * in order, so no launch of the queue runs meanwhile.
 */
static uint8_t cmd_pe_dump(struct wse_queue *q, const struct wse_sqe *sqe,
			   struct wse_cqe *cqe)
{
	struct wafer_pe_dump rec;
	struct wse_sgl sgl;
	uint8_t st;

	if (!bytes_zero(sqe->sram.rsvd, sizeof(sqe->sram.rsvd)) || sqe->sram.offset)
		return bad_field(q, "reserved bytes of a PE_DUMP are set");
	if (sqe->sram.length < sizeof(rec))
		return bad_field(q, "PE_DUMP buffer shorter than the record");
	if (sqe->sram.x >= q->region.w || sqe->sram.y >= q->region.h)
		return WSE_CQE_OUT_OF_REGION;
	if (!q->program)
		return WSE_CQE_NO_PROGRAM;
	if (wafer_pe_dump(q->program, sqe->sram.x, sqe->sram.y, &rec))
		return bad_field(q, "PE_DUMP of a PE the program does not have");
	st = wse_sgl_init(&sgl, q->dev, sqe->sgl, sqe->sgl_count);
	if (st)
		return st;
	st = wse_sgl_copy(&sgl, &rec, sizeof(rec), true);
	if (st)
		return st;
	cqe->result = sizeof(rec);
	return WSE_CQE_OK;
}

/*
 * Whether the entry is bounded small work that the doorbell may run
 * inline (wse-queue.c): NOP and FENCE, a WRITE or READ of at most
 * WSE_INLINE_BYTES through at most WSE_INLINE_SGES list entries (one
 * list fetch, a few copies), and anything that fails its checks before
 * moving a byte (reserved fields, an unknown opcode). Everything else,
 * LOAD and LAUNCH above all, may take long and goes to the worker.
 */
bool wse_cmd_is_short(const struct wse_sqe *sqe)
{
	if (sqe->flags || sqe->rsvd0 || sqe->rsvd1)
		return true;
	switch (sqe->opcode) {
	case WSE_OP_NOP:
	case WSE_OP_FENCE:
		return true;
	case WSE_OP_WRITE:
	case WSE_OP_READ:
		return sqe->sram.length <= WSE_INLINE_BYTES &&
		       sqe->sgl_count <= WSE_INLINE_SGES;
	case WSE_OP_LOAD:
	case WSE_OP_H2D:
	case WSE_OP_D2H:
	case WSE_OP_LAUNCH:
	case WSE_OP_RESIDENT:
	case WSE_OP_STREAM_IN:
	case WSE_OP_STREAM_OUT:
	case WSE_OP_CALL:
	case WSE_OP_STOP:
	case WSE_OP_PE_DUMP:
		return false;
	default:
		return true;	/* BAD_OPCODE */
	}
}

void wse_cmd_execute(struct wse_queue *q, const struct wse_sqe *sqe,
		     struct wse_cqe *cqe)
{
	uint8_t st;

	if (sqe->flags || sqe->rsvd0 || sqe->rsvd1) {
		cqe->status = bad_field(q, "reserved fields of a submission entry are set");
		return;
	}
	switch (sqe->opcode) {
	case WSE_OP_NOP:
	case WSE_OP_FENCE:
		/* Entries run in order, so a fence has nothing to wait for. */
		st = sqe->sgl || sqe->sgl_count ||
		     !bytes_zero(&sqe->sram, sizeof(sqe->sram)) ?
		     bad_field(q, "NOP/FENCE with operands") : WSE_CQE_OK;
		break;
	case WSE_OP_WRITE:
		st = cmd_linear(q, sqe, cqe, false);
		break;
	case WSE_OP_READ:
		st = cmd_linear(q, sqe, cqe, true);
		break;
	case WSE_OP_LOAD:
		st = cmd_load(q, sqe, cqe);
		break;
	case WSE_OP_H2D:
		st = cmd_rect(q, sqe, cqe, false);
		break;
	case WSE_OP_D2H:
		st = cmd_rect(q, sqe, cqe, true);
		break;
	case WSE_OP_LAUNCH:
		st = cmd_launch(q, sqe, cqe);
		break;
	case WSE_OP_RESIDENT:
	case WSE_OP_STREAM_IN:
	case WSE_OP_STREAM_OUT:
	case WSE_OP_CALL:
	case WSE_OP_STOP:
		st = wse_cmd_stream_execute(q, sqe, cqe);
		break;
	case WSE_OP_PE_DUMP:
		st = cmd_pe_dump(q, sqe, cqe);
		break;
	default:
		wse_dev_guest_error(q->dev, "queue %u: unknown opcode 0x%x",
				    q->id, sqe->opcode);
		st = WSE_CQE_BAD_OPCODE;
	}
	cqe->status = st;
}
