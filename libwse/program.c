// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * program.c - loading kernel images and looking up their symbols.
 *
 * The image is parsed on the host with the same parser the device uses
 * (abi/image.c), for its extent and its symbols; the device
 * parses it again on LOAD and is the judge of whether it runs.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wafer-abi.h"
#include "wse_priv.h"

_Static_assert(WSE_SYMBOL_OBJECT == WAFER_SYM_OBJECT, "symbol kinds");
_Static_assert(WSE_SYMBOL_FUNCTION == WAFER_SYM_FUNCTION, "symbol kinds");

static int wse_program_send(struct wse_program *prog, const void *image,
			    size_t len)
{
	struct wse_device *dev = prog->dev;
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_LOAD, .length = len };
	struct wse_bo *bo;
	int ret;

	ret = wse_bo_get(dev, len, &bo);
	if (ret)
		return ret;
	memcpy(bo->map, image, len);
	cmd.handle = bo->handle;
	return wse_task_start(dev, &cmd, 1, bo, NULL, 0, 0, NULL);
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

static int wse_program_lookup(const struct wse_program *prog, const char *name,
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
	*sym = (struct wse_symbol) {
		.name = ws.name,
		.kind = ws.kind,
		.index = ws.index,
		.addr = ws.addr,
		.size = ws.size,
		.elem_bytes = ws.elem_bytes,
	};
	return 0;
}

int wse_program_symbol(const struct wse_program *prog, const char *name,
		       struct wse_symbol *sym)
{
	return wse_program_lookup(prog, name, WSE_SYMBOL_OBJECT, sym);
}

int wse_program_function(const struct wse_program *prog, const char *name,
			 struct wse_symbol *sym)
{
	return wse_program_lookup(prog, name, WSE_SYMBOL_FUNCTION, sym);
}
