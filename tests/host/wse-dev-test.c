// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-dev-test.c - the device model driven through its registers and
 * rings on the host, including everything a hostile guest can write.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "image-elf.h"
#include "wse-dev-harness.h"

#define MESH_W	8
#define MESH_H	6
#define SRAM	WAFER_DEFAULT_SRAM

static const struct wafer_rect whole = { 0, 0, MESH_W, MESH_H };

static void fill_random(void *buf, size_t len, unsigned int seed)
{
	uint8_t *p = buf;
	size_t i;

	srandom(seed);
	for (i = 0; i < len; i++)
		p[i] = random();
}

static uint8_t *pe_sram(struct guest *g, uint32_t x, uint32_t y)
{
	return wse_dev_sram(&g->dev) + ((size_t)y * MESH_W + x) * SRAM;
}

static struct wse_sqe sqe_sram(uint8_t op, uint64_t sgl, uint32_t count,
			       uint16_t x, uint16_t y, uint32_t off, uint64_t len)
{
	struct wse_sqe s = { .opcode = op, .tag = 0x1234, .sgl = sgl,
			     .sgl_count = count };

	s.sram.x = x;
	s.sram.y = y;
	s.sram.offset = off;
	s.sram.length = len;
	return s;
}

FIXTURE(dev) {
	struct guest g;
};

FIXTURE_SETUP(dev)
{
	ASSERT_EQ(guest_init(&self->g, MESH_W, MESH_H), 0);
}

FIXTURE_TEARDOWN(dev)
{
	guest_fini(&self->g);
}

/* The identity registers say what the device was created with. */
TEST_F(dev, identity)
{
	struct guest *g = &self->g;

	EXPECT_EQ(reg_read(g, WSE_REG_ID), WSE_ID_MAGIC);
	EXPECT_EQ(reg_read(g, WSE_REG_VERSION) >> 16, WSE_HW_VERSION_MAJOR);
	EXPECT_EQ(reg_read(g, WSE_REG_MESH), MESH_W | MESH_H << 16);
	EXPECT_EQ(reg_read(g, WSE_REG_SRAM_BYTES), SRAM);
	EXPECT_EQ(reg_read(g, WSE_REG_NUM_QUEUES), 4);
	EXPECT_EQ(reg_read(g, WSE_REG_NUM_WINDOWS), 4);
	EXPECT_EQ(reg_read(g, WSE_REG_STATUS), WSE_STATUS_READY);
	EXPECT_TRUE(reg_read(g, WSE_REG_CAPS) & WSE_CAP_QUEUES);
	/* Unknown registers read as zero and are reported. */
	EXPECT_EQ(reg_read(g, 0x0ffc), 0);
	EXPECT_GT(g->guest_errors, 0);
	/* Writes to read-only registers change nothing. */
	reg_write(g, WSE_REG_MESH, 0);
	EXPECT_EQ(reg_read(g, WSE_REG_MESH), MESH_W | MESH_H << 16);
}

/* A NOP comes back with its tag, status OK and an interrupt. */
TEST_F(dev, nop_round_trip)
{
	struct guest *g = &self->g;
	struct wse_sqe s = { .opcode = WSE_OP_NOP, .tag = 77 };
	struct wse_cqe c;
	int i;

	ASSERT_EQ(queue_setup(g, 0, 3, whole), WSE_QSTATUS_ENABLED);
	/* More than one ring's worth, so the phase flips twice. */
	for (i = 0; i < 20; i++) {
		s.tag = 100 + i;
		ASSERT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
		EXPECT_EQ(c.tag, 100 + i);
	}
	EXPECT_EQ(__atomic_load_n(&g->irqs[1], __ATOMIC_SEQ_CST), 20);
	EXPECT_EQ(reg_read(g, WSE_REG_CNT(WSE_CNT_CMDS_DONE)), 20);
}

/* 1 MiB written across PEs reads back identical and lands where the
 * linear SRAM layout says. */
TEST_F(dev, write_read_round_trip)
{
	struct guest *g = &self->g;
	const uint32_t len = 1 << 20, off = 100;
	uint64_t src = guest_alloc(g, len, 4096), dst = guest_alloc(g, len, 4096);
	struct wafer_rect r = { 1, 1, 6, 4 };
	struct wse_sqe s;
	struct wse_cqe c;
	uint32_t first;

	fill_random(guest_ptr(g, src), len, 1);
	ASSERT_EQ(queue_setup(g, 0, 4, r), WSE_QSTATUS_ENABLED);
	s = sqe_sram(WSE_OP_WRITE, sgl_one(g, src, len), 1, 2, 0, off, len);
	ASSERT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
	EXPECT_EQ(c.result, len);
	s = sqe_sram(WSE_OP_READ, sgl_one(g, dst, len), 1, 2, 0, off, len);
	ASSERT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
	EXPECT_EQ(memcmp(guest_ptr(g, src), guest_ptr(g, dst), len), 0);

	/* Region PE (2,0) is wafer PE (3,1); the bytes after its SRAM go on
	 * to region PE (3,0), then wrap to the next region row. */
	first = SRAM - off;
	EXPECT_EQ(memcmp(pe_sram(g, 3, 1) + off, guest_ptr(g, src), first), 0);
	EXPECT_EQ(memcmp(pe_sram(g, 4, 1), (uint8_t *)guest_ptr(g, src) + first, SRAM), 0);
	EXPECT_EQ(memcmp(pe_sram(g, 1, 2),
			 (uint8_t *)guest_ptr(g, src) + first + 3 * SRAM, SRAM), 0);
	/* Outside the region nothing changed. */
	EXPECT_EQ(pe_sram(g, 0, 1)[SRAM - 1], 0);
	EXPECT_EQ(reg_read(g, WSE_REG_CNT(WSE_CNT_BYTES_H2D)), len);
	EXPECT_EQ(reg_read(g, WSE_REG_CNT(WSE_CNT_BYTES_D2H)), len);
}

