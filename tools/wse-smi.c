// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-smi - list wse devices and show their state, like nvidia-smi.
 *
 *   wse-smi          a table of every device
 *   wse-smi -L       one line per device
 *   wse-smi -i N     only device N (with either view)
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wse/wse.h>

#define WSE_SMI_VERSION		"1.0"

static const char *node_name(const struct wse_device_info *info)
{
	const char *slash = strrchr(info->node, '/');

	return slash ? slash + 1 : info->node;
}

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

static const char *fmt_version(uint32_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u", v >> 16, v & 0xffff);
	return buf;
}

static void print_line(const struct wse_device_info *info)
{
	char sram[16], hw[16];

	printf("%s: wse mesh %ux%u, %s SRAM/PE, %u queues, %u windows, hw %s",
	       node_name(info), info->mesh_width, info->mesh_height,
	       fmt_bytes(info->sram_bytes, sram, sizeof(sram)),
	       info->num_queues, info->num_windows,
	       fmt_version(info->hw_version, hw, sizeof(hw)));
	if (info->pci_slot[0])
		printf(" (pci %s)", info->pci_slot);
	printf("\n");
}

static const char table_rule[] =
	"+-----+--------+-----------+---------+-----------+--------+---------+------+------+--------------+\n";

static void print_table_head(const struct wse_device_info *first)
{
	printf("wse-smi %s, driver %s\n", WSE_SMI_VERSION, first->driver_version);
	printf("%s", table_rule);
	printf("| %-3s | %-6s | %-9s | %-7s | %-9s | %-6s | %-7s | %-4s | %-4s | %-12s |\n",
	       "Idx", "Node", "Mesh", "SRAM/PE", "SRAM", "Queues", "Windows",
	       "HW", "FW", "PCI");
	printf("%s", table_rule);
}

static void print_table_row(int index, const struct wse_device_info *info)
{
	char mesh[24], sram[16], total[16], hw[16], fw[16];
	uint64_t all = (uint64_t)info->mesh_width * info->mesh_height *
		       info->sram_bytes;

	snprintf(mesh, sizeof(mesh), "%ux%u", info->mesh_width,
		 info->mesh_height);
	printf("| %3d | %-6s | %-9s | %-7s | %-9s | %6u | %7u | %-4s | %-4s | %-12s |\n",
	       index, node_name(info), mesh,
	       fmt_bytes(info->sram_bytes, sram, sizeof(sram)),
	       fmt_bytes(all, total, sizeof(total)), info->num_queues,
	       info->num_windows, fmt_version(info->hw_version, hw, sizeof(hw)),
	       fmt_version(info->fw_version, fw, sizeof(fw)),
	       info->pci_slot[0] ? info->pci_slot : "-");
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: wse-smi [-L] [-i INDEX]\n"
		"Show the wse wafer-scale engines of this machine.\n\n"
		"  -L, --list        one line per device\n"
		"  -i, --id=INDEX    only the device with this index\n"
		"  -h, --help        this text\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "list", no_argument, NULL, 'L' },
		{ "id", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct wse_device_info info;
	struct wse_device *dev;
	int list = 0, only = -1, shown = 0;
	int c, i, n, ret, rc = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "Li:h", opts, NULL)) != -1) {
		switch (c) {
		case 'L':
			list = 1;
			break;
		case 'i':
			only = strtol(optarg, &end, 10);
			if (*end || only < 0) {
				fprintf(stderr, "wse-smi: bad index '%s'\n", optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}

	n = wse_device_count();
	if (n < 0) {
		fprintf(stderr, "wse-smi: %s\n", wse_last_error(NULL));
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (only >= 0 && i != only)
			continue;
		ret = wse_device_open(i, &dev);
		if (!ret)
			ret = wse_device_info(dev, &info);
		if (ret) {
			fprintf(stderr, "wse-smi: device %d: %s (%s)\n", i,
				wse_strerror(ret), wse_last_error(NULL));
			rc = 1;
			if (!ret)
				wse_device_close(dev);
			continue;
		}
		wse_device_close(dev);
		if (list) {
			print_line(&info);
		} else {
			if (!shown)
				print_table_head(&info);
			print_table_row(i, &info);
		}
		shown++;
	}
	if (shown && !list)
		printf("%s", table_rule);
	if (!shown) {
		if (only >= 0)
			fprintf(stderr, "wse-smi: no wse device %d (found %d)\n",
				only, n);
		else
			fprintf(stderr, "No wse devices found.\n");
		return 1;
	}
	return rc;
}
