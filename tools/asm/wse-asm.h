/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wse-asm.h - the wse assembler as a library (build/libwseasm.a).
 *
 * Turns assembler source (Documentation/wse/assembler.rst) into a kernel
 * image (Documentation/wse/image-format.rst) in memory. Used by wse-as,
 * the tests and the benchmarks. Link with libwseasm.a; it carries its own
 * copy of the image parser and the ISA tables.
 */
#ifndef WSE_ASM_H
#define WSE_ASM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct wse_asm_options {
	/*
	 * NULL-terminated list of directories searched by .include after
	 * the including file's own directory; may be NULL.
	 */
	const char *const *include_dirs;
	/*
	 * NULL-terminated list of "NAME=VALUE" or "NAME" (= 1) constants
	 * defined before the first line, like -D; may be NULL.
	 */
	const char *const *defines;
};

/*
 * Assemble the file at path. On success returns 0 and *image (allocated
 * with malloc, the caller frees it) holds *len bytes. On failure returns
 * -EINVAL (bad source; err holds the diagnostics, one per line, in the
 * form "file:line:col: error: message"), -ENOENT (path unreadable) or
 * -ENOMEM, and *image is NULL. err may be NULL.
 */
int wse_asm_file(const char *path, const char *const *include_dirs,
		 void **image, size_t *len, char *err, size_t errlen);

/* As wse_asm_file(), with defines. */
int wse_asm_file_opts(const char *path, const struct wse_asm_options *opts,
		      void **image, size_t *len, char *err, size_t errlen);

/*
 * Assemble source text held in memory; name is used in diagnostics and
 * relative .include paths are searched from the current directory.
 */
int wse_asm_buffer(const char *name, const char *text, size_t textlen,
		   const struct wse_asm_options *opts, void **image,
		   size_t *len, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* WSE_ASM_H */