/* A list of many small pieces is walked across batch boundaries. */
TEST_F(dev, scatter_gather_pieces)
{
	struct guest *g = &self->g;
	const uint32_t pieces = 200, piece = 300;
	uint64_t list = guest_alloc(g, pieces * sizeof(struct wse_sge), 16);
	struct wse_sge *e = guest_ptr(g, list);
	uint8_t *expect = malloc(pieces * piece);
	struct wse_sqe s;
	struct wse_cqe c;
	uint32_t i;

	for (i = 0; i < pieces; i++) {
		e[i].addr = guest_alloc(g, piece, 8);
		fill_random(guest_ptr(g, e[i].addr), piece, i);
		memcpy(expect + i * piece, guest_ptr(g, e[i].addr), piece);
		e[i].len = piece;
	}
	ASSERT_EQ(queue_setup(g, 0, 2, whole), WSE_QSTATUS_ENABLED);
	s = sqe_sram(WSE_OP_WRITE, list, pieces, 0, 0, 0, pieces * piece);
	ASSERT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
	EXPECT_EQ(memcmp(pe_sram(g, 0, 0), expect, pieces * piece), 0);
	free(expect);
}

/* Bad copies fail alone, change nothing, and the queue keeps working. */
TEST_F(dev, bad_copies)
{
	struct guest *g = &self->g;
	uint64_t buf = guest_alloc(g, 8192, 4096);
	uint64_t sgl = sgl_one(g, buf, 8192);
	struct wafer_rect r = { 0, 0, 2, 2 };
	struct wse_sqe s;
	struct wse_cqe c;

	memset(guest_ptr(g, buf), 0xab, 8192);
	ASSERT_EQ(queue_setup(g, 0, 3, r), WSE_QSTATUS_ENABLED);

	/* Past the region's last byte. */
	s = sqe_sram(WSE_OP_WRITE, sgl, 1, 1, 1, SRAM - 4096, 8192);
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OUT_OF_REGION);
	/* PE outside the region, offset outside the SRAM. */
	s = sqe_sram(WSE_OP_WRITE, sgl, 1, 2, 0, 0, 16);
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OUT_OF_REGION);
	s = sqe_sram(WSE_OP_WRITE, sgl, 1, 0, 0, SRAM, 16);
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OUT_OF_REGION);
	/* Zero and oversize lengths. */
	s = sqe_sram(WSE_OP_WRITE, sgl, 1, 0, 0, 0, 0);
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_FIELD);
	s = sqe_sram(WSE_OP_WRITE, sgl, 1, 0, 0, 0, 1ull << 40);
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_TOO_LARGE);
	/* Reserved fields. */
	s = sqe_sram(WSE_OP_WRITE, sgl, 1, 0, 0, 0, 16);
	s.flags = 1;
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_FIELD);
	s = sqe_sram(WSE_OP_WRITE, sgl, 1, 0, 0, 0, 16);
	s.sram.rsvd[23] = 1;
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_FIELD);
	s = (struct wse_sqe){ .opcode = WSE_OP_NOP, .sgl = sgl };
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_FIELD);
	/* Unknown opcode. */
	s = (struct wse_sqe){ .opcode = 0x7f };
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_OPCODE);
	/* LAUNCH before LOAD. */
	s = (struct wse_sqe){ .opcode = WSE_OP_LAUNCH };
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_NO_PROGRAM);

	/* Nothing reached the SRAM. */
	EXPECT_EQ(pe_sram(g, 0, 0)[0], 0);
	EXPECT_EQ(pe_sram(g, 1, 1)[SRAM - 1], 0);
	/* And the queue still works. */
	s = sqe_sram(WSE_OP_WRITE, sgl, 1, 0, 0, 0, 16);
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
	EXPECT_EQ(pe_sram(g, 0, 0)[15], 0xab);
	EXPECT_EQ(reg_read(g, WSE_REG_CNT(WSE_CNT_CMDS_FAILED)), 10);
}

/* Hostile scatter-gather lists. */
TEST_F(dev, bad_scatter_gather)
{
	struct guest *g = &self->g;
	uint64_t buf = guest_alloc(g, 4096, 4096);
	uint64_t list = guest_alloc(g, 4 * sizeof(struct wse_sge), 16);
	struct wse_sge *e = guest_ptr(g, list);
	struct wse_sqe s;
	struct wse_cqe c;

	ASSERT_EQ(queue_setup(g, 0, 3, whole), WSE_QSTATUS_ENABLED);
	/* Misaligned list, empty list, a count beyond the maximum. */
	s = sqe_sram(WSE_OP_WRITE, list + 8, 1, 0, 0, 0, 64);
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_SGL);
	s = sqe_sram(WSE_OP_WRITE, list, 0, 0, 0, 0, 64);
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_SGL);
	s = sqe_sram(WSE_OP_WRITE, list, WSE_MAX_SGL + 1, 0, 0, 0, 64);
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_SGL);
	/* A list shorter than the copy. */
	e[0] = (struct wse_sge){ .addr = buf, .len = 32 };
	s = sqe_sram(WSE_OP_WRITE, list, 1, 0, 0, 0, 64);
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_SGL);
	/* A zero-length entry, reserved bits, a wrapping address. */
	e[0] = (struct wse_sge){ .addr = buf, .len = 0 };
	s = sqe_sram(WSE_OP_WRITE, list, 1, 0, 0, 0, 64);
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_SGL);
	e[0] = (struct wse_sge){ .addr = buf, .len = 64, .rsvd = 1 };
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_SGL);
	e[0] = (struct wse_sge){ .addr = ~0ull - 8, .len = 64 };
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_SGL);
	/* Data outside guest RAM, and the list itself outside guest RAM. */
	e[0] = (struct wse_sge){ .addr = 0x10, .len = 64 };
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_DMA_ERROR);
	s = sqe_sram(WSE_OP_WRITE, 1ull << 45, 1, 0, 0, 0, 64);
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_DMA_ERROR);
	/* A huge count is fine when the first entries cover the copy: the
	 * device reads no further than it needs. */
	e[0] = (struct wse_sge){ .addr = buf, .len = 64 };
	s = sqe_sram(WSE_OP_WRITE, list, WSE_MAX_SGL, 0, 0, 0, 64);
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
}

