/*
 * QTest for the wse wafer-scale engine device: the real QEMU device,
 * driven through its PCI BARs with no guest kernel, including everything
 * a hostile guest can write into its registers and rings.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copied into QEMU's tests/qtest/ by scripts/build-qemu.sh; run by
 * `make check` as QTEST_QEMU_BINARY=qemu-system-x86_64 tests/qtest/wse-test.
 * Queue workers are threads, so results are polled for with a timeout.
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "libqos/libqos-pc.h"
#include "libqos/pci.h"
#include "standard-headers/linux/pci_regs.h"
#include <linux/types.h>
#include "hw/misc/wse/wse_regs.h"

#define MESH_W      5
#define MESH_H      3
#define SRAM        49152
#define WINDOWS     4
#define WINDOW_SIZE (1 << 20)

typedef struct {
    QOSState *qs;
    QPCIDevice *dev;
    QPCIBar regs, sram;
    uint64_t sq, cq;
    uint32_t entries, sq_tail, cq_head;
    uint8_t phase;
} WseState;

static void find_fn(QPCIDevice *dev, int devfn, void *data)
{
    *(QPCIDevice **)data = dev;
}

static WseState *wse_boot(void)
{
    WseState *s = g_new0(WseState, 1);
    uint64_t size;

    s->qs = qtest_pc_boot("-M q35 -nodefaults -device wse,mesh-width=%d,"
                          "mesh-height=%d,windows=%d,window-size=%d,queues=4",
                          MESH_W, MESH_H, WINDOWS, WINDOW_SIZE);
    qpci_device_foreach(s->qs->pcibus, WSE_PCI_VENDOR_ID, WSE_PCI_DEVICE_ID,
                        find_fn, &s->dev);
    g_assert(s->dev);
    qpci_device_enable(s->dev);
    qpci_msix_enable(s->dev);
    /* Map BARs after MSI-X: enabling it remaps the table BAR. */
    s->regs = qpci_iomap(s->dev, WSE_BAR_REGS, &size);
    g_assert_cmpuint(size, ==, WSE_REGS_SIZE);
    s->sram = qpci_iomap(s->dev, WSE_BAR_SRAM, &size);
    g_assert_cmpuint(size, ==, WINDOWS * WINDOW_SIZE);
    return s;
}

static void wse_shutdown(WseState *s)
{
    qpci_msix_disable(s->dev);
    g_free(s->dev);
    qtest_shutdown(s->qs);
    g_free(s);
}

static uint32_t rd(WseState *s, uint32_t off)
{
    return qpci_io_readl(s->dev, s->regs, off);
}

static void wr(WseState *s, uint32_t off, uint32_t v)
{
    qpci_io_writel(s->dev, s->regs, off, v);
}

static QTestState *qts(WseState *s)
{
    return s->qs->qts;
}

static uint64_t galloc(WseState *s, size_t n)
{
    return guest_alloc(&s->qs->alloc, n);
}

/* Rings are 4 KiB aligned: allocate with slack and round up. */
static uint64_t galloc_aligned(WseState *s, size_t n)
{
    return ROUND_UP(galloc(s, n + 4096), 4096);
}

static uint32_t queue_setup(WseState *s, unsigned int q, uint32_t order,
                            uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
    s->entries = 1u << order;
    s->sq = galloc_aligned(s, s->entries * WSE_SQE_SIZE);
    s->cq = galloc_aligned(s, s->entries * WSE_CQE_SIZE);
    qtest_memset(qts(s), s->cq, 0, s->entries * WSE_CQE_SIZE);
    s->sq_tail = s->cq_head = 0;
    s->phase = 1;
    wr(s, WSE_REG_Q(q, WSE_Q_CTRL), 0);
    wr(s, WSE_REG_Q(q, WSE_Q_SQ_BASE_LO), (uint32_t)s->sq);
    wr(s, WSE_REG_Q(q, WSE_Q_SQ_BASE_HI), s->sq >> 32);
    wr(s, WSE_REG_Q(q, WSE_Q_CQ_BASE_LO), (uint32_t)s->cq);
    wr(s, WSE_REG_Q(q, WSE_Q_CQ_BASE_HI), s->cq >> 32);
    wr(s, WSE_REG_Q(q, WSE_Q_SIZE), order);
    wr(s, WSE_REG_Q(q, WSE_Q_VECTOR), q + 1);
    wr(s, WSE_REG_Q(q, WSE_Q_REGION_XY), x | y << 16);
    wr(s, WSE_REG_Q(q, WSE_Q_REGION_WH), w | h << 16);
    wr(s, WSE_REG_Q(q, WSE_Q_CTRL), WSE_QCTRL_ENABLE);
    return rd(s, WSE_REG_Q(q, WSE_Q_STATUS));
}

