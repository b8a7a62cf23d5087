// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * image-api.c - the image functions of wafer.h on a valid image: extent,
 * symbol lookup by index and by name, what the parsed struct holds, and
 * the argument checks.
 */
#include "kselftest_harness.h"
#include "tools-test.h"

static const char src[] =
	".rect left, 0, 0, 2, 3\n"
	".rect right, 2, 1, 3, 2\n"
	".code left\n"
	".func run\n"
	"loop:\tb loop\n"
	".global aux\n"
	"aux:\thalt\n"
	".data\n"
	"\t.export v, f16, 6\n"
	"me:\t.pe_word prog_w\n"
	".code right\n"
	"\tnop\n"
	".func run\n"
	"\thalt\n"
	".bss\n"
	"\t.export v, f16, 6\n";

FIXTURE(api)
{
	struct wafer_image *img;
};

FIXTURE_SETUP(api)
{
	char err[TT_ERR_BYTES];
	size_t len;
	void *b;

	ASSERT_EQ(0, tt_asm(src, &b, &len, err)) TH_LOG("%s", err);
	ASSERT_EQ(0, wafer_image_parse(b, len, &self->img, err, sizeof(err)))
		TH_LOG("%s", err);
	/* the image keeps its own copy */
	memset(b, 0xa5, len);
	free(b);
}

FIXTURE_TEARDOWN(api)
{
	wafer_image_free(self->img);
}

/* Bounding box of all rectangles, from 0,0. */
TEST_F(api, extent)
{
	uint32_t w = 0, h = 0;

	wafer_image_extent(self->img, &w, &h);
	ASSERT_EQ(5, w);
	ASSERT_EQ(3, h);
	wafer_image_extent(NULL, &w, &h);
	ASSERT_EQ(0, w);
	ASSERT_EQ(0, h);
}

/* Exports merge by name over groups, in order of first appearance. */
TEST_F(api, symbols_by_index)
{
	const struct wafer_image *img = self->img;
	struct wafer_symbol s;

	ASSERT_EQ(3, wafer_image_symbol_count(img));
	ASSERT_EQ(0, wafer_image_symbol_at(img, 0, &s));
	ASSERT_STREQ("run", s.name);
	ASSERT_EQ(WAFER_SYM_FUNCTION, s.kind);
	ASSERT_EQ(0, s.index);
	ASSERT_EQ(0, s.addr);
	ASSERT_EQ(0, img->symbols[0].entry[0]);
	ASSERT_EQ(8, img->symbols[0].entry[1]);	/* after the nop */
	ASSERT_EQ(0, wafer_image_symbol_at(img, 1, &s));
	ASSERT_STREQ("aux", s.name);
	ASSERT_EQ(WAFER_NO_ENTRY, img->symbols[1].entry[1]);
	ASSERT_EQ(0, wafer_image_symbol_at(img, 2, &s));
	ASSERT_STREQ("v", s.name);
	ASSERT_EQ(WAFER_SYM_OBJECT, s.kind);
	ASSERT_EQ(12, s.size);
	ASSERT_EQ(2, s.elem_bytes);
	ASSERT_EQ(0x40, s.addr);
	ASSERT_EQ(s.addr, img->symbols[2].entry[0]);
	ASSERT_EQ(s.addr, img->symbols[2].entry[1]);
	ASSERT_EQ(-ENOENT, wafer_image_symbol_at(img, 3, &s));
	ASSERT_EQ(-EINVAL, wafer_image_symbol_at(img, 0, NULL));
	ASSERT_EQ(-EINVAL, wafer_image_symbol_at(NULL, 0, &s));
	ASSERT_EQ(0, wafer_image_symbol_count(NULL));
}

TEST_F(api, symbols_by_name)
{
	struct wafer_symbol s;

	ASSERT_EQ(0, wafer_image_symbol_find(self->img, "v", &s));
	ASSERT_EQ(2, s.index);
	ASSERT_EQ(-ENOENT, wafer_image_symbol_find(self->img, "loop", &s));
	ASSERT_EQ(-ENOENT, wafer_image_symbol_find(self->img, "", &s));
	ASSERT_EQ(-EINVAL, wafer_image_symbol_find(self->img, NULL, &s));
}

/* Groups, segments, constants and local labels as written. */
TEST_F(api, contents)
{
	const struct wafer_image *img = self->img;

	ASSERT_EQ(2, img->ngroups);
	ASSERT_STREQ("left", img->groups[0].name);
	ASSERT_EQ(4, img->nsegments);
	ASSERT_EQ(WAFER_SEG_CODE, img->segments[0].kind);
	ASSERT_EQ(WAFER_SEG_DATA, img->segments[1].kind);
	ASSERT_EQ(WAFER_SEG_BSS, img->segments[3].kind);
	ASSERT_EQ(NULL, img->segments[3].data);
	ASSERT_EQ(1, img->segments[3].group);
	ASSERT_EQ(1, img->nconsts);
	ASSERT_EQ(0x4c, img->consts[0].addr);
	ASSERT_EQ(2, img->consts[0].csr);
	ASSERT_EQ(2, img->nlabels);
	ASSERT_STREQ("loop", img->labels[0].name);
	ASSERT_STREQ("me", img->labels[1].name);
	ASSERT_EQ(1, img->labels[1].segment);
	ASSERT_EQ(WAFER_DEFAULT_SRAM, img->sram_bytes);
}

/* Bad arguments are refused, not dereferenced. */
TEST(parse_arguments)
{
	struct wafer_image *img = (void *)1;
	char err[64];

	ASSERT_EQ(-EINVAL, wafer_image_parse(NULL, 10, &img, err, sizeof(err)));
	ASSERT_STREQ("invalid arguments", err);
	ASSERT_EQ(-EINVAL, wafer_image_parse("x", 1, NULL, err, sizeof(err)));
	ASSERT_EQ(-EINVAL, wafer_image_parse("x", 1, &img, NULL, 0));
	ASSERT_EQ(NULL, img);
	/* a short message buffer truncates, never overflows */
	ASSERT_EQ(-EINVAL, wafer_image_parse("\177ELF", 4, &img, err, 8));
	ASSERT_STREQ("file to", err);
	wafer_image_free(NULL);
}

TEST_HARNESS_MAIN