/* Queue configurations the device must refuse. */
TEST_F(dev, bad_queue_config)
{
	struct guest *g = &self->g;
	const uint32_t err_cfg = WSE_QSTATUS_ERROR | WSE_QERR_BAD_CONFIG << 8;
	struct wafer_rect off_mesh = { 4, 0, 5, 1 }, empty = { 0, 0, 0, 1 };

	EXPECT_EQ(queue_setup(g, 0, 1, whole), err_cfg);	/* size too small */
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), 0);		/* clears it */
	EXPECT_EQ(reg_read(g, WSE_REG_Q(0, WSE_Q_STATUS)), 0);
	EXPECT_EQ(queue_setup(g, 0, 13, whole), err_cfg);	/* too big */
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), 0);
	EXPECT_EQ(queue_setup(g, 0, 2, off_mesh), err_cfg);
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), 0);
	/* An empty region is fine, but only for NOP and FENCE. */
	EXPECT_EQ(queue_setup(g, 0, 2, empty), WSE_QSTATUS_ENABLED);
	{
		struct wse_sqe s = { .opcode = WSE_OP_NOP };
		uint64_t buf = guest_alloc(g, 64, 64);
		struct wse_cqe c;

		EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
		s = sqe_sram(WSE_OP_WRITE, sgl_one(g, buf, 64), 1, 0, 0, 0, 64);
		EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OUT_OF_REGION);
	}
	/* It overlaps nothing. */
	EXPECT_EQ(queue_setup(g, 1, 2, whole), WSE_QSTATUS_ENABLED);
	reg_write(g, WSE_REG_Q(1, WSE_Q_CTRL), 0);
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), 0);

	/* Misaligned ring and a vector the device does not have. */
	queue_setup(g, 0, 2, whole);
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), 0);
	reg_write(g, WSE_REG_Q(0, WSE_Q_SQ_BASE_LO), g->q[0].sq + 64);
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), WSE_QCTRL_ENABLE);
	EXPECT_EQ(reg_read(g, WSE_REG_Q(0, WSE_Q_STATUS)), err_cfg);
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), 0);
	reg_write(g, WSE_REG_Q(0, WSE_Q_SQ_BASE_LO), g->q[0].sq);
	reg_write(g, WSE_REG_Q(0, WSE_Q_VECTOR), 99);
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), WSE_QCTRL_ENABLE);
	EXPECT_EQ(reg_read(g, WSE_REG_Q(0, WSE_Q_STATUS)), err_cfg);
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), 0);
}

/* Two enabled queues can never share PEs. */
TEST_F(dev, regions_do_not_overlap)
{
	struct guest *g = &self->g;
	struct wafer_rect a = { 0, 0, 4, 4 }, b = { 3, 3, 2, 2 }, c = { 4, 0, 4, 6 };

	ASSERT_EQ(queue_setup(g, 0, 2, a), WSE_QSTATUS_ENABLED);
	EXPECT_EQ(queue_setup(g, 1, 2, b), WSE_QSTATUS_ERROR | WSE_QERR_BAD_CONFIG << 8);
	reg_write(g, WSE_REG_Q(1, WSE_Q_CTRL), 0);
	EXPECT_EQ(queue_setup(g, 1, 2, c), WSE_QSTATUS_ENABLED);
	/* Once queue 0 is gone, its PEs are free again. */
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), 0);
	reg_write(g, WSE_REG_Q(1, WSE_Q_CTRL), 0);
	EXPECT_EQ(queue_setup(g, 1, 2, b), WSE_QSTATUS_ENABLED);
}

/* A submission ring outside guest RAM stops the queue with SQ_DMA and
 * signals the event vector; disabling recovers. */
TEST_F(dev, hostile_sq_base)
{
	struct guest *g = &self->g;
	struct wse_sqe s = { .opcode = WSE_OP_NOP };
	struct wse_cqe c;

	queue_setup(g, 0, 2, whole);
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), 0);
	reg_write(g, WSE_REG_Q(0, WSE_Q_SQ_BASE_HI), 0x100);
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), WSE_QCTRL_ENABLE);
	ASSERT_EQ(reg_read(g, WSE_REG_Q(0, WSE_Q_STATUS)), WSE_QSTATUS_ENABLED);
	reg_write(g, WSE_REG_Q(0, WSE_Q_SQ_TAIL), 1);
	ASSERT_TRUE(queue_wait_status(g, 0, WSE_QSTATUS_ERROR, WSE_QSTATUS_ERROR, 5000));
	EXPECT_EQ(WSE_QSTATUS_CODE(reg_read(g, WSE_REG_Q(0, WSE_Q_STATUS))),
		  WSE_QERR_SQ_DMA);
	EXPECT_TRUE(reg_read(g, WSE_REG_EVENT) & WSE_EVENT_QUEUE_ERROR);
	EXPECT_GE(__atomic_load_n(&g->irqs[0], __ATOMIC_SEQ_CST), 1);
	/* Doorbells are ignored in the error state. */
	reg_write(g, WSE_REG_Q(0, WSE_Q_SQ_TAIL), 2);
	EXPECT_EQ(reg_read(g, WSE_REG_Q(0, WSE_Q_SQ_HEAD)), 0);
	reg_write(g, WSE_REG_EVENT, WSE_EVENT_QUEUE_ERROR);
	EXPECT_EQ(reg_read(g, WSE_REG_EVENT), 0);

	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), 0);
	ASSERT_EQ(queue_setup(g, 0, 2, whole), WSE_QSTATUS_ENABLED);
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
}