static void submit(WseState *s, unsigned int q, const struct wse_sqe *sqe)
{
    qtest_memwrite(qts(s), s->sq + (uint64_t)s->sq_tail * WSE_SQE_SIZE,
                   sqe, sizeof(*sqe));
    s->sq_tail = (s->sq_tail + 1) % s->entries;
    wr(s, WSE_REG_Q(q, WSE_Q_SQ_TAIL), s->sq_tail);
}

/* Poll for the next completion: the device answers from its own thread. */
static bool reap(WseState *s, unsigned int q, struct wse_cqe *cqe)
{
    uint64_t addr = s->cq + (uint64_t)s->cq_head * WSE_CQE_SIZE;
    gint64 end = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    for (;;) {
        qtest_memread(qts(s), addr, cqe, sizeof(*cqe));
        if ((cqe->phase & WSE_CQE_PHASE) == s->phase) {
            break;
        }
        if (g_get_monotonic_time() > end) {
            return false;
        }
        g_usleep(1000);
    }
    s->cq_head = (s->cq_head + 1) % s->entries;
    if (!s->cq_head) {
        s->phase ^= 1;
    }
    wr(s, WSE_REG_Q(q, WSE_Q_CQ_HEAD), s->cq_head);
    return true;
}

static int run(WseState *s, unsigned int q, const struct wse_sqe *sqe,
               struct wse_cqe *cqe)
{
    submit(s, q, sqe);
    g_assert(reap(s, q, cqe));
    g_assert_cmpuint(cqe->tag, ==, sqe->tag);
    return cqe->status;
}

static bool wait_status(WseState *s, unsigned int q, uint32_t mask,
                        uint32_t want)
{
    gint64 end = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    while ((rd(s, WSE_REG_Q(q, WSE_Q_STATUS)) & mask) != want) {
        if (g_get_monotonic_time() > end) {
            return false;
        }
        g_usleep(1000);
    }
    return true;
}

static uint64_t sgl_one(WseState *s, uint64_t addr, uint32_t len)
{
    struct wse_sge e = { .addr = addr, .len = len };
    uint64_t list = ROUND_UP(galloc(s, 32), 16);

    qtest_memwrite(qts(s), list, &e, sizeof(e));
    return list;
}

static struct wse_sqe sqe_copy(uint8_t op, uint64_t sgl, uint16_t x, uint16_t y,
                               uint32_t off, uint64_t len)
{
    struct wse_sqe e = { .opcode = op, .tag = 0x77, .sgl = sgl, .sgl_count = 1 };

    e.sram.x = x;
    e.sram.y = y;
    e.sram.offset = off;
    e.sram.length = len;
    return e;
}

/* The identity registers report the device properties. */
static void test_identity(void)
{
    WseState *s = wse_boot();

    g_assert_cmphex(rd(s, WSE_REG_ID), ==, WSE_ID_MAGIC);
    g_assert_cmphex(rd(s, WSE_REG_MESH), ==, MESH_W | MESH_H << 16);
    g_assert_cmpuint(rd(s, WSE_REG_SRAM_BYTES), ==, SRAM);
    g_assert_cmpuint(rd(s, WSE_REG_NUM_QUEUES), ==, 4);
    g_assert_cmpuint(rd(s, WSE_REG_NUM_WINDOWS), ==, WINDOWS);
    g_assert_cmpuint(rd(s, WSE_REG_WINDOW_SIZE), ==, WINDOW_SIZE);
    g_assert_cmphex(rd(s, WSE_REG_STATUS), ==, WSE_STATUS_READY);
    g_assert_cmphex(qpci_config_readw(s->dev, PCI_CLASS_DEVICE), ==,
                    WSE_PCI_CLASS);
    wse_shutdown(s);
}

