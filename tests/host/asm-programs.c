// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * asm-programs.c - good programs: they assemble, the parser accepts the
 * image with the expected contents, binutils' readelf reads it without a
 * warning, and wse-objdump --source gives source that reassembles to the
 * same bytes (images from wse-as) or to the same parsed contents (any
 * other valid image).
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "tools-test.h"
#include "isa.h"
#include "isa-names.h"

static const char *const programs[] = {
	WSE_TOP "/tests/programs/multi.s",
	WSE_TOP "/examples/gemv/gemv.wsasm",
	WSE_TOP "/examples/gemv/gemv-256.wsasm",
	WSE_TOP "/tests/programs/dataflow.s",
	WSE_TOP "/tests/programs/timer.s",
};

FIXTURE(tmp)
{
	char dir[64];
	char err[TT_ERR_BYTES];
};

FIXTURE_SETUP(tmp)
{
	strcpy(self->dir, "/tmp/wse-asm-prog-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
}

FIXTURE_TEARDOWN(tmp)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	ASSERT_EQ(0, system(cmd));
}

static int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

/* Run a shell command; its output (stdout and stderr) into out. */
static int run(const char *cmd, char *out, size_t n)
{
	FILE *p = popen(cmd, "r");
	size_t got = 0;
	int st;

	if (!p)
		return -1;
	while (got + 1 < n && !feof(p)) {
		size_t r = fread(out + got, 1, n - 1 - got, p);

		if (!r)
			break;
		got += r;
	}
	out[got] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static struct wafer_image *parse_ok(struct __test_metadata *_metadata,
				    const void *b, size_t len)
{
	struct wafer_image *img = NULL;
	char err[256];

	EXPECT_EQ(0, wafer_image_parse(b, len, &img, err, sizeof(err)))
		TH_LOG("%s", err);
	return img;
}

/* Same parsed contents: what "semantically identical" means. */
static void same_image(struct __test_metadata *_metadata,
		       const struct wafer_image *a, const struct wafer_image *b)
{
	ASSERT_EQ(a->sram_bytes, b->sram_bytes);
	ASSERT_EQ(a->ngroups, b->ngroups);
	ASSERT_EQ(a->nrects, b->nrects);
	ASSERT_EQ(a->nsegments, b->nsegments);
	ASSERT_EQ(a->nroutes, b->nroutes);
	ASSERT_EQ(a->nconsts, b->nconsts);
	ASSERT_EQ(a->nsymbols, b->nsymbols);
	ASSERT_EQ(a->nlabels, b->nlabels);
	for (uint32_t g = 0; g < a->ngroups; g++)
		ASSERT_STREQ(a->groups[g].name, b->groups[g].name);
	ASSERT_EQ(0, memcmp(a->rects, b->rects, a->nrects * sizeof(*a->rects)));
	ASSERT_EQ(0, memcmp(a->routes, b->routes, a->nroutes * sizeof(*a->routes)));
	ASSERT_EQ(0, memcmp(a->consts, b->consts, a->nconsts * sizeof(*a->consts)));
	for (uint32_t i = 0; i < a->nsegments; i++) {
		const struct wafer_image_segment *s = &a->segments[i];
		const struct wafer_image_segment *t = &b->segments[i];

		ASSERT_EQ(s->group, t->group);
		ASSERT_EQ(s->addr, t->addr);
		ASSERT_EQ(s->size, t->size);
		ASSERT_EQ(s->kind, t->kind);
		if (s->data)
			ASSERT_EQ(0, memcmp(s->data, t->data, s->size));
	}
	for (uint32_t i = 0; i < a->nsymbols; i++) {
		const struct wafer_image_symbol *s = &a->symbols[i];
		const struct wafer_image_symbol *t = &b->symbols[i];

		ASSERT_STREQ(s->name, t->name);
		ASSERT_EQ(s->kind, t->kind);
		ASSERT_EQ(s->addr, t->addr);
		ASSERT_EQ(s->size, t->size);
		ASSERT_EQ(s->elem_bytes, t->elem_bytes);
		ASSERT_EQ(s->elem_type, t->elem_type);
		ASSERT_EQ(0, memcmp(s->entry, t->entry, a->ngroups * 4));
	}
	for (uint32_t i = 0; i < a->nlabels; i++) {
		ASSERT_STREQ(a->labels[i].name, b->labels[i].name);
		ASSERT_EQ(a->labels[i].addr, b->labels[i].addr);
		ASSERT_EQ(a->labels[i].segment, b->labels[i].segment);
	}
}

/* image -> wse-objdump --source -> wse-as -> image2 */
static void *reassemble(struct __test_metadata *_metadata, const char *dir,
			const void *img, size_t len, size_t *len2)
{
	char path[128], src[128], out[128], cmd[1024], log[4096];
	size_t n;
	void *b;

	snprintf(path, sizeof(path), "%s/in.img", dir);
	snprintf(src, sizeof(src), "%s/dump.s", dir);
	snprintf(out, sizeof(out), "%s/out.img", dir);
	ASSERT_EQ(0, write_file(path, img, len));
	snprintf(cmd, sizeof(cmd), "%s/wse-objdump --source %s > %s 2>&1 && %s/wse-as -o %s %s 2>&1",
		 WSE_BUILD, path, src, WSE_BUILD, out, src);
	ASSERT_EQ(0, run(cmd, log, sizeof(log))) TH_LOG("%s", log);
	b = tt_read_file(out, &n);
	ASSERT_NE(NULL, b);
	*len2 = n;
	return b;
}

/* wse-objdump --source | wse-as gives back the very same bytes. */
TEST_F(tmp, roundtrip_identical)
{
	for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		size_t len, len2;
		void *img, *img2;

		ASSERT_EQ(0, wse_asm_file(programs[i], NULL, &img, &len,
					  self->err, sizeof(self->err)))
			TH_LOG("%s", self->err);
		img2 = reassemble(_metadata, self->dir, img, len, &len2);
		ASSERT_EQ(len, len2) TH_LOG("%s", programs[i]);
		ASSERT_EQ(0, memcmp(img, img2, len)) TH_LOG("%s", programs[i]);
		free(img);
		free(img2);
	}
}