/* A completion ring outside RAM, and a doorbell beyond the ring. */
TEST_F(dev, hostile_cq_and_doorbell)
{
	struct guest *g = &self->g;

	queue_setup(g, 0, 2, whole);
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), 0);
	reg_write(g, WSE_REG_Q(0, WSE_Q_CQ_BASE_LO), 0x1000);
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), WSE_QCTRL_ENABLE);
	reg_write(g, WSE_REG_Q(0, WSE_Q_SQ_TAIL), 1);
	ASSERT_TRUE(queue_wait_status(g, 0, WSE_QSTATUS_ERROR, WSE_QSTATUS_ERROR, 5000));
	EXPECT_EQ(WSE_QSTATUS_CODE(reg_read(g, WSE_REG_Q(0, WSE_Q_STATUS))),
		  WSE_QERR_CQ_DMA);
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), 0);

	ASSERT_EQ(queue_setup(g, 1, 2, whole), WSE_QSTATUS_ENABLED);
	reg_write(g, WSE_REG_Q(1, WSE_Q_SQ_TAIL), 4);
	EXPECT_EQ(reg_read(g, WSE_REG_Q(1, WSE_Q_STATUS)),
		  WSE_QSTATUS_ENABLED | WSE_QSTATUS_ERROR | WSE_QERR_BAD_DOORBELL << 8);
	reg_write(g, WSE_REG_Q(1, WSE_Q_CTRL), 0);
	ASSERT_EQ(queue_setup(g, 1, 2, whole), WSE_QSTATUS_ENABLED);
	reg_write(g, WSE_REG_Q(1, WSE_Q_CQ_HEAD), 0xffffffff);
	EXPECT_EQ(WSE_QSTATUS_CODE(reg_read(g, WSE_REG_Q(1, WSE_Q_STATUS))),
		  WSE_QERR_BAD_DOORBELL);
}

/* The device never overwrites a completion the driver has not consumed. */
TEST_F(dev, completion_back_pressure)
{
	struct guest *g = &self->g;
	struct wse_sqe s = { .opcode = WSE_OP_NOP };
	volatile struct wse_cqe *cq;
	struct wse_cqe c;
	int i;

	ASSERT_EQ(queue_setup(g, 0, 2, whole), WSE_QSTATUS_ENABLED);
	cq = guest_ptr(g, g->q[0].cq);
	for (i = 0; i < 3; i++) {
		s.tag = i;
		queue_submit(g, 0, &s);
	}
	ASSERT_TRUE(queue_wait_status(g, 0, WSE_QSTATUS_BUSY, 0, 1000));
	while (reg_read(g, WSE_REG_Q(0, WSE_Q_SQ_HEAD)) != 3)
		usleep(1000);
	/* The SQ is free again: three more, but only one CQ slot is left
	 * and using it would make the ring look empty. */
	for (i = 3; i < 6; i++) {
		s.tag = i;
		queue_submit(g, 0, &s);
	}
	usleep(100 * 1000);
	EXPECT_EQ(cq[3].phase, 0);
	for (i = 0; i < 6; i++) {
		ASSERT_TRUE(queue_reap(g, 0, &c, 5000));
		EXPECT_EQ(c.tag, i);
	}
}

/* The completion of the entry at ring slot i, if the device posted it. */
static bool posted(struct guest *g, unsigned int q, uint32_t i,
		   struct wse_cqe *c)
{
	volatile struct wse_cqe *slot = guest_ptr(g, g->q[q].cq +
						  (uint64_t)i * WSE_CQE_SIZE);

	if (!(slot->phase & WSE_CQE_PHASE))
		return false;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	memcpy(c, (const void *)slot, sizeof(*c));
	return true;
}

/*
 * Short entries that find the worker idle run in the doorbell write
 * itself: their completion and interrupt are there when it returns,
 * failures included (a bad entry is reported as the worker would).
 */
