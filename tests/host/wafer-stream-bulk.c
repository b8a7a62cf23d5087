// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-stream-bulk.c - the bulk paths of the edge I/O channels
 * (qemu-device/wafer/stream.c): a kernel of CSL's streaming shape, an
 * async fabric-to-memory move of each vector, then a vector send of it
 * plus one back through the channel and its sum, gives the same bytes,
 * modeled cycles, instruction and wavelet counts with the bulk take and
 * send as queue by queue (wafer_stream_bulk(p, 0)), at 1, 2 and 4
 * threads, for 32- and 16-bit data, queue depths 5 and 32, rows that
 * share channels, and streams cut across the vectors. The move is a
 * vmov into contiguous memory (written directly), a vmov with stride 2
 * or a vadds of 3 on the way in (through the chunk buffer and a kernel).
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

#define ROWS	18		/* rows 0 and 16, 1 and 17 share channels */
#define VLEN	24		/* elements a vector */
#define NVEC	7		/* vectors a row */
#define PER	(VLEN * NVEC)	/* elements a row */
#define CUT	50		/* the first stream's elements a row */

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
static struct wb *bulk_kernel(bool half, enum move mv)
{
	const uint8_t t = half ? ISA_T_I16 : ISA_T_I32;
	struct wb *b = wb_new(1, ROWS);
	uint32_t g;

	wb_func(b, "main");
	g = wb_group(b);
	wb_rect(b, 0, 0, 1, ROWS, g);
	wb_route(b, 0, 0, 1, ROWS, CIN, WE, R);
	wb_route(b, 0, 0, 1, ROWS, CECHO, R, WE);
	wb_route(b, 0, 0, 1, ROWS, CSUM, R, WE);
	wb_bss(b, g, BUF, VLEN * 4 * 2);
	wb_entry(b, 0, g, wb_pc(b, g));
	wb_emit(b, g, I_LI(13, BUF));
	wb_emit(b, g, wb_insn(ISA_OP_DMEM, 0, 13, 1, 0, t, 0,
			      mv == MOVE_STRIDE2 ? 2 : 1));
	wb_emit(b, g, wb_insn(ISA_OP_DFAB, 1, 0, 1, 0, t, 0, CIN));
	wb_emit(b, g, wb_insn(ISA_OP_DFAB, 2, 0, 1, 0, t, 0, CECHO));
	emit_move(b, g, t, mv);
	wb_emit(b, g, I_TRET());
	wb_task(b, g, T_GOT, WAFER_TASK_LOCAL, 0, 0, 0, wb_pc(b, g));
	wb_emit(b, g, wb_insn(ISA_OP_VADDS, 2, 0, 0, 0, t, ISA_F_IMM, 1));
	wb_emit(b, g, wb_insn(ISA_OP_VRSUM, 5, 0, 0, 0, t, 0, 0));
	wb_emit(b, g, I_SEND(5, CSUM));
	emit_move(b, g, t, mv);
	wb_emit(b, g, I_TRET());
	return b;
}

/* What a run gives: every segment's stats, and the bytes streamed out. */
struct outcome {
	struct wafer_run_stats st[3];
	uint32_t sums[ROWS * NVEC];
	uint32_t echo[ROWS * PER];	/* 16-bit data: the first half */
};

static int bulk_run(struct __test_metadata *_metadata, bool half, enum move mv,
		    bool bulk, uint32_t threads, uint32_t depth,
		    const uint32_t *in, struct outcome *o)
{
	const unsigned int es = half ? 2 : 4;
	struct wafer *w = wt_wafer(2, ROWS, threads, depth);
	struct wb *b = bulk_kernel(half, mv);
	struct wafer_rect rg = { 0, 0, 1, ROWS };
	uint8_t first[ROWS * CUT * 4], rest[ROWS * (PER - CUT) * 4];
	struct wafer_program *p;
	struct wafer_fault f;
	uint32_t n = VLEN;

	memset(o, 0, sizeof(*o));
	/* Row r's elements [0, CUT) first, then the rest, each row after row. */
	for (uint32_t r = 0; r < ROWS; r++) {
		for (uint32_t j = 0; j < PER; j++) {
			uint8_t *d = j < CUT ? first + (r * CUT + j) * es :
				     rest + (r * (PER - CUT) + j - CUT) * es;

			memcpy(d, &in[r * PER + j], es);
		}
	}
	EXPECT_EQ(0, wafer_load(w, &rg, wb_image(b), &p, &f)) TH_LOG("%s", f.msg);
	wafer_stream_bulk(p, bulk);
	EXPECT_EQ(0, wafer_resident_launch(p, 0, &n, 1, &o->st[0], &f)) TH_LOG("%s", f.msg);
	EXPECT_EQ(0, wafer_stream_in(p, CIN, WAFER_EDGE_WEST, 0, ROWS, es, first,
				     ROWS * CUT, &o->st[1], &f)) TH_LOG("%s", f.msg);
	EXPECT_EQ(0, wafer_stream_in(p, CIN, WAFER_EDGE_WEST, 0, ROWS, es, rest,
				     ROWS * (PER - CUT), &o->st[2], &f)) TH_LOG("%s", f.msg);
	EXPECT_EQ(0, wafer_stream_out(p, CSUM, WAFER_EDGE_WEST, 0, ROWS, 4, o->sums,
				      ROWS * NVEC, NULL, &f)) TH_LOG("%s", f.msg);
	EXPECT_EQ(0, wafer_stream_out(p, CECHO, WAFER_EDGE_WEST, 0, ROWS, es, o->echo,
				      ROWS * PER, NULL, &f)) TH_LOG("%s", f.msg);
	/* Everything was taken: nothing more comes out. */
	EXPECT_EQ(-ETIMEDOUT, wafer_stream_out(p, CECHO, WAFER_EDGE_WEST, 0, 1, es,
					       o->echo + ROWS * PER / 2, 1, NULL, &f));
	wafer_program_free(p);
	wb_free(b);
	wafer_destroy(w);
	return 0;
}