/* NOP and a WRITE/READ round trip through guest-memory rings, with an
 * MSI-X interrupt on the queue's vector. */
static void test_round_trip(void)
{
    WseState *s = wse_boot();
    const uint32_t len = 200 * 1024;
    uint64_t src = galloc(s, len), dst = galloc(s, len);
    g_autofree uint8_t *data = g_malloc(len), *back = g_malloc0(len);
    struct wse_sqe e = { .opcode = WSE_OP_NOP, .tag = 5 };
    struct wse_cqe c;
    uint32_t i;

    for (i = 0; i < len; i++) {
        data[i] = g_test_rand_int();
    }
    qtest_memwrite(qts(s), src, data, len);
    g_assert_cmphex(queue_setup(s, 2, 3, 0, 0, MESH_W, MESH_H), ==,
                    WSE_QSTATUS_ENABLED);
    g_assert_cmpint(run(s, 2, &e, &c), ==, WSE_CQE_OK);
    g_assert_true(qpci_msix_pending(s->dev, 3));

    e = sqe_copy(WSE_OP_WRITE, sgl_one(s, src, len), 1, 1, 4096, len);
    g_assert_cmpint(run(s, 2, &e, &c), ==, WSE_CQE_OK);
    g_assert_cmpuint(c.result, ==, len);
    e = sqe_copy(WSE_OP_READ, sgl_one(s, dst, len), 1, 1, 4096, len);
    g_assert_cmpint(run(s, 2, &e, &c), ==, WSE_CQE_OK);
    qtest_memread(qts(s), dst, back, len);
    g_assert_cmpmem(back, len, data, len);
    g_assert_cmpuint(rd(s, WSE_REG_CNT(WSE_CNT_BYTES_H2D)), ==, len);
    wse_shutdown(s);
}

/*
 * A short entry on an idle queue runs in the doorbell write itself: its
 * completion is in guest memory when the write returns, without polling,
 * a failing one (unknown opcode) as well as a NOP.
 */
static void test_inline_entries(void)
{
    WseState *s = wse_boot();
    struct wse_sqe e = { .opcode = WSE_OP_NOP, .tag = 11 };
    struct wse_cqe c;

    g_assert_cmphex(queue_setup(s, 1, 3, 0, 0, MESH_W, MESH_H), ==,
                    WSE_QSTATUS_ENABLED);
    submit(s, 1, &e);
    qtest_memread(qts(s), s->cq, &c, sizeof(c));
    g_assert_cmpuint(c.phase & WSE_CQE_PHASE, ==, 1);
    g_assert_cmpuint(c.tag, ==, 11);
    g_assert_cmpuint(c.status, ==, WSE_CQE_OK);

    e = (struct wse_sqe){ .opcode = 0x3f, .tag = 12 };
    submit(s, 1, &e);
    qtest_memread(qts(s), s->cq + WSE_CQE_SIZE, &c, sizeof(c));
    g_assert_cmpuint(c.phase & WSE_CQE_PHASE, ==, 1);
    g_assert_cmpuint(c.tag, ==, 12);
    g_assert_cmpuint(c.status, ==, WSE_CQE_BAD_OPCODE);
    g_assert_cmphex(rd(s, WSE_REG_Q(1, WSE_Q_STATUS)), ==, WSE_QSTATUS_ENABLED);
    wse_shutdown(s);
}

/* Windows show SRAM in BAR2: what DMA wrote is there, stores land in
 * SRAM, a read-only window drops stores, a dark one reads zeros. */
