// SPDX-License-Identifier: GPL-2.0
/*
 * libwse on its simulator backend (libwse-sim.so.1), what the shared
 * suites (tests/selftests/libwse, run on the simulator by check-host) do
 * not cover: device strings and their errors, finding the plugin,
 * $WSE_DEVICE, results and cycles at any thread count, reset, windows,
 * typed symbols and launches, the WSE_1.0 symbol lookups, WSE_TRACE.
 * Every test runs in a process of its own (the harness forks), so that
 * environment variables set by one do not leak into the next.
 */
#include <wse/wse.h>

#include "kselftest_harness.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wse-asm.h"
#include "wse_kernels.h"


/* out[0] = r1 + r2 (f32), out[1] = r3, out[2] = r4: argument bits. */
static const char typed_src[] =
	".rect main, 0, 0, 2, 2\n"
	".code main\n"
	".func typed\n"
	"	fadd	r5, r1, r2\n"
	"	li	r6, out\n"
	"	st	r5, [r6]\n"
	"	st	r3, [r6 + 4]\n"
	"	st	r4, [r6 + 8]\n"
	"	halt\n"
	".data\n"
	"	.export out, f32, 4\n"
	"	.export half, f16, 2\n";

static int open_sim(const char *s, struct wse_device **dev)
{
	return wse_device_open_path(s, dev);
}

/* Load the selftests' kernel image on @dev. */
static int load_test_image(struct wse_device *dev, struct wse_program **prog)
{
	return wse_program_load_mem(dev, wse_test_image, sizeof(wse_test_image),
				    prog);
}

/* What a simulator reports about itself. */
TEST(info)
{
	struct wse_device_info info;
	struct wse_device *dev;

	ASSERT_EQ(0, open_sim("sim:8x6", &dev)) TH_LOG("%s", wse_last_error(NULL));
	ASSERT_EQ(0, wse_device_info(dev, &info));
	ASSERT_EQ(8, info.mesh_width);
	ASSERT_EQ(6, info.mesh_height);
	ASSERT_EQ(48 * 1024, info.sram_bytes);
	ASSERT_STREQ("sim:8x6", info.node);
	ASSERT_EQ(-1, info.minor);
	ASSERT_STREQ("", info.pci_slot);
	ASSERT_EQ(16, info.num_windows);
	ASSERT_EQ(32u << 20, info.max_xfer);
	ASSERT_EQ(WSE_DEVICE_CAP_QUEUES | WSE_DEVICE_CAP_WINDOWS |
		  WSE_DEVICE_CAP_KERNELS | WSE_DEVICE_CAP_RECT | WSE_DEVICE_CAP_STREAM,
		  info.caps);
	ASSERT_EQ(-EOPNOTSUPP, wse_device_fd(dev));
	wse_device_close(dev);

	/* Options, and the normalised string naming only what differs. */
	ASSERT_EQ(0, open_sim("sim:4x2,queue-depth=16,sram=64,threads=3", &dev));
	ASSERT_EQ(0, wse_device_info(dev, &info));
	ASSERT_EQ(64 * 1024, info.sram_bytes);
	/* The node holds 31 characters: the string is cut there. */
	ASSERT_STREQ("sim:4x2,sram=64,threads=3,queue", info.node);
	wse_device_close(dev);
	ASSERT_EQ(0, open_sim("sim:4x2,sram=48,threads=1,queue-depth=32", &dev));
	ASSERT_EQ(0, wse_device_info(dev, &info));
	ASSERT_STREQ("sim:4x2", info.node);
	wse_device_close(dev);
}

