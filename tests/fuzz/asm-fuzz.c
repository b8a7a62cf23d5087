// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * asm-fuzz.c - libFuzzer harness for the assembler: any source text must
 * give an image the parser accepts or diagnostics in GCC form, never a
 * crash or a hang. .include is confined to the corpus directory by
 * running from it (and only regular files are ever read).
 *
 *   make fuzz-asm FUZZ_SECONDS=600
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wse-asm.h"
#include "wafer-abi.h"
#include "image.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char err[16384];
	struct wafer_image *img;
	char perr[256];
	void *out = NULL;
	size_t len = 0;
	int ret;

	ret = wse_asm_buffer("f.s", (const char *)data, size, NULL, &out, &len,
			     err, sizeof(err));
	CHECK(ret == 0 || ret == -EINVAL || ret == -ENOMEM);
	if (ret) {
		CHECK(out == NULL && err[0]);
		return 0;
	}
	/* what the assembler writes, the parser must take */
	CHECK(wafer_image_parse(out, len, &img, perr, sizeof(perr)) == 0);
	wafer_image_free(img);
	free(out);
	return 0;
}
