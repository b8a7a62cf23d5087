// SPDX-License-Identifier: GPL-2.0
/*
 * PE state dumps through libwse end to end (wse_pe_dump(), its text, and
 * wse_task_fault()): the registers and pc a known kernel leaves, the
 * faulting PE and instruction of a kernel fault, bad arguments, and
 * wse-run's --dump and --dump-on-fault (wse-run from PATH).
 * Runs on the driver in the VM and on the simulator in check-host.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <wse/wse.h>

#include "lw_util.h"

#include "pe-dump.h"
#include "isa.h"
#include "../wse/wse_kernels.h"

FIXTURE(dump)
{
	struct wse_device *dev;
	struct wse_program *prog;
	struct wafer_pe_dump d;
	char text[8192];
};

FIXTURE_SETUP(dump)
{
	ASSERT_EQ(0, wse_device_open(0, &self->dev));
	ASSERT_EQ(0, wse_program_load_mem(self->dev, wse_test_image,
					  sizeof(wse_test_image), &self->prog)) {
		TH_LOG("%s", wse_last_error(self->dev));
	}
}

FIXTURE_TEARDOWN(dump)
{
	wse_program_free(self->prog);
	wse_device_close(self->dev);
}

/* whoami: each PE's registers hold its coordinates and the region size. */
TEST_F(dump, known_registers)
{
	struct isa_insn i;

	ASSERT_EQ(0, wse_launch(self->prog, "whoami", 0, NULL, 0, NULL));
	ASSERT_EQ(WSE_PE_DUMP_SIZE, wse_pe_dump(self->dev, 2, 1, &self->d,
						sizeof(self->d))) {
		TH_LOG("%s", wse_last_error(self->dev));
	}
	ASSERT_EQ(WAFER_PE_DUMP_MAGIC, self->d.magic);
	ASSERT_EQ(WAFER_PE_DUMP_VERSION, self->d.version);
	ASSERT_EQ(WSE_PE_DUMP_SIZE, self->d.size);
	EXPECT_EQ(2, self->d.x);
	EXPECT_EQ(1, self->d.y);
	EXPECT_EQ(WAFER_PE_DUMP_HALT, self->d.state);
	EXPECT_EQ(2, self->d.r[1]);
	EXPECT_EQ(1, self->d.r[2]);
	EXPECT_EQ(WSE_TEST_W, self->d.r[3]);
	EXPECT_EQ(WSE_TEST_H, self->d.r[4]);
	EXPECT_EQ(9, self->d.icount);
	EXPECT_EQ(WSE_TEST_SRAM, self->d.sram_bytes);
	isa_decode(self->d.insn, &i);
	EXPECT_EQ(ISA_OP_HALT, i.opcode);

	ASSERT_LT(0, wse_pe_dump_text(&self->d, sizeof(self->d), self->text,
				      sizeof(self->text)));
	EXPECT_NE(NULL, strstr(self->text, "PE (2,1): halted")) TH_LOG("%s", self->text);
	EXPECT_NE(NULL, strstr(self->text, "r1  00000002")) TH_LOG("%s", self->text);

	/* Another PE, another record. */
	ASSERT_EQ(WSE_PE_DUMP_SIZE, wse_pe_dump(self->dev, 0, 3, &self->d,
						sizeof(self->d)));
	EXPECT_EQ(0, self->d.r[1]);
	EXPECT_EQ(3, self->d.r[2]);
}

/* A kernel fault: wse_task_fault() names the PE, its dump the instruction. */
TEST_F(dump, faulting_pe)
{
	struct wse_task *task = NULL;
	uint32_t x = 99, y = 99, pc = 0;
	char want[64];

	ASSERT_EQ(0, wse_launch(self->prog, "fault", 2, (uint32_t[]){ 3, 2 },
				WSE_NONBLOCK, &task));
	ASSERT_EQ(-EFAULT, wse_task_wait(task, -1));
	ASSERT_EQ(0, wse_task_fault(task, &x, &y, &pc));
	EXPECT_EQ(3, x);
	EXPECT_EQ(2, y);
	EXPECT_EQ(WSE_TEST_FAULT_PC, pc);
	wse_task_free(task);

	ASSERT_EQ(WSE_PE_DUMP_SIZE, wse_pe_dump(self->dev, x, y, &self->d,
						sizeof(self->d)));
	EXPECT_EQ(WSE_TEST_FAULT_PC, self->d.pc);
	EXPECT_EQ(WAFER_PE_DUMP_HALT, self->d.state);
	EXPECT_EQ(WSE_TEST_SRAM, self->d.r[5]);
	ASSERT_LT(0, wse_pe_dump_text(&self->d, sizeof(self->d), self->text,
				      sizeof(self->text)));
	snprintf(want, sizeof(want), "pc 0x%04x: ", WSE_TEST_FAULT_PC);
	EXPECT_NE(NULL, strstr(self->text, want)) TH_LOG("%s", self->text);
	EXPECT_NE(NULL, strstr(self->text, "  ld ")) TH_LOG("%s", self->text);
	EXPECT_NE(NULL, strstr(self->text, "r6, [r5]")) TH_LOG("%s", self->text);

	/* A task that did not fault has no fault to name. */
	ASSERT_EQ(0, wse_launch(self->prog, "whoami", 0, NULL, WSE_NONBLOCK, &task));
	ASSERT_EQ(0, wse_task_wait(task, -1));
	EXPECT_EQ(-ENOENT, wse_task_fault(task, &x, &y, NULL));
	wse_task_free(task);
}