static void test_windows(void)
{
    WseState *s = wse_boot();
    uint64_t buf = galloc(s, 8192);
    uint8_t pattern[64], got[64], zero[64] = { 0 };
    struct wse_sqe e;
    struct wse_cqe c;

    memset(pattern, 0xc3, sizeof(pattern));
    qtest_memwrite(qts(s), buf, pattern, sizeof(pattern));
    queue_setup(s, 0, 2, 0, 0, MESH_W, MESH_H);
    /* PE (2,1) + 8192 via DMA... */
    e = sqe_copy(WSE_OP_WRITE, sgl_one(s, buf, 64), 2, 1, 8192, 64);
    g_assert_cmpint(run(s, 0, &e, &c), ==, WSE_CQE_OK);
    /* ...seen through window 1. */
    wr(s, WSE_REG_W(1, WSE_W_PE_XY), 2 | 1 << 16);
    wr(s, WSE_REG_W(1, WSE_W_OFFSET), 8192);
    wr(s, WSE_REG_W(1, WSE_W_LENGTH), 4 * 4096);
    wr(s, WSE_REG_W(1, WSE_W_CTRL), WSE_WCTRL_ENABLE);
    g_assert_cmphex(rd(s, WSE_REG_W(1, WSE_W_STATUS)), ==, WSE_WSTATUS_ACTIVE);
    qpci_memread(s->dev, s->sram, WINDOW_SIZE, got, sizeof(got));
    g_assert_cmpmem(got, sizeof(got), pattern, sizeof(pattern));

    /* A store through the window reaches the SRAM that READ returns. */
    memset(pattern, 0x3c, sizeof(pattern));
    qpci_memwrite(s->dev, s->sram, WINDOW_SIZE + 128, pattern, 64);
    e = sqe_copy(WSE_OP_READ, sgl_one(s, buf, 64), 2, 1, 8192 + 128, 64);
    g_assert_cmpint(run(s, 0, &e, &c), ==, WSE_CQE_OK);
    qtest_memread(qts(s), buf, got, 64);
    g_assert_cmpmem(got, 64, pattern, 64);

    /* Read-only: the store is dropped. */
    wr(s, WSE_REG_W(1, WSE_W_CTRL), WSE_WCTRL_ENABLE | WSE_WCTRL_READONLY);
    qpci_memwrite(s->dev, s->sram, WINDOW_SIZE + 128, zero, 64);
    qpci_memread(s->dev, s->sram, WINDOW_SIZE + 128, got, 64);
    g_assert_cmpmem(got, 64, pattern, 64);

    /* Dark slots and bytes past LENGTH read as zeros. */
    qpci_memread(s->dev, s->sram, 0, got, 64);
    g_assert_cmpmem(got, 64, zero, 64);
    qpci_memread(s->dev, s->sram, WINDOW_SIZE + 4 * 4096, got, 64);
    g_assert_cmpmem(got, 64, zero, 64);
    wr(s, WSE_REG_W(1, WSE_W_CTRL), 0);
    qpci_memread(s->dev, s->sram, WINDOW_SIZE + 128, got, 64);
    g_assert_cmpmem(got, 64, zero, 64);
    wse_shutdown(s);
}

/* Rings outside RAM, DMA aimed at MMIO or at the device itself, bad
 * doorbells: the device reports errors and keeps working. */
