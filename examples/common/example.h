/* SPDX-License-Identifier: GPL-2.0 */
/*
 * example.h - what every example host program needs besides libwse:
 * the command line they share, a clock, reproducible random numbers, the
 * error measure the examples report, and the device and program setup
 * with readable errors.
 */
#ifndef WSE_EXAMPLE_H
#define WSE_EXAMPLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <wse/wse.h>

/* The SDK's examples convert wafer cycles to seconds at this clock. */
#define EX_CLOCK_HZ	0.85e9

/* Kernel images are installed here; $WSE_DATADIR overrides it. */
#define EX_DATADIR	"/usr/share/wse"

#define EX_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Results within this normwise relative error count as correct. */
#define EX_TOLERANCE	1e-5

/* Seconds on a monotonic clock. */
double ex_now(void);

/* Uniform in [-1, 1), from a 32-bit linear congruential generator. */
float ex_rand(uint32_t *state);

/* max |got - ref| / max |ref| (0 if ref is all zeros). */
double ex_rel_error(const float *got, const double *ref, size_t n);

/*
 * What every example's command line gives besides its sizes. The device
 * (-d) is an index (0: the first device, or the first of $WSE_DEVICE) or
 * a device string: /dev/accel/accel0, drm:0, sim:8x8.
 */
struct ex_args {
	uint32_t seed;		/* of the random input (-s; default 1) */
	const char *device;	/* -d, "0" if not given */
	const char *image;	/* kernel image (-i), see ex_default_image() */
	char image_buf[512];
};

/* The text of -d in every example's usage. */
#define EX_DEVICE_USAGE \
	"  -d, --device DEV   wse device: an index (default 0, the first of\n" \
	"                     $WSE_DEVICE if set), a node, drm:N or sim:WxH\n"

/* Open the device @a names; failures reported on stderr. */
int ex_open(const char *prog_name, const struct ex_args *a,
	    struct wse_device **dev);

/* A size option: -@c or --@name, from @min to @max, into *@val. */
struct ex_num_opt {
	const char *name;
	char c;
	uint32_t min, max;
	uint32_t *val;
};

/* The most size options an example may have. */
#define EX_MAX_SIZE_OPTS	8

/*
 * Parse the command line of example @prog_name: its sizes @sizes (@nsizes
 * of them; their defaults are what they point to already), then -s, -d,
 * -i and -h into @a (@a->device points into @argv). Returns 0 to run, 1 after -h (@usage printed on
 * stdout), -1 for a bad command line (said on stderr, with @usage).
 */
int ex_parse(int argc, char **argv, const char *prog_name,
	     const struct ex_num_opt *sizes, size_t nsizes,
	     void (*usage)(FILE *f), struct ex_args *a);

/*
 * Unless -i named an image: "<datadir>/<name>", with $WSE_DATADIR or
 * EX_DATADIR, the name formatted from @fmt.
 */
void ex_default_image(struct ex_args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Open the device of @a and load its image onto it, reporting failures on
 * stderr with libwse's detail; *@load_s receives the seconds the load
 * took. On success the caller frees *@prog, then closes *@dev.
 */
int ex_load(const char *prog_name, const struct ex_args *a,
	    struct wse_device **dev, struct wse_program **prog,
	    double *load_s);

/* Look up the exported array @name; complain on stderr if it is missing. */
int ex_symbol(const char *prog_name, const struct wse_program *prog,
	      const char *name, struct wse_symbol *sym);

/* Host seconds of each step of a run. */
struct ex_times {
	double load, copy_in, launch, copy_out;
};

/*
 * Launch the kernel's "compute" with @nargs arguments and wait for it:
 * its host seconds into t->launch, the wafer cycles it took into *@cycles.
 * Failures are reported on stderr.
 */
int ex_launch(const char *prog_name, struct wse_device *dev,
	      struct wse_program *prog, unsigned int nargs,
	      const uint32_t *args, struct ex_times *t, uint64_t *cycles);

/* Report a failed libwse call: "<prog>: <what>: <strerror> (<detail>)". */
void ex_fail(const char *prog_name, const struct wse_device *dev,
	     const char *what, int err);

/* Print the host time line: each step of @t, and the @total seconds. */
void ex_print_times(const struct ex_times *t, double total);

/* Print the wafer time line: cycles, microseconds, and a rate if flops. */
void ex_print_cycles(uint64_t cycles, double flops);

/*
 * Print @err, the normwise relative error against the double-precision
 * reference, and whether that passes. Returns the exit status: 0 if it
 * does, 1 if not.
 */
int ex_report(const char *prog_name, double err);

#endif /* WSE_EXAMPLE_H */
