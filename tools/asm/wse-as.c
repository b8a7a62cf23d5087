// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-as - assemble a wse kernel: source (Documentation/wse/assembler.rst)
 * in, image (Documentation/wse/image-format.rst) out.
 *
 *   wse-as [-I DIR]... [-D NAME[=VALUE]]... [-o OUT] SOURCE
 *
 * .include searches the including file's directory, each -I DIR, then
 * the include files installed with wse-as.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wse-asm.h"

#define ERR_BYTES (64 * 1024)

static void usage(FILE *f)
{
	fprintf(f,
		"usage: wse-as [-I DIR]... [-D NAME[=VALUE]]... [-o OUT] SOURCE\n"
		"  -I DIR     search DIR for .include files (after the including\n"
		"             file's directory; before the installed ones,\n"
		"             <prefix>/share/wse/include)\n"
		"  -D NAME=V  define constant NAME (default value 1)\n"
		"  -o OUT     write the image to OUT (default a.img)\n");
}

/*
 * The include files installed with wse-as (dsd.wsinc...) live in
 * ../share/wse/include beside the program: found from where it runs, so
 * that any prefix works without a compiled-in path. NULL if absent.
 */
static char *installed_include_dir(void)
{
	static char dir[PATH_MAX + 32];
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat st;
	char *slash;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	snprintf(dir, sizeof(dir), "%s/../share/wse/include", exe);
	return !stat(dir, &st) && S_ISDIR(st.st_mode) ? dir : NULL;
}

static int write_all(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f) {
		fprintf(stderr, "wse-as: error: cannot create '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	if (fwrite(data, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "wse-as: error: cannot write '%s': %s\n", path,
			strerror(errno));
		remove(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char **incs = calloc(argc + 2, sizeof(char *));
	const char **defs = calloc(argc + 1, sizeof(char *));
	struct wse_asm_options o = { .include_dirs = incs, .defines = defs };
	const char *out = "a.img";
	char *err = malloc(ERR_BYTES);
	size_t ninc = 0, ndef = 0, len;
	void *img;
	int c, ret;

	if (!incs || !defs || !err) {
		fprintf(stderr, "wse-as: error: out of memory\n");
		return 1;
	}
	while ((c = getopt(argc, argv, "I:D:o:h")) != -1) {
		switch (c) {
		case 'I':
			incs[ninc++] = optarg;
			break;
		case 'D':
			defs[ndef++] = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	incs[ninc] = installed_include_dir();
	ret = wse_asm_file_opts(argv[optind], &o, &img, &len, err, ERR_BYTES);
	fputs(err, stderr);
	if (ret)
		return 1;
	ret = write_all(out, img, len);
	free(img);
	free(err);
	free(incs);
	free(defs);
	return ret ? 1 : 0;
}