/* Malformed simulator strings are -EINVAL with a sentence naming the fault. */
TEST(bad_device_strings)
{
	static const struct {
		const char *s;
		const char *says;
	} bad[] = {
		{ "sim:", "sim:WxH" },
		{ "sim:8", "sim:WxH" },
		{ "sim:8x", "sim:WxH" },
		{ "sim:8x8x", "sim:WxH" },
		{ "sim:0x8", "1..762 PEs wide" },
		{ "sim:763x8", "1..762 PEs wide" },
		{ "sim:8x1177", "1..1176 high" },
		{ "sim:8x8,foo=1", "unknown option 'foo=1'" },
		{ "sim:8x8,sram", "unknown option 'sram'" },
		{ "sim:8x8,sram=6", "multiple of 4 KiB" },
		{ "sim:8x8,sram=2048", "sram takes a number from 4 to 1024" },
		{ "sim:8x8,threads=0", "threads takes a number from 1 to 64" },
		{ "sim:8x8,threads=65", "threads takes a number from 1 to 64" },
		{ "sim:8x8,threads=2x", "not '2x'" },
		{ "sim:8x8,queue-depth=0", "queue-depth takes" },
		{ "sim:8x8,", "unknown option ''" },
	};
	struct wse_device *dev = NULL;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(-EINVAL, open_sim(bad[i].s, &dev)) TH_LOG("%s", bad[i].s);
		ASSERT_NE(NULL, strstr(wse_last_error(NULL), bad[i].says))
			TH_LOG("%s: %s", bad[i].s, wse_last_error(NULL));
	}
	ASSERT_EQ(NULL, dev);
	ASSERT_EQ(-EINVAL, wse_device_open_path("drm:x", &dev));
	ASSERT_NE(NULL, strstr(wse_last_error(NULL), "device index"));
	ASSERT_EQ(-EINVAL, wse_device_open_path("drm:", &dev));
}

/*
 * A backend that is not there is -ENODEV with where libwse looked; a
 * plugin file that does not load is named with the loader's reason.
 */
TEST(plugin_missing_or_broken)
{
	char dir[] = "/tmp/libwse-sim-XXXXXX", path[96];
	struct wse_device *dev = NULL;
	FILE *f;

	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, setenv("WSE_BACKEND_PATH", dir, 1));
	ASSERT_EQ(-ENODEV, wse_device_open_path("nosuch:1", &dev));
	ASSERT_NE(NULL, strstr(wse_last_error(NULL),
			       "the nosuch backend (libwse-nosuch.so.1) is not installed"))
		TH_LOG("%s", wse_last_error(NULL));
	ASSERT_NE(NULL, strstr(wse_last_error(NULL), dir));
	ASSERT_NE(NULL, strstr(wse_last_error(NULL), WSE_BUILD));

	snprintf(path, sizeof(path), "%s/libwse-broken.so.1", dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs("not an ELF file\n", f);
	fclose(f);
	ASSERT_EQ(-ENODEV, wse_device_open_path("broken:1", &dev));
	ASSERT_NE(NULL, strstr(wse_last_error(NULL), "cannot load"))
		TH_LOG("%s", wse_last_error(NULL));
	ASSERT_NE(NULL, strstr(wse_last_error(NULL), path));

	/* Not a name a plugin can have. */
	ASSERT_EQ(-ENODEV, wse_device_open_path("Sim:8x8", &dev));
	ASSERT_NE(NULL, strstr(wse_last_error(NULL), "not a backend name"));
	ASSERT_EQ(NULL, dev);
	unlink(path);
	rmdir(dir);
}

/* $WSE_BACKEND_PATH is searched first: a copy of the plugin there loads. */
TEST(plugin_from_backend_path)
{
	char dir[] = "/tmp/libwse-sim-XXXXXX", cmd[256];
	struct wse_device_info info;
	struct wse_device *dev;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp %s/libwse-sim.so.1 %s/libwse-simcopy.so.1",
		 WSE_BUILD, dir);
	ASSERT_EQ(0, system(cmd));
	ASSERT_EQ(-ENODEV, wse_device_open_path("simcopy:2x2", &dev));
	ASSERT_EQ(0, setenv("WSE_BACKEND_PATH", dir, 1));
	ASSERT_EQ(0, wse_device_open_path("simcopy:2x2", &dev))
		TH_LOG("%s", wse_last_error(NULL));
	ASSERT_EQ(0, wse_device_info(dev, &info));
	ASSERT_EQ(2, info.mesh_width);
	wse_device_close(dev);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ASSERT_EQ(0, system(cmd));
}

