// SPDX-License-Identifier: GPL-2.0
/*
 * wse_strerror(): every error libwse returns has a name, negative and
 * positive codes agree, and the meanings libwse narrows are its own.
 */
#include "kselftest_harness.h"

#include <errno.h>
#include <string.h>

#include <wse/wse.h>

/* Never NULL, never empty, whatever the code. */
TEST(always_a_string)
{
	static const int codes[] = { 0, 1, -1, 4095, -4095, 100000, -100000,
				     (int)0x80000000, 0x7fffffff };
	unsigned int i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		ASSERT_NE(NULL, wse_strerror(codes[i]));
		ASSERT_NE(0, strlen(wse_strerror(codes[i])));
	}
	ASSERT_STREQ("Success", wse_strerror(0));
	ASSERT_STREQ("Unknown error", wse_strerror(100000));
}

/* -err and err name the same thing. */
TEST(sign_does_not_matter)
{
	int e;

	for (e = 1; e < 134; e++)
		ASSERT_STREQ(wse_strerror(e), wse_strerror(-e));
}

/* Task outcomes are told apart. */
TEST(task_outcomes_distinct)
{
	static const int codes[] = { -ETIME, -ETIMEDOUT, -EFAULT, -EIO,
				     -ECANCELED };
	unsigned int i, j;

	for (i = 0; i < 5; i++)
		for (j = i + 1; j < 5; j++)
			ASSERT_STRNE(wse_strerror(codes[i]), wse_strerror(codes[j]));
	ASSERT_NE(NULL, strstr(wse_strerror(-ETIME), "still running"));
	ASSERT_NE(NULL, strstr(wse_strerror(-EFAULT), "Kernel fault"));
}

/* Codes libwse gives no meaning of its own read like strerror(3). */
TEST(plain_codes_like_libc)
{
	ASSERT_STREQ(strerrordesc_np(EINVAL), wse_strerror(-EINVAL));
	ASSERT_STREQ(strerrordesc_np(ENOMEM), wse_strerror(-ENOMEM));
	ASSERT_STREQ(strerrordesc_np(EBUSY), wse_strerror(-EBUSY));
}

TEST_HARNESS_MAIN
