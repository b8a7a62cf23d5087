// SPDX-License-Identifier: GPL-2.0
/*
 * example.c - helpers shared by the example host programs.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* A decimal number from @min to @max; -1 if @s is not one. */
static int ex_parse_u32(const char *s, uint32_t min, uint32_t max,
			uint32_t *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int ex_parse(int argc, char **argv, const char *prog_name,
	     const struct ex_num_opt *sizes, size_t nsizes,
	     void (*usage)(FILE *f), struct ex_args *a)
{
	const struct ex_num_opt common[] = {
		{ "seed", 's', 0, UINT32_MAX, &a->seed },
	};
	struct ex_num_opt nums[EX_MAX_SIZE_OPTS + EX_ARRAY_SIZE(common)];
	struct option opts[EX_ARRAY_SIZE(nums) + 4];
	char optstring[2 * EX_ARRAY_SIZE(nums) + 6], *s = optstring;
	size_t n, i;
	int c;

	if (nsizes > EX_MAX_SIZE_OPTS)
		abort();
	*a = (struct ex_args){ .seed = 1, .device = "0" };
	memcpy(nums, sizes, nsizes * sizeof(*sizes));
	memcpy(nums + nsizes, common, sizeof(common));
	n = nsizes + EX_ARRAY_SIZE(common);
	for (i = 0; i < n; i++) {
		opts[i] = (struct option){ nums[i].name, required_argument,
					   NULL, nums[i].c };
		*s++ = nums[i].c;
		*s++ = ':';
	}
	opts[n] = (struct option){ "image", required_argument, NULL, 'i' };
	opts[n + 1] = (struct option){ "device", required_argument, NULL, 'd' };
	opts[n + 2] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[n + 3] = (struct option){ NULL, 0, NULL, 0 };
	strcpy(s, "i:d:h");

	while ((c = getopt_long(argc, argv, optstring, opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 1;
		}
		if (c == 'i') {
			a->image = optarg;
			continue;
		}
		if (c == 'd') {
			a->device = optarg;
			continue;
		}
		for (i = 0; i < n && nums[i].c != c; i++)
			;
		if (i == n) {
			usage(stderr);
			return -1;
		}
		if (ex_parse_u32(optarg, nums[i].min, nums[i].max,
				 nums[i].val)) {
			fprintf(stderr, "%s: --%s takes a number of at least %u",
				prog_name, nums[i].name, nums[i].min);
			if (nums[i].max != UINT32_MAX)
				fprintf(stderr, " and at most %u", nums[i].max);
			fprintf(stderr, ", not '%s'\n", optarg);
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog_name,
			argv[optind]);
		usage(stderr);
		return -1;
	}
	return 0;
}

void ex_default_image(struct ex_args *a, const char *fmt, ...)
{
	const char *dir = getenv("WSE_DATADIR");
	char name[96];
	va_list ap;

	if (a->image)
		return;
	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	snprintf(a->image_buf, sizeof(a->image_buf), "%s/%s",
		 dir && *dir ? dir : EX_DATADIR, name);
	a->image = a->image_buf;
}

void ex_fail(const char *prog_name, const struct wse_device *dev,
	     const char *what, int err)
{
	const char *detail = wse_last_error(dev);

	fprintf(stderr, "%s: %s: %s%s%s%s\n", prog_name, what,
		wse_strerror(err), *detail ? " (" : "", detail,
		*detail ? ")" : "");
}

int ex_open(const char *prog_name, const struct ex_args *a,
	    struct wse_device **dev)
{
	const char *d = a->device;
	char what[320];
	unsigned long n;
	char *end;
	int ret;

	n = strtoul(d, &end, 10);
	if (*d >= '0' && *d <= '9' && !*end && n <= INT32_MAX)
		ret = wse_device_open((int)n, dev);
	else
		ret = wse_device_open_path(d, dev);
	if (ret) {
		snprintf(what, sizeof(what), "cannot open wse device %s", d);
		ex_fail(prog_name, NULL, what, ret);
	}
	return ret;
}

int ex_load(const char *prog_name, const struct ex_args *a,
	    struct wse_device **dev, struct wse_program **prog,
	    double *load_s)
{
	char what[320];
	double t0;
	int ret;

	ret = ex_open(prog_name, a, dev);
	if (ret)
		return ret;
	t0 = ex_now();
	ret = wse_program_load_file(*dev, a->image, prog);
	*load_s = ex_now() - t0;
	if (ret) {
		snprintf(what, sizeof(what), "cannot load %s", a->image);
		ex_fail(prog_name, *dev, what, ret);
		wse_device_close(*dev);
		*dev = NULL;
	}
	return ret;
}

int ex_launch(const char *prog_name, struct wse_device *dev,
	      struct wse_program *prog, unsigned int nargs,
	      const uint32_t *args, struct ex_times *t, uint64_t *cycles)
{
	struct wse_task *task;
	double t0;
	int ret;

	t0 = ex_now();
	ret = wse_launch(prog, "compute", nargs, args, 0, &task);
	t->launch = ex_now() - t0;
	if (ret) {
		ex_fail(prog_name, dev, "launching compute", ret);
		return ret;
	}
	*cycles = wse_task_cycles(task);
	wse_task_free(task);
	return 0;
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

void ex_print_times(const struct ex_times *t, double total)
{
	printf("host time: load %.1f ms, copy in %.1f ms, launch %.1f ms, copy out %.1f ms, total %.1f ms\n",
	       t->load * 1e3, t->copy_in * 1e3, t->launch * 1e3,
	       t->copy_out * 1e3, total * 1e3);
}

int ex_report(const char *prog_name, double err)
{
	bool pass = err <= EX_TOLERANCE;

	printf("max relative error: %.3g (normwise, against a double-precision reference; limit %g)\n",
	       err, EX_TOLERANCE);
	printf("%s: %s\n", prog_name, pass ? "PASS" : "FAIL");
	return pass ? 0 : 1;
}