TEST_F(dev, short_entries_complete_in_the_doorbell)
{
	struct guest *g = &self->g;
	uint64_t dst = guest_alloc(g, 4096, 4096);
	struct wse_sqe s = { .opcode = WSE_OP_NOP, .tag = 1 };
	unsigned int errors;
	struct wse_cqe c;

	ASSERT_EQ(queue_setup(g, 0, 3, whole), WSE_QSTATUS_ENABLED);
	fill_random(pe_sram(g, 1, 0), 64, 5);
	queue_submit(g, 0, &s);
	ASSERT_TRUE(posted(g, 0, 0, &c));
	EXPECT_EQ(c.tag, 1);
	EXPECT_EQ(c.status, WSE_CQE_OK);
	EXPECT_EQ(c.sq_head, 1);
	EXPECT_EQ(__atomic_load_n(&g->irqs[1], __ATOMIC_SEQ_CST), 1);

	s = sqe_sram(WSE_OP_READ, sgl_one(g, dst, 64), 1, 1, 0, 0, 64);
	s.tag = 2;
	queue_submit(g, 0, &s);
	ASSERT_TRUE(posted(g, 0, 1, &c));
	EXPECT_EQ(c.tag, 2);
	EXPECT_EQ(c.status, WSE_CQE_OK);
	EXPECT_EQ(c.result, 64);
	EXPECT_EQ(memcmp(guest_ptr(g, dst), pe_sram(g, 1, 0), 64), 0);

	/* Bad entries fail inline with the worker's status and report. */
	errors = g->guest_errors;
	s = (struct wse_sqe){ .opcode = WSE_OP_NOP, .tag = 3, .rsvd1 = 1 };
	queue_submit(g, 0, &s);
	ASSERT_TRUE(posted(g, 0, 2, &c));
	EXPECT_EQ(c.tag, 3);
	EXPECT_EQ(c.status, WSE_CQE_BAD_FIELD);
	s = (struct wse_sqe){ .opcode = 0x3f, .tag = 4 };
	queue_submit(g, 0, &s);
	ASSERT_TRUE(posted(g, 0, 3, &c));
	EXPECT_EQ(c.status, WSE_CQE_BAD_OPCODE);
	/* A READ whose list is outside guest RAM: a DMA error, inline. */
	s = sqe_sram(WSE_OP_READ, 0x10, 1, 0, 0, 0, 64);
	s.tag = 5;
	queue_submit(g, 0, &s);
	ASSERT_TRUE(posted(g, 0, 4, &c));
	EXPECT_EQ(c.status, WSE_CQE_DMA_ERROR);
	EXPECT_EQ(g->guest_errors, errors + 3);
	EXPECT_EQ(reg_read(g, WSE_REG_CNT(WSE_CNT_CMDS_FAILED)), 3);
	EXPECT_EQ(reg_read(g, WSE_REG_CNT(WSE_CNT_CMDS_DONE)), 5);
	EXPECT_EQ(__atomic_load_n(&g->irqs[1], __ATOMIC_SEQ_CST), 5);
	/* The queue is fine: the failures were the commands'. */
	EXPECT_EQ(reg_read(g, WSE_REG_Q(0, WSE_Q_STATUS)), WSE_QSTATUS_ENABLED);
}

/*
 * A short entry rung while the worker runs a command does not overtake
 * it: the NOP and the READ behind a WRITE that is held in the middle
 * complete after it, in ring order, and the READ sees what it wrote.
 */
TEST_F(dev, short_entries_keep_ring_order)
{
	struct guest *g = &self->g;
	const uint32_t len = 1 << 20, at = 900 * 1024;
	uint64_t src = guest_alloc(g, len, 4096), dst = guest_alloc(g, 64, 64);
	struct wse_sqe s;
	struct wse_cqe c;
	uint32_t pe = at / SRAM;
	int i;

	fill_random(guest_ptr(g, src), len, 9);
	ASSERT_EQ(queue_setup(g, 0, 3, whole), WSE_QSTATUS_ENABLED);
	/* Held in its third region row (rows are 8 PEs, 384 KiB). */
	g->hold_gpa = src + 800 * 1024;
	s = sqe_sram(WSE_OP_WRITE, sgl_one(g, src, len), 1, 0, 0, 0, len);
	s.tag = 1;
	queue_submit(g, 0, &s);
	while (!__atomic_load_n(&g->held, __ATOMIC_SEQ_CST))
		usleep(1000);
	s = (struct wse_sqe){ .opcode = WSE_OP_NOP, .tag = 2 };
	queue_submit(g, 0, &s);
	s = sqe_sram(WSE_OP_READ, sgl_one(g, dst, 64), 1, pe % MESH_W,
		     pe / MESH_W, at % SRAM, 64);
	s.tag = 3;
	queue_submit(g, 0, &s);
	/* Nothing can have completed: the WRITE is still held. */
	for (i = 0; i < 3; i++)
		EXPECT_FALSE(posted(g, 0, i, &c));

	__atomic_store_n(&g->release, 1, __ATOMIC_SEQ_CST);
	for (i = 1; i <= 3; i++) {
		ASSERT_TRUE(queue_reap(g, 0, &c, 5000));
		EXPECT_EQ(c.tag, i);
		EXPECT_EQ(c.status, WSE_CQE_OK);
	}
	g->hold_gpa = 0;
	EXPECT_EQ(memcmp(guest_ptr(g, dst), (uint8_t *)guest_ptr(g, src) + at, 64), 0);

	/* The worker gave the queue back: short entries run inline again. */
	ASSERT_TRUE(queue_wait_status(g, 0, WSE_QSTATUS_BUSY, 0, 5000));
	s = (struct wse_sqe){ .opcode = WSE_OP_NOP, .tag = 4 };
	queue_submit(g, 0, &s);
	ASSERT_TRUE(posted(g, 0, 3, &c));
	EXPECT_EQ(c.tag, 4);
}

/* Rectangle copies: row- and column-major, 16 and 32-bit, broadcasts,
 * checked element by element against the SRAM. */