static void test_hostile_rings(void)
{
    WseState *s = wse_boot();
    uint64_t bar0 = qpci_config_readl(s->dev, PCI_BASE_ADDRESS_0) & ~0xfull;
    struct wse_sqe e = { .opcode = WSE_OP_NOP, .tag = 1 };
    struct wse_cqe c;

    /* Submission ring far beyond guest RAM. */
    queue_setup(s, 0, 2, 0, 0, 1, 1);
    wr(s, WSE_REG_Q(0, WSE_Q_CTRL), 0);
    wr(s, WSE_REG_Q(0, WSE_Q_SQ_BASE_HI), 0x4000);
    wr(s, WSE_REG_Q(0, WSE_Q_CTRL), WSE_QCTRL_ENABLE);
    wr(s, WSE_REG_Q(0, WSE_Q_SQ_TAIL), 1);
    g_assert_true(wait_status(s, 0, WSE_QSTATUS_ERROR, WSE_QSTATUS_ERROR));
    g_assert_cmpuint(WSE_QSTATUS_CODE(rd(s, WSE_REG_Q(0, WSE_Q_STATUS))), ==,
                     WSE_QERR_SQ_DMA);
    g_assert_true(rd(s, WSE_REG_EVENT) & WSE_EVENT_QUEUE_ERROR);

    /* Completion ring on the device's own registers. */
    wr(s, WSE_REG_Q(0, WSE_Q_CTRL), 0);
    wr(s, WSE_REG_Q(0, WSE_Q_SQ_BASE_HI), s->sq >> 32);
    wr(s, WSE_REG_Q(0, WSE_Q_CQ_BASE_LO), (uint32_t)bar0);
    wr(s, WSE_REG_Q(0, WSE_Q_CQ_BASE_HI), bar0 >> 32);
    wr(s, WSE_REG_Q(0, WSE_Q_CTRL), WSE_QCTRL_ENABLE);
    s->sq_tail = 0;
    submit(s, 0, &e);
    g_assert_true(wait_status(s, 0, WSE_QSTATUS_ERROR, WSE_QSTATUS_ERROR));
    g_assert_cmpuint(WSE_QSTATUS_CODE(rd(s, WSE_REG_Q(0, WSE_Q_STATUS))), ==,
                     WSE_QERR_CQ_DMA);
    g_assert_cmphex(rd(s, WSE_REG_ID), ==, WSE_ID_MAGIC);
    /* A queue in the error state keeps its region until disabled. */
    g_assert_cmphex(queue_setup(s, 1, 2, 0, 0, MESH_W, MESH_H), ==,
                    WSE_QSTATUS_ERROR | WSE_QERR_BAD_CONFIG << 8);
    wr(s, WSE_REG_Q(0, WSE_Q_CTRL), 0);

    /* Data DMA into MMIO (the local APIC), into BAR0, past RAM. */
    queue_setup(s, 1, 2, 0, 0, MESH_W, MESH_H);
    e = sqe_copy(WSE_OP_READ, sgl_one(s, 0xfee00000, 64), 0, 0, 0, 64);
    g_assert_cmpint(run(s, 1, &e, &c), ==, WSE_CQE_DMA_ERROR);
    e = sqe_copy(WSE_OP_READ, sgl_one(s, bar0, 64), 0, 0, 0, 64);
    g_assert_cmpint(run(s, 1, &e, &c), ==, WSE_CQE_DMA_ERROR);
    e = sqe_copy(WSE_OP_WRITE, sgl_one(s, 1ull << 50, 64), 0, 0, 0, 64);
    g_assert_cmpint(run(s, 1, &e, &c), ==, WSE_CQE_DMA_ERROR);
    e = sqe_copy(WSE_OP_WRITE, 0xfee00000, 0, 0, 0, 64);
    g_assert_cmpint(run(s, 1, &e, &c), ==, WSE_CQE_DMA_ERROR);
    g_assert_cmphex(rd(s, WSE_REG_Q(1, WSE_Q_STATUS)), ==, WSE_QSTATUS_ENABLED);

    /* A doorbell beyond the ring. */
    wr(s, WSE_REG_Q(1, WSE_Q_SQ_TAIL), 0x10000);
    g_assert_cmpuint(WSE_QSTATUS_CODE(rd(s, WSE_REG_Q(1, WSE_Q_STATUS))), ==,
                     WSE_QERR_BAD_DOORBELL);

    /* Registers outside the map, odd access sizes: ignored. */
    wr(s, 0xfff0, 0xffffffff);
    qpci_io_writeb(s->dev, s->regs, WSE_REG_RESET, 0xff);
    g_assert_cmphex(rd(s, WSE_REG_ID), ==, WSE_ID_MAGIC);

    /* And after disabling, the queues work again. */
    wr(s, WSE_REG_Q(0, WSE_Q_CTRL), 0);
    wr(s, WSE_REG_Q(1, WSE_Q_CTRL), 0);
    queue_setup(s, 1, 2, 0, 0, MESH_W, MESH_H);
    e = (struct wse_sqe){ .opcode = WSE_OP_NOP, .tag = 9 };
    g_assert_cmpint(run(s, 1, &e, &c), ==, WSE_CQE_OK);
    wse_shutdown(s);
}