/* $WSE_DEVICE replaces the driver's nodes for opening by index. */
TEST(wse_device_list)
{
	struct wse_device_info info;
	struct wse_device *dev = NULL;

	ASSERT_EQ(0, setenv("WSE_DEVICE", "sim:4x4;;sim:8x2,threads=2", 1));
	ASSERT_EQ(2, wse_device_count());
	ASSERT_EQ(0, wse_device_open(1, &dev)) TH_LOG("%s", wse_last_error(NULL));
	ASSERT_EQ(0, wse_device_info(dev, &info));
	ASSERT_STREQ("sim:8x2,threads=2", info.node);
	wse_device_close(dev);
	ASSERT_EQ(0, wse_device_open(0, &dev));
	ASSERT_EQ(0, wse_device_info(dev, &info));
	ASSERT_STREQ("sim:4x4", info.node);
	wse_device_close(dev);
	dev = NULL;
	ASSERT_EQ(-ENODEV, wse_device_open(2, &dev));
	ASSERT_NE(NULL, strstr(wse_last_error(NULL), "WSE_DEVICE names 2"));
	ASSERT_EQ(NULL, dev);
	ASSERT_EQ(0, setenv("WSE_DEVICE", "sim:1x1x", 1));
	ASSERT_EQ(-EINVAL, wse_device_open(0, &dev));
}

/* Run @sweeps of the stencil example on @spec: its grid out and cycles. */
static int stencil_on(const char *spec, uint32_t sweeps, float *grid,
		      size_t n, uint64_t *cycles)
{
	struct wse_program *prog = NULL;
	struct wse_task *task = NULL;
	struct wse_device *dev;
	struct wse_symbol u;
	size_t i;
	int ret;

	for (i = 0; i < n; i++)
		grid[i] = (float)(i % 97) / 97.0f;
	ret = open_sim(spec, &dev);
	if (ret)
		return ret;
	ret = wse_program_load_file(dev, STENCIL_IMAGE, &prog);
	if (!ret)
		ret = wse_program_symbol(prog, "u", &u);
	if (!ret)
		ret = wse_memcpy_h2d(prog, &u, grid, 0, 0, 8, 8, u.size / 4,
				     WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0,
				     NULL);
	if (!ret)
		ret = wse_launch(prog, "compute", 1, &sweeps, 0, &task);
	if (!ret)
		*cycles = wse_task_cycles(task);
	wse_task_free(task);
	if (!ret)
		ret = wse_memcpy_d2h(prog, &u, grid, 0, 0, 8, 8, u.size / 4,
				     WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0,
				     NULL);
	wse_program_free(prog);
	wse_device_close(dev);
	return ret;
}

/* The same bytes and cycles at any thread count. */
TEST(same_results_any_threads)
{
	static float one[8 * 8 * 18 * 18], four[8 * 8 * 18 * 18];
	uint64_t c1 = 0, c4 = 0;

	ASSERT_EQ(0, stencil_on("sim:8x8", 20, one, ARRAY_SIZE(one), &c1))
		TH_LOG("%s", wse_last_error(NULL));
	ASSERT_EQ(0, stencil_on("sim:8x8,threads=4", 20, four, ARRAY_SIZE(four),
				&c4));
	ASSERT_LT(0, c1);
	ASSERT_EQ(c1, c4);
	ASSERT_EQ(0, memcmp(one, four, sizeof(one)));
}

/*
 * A reset stops every context's work: a running kernel's task ends with
 * -ECANCELED, copies fail with -EIO until the program is freed, a new
 * load works, and the count goes up.
 */
TEST(reset_stops_every_context)
{
	struct wse_program *pa = NULL, *pb = NULL;
	struct wse_device *a, *b;
	struct wse_task *spin = NULL;
	struct wse_symbol s;
	uint32_t buf[64] = { 0 };
	uint64_t n1 = 0, n2 = 0;

	ASSERT_EQ(0, open_sim("sim:8x8", &a));
	ASSERT_EQ(0, open_sim("sim:8x8", &b));
	ASSERT_EQ(0, load_test_image(a, &pa));
	ASSERT_EQ(0, load_test_image(b, &pb));
	ASSERT_EQ(0, wse_program_symbol(pb, "a32", &s));
	ASSERT_EQ(0, wse_launch(pa, "spin", 0, NULL, WSE_NONBLOCK, &spin));
	ASSERT_EQ(-ETIME, wse_task_wait(spin, 20 * 1000 * 1000));

	ASSERT_EQ(0, wse_device_reset(b, &n1));
	ASSERT_EQ(-ECANCELED, wse_task_wait(spin, -1));
	ASSERT_NE(NULL, strstr(wse_task_error(spin), "dropped by a device reset"))
		TH_LOG("%s", wse_task_error(spin));
	wse_task_free(spin);
	ASSERT_EQ(-EIO, wse_memcpy_h2d(pb, &s, buf, 0, 0, 1, 1, 64,
				       WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0,
				       NULL));
	ASSERT_EQ(-EIO, wse_launch(pa, "whoami", 0, NULL, 0, NULL));
	wse_program_free(pa);
	wse_program_free(pb);
	ASSERT_EQ(0, load_test_image(a, &pa)) TH_LOG("%s", wse_last_error(a));
	ASSERT_EQ(0, wse_launch(pa, "whoami", 0, NULL, 0, NULL));
	ASSERT_EQ(0, wse_device_reset(a, &n2));
	ASSERT_EQ(n1 + 1, n2);
	wse_program_free(pa);
	wse_device_close(a);
	wse_device_close(b);
}