TEST_F(dev, rect_copies)
{
	struct guest *g = &self->g;
	struct wafer_rect r = { 2, 1, 5, 4 };
	const uint32_t w = 3, h = 2, x = 2, y = 2, epp = 5, addr = 0x400;
	uint64_t host = guest_alloc(g, 4096, 4096), back = guest_alloc(g, 4096, 4096);
	unsigned int order, eb, bcast;
	struct wse_sqe s;
	struct wse_cqe c;

	ASSERT_EQ(queue_setup(g, 0, 3, r), WSE_QSTATUS_ENABLED);
	for (order = 0; order < 2; order++)
	for (eb = 2; eb <= 4; eb += 2)
	for (bcast = 0; bcast < 3; bcast++) {
		uint32_t n = bcast == 0 ? w * h * epp : bcast == 1 ? h * epp : w * epp;
		uint8_t *hp = guest_ptr(g, host);
		uint32_t pr, pc, e;

		fill_random(hp, n * eb, order * 10 + eb + bcast);
		s = (struct wse_sqe){ .opcode = WSE_OP_H2D, .sgl = sgl_one(g, host, n * eb),
				      .sgl_count = 1 };
		s.rect.x = x;
		s.rect.y = y;
		s.rect.w = w;
		s.rect.h = h;
		s.rect.addr = addr;
		s.rect.elem_per_pe = epp;
		s.rect.elem_bytes = eb;
		s.rect.order = order;
		s.rect.bcast = bcast;
		ASSERT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
		EXPECT_EQ(c.result, n * eb);
		for (pr = 0; pr < h; pr++)
		for (pc = 0; pc < w; pc++)
		for (e = 0; e < epp; e++) {
			uint64_t i;

			if (bcast == 1)
				i = order ? pr + e * h : pr * epp + e;
			else if (bcast == 2)
				i = order ? pc + e * w : pc * epp + e;
			else
				i = order ? pr + pc * h + e * h * w : (pr * w + pc) * epp + e;
			ASSERT_EQ(memcmp(pe_sram(g, r.x + x + pc, r.y + y + pr) + addr + e * eb,
					 hp + i * eb, eb), 0) {
				TH_LOG("order %u eb %u bcast %u PE (%u,%u) e %u", order, eb,
				       bcast, pc, pr, e);
			}
		}
		if (bcast)
			continue;
		/* And back, in the same order. */
		s.opcode = WSE_OP_D2H;
		s.sgl = sgl_one(g, back, n * eb);
		memset(guest_ptr(g, back), 0, n * eb);
		ASSERT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
		EXPECT_EQ(memcmp(guest_ptr(g, back), hp, n * eb), 0);
	}
	/* At the region's edge: fine; one past it: refused. */
	s.rect.x = 5 - w;
	s.rect.y = 4 - h;
	ASSERT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
	s.rect.x = 5 - w + 1;
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OUT_OF_REGION);
	s.rect.x = 0;
	s.rect.addr = SRAM - 8;
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OUT_OF_REGION);
	s.rect.addr = 2;
	s.rect.elem_bytes = 4;
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_FIELD);
	s.rect.addr = 0;
	s.rect.elem_bytes = 3;
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_FIELD);
	s.rect.elem_bytes = 4;
	s.opcode = WSE_OP_D2H;
	s.sgl = sgl_one(g, back, 4096);
	s.rect.bcast = 1;		/* D2H cannot broadcast */
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_FIELD);
	s.rect.bcast = 0;
	s.rect.elem_per_pe = 0;
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_FIELD);
}

static long proc_status_kib(const char *field)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)))
			v = strtol(line + strlen(field), NULL, 10);
	fclose(f);
	return v;
}

static struct wse_sqe sqe_rect(uint8_t op, uint64_t sgl, uint32_t count,
			       uint16_t w, uint16_t h, uint32_t epp,
			       uint8_t order, uint8_t bcast)
{
	struct wse_sqe s = { .opcode = op, .sgl = sgl, .sgl_count = count };

	s.rect.w = w;
	s.rect.h = h;
	s.rect.elem_per_pe = epp;
	s.rect.elem_bytes = 4;
	s.rect.order = order;
	s.rect.bcast = bcast;
	return s;
}

/*
 * Rectangle copies through the bounce buffer stream in bounded pieces:
 * arrays of several pieces land where host_index says, in every order
 * and broadcast; and 16 MiB read back through SG entries that all name
 * one guest page costs the host no 16 MiB (before: a bounce buffer of
 * the whole array per command, 16 queues x MAX_XFER from 4 KiB).
 */
TEST(rect_copies_stream_in_bounded_memory)
{
	const uint32_t W = 32, H = 16, big_epp = 8192;
	const struct wafer_rect all = { 0, 0, W, H };
	struct guest *g = malloc(sizeof(*g));
	uint64_t page, list, host, back;
	unsigned int order, bcast, i;
	long rss0, hwm;
	struct wse_sge *e;
	struct wse_sqe s;
	struct wse_cqe c;
	FILE *f;

	ASSERT_NE(g, NULL);
	ASSERT_EQ(guest_init_xfer(g, W, H, 32 << 20), 0);
	ASSERT_EQ(queue_setup(g, 0, 3, all), WSE_QSTATUS_ENABLED);
	host = guest_alloc(g, 1 << 20, 4096);
	back = guest_alloc(g, 1 << 20, 4096);
	for (order = 0; order < 2; order++)
	for (bcast = 0; bcast < 3; bcast++) {
		uint32_t epp = bcast ? 2048 : 200;	/* 128-256 KiB */
		uint32_t n = bcast == 0 ? W * H * epp : bcast == 1 ? H * epp : W * epp;
		uint32_t *hp = guest_ptr(g, host);
		uint32_t pr, pc, k;

		fill_random(hp, n * 4, 77 + order * 3 + bcast);
		s = sqe_rect(WSE_OP_H2D, sgl_one(g, host, n * 4), 1, W, H, epp,
			     order, bcast);
		ASSERT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
		for (pr = 0; pr < H; pr++)
		for (pc = 0; pc < W; pc++)
		for (k = 0; k < epp; k += 37) {
			uint64_t idx = bcast == 1 ? (order ? pr + k * H : pr * epp + k) :
				       bcast == 2 ? (order ? pc + k * W : pc * epp + k) :
				       order ? pr + pc * H + (uint64_t)k * H * W :
				       ((uint64_t)pr * W + pc) * epp + k;
			uint32_t v;

			memcpy(&v, wse_dev_sram(&g->dev) +
			       ((size_t)pr * W + pc) * SRAM + k * 4, 4);
			ASSERT_EQ(v, hp[idx]) {
				TH_LOG("order %u bcast %u PE (%u,%u) e %u", order,
				       bcast, pc, pr, k);
			}
		}
		if (bcast)
			continue;
		memset(guest_ptr(g, back), 0, n * 4);
		s.opcode = WSE_OP_D2H;
		s.sgl = sgl_one(g, back, n * 4);
		ASSERT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
		EXPECT_EQ(memcmp(guest_ptr(g, back), hp, n * 4), 0);
	}

	/* 16 MiB column-major D2H into one 4 KiB page, 4096 times over. */
	page = guest_alloc(g, 4096, 4096);
	list = guest_alloc(g, 4096 * sizeof(*e), 16);
	e = guest_ptr(g, list);
	for (i = 0; i < 4096; i++)
		e[i] = (struct wse_sge){ .addr = page, .len = 4096 };
	s = sqe_rect(WSE_OP_D2H, list, 4096, W, H, big_epp, WSE_ORDER_COL_MAJOR, 0);
	/* Reset the peak RSS ("5" to clear_refs) so VmHWM measures this. */
	f = fopen("/proc/self/clear_refs", "w");
	ASSERT_NE(f, NULL);
	fputs("5", f);
	ASSERT_EQ(fclose(f), 0);
	rss0 = proc_status_kib("VmRSS:");
	ASSERT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
	EXPECT_EQ(c.result, (uint64_t)W * H * big_epp * 4);
	hwm = proc_status_kib("VmHWM:");
	ASSERT_GT(rss0, 0);
	EXPECT_LT(hwm - rss0, 4096) {
		TH_LOG("peak RSS grew by %ld KiB for a 16 MiB copy", hwm - rss0);
	}
	guest_fini(g);
	free(g);
}

