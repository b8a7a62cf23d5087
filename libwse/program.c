// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * program.c - loading kernel images and looking up their symbols.
 *
 * The image is parsed on the host with the same parser the device uses
 * (abi/image.c), for its extent and its symbols; the backend parses it
 * again on LOAD and is the judge of whether it runs.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"
#include "isa.h"
#include "wafer-abi.h"
#include "wse_priv.h"

_Static_assert(WSE_SYMBOL_OBJECT == WAFER_SYM_OBJECT, "symbol kinds");
_Static_assert(WSE_SYMBOL_FUNCTION == WAFER_SYM_FUNCTION, "symbol kinds");

static int wse_program_send(struct wse_program *prog, const void *image,
			    size_t len)
{
	struct wse_backend_cmd cmd = {
		.op = WSE_BACKEND_OP_LOAD,
		.host = (void *)image,
		.length = len,
	};

	return wse_task_start(prog->dev, &cmd, 1, 0, NULL);
}

int wse_program_load_mem(struct wse_device *dev, const void *image, size_t len,
			 struct wse_program **out)
{
	struct wse_program *prog;
	char err[WSE_ERR_LEN];
	uint32_t w, h;
	int ret;

	if (!dev || !image || !out)
		return wse_fail(dev, -EINVAL, "%s: NULL argument", __func__);
	if (!len || len > dev->info.max_image)
		return wse_fail(dev, -EINVAL, "a %zu byte image is not 1..%u bytes",
				len, dev->info.max_image);
	prog = calloc(1, sizeof(*prog));
	if (!prog)
		return wse_fail(dev, -ENOMEM, "out of memory");
	prog->dev = dev;

	ret = wafer_image_parse(image, len, &prog->img, err, sizeof(err));
	if (ret) {
		wse_fail(dev, ret, "bad image: %s", err);
		goto err_free;
	}
	wafer_image_extent(prog->img, &w, &h);
	ret = wse_region_reserve(dev, w, h, prog, &prog->region);
	if (ret)
		goto err_image;
	ret = wse_program_send(prog, image, len);
	if (ret)
		goto err_region;
	*out = prog;
	return 0;

err_region:
	wse_region_release(dev, prog);
err_image:
	wafer_image_free(prog->img);
err_free:
	free(prog);
	return ret;
}

int wse_program_load_file(struct wse_device *dev, const char *path,
			  struct wse_program **prog)
{
	size_t len, done = 0;
	struct stat st;
	ssize_t n;
	void *data;
	int fd, ret;

	if (!dev || !path || !prog)
		return wse_fail(dev, -EINVAL, "%s: NULL argument", __func__);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		return wse_fail(dev, ret, "open %s: %s", path, wse_strerror(ret));
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    st.st_size > dev->info.max_image || !st.st_size) {
		ret = wse_fail(dev, -EINVAL, "%s is not an image of 1..%u bytes",
			       path, dev->info.max_image);
		goto out_close;
	}
	len = st.st_size;
	data = malloc(len);
	if (!data) {
		ret = wse_fail(dev, -ENOMEM, "out of memory");
		goto out_close;
	}
	while (done < len) {
		n = read(fd, (char *)data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n ? -errno : -EIO;
			wse_fail(dev, ret, "read %s: %s", path, wse_strerror(ret));
			goto out_data;
		}
		done += n;
	}
	ret = wse_program_load_mem(dev, data, len, prog);
out_data:
	free(data);
out_close:
	close(fd);
	return ret;
}

void wse_program_free(struct wse_program *prog)
{
	if (!prog)
		return;
	wse_region_release(prog->dev, prog);
	wafer_image_free(prog->img);
	free(prog);
}

int wse_program_region(const struct wse_program *prog, struct wse_region *region)
{
	if (!prog || !region)
		return wse_fail(NULL, -EINVAL, "%s: NULL argument", __func__);
	*region = prog->region;
	return 0;
}

/* The image's element type of an array as a wse_type. */
static uint32_t wse_program_elem_type(uint32_t isa_type)
{
	switch (isa_type) {
	case ISA_T_I32:
		return WSE_TYPE_I32;
	case ISA_T_F32:
		return WSE_TYPE_F32;
	case ISA_T_I16:
		return WSE_TYPE_I16;
	case ISA_T_F16:
		return WSE_TYPE_F16;
	}
	return WSE_TYPE_NONE;
}

static void wse_program_fill(const struct wse_program *prog, unsigned int i,
			     struct wse_symbol *sym)
{
	const struct wafer_image_symbol *s = &prog->img->symbols[i];

	*sym = (struct wse_symbol) {
		.name = s->name,
		.kind = s->kind,
		.index = i,
		.addr = s->addr,
		.size = s->size,
		.elem_bytes = s->elem_bytes,
		.elem_type = s->kind == WAFER_SYM_OBJECT ?
			     wse_program_elem_type(s->elem_type) : WSE_TYPE_NONE,
	};
}

int wse_program_lookup(const struct wse_program *prog, const char *name,
		       uint32_t kind, struct wse_symbol *sym)
{
	struct wafer_symbol ws;

	if (!prog || !name || !sym)
		return wse_fail(prog ? prog->dev : NULL, -EINVAL,
				"symbol lookup: NULL argument");
	if (wafer_image_symbol_find(prog->img, name, &ws) || ws.kind != kind)
		return wse_fail(prog->dev, -ENOENT, "the program exports no %s named '%s'",
				kind == WSE_SYMBOL_FUNCTION ? "function" : "array",
				name);
	wse_program_fill(prog, ws.index, sym);
	return 0;
}

/*
 * The default versions, which fill struct wse_symbol with its elem_type;
 * compat.c has those of WSE_1.0.
 */
__asm__(".symver wse_program_symbol_1_2, wse_program_symbol@@WSE_1.2");
int wse_program_symbol_1_2(const struct wse_program *prog, const char *name,
			   struct wse_symbol *sym)
{
	return wse_program_lookup(prog, name, WSE_SYMBOL_OBJECT, sym);
}

__asm__(".symver wse_program_function_1_2, wse_program_function@@WSE_1.2");
int wse_program_function_1_2(const struct wse_program *prog, const char *name,
			     struct wse_symbol *sym)
{
	return wse_program_lookup(prog, name, WSE_SYMBOL_FUNCTION, sym);
}

int wse_program_symbol_count(const struct wse_program *prog)
{
	if (!prog)
		return wse_fail(NULL, -EINVAL, "%s: NULL program", __func__);
	return (int)prog->img->nsymbols;
}

int wse_program_symbol_at(const struct wse_program *prog, unsigned int index,
			  struct wse_symbol *sym)
{
	if (!prog || !sym)
		return wse_fail(prog ? prog->dev : NULL, -EINVAL,
				"%s: NULL argument", __func__);
	if (index >= prog->img->nsymbols)
		return wse_fail(prog->dev, -ENOENT, "the program exports %u symbols, not %u",
				prog->img->nsymbols, index + 1);
	wse_program_fill(prog, index, sym);
	return 0;
}