/* The kernel's results, from the input alone. */
static void expect_values(struct __test_metadata *_metadata, bool half,
			  enum move mv, const uint32_t *in,
			  const struct outcome *o)
{
	const uint32_t add = mv == MOVE_ADDS3 ? 3 : 0;

	for (uint32_t r = 0; r < ROWS; r++) {
		for (uint32_t v = 0; v < NVEC; v++) {
			uint32_t sum = 0;

			for (uint32_t k = 0; k < VLEN; k++) {
				uint32_t x = in[r * PER + v * VLEN + k] + add;

				if (half)
					x = (uint16_t)x;

				sum += half ? (uint32_t)(int32_t)(int16_t)x : x;
			}
			if (half)
				sum = (uint32_t)(int32_t)(int16_t)sum;
			ASSERT_EQ(sum, o->sums[r * NVEC + v]) TH_LOG("row %u vector %u", r, v);
		}
		for (uint32_t j = 0; j < PER; j++) {
			uint32_t x = in[r * PER + j] + add, got;

			if (half) {
				uint16_t h;

				memcpy(&h, (const uint8_t *)o->echo + (r * PER + j) * 2, 2);
				got = h;
				x = (uint16_t)(x + 1);
			} else {
				got = o->echo[r * PER + j];
				x++;
			}
			ASSERT_EQ(x, got) TH_LOG("row %u element %u", r, j);
		}
	}
}

static void bulk_compare(struct __test_metadata *_metadata, bool half,
			 enum move mv, uint32_t depth)
{
	static const uint32_t threads[] = { 1, 2, 4 };
	static uint32_t in[ROWS * PER];
	static struct outcome ref, o;

	for (uint32_t i = 0; i < ROWS * PER; i++)
		in[i] = i * 2654435761u ^ (half ? 0x8000 : 0x80000000u);
	/* The reference: one thread, queue by queue. */
	bulk_run(_metadata, half, mv, false, 1, depth, in, &ref);
	expect_values(_metadata, half, mv, in, &ref);
	for (int s = 0; s < 3; s++)
		ASSERT_GT(ref.st[s].cycles, 0);
	for (unsigned int k = 0; k < 3; k++) {
		for (int bulk = 0; bulk < 2; bulk++) {
			bulk_run(_metadata, half, mv, bulk, threads[k], depth, in, &o);
			for (int s = 0; s < 3; s++) {
				EXPECT_EQ(ref.st[s].cycles, o.st[s].cycles)
					TH_LOG("segment %d, %u threads, bulk %d", s, threads[k], bulk);
				EXPECT_EQ(ref.st[s].instructions, o.st[s].instructions);
				EXPECT_EQ(ref.st[s].wavelets, o.st[s].wavelets);
				EXPECT_EQ(ref.st[s].wavelets_dropped, o.st[s].wavelets_dropped);
			}
			EXPECT_EQ(0, memcmp(ref.sums, o.sums, sizeof(o.sums)));
			EXPECT_EQ(0, memcmp(ref.echo, o.echo, sizeof(o.echo)))
				TH_LOG("%u threads, bulk %d", threads[k], bulk);
		}
	}
}

TEST(bulk_i32_depth32)
{
	bulk_compare(_metadata, false, MOVE_VMOV, 32);
}

TEST(bulk_i32_depth5)
{
	bulk_compare(_metadata, false, MOVE_VMOV, 5);
}

TEST(bulk_i16_depth32)
{
	bulk_compare(_metadata, true, MOVE_VMOV, 32);
}

TEST(bulk_i16_depth5)
{
	bulk_compare(_metadata, true, MOVE_VMOV, 5);
}

TEST(bulk_i32_stride2)
{
	bulk_compare(_metadata, false, MOVE_STRIDE2, 32);
}

TEST(bulk_i16_stride2_depth5)
{
	bulk_compare(_metadata, true, MOVE_STRIDE2, 5);
}

TEST(bulk_i32_adds)
{
	bulk_compare(_metadata, false, MOVE_ADDS3, 5);
}

TEST(bulk_i16_adds)
{
	bulk_compare(_metadata, true, MOVE_ADDS3, 32);
}

TEST_HARNESS_MAIN