/* Random submission entries, aimed anywhere: every one completes with
 * some status or stops the queue; QEMU survives and the device works. */
static void test_random_entries(void)
{
    WseState *s = wse_boot();
    uint64_t buf = galloc(s, 4096);
    struct wse_sqe e;
    struct wse_cqe c;
    int i, j;

    queue_setup(s, 3, 4, 0, 0, MESH_W, MESH_H);
    for (i = 0; i < 300; i++) {
        uint32_t *w = (uint32_t *)&e;

        for (j = 0; j < sizeof(e) / 4; j++) {
            w[j] = g_test_rand_int();
        }
        /* Mostly known opcodes, often a plausible list. */
        e.opcode = g_test_rand_int_range(0, 10);
        if (i % 2) {
            e.sgl = sgl_one(s, buf + g_test_rand_int_range(0, 4000),
                            g_test_rand_int_range(1, 4096));
            e.sgl_count = g_test_rand_int_range(1, 3);
        }
        if (i % 3 == 0) {
            e.flags = e.rsvd0 = e.rsvd1 = 0;
        }
        submit(s, 3, &e);
        g_assert_true(reap(s, 3, &c));
        g_assert_cmpuint(c.tag, ==, e.tag);
    }
    g_assert_cmphex(rd(s, WSE_REG_Q(3, WSE_Q_STATUS)), ==, WSE_QSTATUS_ENABLED);
    e = (struct wse_sqe){ .opcode = WSE_OP_NOP, .tag = 1 };
    g_assert_cmpint(run(s, 3, &e, &c), ==, WSE_CQE_OK);
    wse_shutdown(s);
}

/* The RESET register and a PCIe function-level reset both stop queues
 * and clear SRAM. */
static void test_resets(void)
{
    WseState *s = wse_boot();
    uint64_t buf = galloc(s, 4096);
    uint8_t ff[64], got[64], zero[64] = { 0 };
    struct wse_sqe e;
    struct wse_cqe c;
    uint32_t resets = rd(s, WSE_REG_CNT(WSE_CNT_RESETS));
    uint8_t exp;

    memset(ff, 0xff, sizeof(ff));
    qtest_memwrite(qts(s), buf, ff, sizeof(ff));
    queue_setup(s, 0, 2, 0, 0, MESH_W, MESH_H);
    e = sqe_copy(WSE_OP_WRITE, sgl_one(s, buf, 64), 0, 0, 0, 64);
    g_assert_cmpint(run(s, 0, &e, &c), ==, WSE_CQE_OK);

    wr(s, WSE_REG_RESET, WSE_RESET_MAGIC);
    g_assert_cmphex(rd(s, WSE_REG_Q(0, WSE_Q_STATUS)), ==, 0);
    g_assert_cmpuint(rd(s, WSE_REG_CNT(WSE_CNT_RESETS)), ==, resets + 1);
    queue_setup(s, 0, 2, 0, 0, MESH_W, MESH_H);
    e = sqe_copy(WSE_OP_READ, sgl_one(s, buf, 64), 0, 0, 0, 64);
    g_assert_cmpint(run(s, 0, &e, &c), ==, WSE_CQE_OK);
    qtest_memread(qts(s), buf, got, 64);
    g_assert_cmpmem(got, 64, zero, 64);

    /* Function-level reset through the PCIe capability. */
    exp = qpci_find_capability(s->dev, PCI_CAP_ID_EXP, 0);
    g_assert_cmpuint(exp, !=, 0);
    qpci_config_writew(s->dev, exp + PCI_EXP_DEVCTL,
                       qpci_config_readw(s->dev, exp + PCI_EXP_DEVCTL) |
                       PCI_EXP_DEVCTL_BCR_FLR);
    /* FLR clears the BARs and the command register too: map again. */
    s->regs = qpci_iomap(s->dev, WSE_BAR_REGS, NULL);
    qpci_device_enable(s->dev);
    g_assert_cmphex(rd(s, WSE_REG_ID), ==, WSE_ID_MAGIC);
    g_assert_cmphex(rd(s, WSE_REG_Q(0, WSE_Q_STATUS)), ==, 0);
    g_assert_cmpuint(rd(s, WSE_REG_CNT(WSE_CNT_RESETS)), ==, resets + 2);
    g_free(s->dev);
    qtest_shutdown(s->qs);
    g_free(s);
}

