// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * device-fuzz.c - libFuzzer harness of the device model: the input is
 * what a hostile guest controls, its RAM (rings, lists, data, images)
 * and a sequence of register writes. Whatever it is, the device must not
 * crash, hang or touch memory outside the guest's RAM and its own SRAM.
 *
 * Input layout: 2 bytes RAM seed length L, L bytes copied to the start of
 * guest RAM (the rest is zero), then 9-byte register operations
 * { u8 kind; u32 offset; u32 value }: kind & 3 == 0 writes, 1 reads, 2
 * writes a ring-shaped queue setup for queue (value & 3), 3 waits for
 * every queue to go idle.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../qemu-device/wse-dev.h"

#define RAM_BASE	0x10000ull
#define RAM_SIZE	(1u << 20)

static uint8_t *ram;

static int f_dma(uint64_t addr, void *buf, size_t len, bool write)
{
	if (addr < RAM_BASE || addr + len < addr || addr + len > RAM_BASE + RAM_SIZE)
		return -EFAULT;
	if (write)
		memcpy(ram + (addr - RAM_BASE), buf, len);
	else
		memcpy(buf, ram + (addr - RAM_BASE), len);
	return 0;
}

static int f_dma_read(void *o, uint64_t addr, void *buf, size_t len)
{
	return f_dma(addr, buf, len, false);
}

static int f_dma_write(void *o, uint64_t addr, const void *buf, size_t len)
{
	return f_dma(addr, (void *)buf, len, true);
}

static void f_irq(void *o, unsigned int vector)
{
	if (vector > WSE_MAX_QUEUES)
		abort();
}

static void f_window_map(void *o, unsigned int slot, bool en, uint64_t off,
			 uint32_t len, bool ro)
{
	struct wse_dev *d = o;

	/* A window must never show bytes past the wafer's SRAM. */
	if (slot >= d->cfg.num_windows ||
	    (en && (off + len > wse_dev_sram_size(d) || len > d->cfg.window_size)))
		abort();
}

static void f_guest_error(void *o, const char *fmt, va_list ap)
{
}

static const struct wse_dev_ops fuzz_ops = {
	.dma_read = f_dma_read,
	.dma_write = f_dma_write,
	.irq = f_irq,
	.window_map = f_window_map,
	.guest_error = f_guest_error,
};

/* Wait until no queue executes a command (bounded: kernels have a budget). */
static void drain(struct wse_dev *d)
{
	unsigned int q, tries;

	for (q = 0; q < d->cfg.num_queues; q++)
		for (tries = 0; tries < 2000; tries++) {
			if (!(wse_dev_reg_read(d, WSE_REG_Q(q, WSE_Q_STATUS)) &
			      WSE_QSTATUS_BUSY))
				break;
			usleep(100);
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wse_dev_config cfg = {
		.mesh_width = 4, .mesh_height = 3,
		.sram_bytes = 16384, .num_queues = 3, .num_windows = 2,
		.window_size = 65536, .num_vectors = 4, .wafer_threads = 1,
		.max_xfer = 1 << 20, .max_image = 1 << 16,
		.insn_budget = 20000,
	};
	struct wse_dev *d;
	char err[128];
	size_t seed;

	if (!ram)
		ram = malloc(RAM_SIZE);
	if (size < 2)
		return 0;
	seed = data[0] | data[1] << 8;
	data += 2;
	size -= 2;
	if (seed > size)
		seed = size;
	memset(ram, 0, RAM_SIZE);
	memcpy(ram, data, seed);
	data += seed;
	size -= seed;

	d = calloc(1, sizeof(*d));
	if (wse_dev_init(d, &cfg, &fuzz_ops, d, err, sizeof(err)))
		abort();
	for (; size >= 9; data += 9, size -= 9) {
		uint32_t off, val;

		memcpy(&off, data + 1, 4);
		memcpy(&val, data + 5, 4);
		off %= WSE_REGS_SIZE;
		switch (data[0] & 3) {
		case 0:
			wse_dev_reg_write(d, off & ~3u, val);
			break;
		case 1:
			wse_dev_reg_read(d, off & ~3u);
			break;
		case 2: {
			unsigned int q = val & 3;

			/* A plausible queue, so that commands get executed. */
			wse_dev_reg_write(d, WSE_REG_Q(q, WSE_Q_CTRL), 0);
			wse_dev_reg_write(d, WSE_REG_Q(q, WSE_Q_SQ_BASE_LO),
					  RAM_BASE + (off & 0x7000));
			wse_dev_reg_write(d, WSE_REG_Q(q, WSE_Q_CQ_BASE_LO),
					  RAM_BASE + 0x8000 + (off & 0x7000));
			wse_dev_reg_write(d, WSE_REG_Q(q, WSE_Q_SIZE), 2 + (val >> 8) % 4);
			wse_dev_reg_write(d, WSE_REG_Q(q, WSE_Q_VECTOR), q + 1);
			wse_dev_reg_write(d, WSE_REG_Q(q, WSE_Q_REGION_XY), (val >> 12) & 0x10001);
			wse_dev_reg_write(d, WSE_REG_Q(q, WSE_Q_REGION_WH), 0x20002);
			wse_dev_reg_write(d, WSE_REG_Q(q, WSE_Q_CTRL), WSE_QCTRL_ENABLE);
			wse_dev_reg_write(d, WSE_REG_Q(q, WSE_Q_SQ_TAIL), val >> 24);
			break;
		}
		case 3:
			drain(d);
			break;
		}
	}
	wse_dev_fini(d);
	free(d);
	return 0;
}
