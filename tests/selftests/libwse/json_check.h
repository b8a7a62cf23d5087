/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A strict JSON (RFC 8259) checker for the tests of wse-smi --json: it
 * accepts exactly one JSON value surrounded by optional whitespace, with
 * well-formed UTF-8 and no duplicate member names, and records every
 * scalar it meets under its path, such as "[0].counters.resets".
 */
#ifndef WSE_JSON_CHECK_H
#define WSE_JSON_CHECK_H

#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_LEAVES		512
#define JSON_MAX_PATH		128
#define JSON_MAX_TEXT		128

enum json_type { JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING };

struct json_leaf {
	char path[JSON_MAX_PATH];
	enum json_type type;
	char text[JSON_MAX_TEXT];	/* a number as written, a string's raw text */
};

struct json_doc {
	int nleaves;
	struct json_leaf leaf[JSON_MAX_LEAVES];
	char error[128];		/* why the text was refused */
};

/* Check @text; 0 if it is valid JSON, else -EINVAL with doc->error set. */
int json_check(const char *text, struct json_doc *doc);
/* The scalar at @path, or NULL. */
const struct json_leaf *json_get(const struct json_doc *doc, const char *path);
/* The non-negative integer at @path: 0, or -ENOENT / -EINVAL. */
int json_get_u64(const struct json_doc *doc, const char *path, uint64_t *v);

#endif /* WSE_JSON_CHECK_H */
