/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the libwse window and wse-smi tests: running a command,
 * pseudo-random numbers.
 */
#ifndef WSE_LW_UTIL_H
#define WSE_LW_UTIL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Run @cmd with sh, its standard output (and error, if @err) into @out
 * (NUL-terminated, cut at @len). Returns the exit status, or -1 if it
 * did not exit.
 */
int lw_run(const char *cmd, char *out, size_t len);

/* xorshift32: the next number of the sequence in *@state (never 0). */
uint32_t lw_rand(uint32_t *state);

#endif /* WSE_LW_UTIL_H */
