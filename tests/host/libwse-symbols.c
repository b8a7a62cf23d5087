// SPDX-License-Identifier: GPL-2.0
/*
 * libwse's exported symbols are exactly the checked-in list
 * (libwse/libwse-symbols.txt), like libdrm's symbols check: a symbol that
 * leaks out or disappears changes the ABI and fails here.
 */
#include "kselftest_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SYMS	256
#define LINE		256

struct symlist {
	int n;
	char s[MAX_SYMS][LINE];
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void add(struct symlist *l, const char *line)
{
	size_t n = strcspn(line, "\n");

	if (!n || line[0] == '#' || l->n == MAX_SYMS)
		return;
	snprintf(l->s[l->n++], LINE, "%.*s", (int)n, line);
}

/* "type name" of every defined dynamic symbol of the library. */
static int read_nm(struct symlist *l)
{
	char line[2 * LINE], type[8], name[LINE];
	FILE *p;

	p = popen("nm -D --defined-only " LIBWSE_SO, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		/* "<address> <type> <name>" */
		if (sscanf(line, "%*s %7s %255s", type, name) == 2) {
			snprintf(line, sizeof(line), "%s %s", type, name);
			add(l, line);
		}
	}
	return pclose(p);
}

static int read_list(struct symlist *l)
{
	char line[LINE];
	FILE *f = fopen(LIBWSE_SYMBOLS, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		add(l, line);
	fclose(f);
	return 0;
}

static struct symlist have, want;

FIXTURE(syms)
{
};

FIXTURE_SETUP(syms)
{
	memset(&have, 0, sizeof(have));
	memset(&want, 0, sizeof(want));
	ASSERT_EQ(0, read_nm(&have)) {
		TH_LOG("nm -D failed on %s", LIBWSE_SO);
	}
	ASSERT_EQ(0, read_list(&want));
	ASSERT_LT(0, have.n);
	qsort(have.s, have.n, LINE, cmp_str);
	qsort(want.s, want.n, LINE, cmp_str);
}

FIXTURE_TEARDOWN(syms)
{
}

/* Every listed symbol is exported, and nothing else is. */
TEST_F(syms, exports_match_list)
{
	int i, j, bad = 0;

	for (i = 0; i < want.n; i++) {
		for (j = 0; j < have.n && strcmp(want.s[i], have.s[j]); j++)
			;
		if (j == have.n) {
			TH_LOG("missing from the library: %s", want.s[i]);
			bad++;
		}
	}
	for (j = 0; j < have.n; j++) {
		for (i = 0; i < want.n && strcmp(want.s[i], have.s[j]); i++)
			;
		if (i == want.n) {
			TH_LOG("exported but not listed: %s", have.s[j]);
			bad++;
		}
	}
	ASSERT_EQ(0, bad);
	ASSERT_EQ(want.n, have.n);
}

/*
 * Every exported function is a versioned wse_ symbol of the public header;
 * a symbol of an older version (name@VERSION, not the default
 * name@@VERSION) has a default version too.
 */
TEST_F(syms, exports_are_public_api)
{
	static char header[1 << 18];
	char pattern[LINE + 1], *at;
	size_t len;
	FILE *f;
	int i;

	f = fopen(LIBWSE_HEADER, "r");
	ASSERT_NE(NULL, f);
	len = fread(header, 1, sizeof(header) - 1, f);
	fclose(f);
	header[len] = '\0';

	for (i = 0; i < have.n; i++) {
		if (have.s[i][0] == 'A')	/* a version node */
			continue;
		ASSERT_EQ(0, strncmp(have.s[i], "T wse_", 6)) {
			TH_LOG("not a wse_ function: %s", have.s[i]);
		}
		at = strstr(have.s[i], "@@WSE_");
		if (!at) {
			char dflt[LINE + 1];
			int j;

			at = strstr(have.s[i], "@WSE_");
			ASSERT_NE(NULL, at) {
				TH_LOG("unversioned: %s", have.s[i]);
			}
			snprintf(dflt, sizeof(dflt), "%.*s@@", (int)(at - have.s[i]),
				 have.s[i]);
			for (j = 0; j < have.n && strncmp(have.s[j], dflt,
							  strlen(dflt)); j++)
				;
			ASSERT_GT(have.n, j) {
				TH_LOG("an old version without a default: %s",
				       have.s[i]);
			}
		}
		snprintf(pattern, sizeof(pattern), "%.*s(",
			 (int)(at - have.s[i] - 2), have.s[i] + 2);
		ASSERT_NE(NULL, strstr(header, pattern)) {
			TH_LOG("not declared in wse.h: %s", pattern);
		}
	}
}

TEST_HARNESS_MAIN