/*
 * An image wse-as would not write (other section names, an instruction
 * word with junk in unused fields, a label inside a word, a bss label at
 * the end) still round-trips to the same parsed contents.
 */
TEST_F(tmp, roundtrip_foreign_image)
{
	static const char src[] =
		".rect main, 0, 0, 2, 2\n"
		".code main\n"
		".func f\n"
		"\tli r1, 7\n"
		"\t.word 0x12345\n"
		"mid:\t.word 0x99\n"
		"\thalt\n"
		".data\n"
		"\t.half 1\n"
		"odd:\t.byte 2\n"
		"\t.byte 3\n"
		".bss\n"
		"\t.zero 12\n"
		"end:\n";
	struct wafer_image *a, *b;
	size_t len, len2;
	uint8_t *img, *img2;
	char *n;

	ASSERT_EQ(0, tt_asm(src, (void **)&img, &len, self->err))
		TH_LOG("%s", self->err);
	/* rename .text.main: names are not part of the parsed contents */
	n = (char *)img + tt_le(tt_shdr(img, ".shstrtab", NULL) + WSE_SH_OFFSET, 8) +
	    tt_le(tt_shdr(img, ".text.main", NULL) + WSE_SH_NAME, 4);
	memcpy(n, ".code", 5);
	/* junk in the unused rc field of "li" */
	img[tt_le(tt_shdr(img, ".code.main", NULL) + WSE_SH_OFFSET, 8) + 2] |= 0xf0;
	a = parse_ok(_metadata, img, len);
	ASSERT_NE(NULL, a);
	img2 = reassemble(_metadata, self->dir, img, len, &len2);
	b = parse_ok(_metadata, img2, len2);
	ASSERT_NE(NULL, b);
	same_image(_metadata, a, b);
	ASSERT_EQ(0, len == len2 && !memcmp(img, img2, len));
	wafer_image_free(a);
	wafer_image_free(b);
	free(img);
	free(img2);
}

