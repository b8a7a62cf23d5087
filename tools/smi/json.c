// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json.c - wse-smi --json: each sample is one line holding a JSON array
 * with one object per device, so that `wse-smi --json -l 1` is a stream
 * of JSON documents, one per line. Counters the driver does not have are
 * null. Strings are escaped byte by byte: control characters and bytes
 * above 0x7e as \u00XX, so the output is valid JSON whatever a sysfs
 * file holds.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <inttypes.h>

#include "smi.h"

static void json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p > 0x7e)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void json_key(FILE *f, const char *key)
{
	json_str(f, key);
	fputc(':', f);
}

static void json_u64(FILE *f, const char *key, uint64_t v)
{
	json_key(f, key);
	fprintf(f, "%" PRIu64 ",", v);
}

static void json_text(FILE *f, const char *key, const char *v)
{
	json_key(f, key);
	json_str(f, v);
	fputc(',', f);
}

static void json_version(FILE *f, const char *key, uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u.%u", v >> 16, v & 0xffff);
	json_text(f, key, buf);
}

static void json_dev(FILE *f, const struct smi_dev *d, double when)
{
	const struct wse_device_info *info = &d->info;
	int i;

	fputc('{', f);
	json_u64(f, "index", d->index);
	json_key(f, "timestamp");
	fprintf(f, "%.3f,", when);
	json_text(f, "node", smi_node_name(info));
	json_text(f, "path", info->node);
	json_key(f, "pci");
	if (info->pci_slot[0])
		json_str(f, info->pci_slot);
	else
		fputs("null", f);
	fputc(',', f);
	json_text(f, "driver_version", info->driver_version);
	json_version(f, "hw_version", info->hw_version);
	json_version(f, "fw_version", info->fw_version);
	json_u64(f, "mesh_width", info->mesh_width);
	json_u64(f, "mesh_height", info->mesh_height);
	json_u64(f, "sram_bytes", info->sram_bytes);
	json_u64(f, "num_queues", info->num_queues);
	json_u64(f, "num_windows", info->num_windows);
	json_u64(f, "window_size", info->window_size);
	json_u64(f, "max_xfer", info->max_xfer);
	json_u64(f, "max_image", info->max_image);
	json_key(f, "counters");
	fputc('{', f);
	for (i = 0; i < SMI_NR_COUNTERS; i++) {
		if (i)
			fputc(',', f);
		json_key(f, smi_counter_names[i]);
		if (d->have[i])
			fprintf(f, "%" PRIu64, d->counter[i]);
		else
			fputs("null", f);
	}
	fputs("}}", f);
}

void smi_print_json(FILE *f, const struct smi_dev *devs, int n, double when)
{
	int i;

	fputc('[', f);
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		json_dev(f, &devs[i], when);
	}
	fputs("]\n", f);
}
