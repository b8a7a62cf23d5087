/* SPDX-License-Identifier: GPL-2.0 */
/*
 * example.h - what every example host program needs besides libwse:
 * a clock, reproducible random numbers, the error measure the examples
 * report, and the device and program setup with readable errors.
 */
#ifndef WSE_EXAMPLE_H
#define WSE_EXAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include <wse/wse.h>

/* The SDK's examples convert wafer cycles to seconds at this clock. */
#define EX_CLOCK_HZ	0.85e9

/* Kernel images are installed here; $WSE_DATADIR overrides it. */
#define EX_DATADIR	"/usr/share/wse"

/* Results within this normwise relative error count as correct. */
#define EX_TOLERANCE	1e-5

/* Seconds on a monotonic clock. */
double ex_now(void);

/* Uniform in [-1, 1), from a 32-bit linear congruential generator. */
float ex_rand(uint32_t *state);

/* max |got - ref| / max |ref| (0 if ref is all zeros). */
double ex_rel_error(const float *got, const double *ref, size_t n);

/* "<datadir>/<name>" into buf, with $WSE_DATADIR or EX_DATADIR. */
const char *ex_image_path(char *buf, size_t len, const char *name);

/* Parse a decimal number of 32 bits, at least @min; -1 if it is not one. */
int ex_parse_u32(const char *s, uint32_t min, uint32_t *out);

/*
 * Open device @index and load @image onto it, reporting failures on
 * stderr with libwse's detail; *@load_s receives the seconds the load
 * took. On success the caller frees *@prog, then closes *@dev.
 */
int ex_load(const char *prog_name, int index, const char *image,
	    struct wse_device **dev, struct wse_program **prog,
	    double *load_s);

/* Look up the exported array @name; complain on stderr if it is missing. */
int ex_symbol(const char *prog_name, const struct wse_program *prog,
	      const char *name, struct wse_symbol *sym);

/* Report a failed libwse call: "<prog>: <what>: <strerror> (<detail>)". */
void ex_fail(const char *prog_name, const struct wse_device *dev,
	     const char *what, int err);

/* Print the wafer time line: cycles, microseconds, and a rate if flops. */
void ex_print_cycles(uint64_t cycles, double flops);

#endif /* WSE_EXAMPLE_H */