/* Poll a vector's pending bit: the interrupt is raised from a bottom half. */
static bool msix_pending_soon(WseState *s, unsigned int vector)
{
    gint64 end = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    while (!qpci_msix_pending(s->dev, vector)) {
        if (g_get_monotonic_time() > end) {
            return false;
        }
        g_usleep(1000);
    }
    return true;
}

/*
 * An interrupt raised while MSI-X is disabled is not lost: its pending
 * bit is set and the message goes out once the function enables MSI-X
 * and unmasks (before: dropped). And vectors keep working across any
 * number of resets (their use counts are set once, in realize).
 */
static void test_msix_pending(void)
{
    WseState *s = wse_boot();
    struct wse_sqe e = { .opcode = WSE_OP_NOP, .tag = 3 };
    struct wse_cqe c;
    int i;

    g_assert_cmphex(queue_setup(s, 2, 3, 0, 0, MESH_W, MESH_H), ==,
                    WSE_QSTATUS_ENABLED);
    qpci_msix_disable(s->dev);
    g_assert_cmpint(run(s, 2, &e, &c), ==, WSE_CQE_OK);
    qpci_msix_enable(s->dev);
    g_assert_true(msix_pending_soon(s, 3));

    for (i = 0; i < 3; i++) {
        wr(s, WSE_REG_RESET, WSE_RESET_MAGIC);
    }
    g_assert_true(msix_pending_soon(s, 0));
    qpci_msix_disable(s->dev);
    qtest_system_reset(qts(s));
    qpci_device_enable(s->dev);
    qpci_msix_enable(s->dev);
    s->regs = qpci_iomap(s->dev, WSE_BAR_REGS, NULL);
    g_assert_cmphex(queue_setup(s, 2, 3, 0, 0, MESH_W, MESH_H), ==,
                    WSE_QSTATUS_ENABLED);
    g_assert_false(qpci_msix_pending(s->dev, 3));
    g_assert_cmpint(run(s, 2, &e, &c), ==, WSE_CQE_OK);
    g_assert_true(msix_pending_soon(s, 3));
    wse_shutdown(s);
}

/*
 * DMA aimed at the device's own SRAM through its BAR2 window is refused
 * like any MMIO: the check is on what the address translates to, so it
 * holds under a vIOMMU too, where the address is an IOVA.
 */
static void test_self_dma(void)
{
    WseState *s = wse_boot();
    uint64_t bar2 = qpci_config_readl(s->dev, PCI_BASE_ADDRESS_2) & ~0xfull;
    struct wse_sqe e;
    struct wse_cqe c;

    bar2 |= (uint64_t)qpci_config_readl(s->dev, PCI_BASE_ADDRESS_3) << 32;
    /* Window 0 shows PE (1,0). */
    wr(s, WSE_REG_W(0, WSE_W_PE_XY), 1);
    wr(s, WSE_REG_W(0, WSE_W_OFFSET), 0);
    wr(s, WSE_REG_W(0, WSE_W_LENGTH), 4096);
    wr(s, WSE_REG_W(0, WSE_W_CTRL), WSE_WCTRL_ENABLE);
    g_assert_cmphex(rd(s, WSE_REG_W(0, WSE_W_STATUS)), ==, WSE_WSTATUS_ACTIVE);
    queue_setup(s, 0, 2, 0, 0, 1, 1);
    e = sqe_copy(WSE_OP_READ, sgl_one(s, bar2, 64), 0, 0, 0, 64);
    g_assert_cmpint(run(s, 0, &e, &c), ==, WSE_CQE_DMA_ERROR);
    e = sqe_copy(WSE_OP_WRITE, sgl_one(s, bar2, 64), 0, 0, 0, 64);
    g_assert_cmpint(run(s, 0, &e, &c), ==, WSE_CQE_DMA_ERROR);
    wse_shutdown(s);
}