/* Bad arguments: clear errors, nothing run, the device still works. */
TEST_F(dump, bad_arguments)
{
	struct wse_device *dev2;

	EXPECT_EQ(-EINVAL, wse_pe_dump(self->dev, WSE_TEST_W, 0, &self->d,
				       sizeof(self->d)));
	EXPECT_NE(NULL, strstr(wse_last_error(self->dev), "outside"));
	EXPECT_EQ(-EINVAL, wse_pe_dump(self->dev, 0, WSE_TEST_H, &self->d,
				       sizeof(self->d)));
	EXPECT_EQ(-EINVAL, wse_pe_dump(self->dev, 0, 0, &self->d,
				       WSE_PE_DUMP_SIZE - 1));
	EXPECT_EQ(-EINVAL, wse_pe_dump(self->dev, 0, 0, NULL, WSE_PE_DUMP_SIZE));
	EXPECT_EQ(-EINVAL, wse_pe_dump(NULL, 0, 0, &self->d, sizeof(self->d)));
	EXPECT_EQ(-EINVAL, wse_pe_dump_text("not a record", 13, self->text,
					    sizeof(self->text)));
	EXPECT_EQ(-EINVAL, wse_task_fault(NULL, NULL, NULL, NULL));

	/* A region without a program: the device says so. */
	ASSERT_EQ(0, wse_device_open(0, &dev2));
	ASSERT_EQ(0, wse_region_alloc(dev2, 1, 1, NULL));
	EXPECT_EQ(-EIO, wse_pe_dump(dev2, 0, 0, &self->d, sizeof(self->d)));
	EXPECT_NE(NULL, strstr(wse_last_error(dev2), "no program")) {
		TH_LOG("%s", wse_last_error(dev2));
	}
	wse_device_close(dev2);

	ASSERT_EQ(WSE_PE_DUMP_SIZE, wse_pe_dump(self->dev, 0, 0, &self->d,
						sizeof(self->d)));
}

/* The test image in a file for wse-run; @path receives its name. */
static void image_file(struct __test_metadata *_metadata, char *path)
{
	int fd;

	strcpy(path, "/tmp/wse-dump-XXXXXX");
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(wse_test_image),
		  write(fd, wse_test_image, sizeof(wse_test_image)));
	ASSERT_EQ(0, close(fd));
}

/* wse-run --dump-on-fault prints the faulting PE, its pc and instruction. */
TEST(wse_run_dump_on_fault)
{
	char img[32], cmd[256], out[16384], want[64];
	int st;

	image_file(_metadata, img);
	snprintf(cmd, sizeof(cmd), "wse-run -q %s --launch fault:1,3 --dump-on-fault", img);
	st = lw_run(cmd, out, sizeof(out));
	snprintf(want, sizeof(want), "pc 0x%04x: ", WSE_TEST_FAULT_PC);
	EXPECT_EQ(1, st) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "PE (1,3): halted")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "r6, [r5]")) TH_LOG("%s", out);

	/* Without the option, the one sentence of before. */
	snprintf(cmd, sizeof(cmd), "wse-run -q %s --launch fault:1,3 2>&1", img);
	st = lw_run(cmd, out, sizeof(out));
	EXPECT_EQ(1, st);
	EXPECT_EQ(NULL, strstr(out, "r0  ")) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "PE (1,3) pc 0x%x:", WSE_TEST_FAULT_PC);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	unlink(img);
}

/* wse-run --dump X,Y after a launch; a PE off the image is refused early. */
TEST(wse_run_dump)
{
	char img[32], cmd[256], out[16384];
	int st;

	image_file(_metadata, img);
	snprintf(cmd, sizeof(cmd), "wse-run -q %s --launch whoami --dump 3,1 --dump 0,0", img);
	st = lw_run(cmd, out, sizeof(out));
	EXPECT_EQ(0, st) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "PE (3,1): halted")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "r1  00000003  r2  00000001")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "PE (0,0): halted")) TH_LOG("%s", out);

	snprintf(cmd, sizeof(cmd), "wse-run -q %s --launch whoami --dump 4,0 2>&1", img);
	st = lw_run(cmd, out, sizeof(out));
	EXPECT_EQ(1, st);
	EXPECT_NE(NULL, strstr(out, "--dump 4,0: PE (4,0) is outside")) TH_LOG("%s", out);
	snprintf(cmd, sizeof(cmd), "wse-run -q %s --dump x 2>&1", img);
	EXPECT_EQ(1, lw_run(cmd, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "expected X,Y")) TH_LOG("%s", out);
	unlink(img);
}

TEST_HARNESS_MAIN
