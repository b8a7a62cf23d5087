/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stream.h - resident kernels and streaming I/O of the wafer core.
 *
 * A resident kernel is a launch that does not end the program's life
 * when the wafer goes quiet: its PEs keep their registers, task bits,
 * clocks, queues and router state, waiting for data. Later operations
 * run it again in *segments*, each until it is quiet again:
 *
 *   wafer_resident_launch()  the launch itself (the first segment)
 *   wafer_stream_in()        host wavelets on a color into the west-edge
 *                            PEs of some rows, through the I/O channels
 *   wafer_stream_out()       wavelets the kernel sent off the west edge
 *                            on a color, to the host
 *   wafer_stream_out_post()  a receive known before the stream that
 *                            feeds it: its wavelets go straight there
 *   wafer_resident_call()    an exported function as a task (RPC)
 *   wafer_resident_stop()    the end: the program is an ordinary one again
 *
 * I/O channels: the west edge of a region has WAFER_IO_CHANNELS channels,
 * each moving one wavelet per cycle in each direction. Row r of a stream
 * uses channel r % 16; the n rows sharing a channel take turns, so each
 * gets a wavelet every n cycles. A wavelet enters PE (0, r)'s queue of
 * the color (its router must take the color from WEST to RAMP, and no PE
 * may feed that queue) and back-pressure applies as between PEs; one that
 * leaves PE (0, r) going WEST is collected for the host in the order it
 * left, one per channel slot. Everything follows from modeled time:
 * results and cycles do not depend on the host.
 *
 * Modeled time runs on through the segments; every operation reports the
 * cycles its segment added. Operations on one program are not
 * concurrent (the device runs one command of a queue at a time).
 */
#ifndef WAFER_STREAM_H
#define WAFER_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "wafer.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WAFER_IO_CHANNELS	16	/* per edge, one wavelet/cycle each way */

/* The edges a stream may use (only the west edge has channels). */
#define WAFER_EDGE_WEST		0

/*
 * Launch exported function sym_index as wafer_launch() does, and keep the
 * kernel resident: a run that ends with PEs waiting on the fabric is not a
 * deadlock, and wavelets sent off the west edge are collected. A fault
 * ends the resident kernel. Errnos as wafer_launch().
 */
int wafer_resident_launch(struct wafer_program *p, uint32_t sym_index,
			  const uint32_t *args, unsigned int nargs,
			  struct wafer_run_stats *stats,
			  struct wafer_fault *fault);

/* Is a resident kernel running on p (between segments)? */
int wafer_resident_active(const struct wafer_program *p);

/*
 * Stream n elements of elem_bytes (2 or 4) from buf into rows y..y+h-1 of
 * the west edge on color, n / h per row, row after row (SdkRuntime's
 * streaming memcpy_h2d of a 1 x h rectangle): PE (0, y + r) receives
 * elements [r * n / h, (r + 1) * n / h) in order, a 16-bit one in the low
 * half of its wavelet. Runs the kernel until it is quiet. -ETIMEDOUT
 * (WAFER_ERR_STREAM_TIMEOUT) if some PE did not take all its wavelets
 * by then: those not taken are dropped. -EINVAL for a bad color, edge,
 * rows, count or a queue the stream cannot feed; -ENOENT without a
 * resident kernel; kernel faults as wafer_launch(), which end it.
 */
int wafer_stream_in(struct wafer_program *p, unsigned int color,
		    unsigned int edge, uint32_t y, uint32_t h,
		    unsigned int elem_bytes, const void *buf, uint64_t n,
		    struct wafer_run_stats *stats, struct wafer_fault *fault);

/*
 * Take n elements (n / h per row) that left rows y..y+h-1 going west on
 * color into buf, in the same layout; a 16-bit element is the low half
 * of its wavelet. Runs the kernel until it is quiet first if it has not
 * sent them yet; -ETIMEDOUT (WAFER_ERR_STREAM_TIMEOUT) if a row still
 * has fewer, and then nothing is taken. Errnos otherwise as
 * wafer_stream_in().
 */
int wafer_stream_out(struct wafer_program *p, unsigned int color,
		     unsigned int edge, uint32_t y, uint32_t h,
		     unsigned int elem_bytes, void *buf, uint64_t n,
		     struct wafer_run_stats *stats, struct wafer_fault *fault);

/*
 * Post a receive before the stream that feeds it: the next n / h
 * wavelets that leave each row y + r going west on color are written
 * straight into buf at the place wafer_stream_out() of the same
 * arguments would copy them to, and that call then copies nothing. The
 * bytes, cycles and faults of everything are those without the post:
 * more wavelets than posted move on to the sink's own buffer, and a row
 * whose sink holds wavelets already is not posted. Only 32-bit elements
 * in a 4-byte aligned buf are posted (0 otherwise, and nothing done);
 * a stream in whose data overlaps buf ends the post first.
 * buf must stay valid until wafer_stream_out_unpost(p, color), which
 * the caller makes before it returns to whoever owns buf: a receive
 * that did not run or took fewer leaves the rest in buf until then (buf
 * is written either way). Errnos as wafer_stream_out().
 */
int wafer_stream_out_post(struct wafer_program *p, unsigned int color,
			  unsigned int edge, uint32_t y, uint32_t h,
			  unsigned int elem_bytes, void *buf, uint64_t n,
			  struct wafer_fault *fault);

/* End the posts on color: what waits in a posted buffer moves to the sink's. */
void wafer_stream_out_unpost(struct wafer_program *p, unsigned int color);

/*
 * Run exported function sym_index as a task of the resident kernel on
 * every PE whose group defines it, args in r1..r{nargs}, starting when
 * the call arrives (after everything before it), and the kernel until it
 * is quiet. *ret (if not NULL) receives r1 of the first of those PEs in
 * row-major order then: the function's return value. -EBUSY if one of
 * them is inside a task (waiting on the fabric) or halted.
 */
int wafer_resident_call(struct wafer_program *p, uint32_t sym_index,
			const uint32_t *args, unsigned int nargs,
			uint32_t *ret, struct wafer_run_stats *stats,
			struct wafer_fault *fault);

/*
 * How vector ops whose one fabric source is fed by an I/O channel (or
 * whose one destination is a channel's sink) move its wavelets: queue
 * by queue as any other queue's (0), in bulk with a loop over the
 * wavelets (1), or in bulk with runs of constant rate in closed form
 * (2, the default). All give the same bytes and cycles; this is for the
 * tests and benchmarks that compare them. Streams started after the
 * call use it.
 */
#define WAFER_STREAM_PER_POP	0
#define WAFER_STREAM_BULK_LOOP	1
#define WAFER_STREAM_BULK	2
void wafer_stream_bulk(struct wafer_program *p, int mode);

/* End the resident kernel: collected wavelets are dropped. No-op if none. */
void wafer_resident_stop(struct wafer_program *p);

#ifdef __cplusplus
}
#endif

#endif /* WAFER_STREAM_H */