/* binutils reads our images: headers, sections and symbols, no warning. */
TEST_F(tmp, readelf_accepts)
{
	for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		char path[128], cmd[256], *out = malloc(1 << 16);
		size_t len;
		void *img;

		ASSERT_NE(NULL, out);
		ASSERT_EQ(0, wse_asm_file(programs[i], NULL, &img, &len,
					  self->err, sizeof(self->err)));
		snprintf(path, sizeof(path), "%s/r.img", self->dir);
		ASSERT_EQ(0, write_file(path, img, len));
		snprintf(cmd, sizeof(cmd), "readelf -h -S -s -W %s 2>&1", path);
		ASSERT_EQ(0, run(cmd, out, 1 << 16));
		ASSERT_EQ(NULL, strstr(out, "Warning")) TH_LOG("%s", out);
		ASSERT_EQ(NULL, strstr(out, "Error")) TH_LOG("%s", out);
		ASSERT_NE(NULL, strstr(out, "<unknown>: 0x5753"));
		ASSERT_NE(NULL, strstr(out, "EXEC (Executable file)"));
		ASSERT_NE(NULL, strstr(out, " FUNC    GLOBAL DEFAULT"));
		ASSERT_NE(NULL, strstr(out, " OBJECT  GLOBAL DEFAULT"));
		ASSERT_NE(NULL, strstr(out, ".wse.routes"));
		free(img);
		free(out);
	}
}

/* What multi.s says is what the parser finds. */
TEST_F(tmp, multi_contents)
{
	struct wafer_symbol s;
	struct wafer_image *img;
	uint32_t w, h;
	size_t len;
	void *b;

	ASSERT_EQ(0, wse_asm_file(programs[0], NULL, &b, &len, self->err,
				  sizeof(self->err))) TH_LOG("%s", self->err);
	img = parse_ok(_metadata, b, len);
	ASSERT_NE(NULL, img);
	wafer_image_extent(img, &w, &h);
	ASSERT_EQ(6, w);
	ASSERT_EQ(4, h);
	ASSERT_EQ(32768, img->sram_bytes);
	ASSERT_EQ(2, img->ngroups);
	ASSERT_STREQ("edge", img->groups[0].name);
	ASSERT_STREQ("core", img->groups[1].name);
	ASSERT_EQ(2, img->nrects);
	/* 3 explicit, 3 broadcast, 8 chain records over 5 columns */
	ASSERT_EQ(14, img->nroutes);
	ASSERT_EQ(WAFER_PORT_WEST, img->routes[0].rx);
	ASSERT_EQ(WAFER_PORT_RAMP | WAFER_PORT_EAST, img->routes[0].tx);
	ASSERT_EQ(2, img->nconsts);
	ASSERT_EQ(1, img->consts[0].csr);	/* y, in edge */
	ASSERT_EQ(6, img->consts[1].csr);	/* rect_w, in core */
	ASSERT_EQ(0x2000, img->consts[1].addr);

	ASSERT_EQ(0, wafer_image_symbol_find(img, "start", &s));
	ASSERT_EQ(WAFER_SYM_FUNCTION, s.kind);
	ASSERT_EQ(0, s.addr);
	ASSERT_EQ(0, wafer_image_symbol_find(img, "table", &s));
	ASSERT_EQ(WAFER_SYM_OBJECT, s.kind);
	ASSERT_EQ(16, s.size);
	ASSERT_EQ(4, s.elem_bytes);
	ASSERT_EQ(0, wafer_image_symbol_find(img, "scratch", &s));
	ASSERT_EQ(12, s.size);
	ASSERT_EQ(2, s.elem_bytes);
	ASSERT_EQ(ISA_T_I16, img->symbols[s.index].elem_type);
	ASSERT_EQ(-ENOENT, wafer_image_symbol_find(img, "helper", &s));
	ASSERT_EQ(3, wafer_image_symbol_count(img));
	wafer_image_free(img);
	free(b);
}

