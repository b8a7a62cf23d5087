// SPDX-License-Identifier: GPL-2.0
/*
 * example.c - helpers shared by the example host programs.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "example.h"

double ex_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

float ex_rand(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return (float)(*state >> 8) / (float)(1u << 23) - 1.0f;
}

double ex_rel_error(const float *got, const double *ref, size_t n)
{
	double diff = 0, norm = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double d = fabs((double)got[i] - ref[i]);

		/* A NaN must not hide behind the comparisons below. */
		if (isnan(d))
			return INFINITY;
		if (d > diff)
			diff = d;
		if (fabs(ref[i]) > norm)
			norm = fabs(ref[i]);
	}
	return norm > 0 ? diff / norm : diff;
}

const char *ex_image_path(char *buf, size_t len, const char *name)
{
	const char *dir = getenv("WSE_DATADIR");

	snprintf(buf, len, "%s/%s", dir && *dir ? dir : EX_DATADIR, name);
	return buf;
}

int ex_parse_u32(const char *s, uint32_t min, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

void ex_fail(const char *prog_name, const struct wse_device *dev,
	     const char *what, int err)
{
	const char *detail = wse_last_error(dev);

	fprintf(stderr, "%s: %s: %s%s%s%s\n", prog_name, what,
		wse_strerror(err), *detail ? " (" : "", detail,
		*detail ? ")" : "");
}

int ex_load(const char *prog_name, int index, const char *image,
	    struct wse_device **dev, struct wse_program **prog,
	    double *load_s)
{
	char what[320];
	double t0;
	int ret;

	ret = wse_device_open(index, dev);
	if (ret) {
		snprintf(what, sizeof(what), "cannot open wse device %d", index);
		ex_fail(prog_name, NULL, what, ret);
		return ret;
	}
	t0 = ex_now();
	ret = wse_program_load_file(*dev, image, prog);
	*load_s = ex_now() - t0;
	if (ret) {
		snprintf(what, sizeof(what), "cannot load %s", image);
		ex_fail(prog_name, *dev, what, ret);
		wse_device_close(*dev);
		*dev = NULL;
	}
	return ret;
}

int ex_symbol(const char *prog_name, const struct wse_program *prog,
	      const char *name, struct wse_symbol *sym)
{
	int ret = wse_program_symbol(prog, name, sym);

	if (ret)
		fprintf(stderr, "%s: the image exports no array '%s': is it the right image?\n",
			prog_name, name);
	return ret;
}

void ex_print_cycles(uint64_t cycles, double flops)
{
	double s = cycles / EX_CLOCK_HZ;

	printf("wafer: %" PRIu64 " cycles = %.2f us at %.2f GHz", cycles,
	       s * 1e6, EX_CLOCK_HZ / 1e9);
	if (flops > 0 && cycles)
		printf(", %.1f GFLOP/s", flops / s / 1e9);
	printf("\n");
}