/* The driver's PE dump registers under a hostile guest: a status, no crash. */
static uint32_t pe_dump(WseState *s, uint32_t q, uint32_t xy, uint64_t addr)
{
    wr(s, WSE_REG_DUMP_QUEUE, q);
    wr(s, WSE_REG_DUMP_XY, xy);
    wr(s, WSE_REG_DUMP_ADDR_LO, (uint32_t)addr);
    wr(s, WSE_REG_DUMP_ADDR_HI, addr >> 32);
    wr(s, WSE_REG_DUMP_CTRL, WSE_DUMP_GO);
    return rd(s, WSE_REG_DUMP_STATUS);
}

static void test_pe_dump_regs(void)
{
    WseState *s = wse_boot();
    uint64_t buf = galloc_aligned(s, 8192);

    g_assert_cmphex(rd(s, WSE_REG_CAPS) & WSE_CAP_PE_DUMP, ==, WSE_CAP_PE_DUMP);
    /* Not enabled yet, a queue that does not exist, a misaligned buffer. */
    g_assert_cmphex(pe_dump(s, 0, 0, buf), ==, WSE_CQE_BAD_FIELD);
    g_assert_cmphex(pe_dump(s, 9999, 0, buf), ==, WSE_CQE_BAD_FIELD);
    queue_setup(s, 0, 2, 0, 0, 1, 1);
    g_assert_cmphex(pe_dump(s, 0, 0, buf + 4), ==, WSE_CQE_BAD_FIELD);
    /* Outside its 1x1 region, then inside it but with no program. */
    g_assert_cmphex(pe_dump(s, 0, 1, buf), ==, WSE_CQE_OUT_OF_REGION);
    g_assert_cmphex(pe_dump(s, 0, 1u << 16, buf), ==, WSE_CQE_OUT_OF_REGION);
    g_assert_cmphex(pe_dump(s, 0, 0xffffffffu, buf), ==, WSE_CQE_OUT_OF_REGION);
    g_assert_cmphex(pe_dump(s, 0, 0, buf), ==, WSE_CQE_NO_PROGRAM);
    /* A write without the magic changes nothing. */
    wr(s, WSE_REG_DUMP_QUEUE, 9999);
    wr(s, WSE_REG_DUMP_CTRL, 1);
    g_assert_cmphex(rd(s, WSE_REG_DUMP_STATUS), ==, WSE_CQE_NO_PROGRAM);
    /* The device still works. */
    g_assert_cmphex(rd(s, WSE_REG_Q(0, WSE_Q_STATUS)) & WSE_QSTATUS_ERROR, ==, 0);
    wse_shutdown(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/wse/identity", test_identity);
    qtest_add_func("/wse/round-trip", test_round_trip);
    qtest_add_func("/wse/inline-entries", test_inline_entries);
    qtest_add_func("/wse/windows", test_windows);
    qtest_add_func("/wse/hostile-rings", test_hostile_rings);
    qtest_add_func("/wse/random-entries", test_random_entries);
    qtest_add_func("/wse/resets", test_resets);
    qtest_add_func("/wse/msix-pending", test_msix_pending);
    qtest_add_func("/wse/self-dma", test_self_dma);
    qtest_add_func("/wse/pe-dump-regs", test_pe_dump_regs);
    return g_test_run();
}