/* Values of expressions and data directives, byte for byte. */
TEST_F(tmp, expressions_and_data)
{
	static const char src[] =
		".equ A, 3\n"
		".set B, A * 2 + 1\t\t; 7\n"
		"C = (1 << 4) | 0b11\t\t; 19\n"
		".rect m, 0, 0, 1, 1\n"
		".code m\n"
		"\thalt\n"
		".data\n"
		"d:\t.word A + B * C, -1, ~0 & 0xff, 'a' + 1, 7 / 2, -7 % 3\n"
		"\t.word 100 >> 2, -8 >> 1, (2 < 3) + (3 == 3) + !0, 5 ^ 1\n"
		"\t.word fbits(1.5), fbits(-2), end - d\n"
		"\t.float 0.5, 1e2, A\n"
		"\t.half 0xffff, -2\n"
		"\t.byte 255, -128, '\\n', 0\n"
		"\t.dword -2\n"
		"end:\n";
	static const uint32_t want[] = {
		136, 0xffffffff, 0xff, 'b', 3, (uint32_t)-1,
		25, (uint32_t)-4, 3, 4,
		0x3fc00000, 0xc0000000, 0x50,
		0x3f000000, 0x42c80000, 0x40400000,
		0xfffeffff, 0x000a80ff, 0xfffffffe, 0xffffffff,
	};
	const struct wafer_image_segment *s = NULL;
	struct wafer_image *img;
	size_t len;
	void *b;

	ASSERT_EQ(0, tt_asm(src, &b, &len, self->err)) TH_LOG("%s", self->err);
	img = parse_ok(_metadata, b, len);
	ASSERT_NE(NULL, img);
	for (uint32_t i = 0; i < img->nsegments; i++)
		if (img->segments[i].kind == WAFER_SEG_DATA)
			s = &img->segments[i];
	ASSERT_NE(NULL, s);
	ASSERT_EQ(sizeof(want), s->size);
	for (size_t i = 0; i < sizeof(want) / 4; i++) {
		ASSERT_EQ(want[i], (uint32_t)tt_le(s->data + 4 * i, 4))
			TH_LOG("word %zu", i);
	}
	wafer_image_free(img);
	free(b);
}

/*
 * The ISA tables agree with themselves: any 64-bit word the disassembler
 * prints (as an instruction or as .dword) assembles back to that word.
 * Random words plus, per opcode, words with only valid fields set.
 */
TEST_F(tmp, disasm_reassembles_every_word)
{
	static const uint64_t field[7] = {
		0xf0000000, 0xf000000, 0xffffffff00000000ull, 0xf00000,
		0xf0000, 0xf000, 0xf00,
	};
	enum { N = 6000 };
	char *src = malloc(N * 80 + 256), line[128];
	uint64_t *words = malloc(N * sizeof(*words));
	struct wafer_image *img;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	size_t n = 0, len;
	unsigned canon = 0, nops = 0;
	void *b;

	while (isa_op_at(nops))
		nops++;
	ASSERT_NE(NULL, src);
	ASSERT_NE(NULL, words);
	n += sprintf(src, ".rect m, 0, 0, 1, 1\n.code m\n.dsd_check off\n");
	for (unsigned i = 0; i < N; i++) {
		const struct isa_op_info *op = isa_op_at(i % (nops + 7));

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		words[i] = x;
		if (op && i % 2) {
			/* a table opcode; clear the fewest fields that make
			 * the word print as an instruction */
			words[i] = (x & ~0xffull) | op->opcode;
			for (unsigned k = 0; k < 128; k++) {
				uint64_t w = words[i];

				for (unsigned f = 0; f < 7; f++)
					if (k & (1u << f))
						w &= ~field[f];
				if (!isa_disasm(w, line, sizeof(line), NULL, NULL)) {
					words[i] = w;
					break;
				}
			}
		}
		canon += !isa_disasm(words[i], line, sizeof(line), NULL, NULL);
		n += sprintf(src + n, "\t%s\n", line);
	}
	ASSERT_EQ(0, tt_asm(src, &b, &len, self->err)) TH_LOG("%s", self->err);
	img = parse_ok(_metadata, b, len);
	ASSERT_NE(NULL, img);
	ASSERT_EQ(N * 8, img->segments[0].size);
	for (unsigned i = 0; i < N; i++) {
		ASSERT_EQ(words[i], tt_le(img->segments[0].data + 8 * i, 8))
			TH_LOG("word %u", i);
	}
	TH_LOG("%u of %u words printed as instructions", canon, N);
	ASSERT_GT(canon, N / 3);
	wafer_image_free(img);
	free(b);
	free(src);
	free(words);
}

