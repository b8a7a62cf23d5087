// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trace.c - wse-run --trace FILE and --profile PREFIX.
 *
 * --trace writes libwse's trace-event JSON of the last --launch.
 * --profile writes, for each counter of struct wse_pe_counters,
 * PREFIX-COUNTER.png: a heatmap of the region, one pixel per PE (x to
 * the right, y down, as the region), coloured with the viridis map
 * (dark purple 0, through blue and green, to yellow at the largest value
 * of that counter over the region; linear), with the maximum in a tEXt
 * chunk "wse-max"; and PREFIX.csv, one line per PE with every counter.
 * PNG encoding is libpng's.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <inttypes.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/trace.h"

struct counter {
	const char *name;
	size_t off;
};

#define C(f) { #f, offsetof(struct wse_pe_counters, f) }
static const struct counter counters[] = {
	C(cycles), C(busy), C(stall_send), C(stall_recv), C(idle),
	C(wavelets_in), C(wavelets_out), C(sram_bytes), C(instructions), C(tasks),
};
#undef C

static uint64_t counter_get(const struct wse_pe_counters *c, const struct counter *k)
{
	uint64_t v;

	memcpy(&v, (const char *)c + k->off, sizeof(v));
	return v;
}

/* matplotlib's viridis at 0, 1/8, ..., 1; linear in between. */
static const uint8_t viridis[9][3] = {
	{ 68, 1, 84 }, { 71, 44, 122 }, { 59, 81, 139 }, { 44, 113, 142 },
	{ 33, 144, 141 }, { 39, 173, 129 }, { 92, 200, 99 }, { 170, 220, 50 },
	{ 253, 231, 37 },
};

static void colour(uint64_t v, uint64_t max, uint8_t *rgb)
{
	/* Position in 1/1024ths of the map, in integers: same bytes anywhere. */
	uint64_t pos = max ? (uint64_t)(((unsigned __int128)v * 8 * 1024) / max) : 0;
	unsigned int i = (unsigned int)(pos / 1024), f = (unsigned int)(pos % 1024);

	if (i >= 8) {
		i = 7;
		f = 1024;
	}
	for (unsigned int k = 0; k < 3; k++)
		rgb[k] = (uint8_t)((viridis[i][k] * (1024 - f) + viridis[i + 1][k] * f) / 1024);
}

/* Encode w x h RGB pixels; libpng reports errors by longjmp. */
static int png_encode(FILE *f, const uint8_t *rgb, uint32_t w, uint32_t h,
		      const char *maxs)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	png_text text = { 0 };

	if (!png || !info) {
		png_destroy_write_struct(&png, &info);
		return -ENOMEM;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return -EIO;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	text.compression = PNG_TEXT_COMPRESSION_NONE;
	text.key = (char *)"wse-max";
	text.text = (char *)maxs;
	png_set_text(png, info, &text, 1);
	png_write_info(png, info);
	for (uint32_t y = 0; y < h; y++)
		png_write_row(png, (png_const_bytep)(rgb + (size_t)y * w * 3));
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return 0;
}

static int png_write(const char *path, const struct wse_pe_counters *c,
		     const struct counter *k, uint32_t w, uint32_t h,
		     char *err, size_t errlen)
{
	size_t npes = (size_t)w * h;
	uint8_t *rgb;
	uint64_t max = 0;
	char maxs[32];
	FILE *f;
	int ret;

	for (size_t i = 0; i < npes; i++)
		if (counter_get(&c[i], k) > max)
			max = counter_get(&c[i], k);
	rgb = malloc(npes * 3);
	if (!rgb) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	for (size_t i = 0; i < npes; i++)
		colour(counter_get(&c[i], k), max, &rgb[i * 3]);
	snprintf(maxs, sizeof(maxs), "%" PRIu64, max);
	f = fopen(path, "wb");
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(rgb);
		return ret;
	}
	ret = png_encode(f, rgb, w, h, maxs);
	if (fclose(f) && !ret)
		ret = -EIO;
	if (ret)
		snprintf(err, errlen, "%s: libpng could not write it (%s)", path, strerror(-ret));
	free(rgb);
	return ret;
}

