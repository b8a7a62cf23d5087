// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-stream-bulk.c - the bulk paths of the edge I/O channels
 * (qemu-device/wafer/stream.c): a kernel of CSL's streaming shape, an
 * async fabric-to-memory move of each vector, then a vector send of it
 * plus one back through the channel and its sum, gives the same bytes,
 * modeled cycles, instruction and wavelet counts queue by queue
 * (WAFER_STREAM_PER_POP, the reference), with the bulk loops
 * (WAFER_STREAM_BULK_LOOP) and with runs in closed form (WAFER_STREAM_BULK),
 * at 1, 2 and 4 threads, for 32- and 16-bit data, queue depths 5 and 32,
 * rows that share channels (a channel slower than the PE), and streams
 * cut across the vectors. The move is a vmov into contiguous memory
 * (written directly), a vmov with stride 2 or a vadds of 3 on the way in
 * (through the chunk buffer and a kernel). Long vectors (300 elements:
 * not a multiple of the 256 a step takes nor of the depth) give runs
 * that fill the queue while the PE is busy with the previous vector's
 * sends (a consumer slower than the channel, the run cut by the full
 * queue) and sends longer than the sink's depth. A second resident
 * launch of each program gives the same again (its sinks reuse the
 * first's buffers). Receives posted before the streams (in place, half
 * posted, posted then ended unused, posted over the stream's own data)
 * give the same bytes and cycles.
 */
#include "kselftest_harness.h"
#include "wafer-test.h"
#include "stream.h"

#define R	WAFER_PORT_RAMP
#define WE	WAFER_PORT_WEST
#define CIN	1		/* the stream in */
#define CECHO	2		/* each element plus one, back */
#define CSUM	3		/* each vector's sum, back */
#define T_GOT	10		/* the move completed */
#define BUF	0x4000		/* SRAM of the vector */

#define MAXROWS	40
#define MAXPER	2408		/* elements a row, at most */

/*
 * A case's shape: rows (more than 16 share channels: 18 gives rows 0, 1,
 * 16 and 17 a wavelet every other cycle, 40 gives rows 0..7 one every
 * third), vectors of vlen, nvec a row, the first stream's elements a row
 * (cut), and whether each vector's task first takes one more wavelet
 * with a scalar recv (which refills the queue from the times the bulk
 * take left: its sum is added to the vector's).
 */
struct shape {
	uint32_t rows, vlen, nvec, cut;
	bool recv;
};

static const struct shape SHORT = { 18, 24, 7, 50, false };
static const struct shape LONG = { 18, 300, 8, 1111, false };
static const struct shape LONG_RECV = { 40, 300, 8, 1111, true };

/* Wavelets a row streams in. */
static uint32_t shape_per(const struct shape *sh)
{
	return (sh->vlen + sh->recv) * sh->nvec;
}

enum move { MOVE_VMOV, MOVE_STRIDE2, MOVE_ADDS3 };

/* The move of a vector, d0 <- d1, on microthread 0, activating T_GOT. */
static void emit_move(struct wb *b, uint32_t g, uint8_t t, enum move mv)
{
	wb_emit(b, g, I_ASYNC(0, ACTIVATE, T_GOT));
	if (mv == MOVE_ADDS3)
		wb_emit(b, g, wb_insn(ISA_OP_VADDS, 0, 1, 0, 0, t, ISA_F_IMM, 3));
	else
		wb_emit(b, g, wb_insn(ISA_OP_VMOV, 0, 1, 0, 0, t, 0, 0));
}

/*
 * main(n): d0 = n elements at BUF (stride 1, or 2), d1 = n wavelets of
 * CIN, d2 = n of CECHO; the move d0 <- d1 activates T_GOT, which sends
 * d0 + 1 on CECHO, its sum on CSUM, and moves the next vector.
 */
static struct wb *bulk_kernel(bool half, enum move mv, const struct shape *sh)
{
	const uint8_t t = half ? ISA_T_I16 : ISA_T_I32;
	struct wb *b = wb_new(1, sh->rows);
	uint32_t g;

	wb_func(b, "main");
	g = wb_group(b);
	wb_rect(b, 0, 0, 1, sh->rows, g);
	wb_route(b, 0, 0, 1, sh->rows, CIN, WE, R);
	wb_route(b, 0, 0, 1, sh->rows, CECHO, R, WE);
	wb_route(b, 0, 0, 1, sh->rows, CSUM, R, WE);
	wb_bss(b, g, BUF, sh->vlen * 4 * 2);
	wb_entry(b, 0, g, wb_pc(b, g));
	wb_emit(b, g, I_LI(13, BUF));
	wb_emit(b, g, wb_insn(ISA_OP_DMEM, 0, 13, 1, 0, t, 0,
			      mv == MOVE_STRIDE2 ? 2 : 1));
	wb_emit(b, g, wb_insn(ISA_OP_DFAB, 1, 0, 1, 0, t, 0, CIN));
	wb_emit(b, g, wb_insn(ISA_OP_DFAB, 2, 0, 1, 0, t, 0, CECHO));
	emit_move(b, g, t, mv);
	wb_emit(b, g, I_TRET());
	wb_task(b, g, T_GOT, WAFER_TASK_LOCAL, 0, 0, 0, wb_pc(b, g));
	if (sh->recv)
		wb_emit(b, g, I_RECV(6, CIN));
	wb_emit(b, g, wb_insn(ISA_OP_VADDS, 2, 0, 0, 0, t, ISA_F_IMM, 1));
	wb_emit(b, g, wb_insn(ISA_OP_VRSUM, 5, 0, 0, 0, t, 0, 0));
	if (sh->recv)
		wb_emit(b, g, I_ALU(ADD, 5, 5, 6));
	wb_emit(b, g, I_SEND(5, CSUM));
	emit_move(b, g, t, mv);
	wb_emit(b, g, I_TRET());
	return b;
}

/* What a run gives: every segment's stats, and the bytes streamed out. */
struct outcome {
	struct wafer_run_stats st[3];
	uint32_t sums[MAXROWS * MAXPER];
	uint32_t echo[MAXROWS * MAXPER];	/* 16-bit data: the first half */
};

/*
 * Posted receives of the echo (wafer_stream_out_post()) before the
 * streams in: none, into the buffer the receive then takes (in place),
 * half of it into another buffer (the rest goes on to the sinks' own:
 * the receive copies), or all into another one ended before the receive
 * (wafer_stream_out_unpost(): the receive copies from the sinks), or
 * into the first stream's own data, which the stream ends first (its
 * rows' echoes would otherwise overwrite later rows' data unread).
 */
enum post { POST_NONE, POST_IN_PLACE, POST_HALF, POST_UNPOSTED, POST_OVERLAP };

static int bulk_run(struct __test_metadata *_metadata, bool half, enum move mv,
		    int mode, uint32_t threads, uint32_t depth,
		    const struct shape *sh, const uint32_t *in,
		    struct outcome *o, enum post post)
{
	static uint8_t first[MAXROWS * MAXPER * 4], rest[MAXROWS * MAXPER * 4];
	static uint32_t again[MAXROWS * MAXPER], scratch[MAXROWS * MAXPER];
	struct wafer_run_stats st2[3];
	const unsigned int es = half ? 2 : 4;
	const uint32_t rows = sh->rows, per = shape_per(sh), cut = sh->cut;
	const uint32_t nout = sh->vlen * sh->nvec;
	struct wafer *w = wt_wafer(2, rows, threads, depth);
	struct wb *b = bulk_kernel(half, mv, sh);
	struct wafer_rect rg = { 0, 0, 1, rows };
	struct wafer_program *p;
	struct wafer_fault f;
	uint32_t n = sh->vlen;

	memset(o, 0, sizeof(*o));
	/* Row r's elements [0, cut) first, then the rest, each row after row. */
	for (uint32_t r = 0; r < rows; r++) {
		for (uint32_t j = 0; j < per; j++) {
			uint8_t *d = j < cut ? first + (r * cut + j) * es :
				     rest + (r * (per - cut) + j - cut) * es;

			memcpy(d, &in[r * per + j], es);
		}
	}
	EXPECT_EQ(0, wafer_load(w, &rg, wb_image(b), &p, &f)) TH_LOG("%s", f.msg);
	wafer_stream_bulk(p, mode);
	EXPECT_EQ(0, wafer_resident_launch(p, 0, &n, 1, &o->st[0], &f)) TH_LOG("%s", f.msg);
	memset(scratch, 0xa5, sizeof(scratch));
	if (post == POST_IN_PLACE)
		EXPECT_EQ(0, wafer_stream_out_post(p, CECHO, WAFER_EDGE_WEST, 0, rows, es,
						   o->echo, rows * nout, &f));
	if (post == POST_HALF)
		EXPECT_EQ(0, wafer_stream_out_post(p, CECHO, WAFER_EDGE_WEST, 0, rows, es,
						   scratch, rows * (nout / 2), &f));
	if (post == POST_UNPOSTED)
		EXPECT_EQ(0, wafer_stream_out_post(p, CECHO, WAFER_EDGE_WEST, 0, rows, es,
						   scratch, rows * nout, &f));
	if (post == POST_OVERLAP)
		EXPECT_EQ(0, wafer_stream_out_post(p, CECHO, WAFER_EDGE_WEST, 0, rows, es,
						   first, rows * nout, &f));
	EXPECT_EQ(0, wafer_stream_in(p, CIN, WAFER_EDGE_WEST, 0, rows, es, first,
				     rows * cut, &o->st[1], &f)) TH_LOG("%s", f.msg);
	EXPECT_EQ(0, wafer_stream_in(p, CIN, WAFER_EDGE_WEST, 0, rows, es, rest,
				     rows * (per - cut), &o->st[2], &f)) TH_LOG("%s", f.msg);
	if (post == POST_UNPOSTED) {
		/* The sends went into scratch (32-bit data), which is let go. */
		if (!half)
			EXPECT_EQ(in[0] + 1 + (mv == MOVE_ADDS3 ? 3 : 0), scratch[0]);
		wafer_stream_out_unpost(p, CECHO);
		memset(scratch, 0x5a, sizeof(scratch));
	}
	EXPECT_EQ(0, wafer_stream_out(p, CSUM, WAFER_EDGE_WEST, 0, rows, 4, o->sums,
				      rows * sh->nvec, NULL, &f)) TH_LOG("%s", f.msg);
	EXPECT_EQ(0, wafer_stream_out(p, CECHO, WAFER_EDGE_WEST, 0, rows, es, o->echo,
				      rows * nout, NULL, &f)) TH_LOG("%s", f.msg);
	wafer_stream_out_unpost(p, CECHO);
	/* Everything was taken: nothing more comes out. */
	EXPECT_EQ(-ETIMEDOUT, wafer_stream_out(p, CECHO, WAFER_EDGE_WEST, 0, 1, es,
					       o->echo + rows * nout / 2, 1, NULL, &f));
	/*
	 * Stopped and resident anew, the kernel's sinks reuse the buffers
	 * of the first (stream.c keeps them): the same streams give the
	 * same bytes and cycles.
	 */
	wafer_resident_stop(p);
	EXPECT_EQ(0, wafer_resident_launch(p, 0, &n, 1, &st2[0], &f)) TH_LOG("%s", f.msg);
	EXPECT_EQ(0, wafer_stream_in(p, CIN, WAFER_EDGE_WEST, 0, rows, es, first,
				     rows * cut, &st2[1], &f)) TH_LOG("%s", f.msg);
	EXPECT_EQ(0, wafer_stream_in(p, CIN, WAFER_EDGE_WEST, 0, rows, es, rest,
				     rows * (per - cut), &st2[2], &f)) TH_LOG("%s", f.msg);
	EXPECT_EQ(0, wafer_stream_out(p, CSUM, WAFER_EDGE_WEST, 0, rows, 4, again,
				      rows * sh->nvec, NULL, &f)) TH_LOG("%s", f.msg);
	EXPECT_EQ(0, memcmp(again, o->sums, rows * sh->nvec * 4));
	EXPECT_EQ(0, wafer_stream_out(p, CECHO, WAFER_EDGE_WEST, 0, rows, es, again,
				      rows * nout, NULL, &f)) TH_LOG("%s", f.msg);
	EXPECT_EQ(0, memcmp(again, o->echo, rows * nout * es));
	for (int s = 0; s < 3; s++) {
		EXPECT_EQ(o->st[s].cycles, st2[s].cycles) TH_LOG("again: segment %d", s);
	}
	wafer_program_free(p);
	wb_free(b);
	wafer_destroy(w);
	return 0;
}

/* The kernel's results, from the input alone. */
static void expect_values(struct __test_metadata *_metadata, bool half,
			  enum move mv, const struct shape *sh,
			  const uint32_t *in, const struct outcome *o)
{
	const uint32_t add = mv == MOVE_ADDS3 ? 3 : 0, vlen = sh->vlen;
	const uint32_t per = shape_per(sh), step = vlen + sh->recv;

	for (uint32_t r = 0; r < sh->rows; r++) {
		for (uint32_t v = 0; v < sh->nvec; v++) {
			const uint32_t *x0 = &in[r * per + v * step];
			uint32_t sum = 0;

			for (uint32_t k = 0; k < vlen; k++) {
				uint32_t x = x0[k] + add;

				if (half)
					x = (uint16_t)x;

				sum += half ? (uint32_t)(int32_t)(int16_t)x : x;
			}
			if (half)
				sum = (uint32_t)(int32_t)(int16_t)sum;
			/* The scalar recv's wavelet, as the register has it. */
			if (sh->recv)
				sum += half ? (uint16_t)x0[vlen] : x0[vlen];
			ASSERT_EQ(sum, o->sums[r * sh->nvec + v]) TH_LOG("row %u vector %u", r, v);
			for (uint32_t k = 0; k < vlen; k++) {
				uint32_t x = x0[k] + add, got;
				const uint32_t j = (r * sh->nvec + v) * vlen + k;

				if (half) {
					uint16_t h;

					memcpy(&h, (const uint8_t *)o->echo + j * 2, 2);
					got = h;
					x = (uint16_t)(x + 1);
				} else {
					got = o->echo[j];
					x++;
				}
				ASSERT_EQ(x, got) TH_LOG("row %u vector %u element %u", r, v, k);
			}
		}
	}
}

static void bulk_compare(struct __test_metadata *_metadata, bool half,
			 enum move mv, uint32_t depth, const struct shape *sh)
{
	static const uint32_t threads[] = { 1, 2, 4 };
	static const int modes[] = { WAFER_STREAM_PER_POP, WAFER_STREAM_BULK_LOOP,
				     WAFER_STREAM_BULK };
	const uint32_t per = shape_per(sh);
	static uint32_t in[MAXROWS * MAXPER];
	static struct outcome ref, o;

	ASSERT_LE(per, MAXPER);
	ASSERT_LE(sh->rows, MAXROWS);
	ASSERT_LT(sh->cut, per);
	for (uint32_t i = 0; i < sh->rows * per; i++)
		in[i] = i * 2654435761u ^ (half ? 0x8000 : 0x80000000u);
	/* The reference: one thread, queue by queue. */
	bulk_run(_metadata, half, mv, WAFER_STREAM_PER_POP, 1, depth, sh, in, &ref,
		 POST_NONE);
	expect_values(_metadata, half, mv, sh, in, &ref);
	for (int s = 0; s < 3; s++)
		ASSERT_GT(ref.st[s].cycles, 0);
	/* Each mode and thread count, and each post at 1 and 2 threads. */
	for (unsigned int c = 0; c < 3 * 3 + 4 * 3 * 2; c++) {
		const unsigned int k = c < 9 ? c / 3 : (c - 9) / 12;
		const unsigned int m = c % 3;
		const enum post post = c < 9 ? POST_NONE : 1 + (c - 9) / 3 % 4;

		{
			bulk_run(_metadata, half, mv, modes[m], threads[k], depth, sh,
				 in, &o, post);
			for (int s = 0; s < 3; s++) {
				EXPECT_EQ(ref.st[s].cycles, o.st[s].cycles)
					TH_LOG("segment %d, %u threads, mode %d, post %d", s,
					       threads[k], modes[m], post);
				EXPECT_EQ(ref.st[s].instructions, o.st[s].instructions);
				EXPECT_EQ(ref.st[s].wavelets, o.st[s].wavelets);
				EXPECT_EQ(ref.st[s].wavelets_dropped, o.st[s].wavelets_dropped);
			}
			EXPECT_EQ(0, memcmp(ref.sums, o.sums, sizeof(o.sums)));
			EXPECT_EQ(0, memcmp(ref.echo, o.echo, sizeof(o.echo)))
				TH_LOG("%u threads, mode %d, post %d", threads[k], modes[m],
				       post);
		}
	}
}

TEST(bulk_i32_depth32)
{
	bulk_compare(_metadata, false, MOVE_VMOV, 32, &SHORT);
}

TEST(bulk_i32_depth5)
{
	bulk_compare(_metadata, false, MOVE_VMOV, 5, &SHORT);
}

TEST(bulk_i16_depth32)
{
	bulk_compare(_metadata, true, MOVE_VMOV, 32, &SHORT);
}

TEST(bulk_i16_depth5)
{
	bulk_compare(_metadata, true, MOVE_VMOV, 5, &SHORT);
}

TEST(bulk_i32_stride2)
{
	bulk_compare(_metadata, false, MOVE_STRIDE2, 32, &SHORT);
}

TEST(bulk_i16_stride2_depth5)
{
	bulk_compare(_metadata, true, MOVE_STRIDE2, 5, &SHORT);
}

TEST(bulk_i32_adds)
{
	bulk_compare(_metadata, false, MOVE_ADDS3, 5, &SHORT);
}

TEST(bulk_i16_adds)
{
	bulk_compare(_metadata, true, MOVE_ADDS3, 32, &SHORT);
}

TEST(bulk_long_i32_depth32)
{
	bulk_compare(_metadata, false, MOVE_VMOV, 32, &LONG);
}

TEST(bulk_long_i32_depth5)
{
	bulk_compare(_metadata, false, MOVE_VMOV, 5, &LONG);
}

TEST(bulk_long_i16_depth32)
{
	bulk_compare(_metadata, true, MOVE_VMOV, 32, &LONG);
}

TEST(bulk_long_i16_depth5)
{
	bulk_compare(_metadata, true, MOVE_VMOV, 5, &LONG);
}

TEST(bulk_long_i32_stride2_depth48)
{
	bulk_compare(_metadata, false, MOVE_STRIDE2, 48, &LONG);
}

TEST(bulk_long_i16_adds_depth64)
{
	bulk_compare(_metadata, true, MOVE_ADDS3, 64, &LONG);
}

TEST(bulk_long_recv_i32_depth32)
{
	bulk_compare(_metadata, false, MOVE_VMOV, 32, &LONG_RECV);
}

TEST(bulk_long_recv_i16_depth5)
{
	bulk_compare(_metadata, true, MOVE_VMOV, 5, &LONG_RECV);
}

TEST(bulk_long_recv_i32_adds_depth48)
{
	bulk_compare(_metadata, false, MOVE_ADDS3, 48, &LONG_RECV);
}

TEST_HARNESS_MAIN