/* Pseudo-instructions and operand forms encode as documented. */
TEST_F(tmp, pseudo_instructions)
{
	static const char src[] =
		".rect m, 0, 0, 1, 1\n.code m\n"
		"top:\tb top\n"
		"\tbeqz r1, top\n"
		"\tbgt r1, r2, top\n"
		"\tnot r3, r4\n"
		"\tneg r5, r6\n"
		"\tlif r7, 1.0\n"
		"\tld r1, [lr - 8]\n"
		"\tst r2, [0x100]\n"
		"\tjr r9, 16\n";
	static const struct isa_insn want[] = {
		{ ISA_OP_JMP, 0, 0, 0, 0, 0, 0, 0 },
		{ ISA_OP_BEQ, 0, 1, 0, 0, 0, 0, 0 },
		{ ISA_OP_BLT, 0, 2, 1, 0, 0, 0, 0 },
		{ ISA_OP_XOR, 3, 4, 0, 0, 0, ISA_F_IMM, 0xffffffff },
		{ ISA_OP_SUB, 5, 0, 6, 0, 0, 0, 0 },
		{ ISA_OP_LI, 7, 0, 0, 0, 0, 0, 0x3f800000 },
		{ ISA_OP_LD, 1, 15, 0, 0, 0, 0, (uint32_t)-8 },
		{ ISA_OP_ST, 0, 0, 2, 0, 0, 0, 0x100 },
		{ ISA_OP_JR, 0, 9, 0, 0, 0, 0, 16 },
	};
	struct wafer_image *img;
	size_t len;
	void *b;

	ASSERT_EQ(0, tt_asm(src, &b, &len, self->err)) TH_LOG("%s", self->err);
	img = parse_ok(_metadata, b, len);
	ASSERT_NE(NULL, img);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ASSERT_EQ(isa_encode(&want[i]),
			  tt_le(img->segments[0].data + 8 * i, 8))
			TH_LOG("instruction %zu", i);
	}
	wafer_image_free(img);
	free(b);
}

/*
 * The timer: TIMER takes a register or an immediate, TCANCEL nothing;
 * task 30 is a local task the task instructions may name; each word
 * prints back as the text that assembles to it.
 */
TEST_F(tmp, timer_forms)
{
	static const char src[] =
		".rect m, 0, 0, 1, 1\n.code m\n"
		".task 30, local, tick, prio=2\n"
		"\ttimer r3\n"
		"\ttimer 100\n"
		"\ttcancel\n"
		"\tactivate 30\n"
		"\tunblock 30\n"
		"tick:\ttret\n";
	static const struct isa_insn want[] = {
		{ ISA_OP_TIMER, 0, 0, 3, 0, 0, 0, 0 },
		{ ISA_OP_TIMER, 0, 0, 0, 0, 0, ISA_F_IMM, 100 },
		{ ISA_OP_TCANCEL, 0, 0, 0, 0, 0, 0, 0 },
		{ ISA_OP_ACTIVATE, 0, 0, 0, 0, 0, 0, 30 },
		{ ISA_OP_UNBLOCK, 0, 0, 0, 0, 0, 0, 30 },
	};
	static const char *const text[] = {
		"timer       r3", "timer       100", "tcancel",
		"activate    30", "unblock     30",
	};
	struct wafer_image *img;
	char line[128];
	size_t len;
	void *b;

	ASSERT_EQ(0, tt_asm(src, &b, &len, self->err)) TH_LOG("%s", self->err);
	img = parse_ok(_metadata, b, len);
	ASSERT_NE(NULL, img);
	ASSERT_EQ(1, img->ntasks);
	EXPECT_EQ(30, img->tasks[0].id);
	EXPECT_EQ(WAFER_TASK_LOCAL, img->tasks[0].kind);
	EXPECT_EQ(2, img->tasks[0].prio);
	EXPECT_EQ(5 * 8, img->tasks[0].entry - img->segments[0].addr);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		uint64_t w = tt_le(img->segments[0].data + 8 * i, 8);

		ASSERT_EQ(isa_encode(&want[i]), w) TH_LOG("instruction %zu", i);
		ASSERT_EQ(0, isa_disasm(w, line, sizeof(line), NULL, NULL));
		EXPECT_STREQ(text[i], line);
	}
	wafer_image_free(img);
	free(b);
}

