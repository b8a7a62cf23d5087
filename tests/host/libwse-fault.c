// SPDX-License-Identifier: GPL-2.0
/*
 * The sentence libwse makes of a failed job (error.c's wse_job_describe),
 * tested on the object file: what the user reads after a kernel fault, a
 * device error, a timeout or a reset.
 */
#include "kselftest_harness.h"

#include <errno.h>
#include <string.h>

#include "wafer-abi.h"
#include "wse_priv.h"

static const char *describe(const struct wse_backend_result *res, uint32_t op)
{
	static char buf[WSE_ERR_LEN];

	memset(buf, 'x', sizeof(buf));
	wse_job_describe(res, op, buf, sizeof(buf));
	return buf;
}

/* A kernel fault names the PE, the pc and what the wafer saw. */
TEST(kernel_fault)
{
	struct wse_backend_result res = {
		.status = -EFAULT,
		.device_status = WSE_BACKEND_STATUS_KERNEL_FAULT,
		.reason = WAFER_ERR_SRAM_RANGE,
		.pe_x = 3, .pe_y = 7, .pc = 0x1a4,
	};

	ASSERT_STREQ("PE (3,7) pc 0x1a4: SRAM access out of range",
		     describe(&res, WSE_BACKEND_OP_LAUNCH));
	res.reason = WAFER_ERR_DEADLOCK;
	res.pe_x = 0;
	res.pe_y = 0;
	res.pc = 0;
	ASSERT_STREQ("PE (0,0) pc 0x0: deadlock: every running PE is blocked",
		     describe(&res, WSE_BACKEND_OP_LAUNCH));
	/* A reason from a newer device still gives a sentence. */
	res.reason = 0xbeef;
	ASSERT_STREQ("PE (0,0) pc 0x0: wafer status 48879",
		     describe(&res, WSE_BACKEND_OP_LAUNCH));
}

/* Every wafer status has its own words. */
TEST(every_wafer_reason_named)
{
	struct wse_backend_result res = { .status = -EFAULT };
	char seen[WAFER_STATUS_COUNT][WSE_ERR_LEN];
	unsigned int i, j;

	for (i = 0; i < WAFER_STATUS_COUNT; i++) {
		res.reason = i;
		snprintf(seen[i], sizeof(seen[i]), "%s",
			 describe(&res, WSE_BACKEND_OP_LAUNCH));
		ASSERT_EQ(NULL, strstr(seen[i], "wafer status"));
		for (j = 0; j < i; j++)
			ASSERT_STRNE(seen[j], seen[i]);
	}
}

/* Device errors name the command and the device's status. */
TEST(device_errors)
{
	struct wse_backend_result res = {
		.status = -EIO,
		.failed_cmd = 2,
		.device_status = WSE_BACKEND_STATUS_OUT_OF_REGION,
	};

	ASSERT_STREQ("WRITE 2: access outside the region",
		     describe(&res, WSE_BACKEND_OP_WRITE));
	res.failed_cmd = 0;
	res.device_status = WSE_BACKEND_STATUS_BAD_IMAGE;
	res.reason = WAFER_ERR_BAD_REGION;
	ASSERT_STREQ("LOAD 0: image rejected: region off the wafer or too small",
		     describe(&res, WSE_BACKEND_OP_LOAD));
	/* A device error the wafer explains. */
	res.device_status = WSE_BACKEND_STATUS_BAD_FIELD;
	res.reason = WAFER_ERR_NO_FUNCTION;
	ASSERT_STREQ("LAUNCH 0: invalid command field: no such function",
		     describe(&res, WSE_BACKEND_OP_LAUNCH));
	res.reason = 0;
	res.device_status = WSE_BACKEND_STATUS_NO_PROGRAM;
	ASSERT_STREQ("LAUNCH 0: no program loaded",
		     describe(&res, WSE_BACKEND_OP_LAUNCH));
	res.device_status = 0x77;
	ASSERT_STREQ("D2H 0: device status 0x77", describe(&res, WSE_BACKEND_OP_D2H));
}

/* Timeouts, resets and the unexpected. */
TEST(other_outcomes)
{
	struct wse_backend_result res = { .status = -ETIMEDOUT, .failed_cmd = 1 };

	ASSERT_STREQ("LAUNCH 1: stopped after the job's time limit",
		     describe(&res, WSE_BACKEND_OP_LAUNCH));
	res.status = -ECANCELED;
	ASSERT_STREQ("H2D 1: dropped by a device reset",
		     describe(&res, WSE_BACKEND_OP_H2D));
	res.status = -ENOMEM;
	ASSERT_STREQ("NOP 1: Cannot allocate memory",
		     describe(&res, WSE_BACKEND_OP_NOP));
	res.status = -ENOENT;
	ASSERT_STREQ("D2H: result dropped by the driver",
		     describe(&res, WSE_BACKEND_OP_D2H));
	res.status = 0;
	ASSERT_STREQ("", describe(&res, WSE_BACKEND_OP_NOP));
	/* An operation libwse does not know. */
	res.status = -EIO;
	res.device_status = WSE_BACKEND_STATUS_ABORTED;
	ASSERT_STREQ("command 1: aborted", describe(&res, 99));
}

/* Long messages are cut, never overflow. */
TEST(truncates)
{
	struct wse_backend_result res = {
		.status = -EFAULT, .reason = WAFER_ERR_UNROUTED,
		.pe_x = 4294967295u, .pe_y = 4294967295u, .pc = 0xffffffff,
	};
	char small[16];

	memset(small, 'x', sizeof(small));
	wse_job_describe(&res, WSE_BACKEND_OP_LAUNCH, small, sizeof(small));
	ASSERT_EQ(sizeof(small) - 1, strlen(small));
}

TEST_HARNESS_MAIN
