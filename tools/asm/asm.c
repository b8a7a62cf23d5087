// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * asm.c - the library entry points of wse-asm.h: run the passes over one
 * source and hand back the image or the diagnostics.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"

static int asm_run(struct asm_ctx *a, int (*push)(struct asm_ctx *, const void *),
		   const void *arg)
{
	const char *const *defs = a->opts ? a->opts->defines : NULL;
	int ret;

	a->sram = ASM_DEFAULT_SRAM;
	a->cur_group = -1;
	a->pass = 1;
	for (size_t i = 0; defs && defs[i]; i++)
		if (define_constant(a, defs[i]))
			return -EINVAL;
	ret = push(a, arg);
	if (ret)
		return ret;
	/*
	 * Every error of a file in one run: layout and pass 2 go on after
	 * errors of pass 1 (statements that failed there are not replayed),
	 * as long as there is a layout to place things on.
	 */
	ret = pass1_run(a);
	if (!asm_stop(a)) {
		int lret = layout_run(a);

		if (!lret || a->placed)
			pass2_run(a);
		if (!ret)
			ret = lret;
	}
	if (!ret && a->errors)
		ret = -EINVAL;
	if (!ret)
		ret = emit_image(a);
	return ret && a->nomem ? -ENOMEM : ret;
}

struct buf_arg {
	const char *name, *text;
	size_t len;
};

static int push_buffer(struct asm_ctx *a, const void *arg)
{
	const struct buf_arg *b = arg;

	return src_push_buffer(a, b->name, b->text, b->len);
}

static int push_file(struct asm_ctx *a, const void *arg)
{
	return src_push_file(a, arg, NULL, 0);
}

static int asm_main(const char *name, int (*push)(struct asm_ctx *, const void *),
		    const void *arg, const struct wse_asm_options *opts,
		    void **image, size_t *len, char *err, size_t errlen)
{
	struct asm_ctx *a = calloc(1, sizeof(*a));
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (!image || !len) {
		free(a);
		return -EINVAL;
	}
	*image = NULL;
	*len = 0;
	if (!a) {
		if (err && errlen)
			snprintf(err, errlen, "wse-as: error: out of memory\n");
		return -ENOMEM;
	}
	a->opts = opts;
	a->main_file = name;
	ret = asm_run(a, push, arg);
	if (!ret && a->errors)
		ret = -EINVAL;
	if (ret) {
		free(a->image);
	} else {
		*image = a->image;
		*len = a->image_len;
	}
	if (err && errlen && a->diag)
		snprintf(err, errlen, "%s", a->diag);
	arena_free(&a->ar);
	free(a->diag);
	free(a);
	return ret;
}

int wse_asm_buffer(const char *name, const char *text, size_t textlen,
		   const struct wse_asm_options *opts, void **image,
		   size_t *len, char *err, size_t errlen)
{
	struct buf_arg b = { .name = name ? name : "<buffer>", .text = text,
			     .len = textlen };

	if (!text && textlen)
		return -EINVAL;
	return asm_main(b.name, push_buffer, &b, opts, image, len, err,
			errlen);
}

int wse_asm_file_opts(const char *path, const struct wse_asm_options *opts,
		      void **image, size_t *len, char *err, size_t errlen)
{
	if (!path)
		return -EINVAL;
	return asm_main(path, push_file, path, opts, image, len, err, errlen);
}

int wse_asm_file(const char *path, const char *const *include_dirs,
		 void **image, size_t *len, char *err, size_t errlen)
{
	struct wse_asm_options o = { .include_dirs = include_dirs };

	return wse_asm_file_opts(path, &o, image, len, err, errlen);
}