/* MAX_XFER and MAX_IMAGE are bounded: an image larger than the parser
 * takes, or a copy limit past 1 GiB, is a configuration error. */
TEST(limits_are_bounded)
{
	struct wse_dev_config cfg = {
		.mesh_width = 4, .mesh_height = 4, .sram_bytes = SRAM,
		.num_queues = 1, .num_windows = 1, .window_size = 1 << 20,
		.num_vectors = 2, .wafer_threads = 1,
		.max_xfer = WSE_MAX_XFER_LIMIT, .max_image = WSE_IMAGE_MAX_BYTES,
	};
	static const struct wse_dev_ops ops;
	struct wse_dev *d = malloc(sizeof(*d));
	char err[256];

	ASSERT_NE(d, NULL);
	ASSERT_EQ(wse_dev_init(d, &cfg, &ops, NULL, err, sizeof(err)), 0);
	wse_dev_fini(d);
	cfg.max_image = WSE_IMAGE_MAX_BYTES + 4096;
	EXPECT_EQ(wse_dev_init(d, &cfg, &ops, NULL, err, sizeof(err)), -EINVAL);
	EXPECT_NE(strstr(err, "max-image"), NULL);
	cfg.max_image = 1 << 20;
	cfg.max_xfer = WSE_MAX_XFER_LIMIT + 4096u;
	EXPECT_EQ(wse_dev_init(d, &cfg, &ops, NULL, err, sizeof(err)), -EINVAL);
	EXPECT_NE(strstr(err, "max-xfer"), NULL);
	free(d);
}

/*
 * SRAM the caller provides (QEMU's own RAM region) is used as it is and
 * outlives the device: windows aliasing it stay valid until QEMU
 * finalizes the region, after the device's exit.
 */
TEST(caller_sram_outlives_the_device)
{
	const size_t bytes = 4 * 4 * SRAM;
	struct wse_dev_config cfg = {
		.mesh_width = 4, .mesh_height = 4, .sram_bytes = SRAM,
		.num_queues = 1, .num_windows = 1, .window_size = 1 << 20,
		.num_vectors = 2, .wafer_threads = 1,
		.max_xfer = 1 << 20, .max_image = 1 << 20,
	};
	static const struct wse_dev_ops ops;
	struct wse_dev *d = malloc(sizeof(*d));
	char err[256];
	uint8_t *mem;

	ASSERT_NE(d, NULL);
	mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(mem, MAP_FAILED);
	cfg.sram = mem;
	ASSERT_EQ(wse_dev_init(d, &cfg, &ops, NULL, err, sizeof(err)), 0);
	EXPECT_EQ(wse_dev_sram(d), mem);
	EXPECT_EQ(wse_dev_sram_size(d), bytes);
	wse_dev_fini(d);
	mem[bytes - 1] = 1;		/* still mapped */
	EXPECT_EQ(munmap(mem, bytes), 0);
	cfg.sram = mem + 1;		/* not page aligned */
	EXPECT_EQ(wse_dev_init(d, &cfg, &ops, NULL, err, sizeof(err)), -EINVAL);
	free(d);
}

