// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of the libwse window and wse-smi tests, see lw_util.h.
 */
#include <stdio.h>
#include <sys/wait.h>

#include "lw_util.h"

int lw_run(const char *cmd, char *out, size_t len)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0, got;
	char sink[256];
	int st;

	if (!p)
		return -1;
	while (n + 1 < len && (got = fread(out + n, 1, len - 1 - n, p)) > 0)
		n += got;
	out[n] = '\0';
	while (fread(sink, 1, sizeof(sink), p) > 0)
		;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

uint32_t lw_rand(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}