/* The sugar forms are the records they stand for. */
TEST_F(tmp, route_sugar_forms)
{
	static const char *const pairs[][2] = {
		{ ".route_row_bcast 3, m\n", ".route_bcast 3, EAST, m\n" },
		{ ".route_col_bcast 3, 0, 0, 4, 3\n", ".route_bcast 3, SOUTH, m\n" },
		{ ".route_bcast 4, WEST, m\n",
		  ".route 4, m, rx=EAST, tx=RAMP|WEST\n"
		  ".route 4, 3, 0, 1, 3, rx=RAMP, tx=WEST\n"
		  ".route 4, 0, 0, 1, 3, rx=EAST, tx=RAMP\n" },
		{ ".route_chain 5, 6, NORTH, 0, 0, 4, 3\n",
		  ".route 5, 0, 2, 4, 1, rx=RAMP, tx=NORTH\n"
		  ".route 6, 0, 1, 4, 1, rx=RAMP, tx=NORTH\n"
		  ".route 5, 0, 1, 4, 1, rx=SOUTH, tx=RAMP\n"
		  ".route 6, 0, 0, 4, 1, rx=SOUTH, tx=RAMP\n" },
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		char s1[512], s2[512];
		size_t l1, l2;
		void *b1, *b2;

		snprintf(s1, sizeof(s1), ".rect m, 0, 0, 4, 3\n%s.code m\n\thalt\n",
			 pairs[i][0]);
		snprintf(s2, sizeof(s2), ".rect m, 0, 0, 4, 3\n%s.code m\n\thalt\n",
			 pairs[i][1]);
		ASSERT_EQ(0, tt_asm(s1, &b1, &l1, self->err)) TH_LOG("%s", self->err);
		ASSERT_EQ(0, tt_asm(s2, &b2, &l2, self->err)) TH_LOG("%s", self->err);
		ASSERT_EQ(l1, l2) TH_LOG("pair %zu", i);
		ASSERT_EQ(0, memcmp(b1, b2, l1)) TH_LOG("pair %zu", i);
		free(b1);
		free(b2);
	}
}

/* -D overrides the defaults of gemv.wsasm; the same source always gives
 * the same bytes. */
TEST_F(tmp, defines_and_determinism)
{
	const char *defs[] = { "M=64", "N=32", "P=4", "Q=2", NULL };
	struct wse_asm_options o = { .defines = defs };
	struct wafer_symbol s;
	struct wafer_image *img;
	size_t len, len2;
	void *b, *b2;

	ASSERT_EQ(0, wse_asm_file_opts(programs[1], &o, &b, &len, self->err,
				       sizeof(self->err))) TH_LOG("%s", self->err);
	ASSERT_EQ(0, wse_asm_file_opts(programs[1], &o, &b2, &len2, self->err,
				       sizeof(self->err)));
	ASSERT_EQ(len, len2);
	ASSERT_EQ(0, memcmp(b, b2, len));
	img = parse_ok(_metadata, b, len);
	ASSERT_NE(NULL, img);
	ASSERT_EQ(2, img->extent_w);
	ASSERT_EQ(4, img->extent_h);
	ASSERT_EQ(0, wafer_image_symbol_find(img, "A", &s));
	ASSERT_EQ(16 * 16 * 4, s.size);
	wafer_image_free(img);
	free(b);
	free(b2);
}

/* The listing names what is there. */
TEST_F(tmp, objdump_listing)
{
	char path[128], cmd[256], *out = malloc(1 << 16);
	size_t len;
	void *img;

	ASSERT_NE(NULL, out);
	ASSERT_EQ(0, wse_asm_file(programs[0], NULL, &img, &len, self->err,
				  sizeof(self->err)));
	snprintf(path, sizeof(path), "%s/l.img", self->dir);
	ASSERT_EQ(0, write_file(path, img, len));
	snprintf(cmd, sizeof(cmd), "%s/wse-objdump %s 2>&1", WSE_BUILD, path);
	ASSERT_EQ(0, run(cmd, out, 1 << 16));
	ASSERT_NE(NULL, strstr(out, "32768-byte SRAM, layout 6x4 PEs"));
	ASSERT_NE(NULL, strstr(out, "00000 <start>:"));
	ASSERT_NE(NULL, strstr(out, "call        helper"));
	ASSERT_NE(NULL, strstr(out, "rect_w"));
	/* a broken image is refused with the parser's message */
	((uint8_t *)img)[0] = 0;
	ASSERT_EQ(0, write_file(path, img, len));
	ASSERT_EQ(1, run(cmd, out, 1 << 16));
	ASSERT_NE(NULL, strstr(out, "bad ELF magic"));
	free(img);
	free(out);
}

TEST_HARNESS_MAIN
