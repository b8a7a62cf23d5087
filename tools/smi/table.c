// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * table.c - wse-smi's text views: one line per device (-L), or a table
 * of the devices followed by a table of their telemetry.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <inttypes.h>
#include <time.h>

#include "smi.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define CELL		32

struct smi_col {
	const char *head;
	int width;
	bool right;		/* numbers are right-aligned */
};

#define LEFT(h, w)	{ .head = h, .width = w, .right = false }
#define RIGHT(h, w)	{ .head = h, .width = w, .right = true }

static const struct smi_col smi_dev_cols[] = {
	RIGHT("Idx", 3), LEFT("Node", 6), LEFT("Mesh", 9), LEFT("SRAM/PE", 7),
	LEFT("SRAM", 9), RIGHT("Queues", 6), RIGHT("Windows", 7),
	LEFT("HW", 4), LEFT("FW", 4), LEFT("PCI", 12),
};

static const struct smi_col smi_tel_cols[] = {
	RIGHT("Idx", 3), RIGHT("Jobs", 10), RIGHT("Completed", 10),
	RIGHT("Failed", 8), RIGHT("Timed out", 9), RIGHT("Loads", 7),
	RIGHT("Launches", 9), RIGHT("PE faults", 9), RIGHT("To device", 10),
	RIGHT("From device", 11), RIGHT("Cycles", 20), RIGHT("Resets", 6),
};

/* "48 KiB", "3 MiB" or "1000 B": the largest unit that divides exactly. */
static const char *fmt_bytes(uint64_t n, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned int u = 0;

	while (n && !(n & 1023) && u < 4) {
		n >>= 10;
		u++;
	}
	snprintf(buf, len, "%" PRIu64 " %s", n, units[u]);
	return buf;
}

/* "512 B", "1.5 KiB", "64.0 MiB": an amount moved, to one decimal. */
static const char *fmt_amount(uint64_t n, char *buf, size_t len)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = n;
	unsigned int u = 0;

	if (n < 1024) {
		snprintf(buf, len, "%" PRIu64 " B", n);
		return buf;
	}
	v /= 1024;
	while (v >= 1024 && u < ARRAY_SIZE(units) - 1) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f %s", v, units[u]);
	return buf;
}

static const char *fmt_version(uint32_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u", v >> 16, v & 0xffff);
	return buf;
}

void smi_print_line(FILE *f, const struct smi_dev *d)
{
	const struct wse_device_info *info = &d->info;
	char sram[CELL], hw[CELL];

	fprintf(f, "%s: wse mesh %ux%u, %s SRAM/PE, %u queues, %u windows, hw %s",
		smi_node_name(info), info->mesh_width, info->mesh_height,
		fmt_bytes(info->sram_bytes, sram, sizeof(sram)),
		info->num_queues, info->num_windows,
		fmt_version(info->hw_version, hw, sizeof(hw)));
	if (info->pci_slot[0])
		fprintf(f, " (pci %s)", info->pci_slot);
	fprintf(f, "\n");
}

static void smi_rule(FILE *f, const struct smi_col *cols, size_t n)
{
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		fputc('+', f);
		for (k = 0; k < cols[i].width + 2; k++)
			fputc('-', f);
	}
	fputs("+\n", f);
}

static void smi_row(FILE *f, const struct smi_col *cols, size_t n,
		    char cells[][CELL])
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, cols[i].right ? "| %*s " : "| %-*s ", cols[i].width,
			cells[i]);
	fputs("|\n", f);
}

/* Headings are left-aligned, whatever their column holds. */
static void smi_head(FILE *f, const struct smi_col *cols, size_t n)
{
	size_t i;

	smi_rule(f, cols, n);
	for (i = 0; i < n; i++)
		fprintf(f, "| %-*s ", cols[i].width, cols[i].head);
	fputs("|\n", f);
	smi_rule(f, cols, n);
}

