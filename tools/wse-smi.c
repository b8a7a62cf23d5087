// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-smi - list wse devices and show their state, like nvidia-smi.
 *
 *   wse-smi              a table of every device and its telemetry
 *   wse-smi -L           one line per device
 *   wse-smi --json       one line of JSON: an array, one object per device
 *   wse-smi -l SEC       again every SEC seconds (-c N: N samples, then exit)
 *   wse-smi -i N         only device N (with any view)
 *   wse-smi --reset -i N reset device N (needs root)
 *
 * Exit status: 0; 1 if no (such) device was found or one failed; 2 for a
 * usage error; 4 if resetting was refused for lack of privilege.
 * The pieces live in tools/smi/.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smi/smi.h"

#define SMI_MAX_DEVICES		64
#define SMI_EXIT_PERM		4

enum smi_view { SMI_TABLE, SMI_LIST, SMI_JSON };

struct smi_opts {
	enum smi_view view;
	int only;		/* device index, -1 for all */
	double interval;	/* seconds between samples */
	long count;		/* samples, 0 for no end */
	bool reset;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: wse-smi [-L | --json] [-i INDEX] [-l SEC] [-c COUNT]\n"
		"       wse-smi --reset -i INDEX\n"
		"Show the wse wafer-scale engines of this machine and their telemetry.\n\n"
		"  -L, --list         one line per device\n"
		"  -j, --json         JSON: per sample one line, an array with one\n"
		"                     object per device\n"
		"  -i, --id=INDEX     only the device with this index\n"
		"  -l, --loop=SEC     sample again every SEC seconds until interrupted\n"
		"  -c, --count=COUNT  stop after COUNT samples (every second without -l)\n"
		"  -r, --reset        reset the device given with -i (needs root)\n"
		"  -h, --help         this text\n");
}

static double now_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void sleep_for(double s)
{
	struct timespec ts = {
		.tv_sec = (time_t)s,
		.tv_nsec = (long)((s - floor(s)) * 1e9),
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int parse_opts(int argc, char **argv, struct smi_opts *o)
{
	static const struct option opts[] = {
		{ "list", no_argument, NULL, 'L' },
		{ "json", no_argument, NULL, 'j' },
		{ "id", required_argument, NULL, 'i' },
		{ "loop", required_argument, NULL, 'l' },
		{ "count", required_argument, NULL, 'c' },
		{ "reset", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool loop = false, counted = false;
	char *end;
	int c;

	*o = (struct smi_opts){ .view = SMI_TABLE, .only = -1, .interval = 1 };
	while ((c = getopt_long(argc, argv, "Lji:l:c:rh", opts, NULL)) != -1) {
		switch (c) {
		case 'L':
			o->view = SMI_LIST;
			break;
		case 'j':
			o->view = SMI_JSON;
			break;
		case 'i':
			errno = 0;
			o->only = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || o->only < 0) {
				fprintf(stderr, "wse-smi: bad index '%s'\n", optarg);
				return 2;
			}
			break;
		case 'l':
			o->interval = strtod(optarg, &end);
			if (end == optarg || *end || !(o->interval > 0) ||
			    o->interval > 86400) {
				fprintf(stderr, "wse-smi: bad interval '%s' (0 < SEC <= 86400)\n",
					optarg);
				return 2;
			}
			loop = true;
			break;
		case 'c':
			errno = 0;
			o->count = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || o->count < 1) {
				fprintf(stderr, "wse-smi: bad count '%s'\n", optarg);
				return 2;
			}
			counted = true;
			break;
		case 'r':
			o->reset = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	/* -l without -c runs until interrupted, nothing samples once. */
	if (!counted)
		o->count = loop ? 0 : 1;
	if (o->reset && (o->only < 0 || loop || counted ||
			 o->view != SMI_TABLE)) {
		fprintf(stderr, "wse-smi: --reset takes -i INDEX and nothing else\n");
		return 2;
	}
	return 0;
}

/* Reset device @index: open its node (found in sysfs) and ask the driver. */
static int smi_reset(int index)
{
	struct wse_device *dev;
	char node[64];
	uint64_t count = 0;
	const char *name;
	int ret;

	if (smi_find_node(index, node, sizeof(node))) {
		fprintf(stderr, "wse-smi: no wse device %d\n", index);
		return 1;
	}
	name = strrchr(node, '/') + 1;
	ret = wse_device_open_path(node, &dev);
	if (!ret) {
		ret = wse_device_reset(dev, &count);
		wse_device_close(dev);
	}
	if (ret == -EACCES || ret == -EPERM) {
		fprintf(stderr, "wse-smi: resetting %s needs root (CAP_SYS_ADMIN): %s\n",
			name, wse_strerror(ret));
		return SMI_EXIT_PERM;
	}
	if (ret) {
		fprintf(stderr, "wse-smi: resetting %s failed: %s (%s)\n", name,
			wse_strerror(ret), wse_last_error(NULL));
		return 1;
	}
	printf("%s: reset (reset %" PRIu64 " since the driver bound): running jobs were cancelled, SRAM is zeroed, open contexts must allocate their regions again\n",
	       name, count);
	return 0;
}

/* Open every wanted device once for what does not change. */
static int smi_enumerate(const struct smi_opts *o, struct smi_dev *devs,
			 int *shown)
{
	struct wse_device *dev;
	int i, n, ret, rc = 0;

	*shown = 0;
	n = wse_device_count();
	if (n < 0) {
		fprintf(stderr, "wse-smi: %s\n", wse_last_error(NULL));
		return 1;
	}
	for (i = 0; i < n && *shown < SMI_MAX_DEVICES; i++) {
		if (o->only >= 0 && i != o->only)
			continue;
		ret = wse_device_open(i, &dev);
		if (!ret) {
			ret = wse_device_info(dev, &devs[*shown].info);
			wse_device_close(dev);
		}
		if (ret) {
			fprintf(stderr, "wse-smi: device %d: %s (%s)\n", i,
				wse_strerror(ret), wse_last_error(NULL));
			rc = 1;
			continue;
		}
		devs[(*shown)++].index = i;
	}
	if (!*shown) {
		if (o->only >= 0)
			fprintf(stderr, "wse-smi: no wse device %d (found %d)\n",
				o->only, n);
		else
			fprintf(stderr, "No wse devices found.\n");
		return 1;
	}
	return rc;
}

static void smi_sample(const struct smi_opts *o, struct smi_dev *devs, int n)
{
	double when = now_real();
	int i;

	for (i = 0; i < n; i++)
		smi_read_counters(&devs[i]);
	switch (o->view) {
	case SMI_LIST:
		for (i = 0; i < n; i++)
			smi_print_line(stdout, &devs[i]);
		break;
	case SMI_JSON:
		smi_print_json(stdout, devs, n, when);
		break;
	case SMI_TABLE:
		smi_print_table(stdout, devs, n, when);
		break;
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	static struct smi_dev devs[SMI_MAX_DEVICES];
	struct smi_opts o;
	int n, rc;
	long s;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc;
	if (o.reset)
		return smi_reset(o.only);

	rc = smi_enumerate(&o, devs, &n);
	if (!n)
		return rc;
	for (s = 0; !o.count || s < o.count; s++) {
		if (s)
			sleep_for(o.interval);
		smi_sample(&o, devs, n);
	}
	return rc;
}
