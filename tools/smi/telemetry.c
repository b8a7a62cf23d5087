// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * telemetry.c - what wse-smi reads from sysfs: the driver's counters of
 * each device, and which accel nodes the wse driver drives (to find a
 * device that cannot be opened, for --reset without root).
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smi.h"

#define SMI_ACCEL_CLASS		"/sys/class/accel"
#define SMI_MAX_NODES		256

const char *const smi_counter_names[SMI_NR_COUNTERS] = {
	[SMI_JOBS_SUBMITTED] = "jobs_submitted",
	[SMI_JOBS_COMPLETED] = "jobs_completed",
	[SMI_JOBS_FAILED] = "jobs_failed",
	[SMI_JOBS_TIMED_OUT] = "jobs_timed_out",
	[SMI_COMMANDS_COMPLETED] = "commands_completed",
	[SMI_COMMANDS_FAILED] = "commands_failed",
	[SMI_BYTES_TO_DEVICE] = "bytes_to_device",
	[SMI_BYTES_FROM_DEVICE] = "bytes_from_device",
	[SMI_KERNELS_LAUNCHED] = "kernels_launched",
	[SMI_WAFER_CYCLES] = "wafer_cycles",
	[SMI_PE_FAULTS] = "pe_faults",
	[SMI_IMAGES_LOADED] = "images_loaded",
	[SMI_RESETS] = "resets",
};

/* "accel0" of "/dev/accel/accel0". */
const char *smi_node_name(const struct wse_device_info *info)
{
	const char *slash = strrchr(info->node, '/');

	return slash ? slash + 1 : info->node;
}

static int smi_read_u64(const char *path, uint64_t *v)
{
	FILE *f = fopen(path, "r");
	char end;
	int ret;

	if (!f)
		return -errno;
	ret = fscanf(f, "%" SCNu64 "%c", v, &end) == 2 && end == '\n' ? 0 : -EINVAL;
	fclose(f);
	return ret;
}

/* Read every counter of @d; those that cannot be read are marked absent. */
void smi_read_counters(struct smi_dev *d)
{
	char path[PATH_MAX];
	int i;

	for (i = 0; i < SMI_NR_COUNTERS; i++) {
		snprintf(path, sizeof(path), SMI_ACCEL_CLASS "/%s/device/%s",
			 smi_node_name(&d->info), smi_counter_names[i]);
		d->have[i] = !smi_read_u64(path, &d->counter[i]);
		if (!d->have[i])
			d->counter[i] = 0;
	}
}

/* Whether sysfs says the wse driver drives accel node @minor. */
static bool smi_node_is_wse(int minor)
{
	char path[PATH_MAX], *real, *slash;
	bool wse;

	snprintf(path, sizeof(path), SMI_ACCEL_CLASS "/accel%d/device/driver",
		 minor);
	real = realpath(path, NULL);
	if (!real)
		return false;
	slash = strrchr(real, '/');
	wse = slash && !strcmp(slash + 1, "wse");
	free(real);
	return wse;
}

static int smi_cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/*
 * The node of device @index as libwse numbers them (wse's accel nodes in
 * minor order), found in sysfs, without opening anything. Returns 0 or
 * -ENODEV.
 */
int smi_find_node(int index, char *path, size_t len)
{
	int minors[SMI_MAX_NODES], n = 0, i, m, found = 0;
	struct dirent *de;
	char end;
	DIR *d;

	d = opendir(SMI_ACCEL_CLASS);
	if (!d)
		return -ENODEV;
	while ((de = readdir(d)) && n < SMI_MAX_NODES)
		if (sscanf(de->d_name, "accel%d%c", &m, &end) == 1 && m >= 0)
			minors[n++] = m;
	closedir(d);
	qsort(minors, n, sizeof(*minors), smi_cmp_int);
	for (i = 0; i < n; i++) {
		if (!smi_node_is_wse(minors[i]))
			continue;
		if (found++ == index) {
			snprintf(path, len, "/dev/accel/accel%d", minors[i]);
			return 0;
		}
	}
	return -ENODEV;
}