static void smi_dev_row(FILE *f, const struct smi_dev *d)
{
	const struct wse_device_info *info = &d->info;
	uint64_t all = (uint64_t)info->mesh_width * info->mesh_height *
		       info->sram_bytes;
	char c[ARRAY_SIZE(smi_dev_cols)][CELL];

	snprintf(c[0], CELL, "%d", d->index);
	snprintf(c[1], CELL, "%s", smi_node_name(info));
	snprintf(c[2], CELL, "%ux%u", info->mesh_width, info->mesh_height);
	fmt_bytes(info->sram_bytes, c[3], CELL);
	fmt_bytes(all, c[4], CELL);
	snprintf(c[5], CELL, "%u", info->num_queues);
	snprintf(c[6], CELL, "%u", info->num_windows);
	fmt_version(info->hw_version, c[7], CELL);
	fmt_version(info->fw_version, c[8], CELL);
	snprintf(c[9], CELL, "%s", info->pci_slot[0] ? info->pci_slot : "-");
	smi_row(f, smi_dev_cols, ARRAY_SIZE(smi_dev_cols), c);
}

/* A counter as a number, or "-" if the driver does not have it. */
static void smi_count(const struct smi_dev *d, enum smi_counter i, char *buf)
{
	if (d->have[i])
		snprintf(buf, CELL, "%" PRIu64, d->counter[i]);
	else
		snprintf(buf, CELL, "-");
}

static void smi_tel_row(FILE *f, const struct smi_dev *d)
{
	char c[ARRAY_SIZE(smi_tel_cols)][CELL];

	snprintf(c[0], CELL, "%d", d->index);
	smi_count(d, SMI_JOBS_SUBMITTED, c[1]);
	smi_count(d, SMI_JOBS_COMPLETED, c[2]);
	smi_count(d, SMI_JOBS_FAILED, c[3]);
	smi_count(d, SMI_JOBS_TIMED_OUT, c[4]);
	smi_count(d, SMI_IMAGES_LOADED, c[5]);
	smi_count(d, SMI_KERNELS_LAUNCHED, c[6]);
	smi_count(d, SMI_PE_FAULTS, c[7]);
	if (d->have[SMI_BYTES_TO_DEVICE])
		fmt_amount(d->counter[SMI_BYTES_TO_DEVICE], c[8], CELL);
	else
		smi_count(d, SMI_BYTES_TO_DEVICE, c[8]);
	if (d->have[SMI_BYTES_FROM_DEVICE])
		fmt_amount(d->counter[SMI_BYTES_FROM_DEVICE], c[9], CELL);
	else
		smi_count(d, SMI_BYTES_FROM_DEVICE, c[9]);
	smi_count(d, SMI_WAFER_CYCLES, c[10]);
	smi_count(d, SMI_RESETS, c[11]);
	smi_row(f, smi_tel_cols, ARRAY_SIZE(smi_tel_cols), c);
}

/*
 * The header line ("wse-smi 1.1, driver 1.0.0, 2026-11-25 18:30:12"), the
 * devices, then their telemetry.
 */
void smi_print_table(FILE *f, const struct smi_dev *devs, int n, double when)
{
	time_t t = (time_t)when;
	char stamp[32];
	struct tm tm;
	int i;

	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(f, "wse-smi %s, driver %s, %s\n", SMI_VERSION,
		n ? devs[0].info.driver_version : "-", stamp);
	smi_head(f, smi_dev_cols, ARRAY_SIZE(smi_dev_cols));
	for (i = 0; i < n; i++)
		smi_dev_row(f, &devs[i]);
	smi_rule(f, smi_dev_cols, ARRAY_SIZE(smi_dev_cols));
	smi_head(f, smi_tel_cols, ARRAY_SIZE(smi_tel_cols));
	for (i = 0; i < n; i++)
		smi_tel_row(f, &devs[i]);
	smi_rule(f, smi_tel_cols, ARRAY_SIZE(smi_tel_cols));
}
