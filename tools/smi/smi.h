/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * smi.h - the pieces of wse-smi: devices, their telemetry, and the table
 * and JSON views.
 *
 * Copyright (c) 2026 The wse authors.
 */
#ifndef WSE_SMI_H
#define WSE_SMI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <wse/wse.h>

#define SMI_VERSION		"1.1"

/* Telemetry attributes of the driver (Documentation/ABI/testing/sysfs-driver-wse) */
enum smi_counter {
	SMI_JOBS_SUBMITTED,
	SMI_JOBS_COMPLETED,
	SMI_JOBS_FAILED,
	SMI_JOBS_TIMED_OUT,
	SMI_COMMANDS_COMPLETED,
	SMI_COMMANDS_FAILED,
	SMI_BYTES_TO_DEVICE,
	SMI_BYTES_FROM_DEVICE,
	SMI_KERNELS_LAUNCHED,
	SMI_WAFER_CYCLES,
	SMI_PE_FAULTS,
	SMI_IMAGES_LOADED,
	SMI_RESETS,
	SMI_NR_COUNTERS
};

/* The sysfs name of each counter, also its JSON key. */
extern const char *const smi_counter_names[SMI_NR_COUNTERS];

/* One device at one moment. */
struct smi_dev {
	int index;			/* libwse's device index */
	struct wse_device_info info;
	bool have[SMI_NR_COUNTERS];	/* the attribute could be read */
	uint64_t counter[SMI_NR_COUNTERS];
};

/* telemetry.c */
const char *smi_node_name(const struct wse_device_info *info);
void smi_read_counters(struct smi_dev *d);
int smi_find_node(int index, char *path, size_t len);

/* table.c */
void smi_print_line(FILE *f, const struct smi_dev *d);
void smi_print_table(FILE *f, const struct smi_dev *devs, int n,
		     double when);

/* json.c */
void smi_print_json(FILE *f, const struct smi_dev *devs, int n, double when);

#endif /* WSE_SMI_H */