/*
 * A blocking launch runs in the caller's thread, and its time limit
 * still stops it: -ETIMEDOUT, and the program is dropped as the driver
 * drops it, so the next launch finds none.
 */
TEST(time_limit_of_a_blocking_launch)
{
	struct wse_program *prog;
	struct wse_device *dev;

	ASSERT_EQ(0, open_sim("sim:4x4", &dev));
	ASSERT_EQ(0, load_test_image(dev, &prog));
	ASSERT_EQ(0, wse_device_set_timeout(dev, 200));
	ASSERT_EQ(-ETIMEDOUT, wse_launch(prog, "spin", 0, NULL, 0, NULL));
	ASSERT_NE(NULL, strstr(wse_last_error(dev), "LAUNCH 0: stopped after the job's time limit"))
		TH_LOG("%s", wse_last_error(dev));
	ASSERT_EQ(-EIO, wse_launch(prog, "whoami", 0, NULL, 0, NULL));
	ASSERT_NE(NULL, strstr(wse_last_error(dev), "no program loaded"))
		TH_LOG("%s", wse_last_error(dev));
	wse_program_free(prog);
	/* A new load brings it back. */
	ASSERT_EQ(0, load_test_image(dev, &prog));
	ASSERT_EQ(0, wse_launch(prog, "whoami", 0, NULL, 0, NULL));
	wse_program_free(prog);
	wse_device_close(dev);
}

/*
 * Windows are the simulated SRAM: what a copy wrote shows through them,
 * what is stored through them a copy reads; 16 slots per wafer.
 */
TEST(windows_show_sram)
{
	struct wse_window *w[17] = { NULL }, *win = NULL;
	uint8_t in[300], out[300];
	struct wse_device *dev;
	unsigned int i;
	int ret;

	ASSERT_EQ(0, open_sim("sim:4x4", &dev));
	ASSERT_EQ(0, wse_region_alloc(dev, 3, 2, NULL));
	for (i = 0; i < sizeof(in); i++)
		in[i] = i * 7;
	/* Across the end of PE (0,1) into PE (1,1). */
	ASSERT_EQ(0, wse_sram_write(dev, 0, 1, 48 * 1024 - 100, in, sizeof(in)));
	ASSERT_EQ(0, wse_window_create(dev, 0, 1, 48 * 1024 - 100, sizeof(in), 0,
				       &win));
	ASSERT_EQ(0, memcmp(in, wse_window_ptr(win), sizeof(in)));
	memset(wse_window_ptr(win), 0xa5, 10);
	ASSERT_EQ(0, wse_sram_read(dev, 0, 1, 48 * 1024 - 100, out, sizeof(out)));
	ASSERT_EQ(0xa5, out[9]);
	ASSERT_EQ(in[10], out[10]);
	wse_window_destroy(win);
	/* Past the row, or outside the region. */
	ASSERT_EQ(-EINVAL, wse_window_create(dev, 2, 0, 48 * 1024 - 1, 2, 0, &win));
	ASSERT_EQ(-EINVAL, wse_window_create(dev, 0, 2, 0, 1, 0, &win));

	for (i = 0; i < ARRAY_SIZE(w); i++) {
		ret = wse_window_create(dev, 0, 0, 0, 4096, WSE_WINDOW_READONLY, &w[i]);
		if (ret)
			break;
	}
	ASSERT_EQ(16, i);
	ASSERT_EQ(-ENOSPC, ret);
	ASSERT_NE(NULL, strstr(wse_last_error(dev), "all 16 window slots"));
	wse_window_destroy(w[3]);
	ASSERT_EQ(0, wse_window_create(dev, 1, 1, 0, 4096, 0, &w[3]));
	for (i = 0; i < 16; i++)
		wse_window_destroy(w[i]);
	wse_device_close(dev);
}