static int csv_write(const char *path, const struct wse_pe_counters *c,
		     uint32_t w, uint32_t h, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	fprintf(f, "x,y");
	for (size_t k = 0; k < sizeof(counters) / sizeof(counters[0]); k++)
		fprintf(f, ",%s", counters[k].name);
	fprintf(f, "\n");
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++) {
			fprintf(f, "%u,%u", x, y);
			for (size_t k = 0; k < sizeof(counters) / sizeof(counters[0]); k++)
				fprintf(f, ",%" PRIu64, counter_get(&c[(size_t)y * w + x], &counters[k]));
			fprintf(f, "\n");
		}
	if (fclose(f)) {
		snprintf(err, errlen, "%s: write failed", path);
		ret = -EIO;
	}
	return ret;
}

int run_profile_write(const char *prefix, const struct wse_pe_counters *c,
		      uint32_t width, uint32_t height, char *err, size_t errlen)
{
	size_t len = strlen(prefix) + 32;
	char *path = malloc(len);
	int ret = 0;

	if (!path) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	/* cycles is the launch's, the same on every PE: no map of it. */
	for (size_t k = 1; k < sizeof(counters) / sizeof(counters[0]) && !ret; k++) {
		snprintf(path, len, "%s-%s.png", prefix, counters[k].name);
		ret = png_write(path, c, &counters[k], width, height, err, errlen);
	}
	if (!ret) {
		snprintf(path, len, "%s.csv", prefix);
		ret = csv_write(path, c, width, height, err, errlen);
	}
	free(path);
	return ret;
}

int run_trace_number(const char *opt, const char *arg, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || end == arg || *end || v > UINT32_MAX || arg[0] == '-') {
		fprintf(stderr, "wse-run: %s %s: not a number of 0..%u\n", opt, arg, UINT32_MAX);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int run_trace_arm(struct wse_device *dev, const struct run_trace *t)
{
	struct wse_trace_config cfg = {
		.flags = t->json ? WSE_TRACE_EVENTS : WSE_TRACE_COUNTERS,
		.sample_every = t->sample,
		.max_events = t->max_events,
	};
	int ret = wse_trace_next_launch(dev, &cfg);

	if (ret)
		fprintf(stderr, "wse-run: --trace/--profile: %s\n", wse_last_error(dev));
	return ret;
}

int run_trace_write(struct wse_device *dev, const struct wse_program *prog,
		    const struct run_trace *t, int quiet)
{
	struct wse_pe_counters *c = NULL;
	struct wse_region rg;
	char err[512];
	int ret = 0;

	if (t->json) {
		ret = wse_trace_write_json(dev, t->json);
		if (ret) {
			fprintf(stderr, "wse-run: --trace %s: %s\n", t->json, wse_last_error(dev));
			return ret;
		}
		if (!quiet)
			printf("trace: %s\n", t->json);
	}
	if (!t->profile)
		return 0;
	ret = wse_program_region(prog, &rg);
	if (!ret) {
		c = calloc((size_t)rg.width * rg.height, sizeof(*c));
		ret = c ? wse_counters_read(dev, c, (size_t)rg.width * rg.height) : -ENOMEM;
	}
	if (ret < 0) {
		fprintf(stderr, "wse-run: --profile %s: %s\n", t->profile,
			ret == -ENOMEM ? "out of memory" : wse_last_error(dev));
		free(c);
		return ret;
	}
	ret = run_profile_write(t->profile, c, rg.width, rg.height, err, sizeof(err));
	free(c);
	if (ret)
		fprintf(stderr, "wse-run: --profile: %s\n", err);
	else if (!quiet)
		printf("profile: %s-*.png (viridis, 0 to each counter's maximum), %s.csv\n",
		       t->profile, t->profile);
	return ret;
}