/* Window slots map what the registers say, refuse what leaves the SRAM. */
TEST_F(dev, windows)
{
	struct guest *g = &self->g;

	reg_write(g, WSE_REG_W(1, WSE_W_PE_XY), 2 | 3 << 16);
	reg_write(g, WSE_REG_W(1, WSE_W_OFFSET), 8192);
	reg_write(g, WSE_REG_W(1, WSE_W_LENGTH), 3 * SRAM);
	reg_write(g, WSE_REG_W(1, WSE_W_CTRL), WSE_WCTRL_ENABLE | WSE_WCTRL_READONLY);
	EXPECT_EQ(reg_read(g, WSE_REG_W(1, WSE_W_STATUS)), WSE_WSTATUS_ACTIVE);
	EXPECT_TRUE(g->windows[1].enabled);
	EXPECT_EQ(g->windows[1].offset, (3ull * MESH_W + 2) * SRAM + 8192);
	EXPECT_EQ(g->windows[1].len, 3 * SRAM);
	EXPECT_TRUE(g->windows[1].readonly);

	/* Misaligned offset: refused, slot dark. */
	reg_write(g, WSE_REG_W(1, WSE_W_OFFSET), 100);
	reg_write(g, WSE_REG_W(1, WSE_W_CTRL), WSE_WCTRL_ENABLE);
	EXPECT_EQ(reg_read(g, WSE_REG_W(1, WSE_W_STATUS)), WSE_WSTATUS_ERROR);
	EXPECT_FALSE(g->windows[1].enabled);
	/* Past the last PE's SRAM, bigger than a slot, PE off the mesh. */
	reg_write(g, WSE_REG_W(1, WSE_W_PE_XY), (MESH_W - 1) | (MESH_H - 1) << 16);
	reg_write(g, WSE_REG_W(1, WSE_W_OFFSET), 0);
	reg_write(g, WSE_REG_W(1, WSE_W_LENGTH), 2 * SRAM);
	reg_write(g, WSE_REG_W(1, WSE_W_CTRL), WSE_WCTRL_ENABLE);
	EXPECT_EQ(reg_read(g, WSE_REG_W(1, WSE_W_STATUS)), WSE_WSTATUS_ERROR);
	reg_write(g, WSE_REG_W(1, WSE_W_PE_XY), 0);
	reg_write(g, WSE_REG_W(1, WSE_W_LENGTH), 2 << 20);
	reg_write(g, WSE_REG_W(1, WSE_W_CTRL), WSE_WCTRL_ENABLE);
	EXPECT_EQ(reg_read(g, WSE_REG_W(1, WSE_W_STATUS)), WSE_WSTATUS_ERROR);
	reg_write(g, WSE_REG_W(1, WSE_W_PE_XY), MESH_W);
	reg_write(g, WSE_REG_W(1, WSE_W_LENGTH), 4096);
	reg_write(g, WSE_REG_W(1, WSE_W_CTRL), WSE_WCTRL_ENABLE);
	EXPECT_EQ(reg_read(g, WSE_REG_W(1, WSE_W_STATUS)), WSE_WSTATUS_ERROR);

	/* Reset darkens every slot. */
	reg_write(g, WSE_REG_W(0, WSE_W_LENGTH), 4096);
	reg_write(g, WSE_REG_W(0, WSE_W_CTRL), WSE_WCTRL_ENABLE);
	EXPECT_TRUE(g->windows[0].enabled);
	reg_write(g, WSE_REG_RESET, WSE_RESET_MAGIC);
	EXPECT_FALSE(g->windows[0].enabled);
	EXPECT_EQ(reg_read(g, WSE_REG_W(0, WSE_W_CTRL)), 0);
}

/* Reset stops queues, zeroes SRAM and counters but counts itself. */
TEST_F(dev, reset)
{
	struct guest *g = &self->g;
	uint64_t buf = guest_alloc(g, 4096, 4096);
	struct wse_sqe s;
	struct wse_cqe c;

	memset(guest_ptr(g, buf), 0x5a, 4096);
	ASSERT_EQ(queue_setup(g, 0, 2, whole), WSE_QSTATUS_ENABLED);
	s = sqe_sram(WSE_OP_WRITE, sgl_one(g, buf, 4096), 1, 0, 0, 0, 4096);
	ASSERT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
	ASSERT_EQ(pe_sram(g, 0, 0)[0], 0x5a);

	reg_write(g, WSE_REG_RESET, 1);		/* not the magic: ignored */
	EXPECT_EQ(reg_read(g, WSE_REG_Q(0, WSE_Q_STATUS)), WSE_QSTATUS_ENABLED);
	reg_write(g, WSE_REG_RESET, WSE_RESET_MAGIC);
	EXPECT_EQ(reg_read(g, WSE_REG_Q(0, WSE_Q_STATUS)), 0);
	EXPECT_EQ(reg_read(g, WSE_REG_Q(0, WSE_Q_SIZE)), 0);
	EXPECT_EQ(pe_sram(g, 0, 0)[0], 0);
	EXPECT_EQ(reg_read(g, WSE_REG_CNT(WSE_CNT_CMDS_DONE)), 0);
	EXPECT_EQ(reg_read(g, WSE_REG_CNT(WSE_CNT_RESETS)), 1);
	EXPECT_TRUE(reg_read(g, WSE_REG_EVENT) & WSE_EVENT_RESET_DONE);
	EXPECT_EQ(reg_read(g, WSE_REG_STATUS), WSE_STATUS_READY);
	ASSERT_EQ(queue_setup(g, 0, 2, whole), WSE_QSTATUS_ENABLED);
	s = (struct wse_sqe){ .opcode = WSE_OP_NOP };
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
}

/* LOAD refuses what the image parser refuses. */
TEST_F(dev, load_bad_images)
{
	struct guest *g = &self->g;
	uint64_t buf = guest_alloc(g, 4096, 4096);
	struct wse_sqe s;
	struct wse_cqe c;

	ASSERT_EQ(queue_setup(g, 0, 2, whole), WSE_QSTATUS_ENABLED);
	memcpy(guest_ptr(g, buf), "\177ELF garbage", 12);
	s = (struct wse_sqe){ .opcode = WSE_OP_LOAD, .sgl = sgl_one(g, buf, 4096),
			      .sgl_count = 1 };
	s.load.length = 4096;
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_IMAGE);
	EXPECT_EQ(c.reason, WAFER_ERR_BAD_IMAGE);
	s.load.length = 2 << 20;
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_TOO_LARGE);
	s.load.length = 0;
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_FIELD);
}

TEST_HARNESS_MAIN