/* Symbols carry their element type; a program lists them all. */
TEST(typed_symbols)
{
	static const struct {
		const char *name;
		uint32_t kind, type;
	} want[] = {
		{ "scale", WSE_SYMBOL_FUNCTION, WSE_TYPE_NONE },
		{ "a32", WSE_SYMBOL_OBJECT, WSE_TYPE_I32 },
		{ "a16", WSE_SYMBOL_OBJECT, WSE_TYPE_I16 },
	};
	struct wse_program *prog;
	struct wse_device *dev;
	struct wse_symbol s;
	unsigned int i, j;
	int n;

	ASSERT_EQ(0, open_sim("sim:4x4", &dev));
	ASSERT_EQ(0, load_test_image(dev, &prog));
	n = wse_program_symbol_count(prog);
	ASSERT_EQ(9, n);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		for (j = 0; j < (unsigned int)n; j++) {
			ASSERT_EQ(0, wse_program_symbol_at(prog, j, &s));
			ASSERT_EQ(j, s.index);
			if (!strcmp(s.name, want[i].name))
				break;
		}
		ASSERT_GT(n, j) TH_LOG("%s not listed", want[i].name);
		ASSERT_EQ(want[i].kind, s.kind);
		ASSERT_EQ(want[i].type, s.elem_type);
	}
	ASSERT_EQ(0, wse_program_symbol(prog, "a16", &s));
	ASSERT_EQ(WSE_TYPE_I16, s.elem_type);
	ASSERT_STREQ("i16", wse_type_name(s.elem_type));
	ASSERT_EQ(-ENOENT, wse_program_symbol_at(prog, n, &s));
	ASSERT_EQ(-EINVAL, wse_program_symbol_count(NULL));
	ASSERT_STREQ("f32", wse_type_name(WSE_TYPE_F32));
	ASSERT_STREQ("u32", wse_type_name(WSE_TYPE_U32));
	ASSERT_EQ(NULL, wse_type_name((enum wse_type)77));
	wse_program_free(prog);
	wse_device_close(dev);
}

/*
 * Programs linked against WSE_1.0 get the old structure, without
 * elem_type: the bytes after it stay as they were.
 */
TEST(symbol_lookup_of_wse_1_0)
{
	typedef int (*lookup_fn)(const struct wse_program *, const char *, void *);
	struct {
		struct {
			const char *name;
			uint32_t kind, index, addr, size, elem_bytes;
		} old;
		uint32_t after[4];
	} s;
	struct wse_program *prog;
	struct wse_device *dev;
	lookup_fn old_symbol;
	void *lib;

	lib = dlopen(WSE_BUILD "/libwse.so.1", RTLD_NOW);
	ASSERT_NE(NULL, lib);
	old_symbol = (lookup_fn)dlvsym(lib, "wse_program_symbol", "WSE_1.0");
	ASSERT_NE(NULL, old_symbol);
	ASSERT_NE((void *)old_symbol, dlvsym(lib, "wse_program_symbol", "WSE_1.2"));
	ASSERT_EQ(0, open_sim("sim:4x4", &dev));
	ASSERT_EQ(0, load_test_image(dev, &prog));
	memset(&s, 0xee, sizeof(s));
	ASSERT_EQ(0, old_symbol(prog, "a32", &s.old));
	ASSERT_STREQ("a32", s.old.name);
	ASSERT_EQ(WSE_TEST_A32, s.old.addr);
	ASSERT_EQ(4, s.old.elem_bytes);
	ASSERT_EQ(0xeeeeeeee, s.after[0]);
	ASSERT_EQ(-ENOENT, old_symbol(prog, "nope", &s.old));
	wse_program_free(prog);
	wse_device_close(dev);
	dlclose(lib);
}

/* Typed arguments reach the registers as the bits their types say. */
TEST(typed_launch)
{
	struct wse_arg args[] = {
		WSE_ARG_F32(1.5f), WSE_ARG_F32(2.25f), WSE_ARG_F16(0.5f),
		WSE_ARG_I16(-2),
	};
	char *diag = malloc(8192);
	struct wse_program *prog;
	struct wse_device *dev;
	struct wse_symbol out;
	uint32_t bits[4 * 4 * 4];
	float sum;
	void *img;
	size_t len;

	ASSERT_NE(NULL, diag);
	ASSERT_EQ(0, wse_asm_buffer("typed.s", typed_src, strlen(typed_src), NULL,
				    &img, &len, diag, 8192)) TH_LOG("%s", diag);
	ASSERT_EQ(0, open_sim("sim:2x2", &dev));
	ASSERT_EQ(0, wse_program_load_mem(dev, img, len, &prog));
	ASSERT_EQ(0, wse_program_symbol(prog, "out", &out));
	ASSERT_EQ(WSE_TYPE_F32, out.elem_type);
	ASSERT_EQ(0, wse_launch_args(prog, "typed", 4, args, 0, NULL))
		TH_LOG("%s", wse_last_error(dev));
	ASSERT_EQ(0, wse_memcpy_d2h(prog, &out, bits, 0, 0, 2, 2, 4,
				    WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0, NULL));
	memcpy(&sum, &bits[0], sizeof(sum));
	ASSERT_TRUE(sum == 3.75f);
	ASSERT_EQ(0x3800, bits[1]);		/* 0.5 in binary16 */
	ASSERT_EQ(0xfffffffe, bits[2]);		/* -2 sign-extended */
	/* The last PE got the same. */
	ASSERT_EQ(bits[1], bits[3 * 4 + 1]);

	args[3] = WSE_ARG_I16(40000);
	ASSERT_EQ(-EINVAL, wse_launch_args(prog, "typed", 4, args, 0, NULL));
	ASSERT_NE(NULL, strstr(wse_last_error(dev), "argument 4 (i16) 40000"));
	args[3].type = 99;
	ASSERT_EQ(-EINVAL, wse_launch_args(prog, "typed", 4, args, 0, NULL));
	ASSERT_NE(NULL, strstr(wse_last_error(dev), "unknown type 99"));
	ASSERT_EQ(-EINVAL, wse_launch_args(prog, "typed", WSE_MAX_ARGS + 1, args,
					   0, NULL));
	ASSERT_EQ(-ENOENT, wse_launch_args(prog, "nope", 0, NULL, 0, NULL));
	wse_program_free(prog);
	wse_device_close(dev);
	free(img);
	free(diag);
}

/* WSE_TRACE: a line per finished task, with the digest of what came out. */
TEST(trace_lines)
{
	char path[] = "/tmp/libwse-trace-XXXXXX", line[512], fault[96];
	struct wse_program *prog;
	struct wse_device *dev;
	struct wse_symbol s;
	uint32_t buf[64];
	int fd, lines = 0;
	FILE *f;

	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, setenv("WSE_TRACE", path, 1));
	ASSERT_EQ(0, open_sim("sim:4x4", &dev));
	ASSERT_EQ(0, load_test_image(dev, &prog));
	ASSERT_EQ(0, wse_program_symbol(prog, "id", &s));
	ASSERT_EQ(0, wse_launch(prog, "whoami", 0, NULL, 0, NULL));
	ASSERT_EQ(0, wse_memcpy_d2h(prog, &s, buf, 0, 0, 2, 1, 4,
				    WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0, NULL));
	ASSERT_EQ(-EFAULT, wse_launch(prog, "fault", 2, (uint32_t[]){ 1, 0 }, 0,
				      NULL));
	wse_program_free(prog);
	wse_device_close(dev);

	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		TH_LOG("%s", line);
		switch (lines++) {
		case 0:
			ASSERT_EQ(0, strncmp(line, "dev 1 task 1 LOAD status 0 cycles 0 bytes 0 fnv1a64 - \"\"", 56));
			break;
		case 1:
			ASSERT_NE(NULL, strstr(line, "task 2 LAUNCH status 0 cycles "));
			break;
		case 2:
			/* x, y, 4, 4 of PEs (0,0) and (1,0). */
			ASSERT_NE(NULL, strstr(line, "task 3 D2H status 0 cycles 0 bytes 32 fnv1a64 "));
			ASSERT_EQ(NULL, strstr(line, "fnv1a64 -"));
			break;
		case 3:
			ASSERT_NE(NULL, strstr(line, "task 4 LAUNCH status -14 cycles "));
			snprintf(fault, sizeof(fault),
				 "\"PE (1,0) pc 0x%x: SRAM access out of range\"",
				 WSE_TEST_FAULT_PC);
			ASSERT_NE(NULL, strstr(line, fault));
			break;
		}
	}
	fclose(f);
	ASSERT_EQ(4, lines);
	unlink(path);
}

TEST_HARNESS_MAIN
