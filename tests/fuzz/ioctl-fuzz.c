// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-fuzz.c - a structure-aware fuzzer of the wse uAPI, run in the VM
 * against the real driver and device (issue 13).
 *
 * It knows the uAPI: it keeps the handles, mmap offsets, regions,
 * windows, syncobjs and job ids the driver returned and builds calls from
 * them with random fields (often valid, often just out of range, now and
 * then all random), in random sequences on several threads and processes,
 * across fork, close and reopen, mmap and munmap, dma-buf export and
 * import, and (as root, rarely) device resets.
 *
 * Every call must return 0 or one of the errors the uAPI documents; the
 * kernel must log no report (run-vm.sh checks the console). Bounded by a
 * call count and by a time limit, whichever comes first.
 *
 * Usage: ioctl_fuzz [-n CALLS] [-t THREADS] [-s SEED] [-d SECONDS] [-r] [-f]
 *   defaults from WSE_FUZZ_CALLS (20000), WSE_FUZZ_THREADS (3),
 *   WSE_FUZZ_SEED (1), WSE_FUZZ_SECONDS (240); -r (WSE_FUZZ_RESET=1):
 *   also WSE_RESET; -f (WSE_FUZZ_FAILSLAB=1): mark the worker threads for the
 *   kernel's fault injection (make-it-fail).
 * Prints one summary line; exits 0 if every return was allowed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <drm/wse_accel.h>

#define NODE		"/dev/accel/accel0"
#define MAX_BOS		16
#define MAX_WINS	4
#define MAX_SYNCS	4
#define MAX_MAPS	8

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	/* xorshift64*: fast, and the same seed gives the same sequence. */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

static uint64_t below(struct rng *r, uint64_t n)
{
	return n ? rnd(r) % n : 0;
}

static bool chance(struct rng *r, unsigned int one_in)
{
	return below(r, one_in) == 0;
}

struct bo {
	uint32_t handle;
	uint64_t size;
	uint64_t offset;	/* mmap offset */
};

struct map {
	void *addr;
	size_t len;
};

/* What one worker knows of its own file. */
struct ctx {
	struct rng r;
	int fd;
	struct bo bos[MAX_BOS];
	unsigned int nbos;
	struct bo wins[MAX_WINS];
	unsigned int nwins;
	uint32_t syncs[MAX_SYNCS];
	unsigned int nsyncs;
	struct map maps[MAX_MAPS];
	unsigned int nmaps;
	uint64_t last_job;
	struct drm_wse_region region;
	bool has_region;
	bool allow_reset;
};

static struct drm_wse_info info;
static atomic_ulong calls, bad, limit_calls, injected_deaths;
static time_t deadline;
/* -f: the workers' allocations fail at random (fault injection). */
static bool fail_mode;
static int shared_fd = -1;

static bool allowed(int err)
{
	switch (err) {
	case 0: case EINVAL: case ENOENT: case ENOMEM: case ENOSPC: case E2BIG:
	case EBUSY: case EIO: case ETIME: case EFAULT: case EOPNOTSUPP:
	case EACCES: case EPERM: case EINTR: case EAGAIN: case ECANCELED:
	case ETIMEDOUT: case ENODEV: case ENOTTY: case EBADF: case EMFILE:
	case ENFILE: case EEXIST: case EOVERFLOW:
		return true;
	default:
		return false;
	}
}

static int xioctl(unsigned long req, int fd, void *arg, const char *what)
{
	int ret, err = 0;

	atomic_fetch_add(&calls, 1);
	ret = ioctl(fd, req, arg);
	if (ret < 0)
		err = errno;
	if (!allowed(err)) {
		atomic_fetch_add(&bad, 1);
		fprintf(stderr, "ioctl-fuzz: %s: unexpected %s (%d)\n", what,
			strerror(err), err);
	}
	return err;
}

static void ctx_forget(struct ctx *c)
{
	unsigned int i;

	for (i = 0; i < c->nmaps; i++)
		munmap(c->maps[i].addr, c->maps[i].len);
	c->nmaps = c->nbos = c->nwins = c->nsyncs = 0;
	c->has_region = false;
	c->last_job = 0;
}

static int ctx_open(struct ctx *c)
{
	ctx_forget(c);
	c->fd = open(NODE, O_RDWR | O_CLOEXEC);
	return c->fd < 0 ? -errno : 0;
}

/* A handle this file got, sometimes a stale or foreign-looking one. */
static uint32_t pick_handle(struct ctx *c)
{
	if (c->nbos && !chance(&c->r, 8))
		return c->bos[below(&c->r, c->nbos)].handle;
	if (c->nwins && chance(&c->r, 4))
		return c->wins[below(&c->r, c->nwins)].handle;
	return chance(&c->r, 2) ? (uint32_t)below(&c->r, 64) : (uint32_t)rnd(&c->r);
}

/* A value near the interesting edges of [0, n]. */
static uint64_t edge(struct rng *r, uint64_t n)
{
	switch (below(r, 6)) {
	case 0: return 0;
	case 1: return n;
	case 2: return n + 1;
	case 3: return n ? below(r, n) : 0;
	case 4: return rnd(r);
	default: return n ? 1 + below(r, n) : 1;
	}
}

static void op_bo_create(struct ctx *c)
{
	struct drm_wse_bo_create a = { 0 };

	a.size = chance(&c->r, 10) ? edge(&c->r, 1ull << 30) :
		 4096 * (1 + below(&c->r, 64));
	if (chance(&c->r, 20))
		a.flags = rnd(&c->r);
	if (xioctl(DRM_IOCTL_WSE_BO_CREATE, c->fd, &a, "BO_CREATE"))
		return;
	/*
	 * Keep small buffers only: a job pins all pages of its buffers,
	 * and a few pinned 1 GiB buffers fill the VM's memory.
	 */
	if (c->nbos < MAX_BOS && a.size <= (1u << 20)) {
		c->bos[c->nbos++] = (struct bo){ a.handle, a.size, a.mmap_offset };
	} else {
		struct drm_gem_close cl = { .handle = a.handle };

		xioctl(DRM_IOCTL_GEM_CLOSE, c->fd, &cl, "GEM_CLOSE");
	}
}

static void op_gem_close(struct ctx *c)
{
	struct drm_gem_close cl = { .handle = pick_handle(c) };
	unsigned int i;

	if (xioctl(DRM_IOCTL_GEM_CLOSE, c->fd, &cl, "GEM_CLOSE"))
		return;
	for (i = 0; i < c->nbos; i++)
		if (c->bos[i].handle == cl.handle)
			c->bos[i] = c->bos[--c->nbos];
	for (i = 0; i < c->nwins; i++)
		if (c->wins[i].handle == cl.handle)
			c->wins[i] = c->wins[--c->nwins];
}

static void op_bo_info(struct ctx *c)
{
	struct drm_wse_bo_info a = { .handle = pick_handle(c) };

	if (chance(&c->r, 20))
		a.pad = rnd(&c->r);
	xioctl(DRM_IOCTL_WSE_BO_INFO, c->fd, &a, "BO_INFO");
}

static void op_region(struct ctx *c)
{
	struct drm_wse_region a = { 0 };

	if (c->has_region && chance(&c->r, 2)) {
		if (!xioctl(DRM_IOCTL_WSE_REGION_FREE, c->fd, &a, "REGION_FREE"))
			c->has_region = false;
		return;
	}
	a.width = chance(&c->r, 8) ? edge(&c->r, info.mesh_width) :
		  1 + below(&c->r, 4);
	a.height = chance(&c->r, 8) ? edge(&c->r, info.mesh_height) :
		   1 + below(&c->r, 4);
	if (!xioctl(DRM_IOCTL_WSE_REGION_ALLOC, c->fd, &a, "REGION_ALLOC")) {
		c->region = a;
		c->has_region = true;
	}
}

static void fill_cmd(struct ctx *c, struct drm_wse_cmd *cmd)
{
	uint32_t rw = c->has_region ? c->region.width : 4;
	uint32_t rh = c->has_region ? c->region.height : 4;

	memset(cmd, 0, sizeof(*cmd));
	cmd->op = chance(&c->r, 16) ? (uint32_t)rnd(&c->r) : below(&c->r, 7);
	if (cmd->op != DRM_WSE_OP_NOP && cmd->op != DRM_WSE_OP_LAUNCH) {
		cmd->handle = pick_handle(c);
		cmd->offset = chance(&c->r, 8) ? rnd(&c->r) : 16 * below(&c->r, 64);
		cmd->length = chance(&c->r, 8) ? edge(&c->r, info.max_xfer) :
			      4 * (1 + below(&c->r, 256));
	}
	switch (cmd->op) {
	case DRM_WSE_OP_WRITE:
	case DRM_WSE_OP_READ:
		cmd->sram.x = edge(&c->r, rw - 1);
		cmd->sram.y = edge(&c->r, rh - 1);
		cmd->sram.offset = chance(&c->r, 4) ? edge(&c->r, info.sram_bytes) :
				   4 * below(&c->r, 64);
		break;
	case DRM_WSE_OP_H2D:
	case DRM_WSE_OP_D2H:
		cmd->rect.x = below(&c->r, rw);
		cmd->rect.y = below(&c->r, rh);
		cmd->rect.w = edge(&c->r, rw - cmd->rect.x);
		cmd->rect.h = edge(&c->r, rh - cmd->rect.y);
		cmd->rect.elem_bytes = chance(&c->r, 8) ? below(&c->r, 9) :
				       (chance(&c->r, 2) ? 2 : 4);
		cmd->rect.elem_per_pe = 1 + below(&c->r, 16);
		cmd->rect.addr = 4 * below(&c->r, 64);
		cmd->rect.order = below(&c->r, 3);
		cmd->rect.bcast = below(&c->r, 4);
		/* Often the exact host array size, so that the copy runs. */
		if (!chance(&c->r, 4))
			cmd->length = (uint64_t)cmd->rect.w * cmd->rect.h *
				      cmd->rect.elem_per_pe * cmd->rect.elem_bytes;
		break;
	case DRM_WSE_OP_LAUNCH:
		cmd->launch.function = below(&c->r, 8);
		cmd->launch.nargs = chance(&c->r, 8) ? (uint32_t)rnd(&c->r) :
				    below(&c->r, DRM_WSE_MAX_ARGS + 1);
		break;
	default:
		break;
	}
	if (chance(&c->r, 32))
		cmd->flags = rnd(&c->r);
	if (chance(&c->r, 32))
		cmd->rsvd[below(&c->r, 5)] = rnd(&c->r);
}

static void op_submit(struct ctx *c)
{
	struct drm_wse_cmd cmds[DRM_WSE_MAX_CMDS + 1];
	struct drm_wse_submit a = { 0 };
	uint32_t i, n;

	n = chance(&c->r, 16) ? edge(&c->r, DRM_WSE_MAX_CMDS) : 1 + below(&c->r, 4);
	if (n > DRM_WSE_MAX_CMDS + 1)
		n = DRM_WSE_MAX_CMDS + 1;
	for (i = 0; i < n; i++)
		fill_cmd(c, &cmds[i]);
	a.cmds_ptr = chance(&c->r, 32) ? rnd(&c->r) : (uintptr_t)cmds;
	a.cmd_count = n;
	/* Short limits: a spinning LAUNCH ends soon. */
	a.timeout_ms = chance(&c->r, 16) ? (uint32_t)rnd(&c->r) : 1 + below(&c->r, 100);
	if (c->nsyncs && chance(&c->r, 4))
		a.out_syncobj = c->syncs[below(&c->r, c->nsyncs)];
	if (chance(&c->r, 32))
		a.flags = rnd(&c->r);
	if (!xioctl(DRM_IOCTL_WSE_SUBMIT, c->fd, &a, "SUBMIT"))
		c->last_job = a.job_id;
}

static void op_wait(struct ctx *c)
{
	struct drm_wse_wait a = { 0 };

	a.job_id = chance(&c->r, 8) ? rnd(&c->r) :
		   c->last_job - below(&c->r, 3);
	a.timeout_ns = chance(&c->r, 4) ? 0 : (int64_t)below(&c->r, 5000000);
	if (chance(&c->r, 32))
		a.flags = rnd(&c->r);
	xioctl(DRM_IOCTL_WSE_WAIT, c->fd, &a, "WAIT");
}

static void op_window(struct ctx *c)
{
	struct drm_wse_window_create a = { 0 };

	a.x = below(&c->r, 5);
	a.y = below(&c->r, 5);
	a.offset = chance(&c->r, 4) ? (uint32_t)rnd(&c->r) : 4096 * below(&c->r, 4);
	a.length = chance(&c->r, 4) ? edge(&c->r, info.window_size) : 4096;
	a.flags = chance(&c->r, 4) ? (uint32_t)rnd(&c->r) : below(&c->r, 2);
	if (!xioctl(DRM_IOCTL_WSE_WINDOW_CREATE, c->fd, &a, "WINDOW_CREATE") &&
	    c->nwins < MAX_WINS)
		c->wins[c->nwins++] = (struct bo){ a.handle, a.length, a.mmap_offset };
}

static void op_mmap(struct ctx *c)
{
	struct bo *b;
	void *p;

	if (c->nmaps && chance(&c->r, 2)) {
		unsigned int i = below(&c->r, c->nmaps);

		munmap(c->maps[i].addr, c->maps[i].len);
		c->maps[i] = c->maps[--c->nmaps];
		return;
	}
	if (c->nmaps == MAX_MAPS || !c->nbos)
		return;
	/* Buffers only: touching a window may fault SIGBUS after a reset. */
	b = &c->bos[below(&c->r, c->nbos)];
	p = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd,
		 b->offset);
	if (p == MAP_FAILED)
		return;
	((volatile uint8_t *)p)[below(&c->r, b->size)] = (uint8_t)rnd(&c->r);
	c->maps[c->nmaps++] = (struct map){ p, b->size };
}

static void op_syncobj(struct ctx *c)
{
	struct drm_syncobj_create cr = { 0 };
	struct drm_syncobj_destroy de = { 0 };
	struct drm_syncobj_wait w = { 0 };

	switch (below(&c->r, 3)) {
	case 0:
		if (c->nsyncs < MAX_SYNCS &&
		    !xioctl(DRM_IOCTL_SYNCOBJ_CREATE, c->fd, &cr, "SYNCOBJ_CREATE"))
			c->syncs[c->nsyncs++] = cr.handle;
		break;
	case 1:
		if (!c->nsyncs)
			break;
		de.handle = c->syncs[--c->nsyncs];
		xioctl(DRM_IOCTL_SYNCOBJ_DESTROY, c->fd, &de, "SYNCOBJ_DESTROY");
		break;
	default:
		if (!c->nsyncs)
			break;
		w.handles = (uintptr_t)&c->syncs[below(&c->r, c->nsyncs)];
		w.count_handles = 1;
		w.timeout_nsec = 0;	/* absolute: already passed, polls */
		xioctl(DRM_IOCTL_SYNCOBJ_WAIT, c->fd, &w, "SYNCOBJ_WAIT");
		break;
	}
}

static void op_prime(struct ctx *c)
{
	struct drm_prime_handle ex = { .handle = pick_handle(c), .flags = DRM_CLOEXEC };
	struct drm_prime_handle im = { 0 };

	if (xioctl(DRM_IOCTL_PRIME_HANDLE_TO_FD, c->fd, &ex, "PRIME_HANDLE_TO_FD"))
		return;
	im.fd = ex.fd;
	/*
	 * Import into this file (the same handle comes back) or the shared
	 * one (a second handle of the same pages, closed again at once so
	 * that imports do not pile up).
	 */
	if (shared_fd >= 0 && chance(&c->r, 2)) {
		if (!xioctl(DRM_IOCTL_PRIME_FD_TO_HANDLE, shared_fd, &im,
			    "PRIME_FD_TO_HANDLE")) {
			struct drm_gem_close cl = { .handle = im.handle };

			xioctl(DRM_IOCTL_GEM_CLOSE, shared_fd, &cl, "GEM_CLOSE");
		}
	} else {
		xioctl(DRM_IOCTL_PRIME_FD_TO_HANDLE, c->fd, &im, "PRIME_FD_TO_HANDLE");
	}
	close(ex.fd);
}

/* Anything in the driver's range, and core ioctls, with random bytes. */
static void op_raw(struct ctx *c)
{
	uint64_t buf[32];
	unsigned int i, nr, size;
	unsigned long req;

	for (i = 0; i < 32; i++)
		buf[i] = chance(&c->r, 2) ? 0 : rnd(&c->r);
	nr = chance(&c->r, 2) ? DRM_COMMAND_BASE + below(&c->r, 16) : below(&c->r, 0xd0);
	if (nr == DRM_COMMAND_BASE + DRM_WSE_RESET && !c->allow_reset)
		return;
	/*
	 * Random syncobj arrays: Debian 6.12's DRM core kmallocs
	 * count_handles entries without __GFP_NOWARN, and the driver's
	 * early count check cannot close the race with a second reading
	 * (see wse_syncobj_count_check()): a WARN there is the core's, and
	 * limits_test covers the check. The structured syncobj ops stay.
	 */
	if (nr >= 0xbf && nr <= 0xcf)	/* SYNCOBJ_CREATE .. SYNCOBJ_EVENTFD */
		return;
	size = below(&c->r, sizeof(buf) + 1);
	req = _IOC(below(&c->r, 4), DRM_IOCTL_BASE, nr, size);
	xioctl(req, chance(&c->r, 4) && shared_fd >= 0 ? shared_fd : c->fd, buf, "raw");
}

static void op_reset(struct ctx *c)
{
	struct drm_wse_reset a = { 0 };

	if (c->allow_reset)
		xioctl(DRM_IOCTL_WSE_RESET, c->fd, &a, "RESET");
}

static void run_ops(struct ctx *c, unsigned long n);

/* This thread's fault-injection mark (/proc/thread-self/make-it-fail). */
static int mark_fail(bool on)
{
	int f = open("/proc/thread-self/make-it-fail", O_WRONLY);
	int ret = 0;

	if (f < 0 || write(f, on ? "1\n" : "0\n", 2) != 2)
		ret = -1;
	if (f >= 0)
		close(f);
	return ret;
}

static void op_fork(struct ctx *c)
{
	pid_t pid;
	int status;

	/*
	 * fork() itself is not an ioctl path: under failslab its kernel
	 * stack's vmalloc would fail with warn_alloc's stack trace on the
	 * console. Unmarked around it; parent and child mark themselves
	 * again (the child inherits the unmarked state).
	 */
	if (fail_mode)
		mark_fail(false);
	pid = fork();
	if (fail_mode && pid >= 0 && mark_fail(true)) {
		fprintf(stderr, "ioctl-fuzz: make-it-fail: %s\n", strerror(errno));
		atomic_fetch_add(&bad, 1);
	}
	if (pid < 0)
		return;
	if (!pid) {
		/* The child shares the parent's file, then opens its own. */
		c->r.s ^= (uint64_t)getpid() << 17;
		c->nmaps = 0;	/* inherited; the child's exit unmaps them */
		run_ops(c, 50);
		if (!ctx_open(c))
			run_ops(c, 50);
		_exit(atomic_load(&bad) ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return;
	/*
	 * Under fault injection a child's own page faults and exec-time
	 * allocations fail too, and the kernel may kill it for that: not the
	 * driver's doing. Its ioctls' results were still checked.
	 */
	if (fail_mode && WIFSIGNALED(status) &&
	    (WTERMSIG(status) == SIGBUS || WTERMSIG(status) == SIGKILL ||
	     WTERMSIG(status) == SIGSEGV)) {
		atomic_fetch_add(&injected_deaths, 1);
		return;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "ioctl-fuzz: child failed: status %#x\n", status);
		atomic_fetch_add(&bad, 1);
	}
}

static void op_reopen(struct ctx *c)
{
	int ret;

	close(c->fd);
	ret = ctx_open(c);
	if (ret && ret != -ENOMEM && ret != -ENFILE && ret != -EMFILE) {
		fprintf(stderr, "ioctl-fuzz: reopen: %s\n", strerror(-ret));
		atomic_fetch_add(&bad, 1);
	}
}

static void run_ops(struct ctx *c, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		unsigned int k = below(&c->r, 1000);
		struct drm_wse_info gi = { 0 };

		if (c->fd < 0 || atomic_load(&calls) >= atomic_load(&limit_calls) ||
		    time(NULL) >= deadline)
			return;
		if (k < 60) {
			if (chance(&c->r, 10))
				gi.flags = rnd(&c->r);
			xioctl(DRM_IOCTL_WSE_GET_INFO, c->fd, &gi, "GET_INFO");
		} else if (k < 160) {
			op_bo_create(c);
		} else if (k < 230) {
			op_gem_close(c);
		} else if (k < 290) {
			op_bo_info(c);
		} else if (k < 340) {
			op_region(c);
		} else if (k < 600) {
			op_submit(c);
		} else if (k < 720) {
			op_wait(c);
		} else if (k < 770) {
			op_window(c);
		} else if (k < 830) {
			op_mmap(c);
		} else if (k < 880) {
			op_syncobj(c);
		} else if (k < 920) {
			op_prime(c);
		} else if (k < 990) {
			op_raw(c);
		} else if (k < 994) {
			op_reopen(c);
		} else if (k < 997) {
			op_fork(c);
		} else if (chance(&c->r, 50)) {
			op_reset(c);
		}
	}
}

struct worker {
	pthread_t t;
	struct ctx c;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	/*
	 * Only the workers (and what they fork) are marked: the main thread
	 * must still create them and report, whatever fails.
	 */
	if (fail_mode && mark_fail(true)) {
		fprintf(stderr, "ioctl-fuzz: make-it-fail: %s\n", strerror(errno));
		atomic_fetch_add(&bad, 1);
		return NULL;
	}
	ctx_open(&w->c);
	while (atomic_load(&calls) < atomic_load(&limit_calls) &&
	       time(NULL) < deadline) {
		/* Under failslab an open may fail: try again. */
		if (w->c.fd < 0 && ctx_open(&w->c))
			continue;
		run_ops(&w->c, 1000);
	}
	ctx_forget(&w->c);
	close(w->c.fd);
	return NULL;
}

static unsigned long env_ul(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

int main(int argc, char **argv)
{
	unsigned long n = env_ul("WSE_FUZZ_CALLS", 20000);
	unsigned long threads = env_ul("WSE_FUZZ_THREADS", 3);
	unsigned long seed = env_ul("WSE_FUZZ_SEED", 1);
	unsigned long secs = env_ul("WSE_FUZZ_SECONDS", 240);
	bool reset = env_ul("WSE_FUZZ_RESET", 0);
	bool fail = env_ul("WSE_FUZZ_FAILSLAB", 0);
	struct worker *w;
	unsigned long i;
	time_t start;
	int opt, fd;

	while ((opt = getopt(argc, argv, "n:t:s:d:rf")) != -1) {
		switch (opt) {
		case 'n': n = strtoul(optarg, NULL, 0); break;
		case 't': threads = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoul(optarg, NULL, 0); break;
		case 'd': secs = strtoul(optarg, NULL, 0); break;
		case 'r': reset = true; break;
		case 'f': fail = true; break;
		default:
			fprintf(stderr, "usage: %s [-n calls] [-t threads] [-s seed] [-d seconds] [-r] [-f]\n",
				argv[0]);
			return 2;
		}
	}
	if (!threads)
		threads = 1;
	/* A child that dies with the pipe to the runner must not kill us. */
	signal(SIGPIPE, SIG_IGN);

	fd = open(NODE, O_RDWR | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, DRM_IOCTL_WSE_GET_INFO, &info)) {
		fprintf(stderr, "ioctl-fuzz: %s: %s\n", NODE, strerror(errno));
		return 1;
	}
	shared_fd = fd;
	/*
	 * -f: the fault injection of the debug kernel (failslab,
	 * fail_page_alloc with task-filter) fails allocations of the
	 * worker threads only (worker_main()).
	 */
	fail_mode = fail;
	atomic_store(&limit_calls, n);
	start = time(NULL);
	deadline = start + secs;

	w = calloc(threads, sizeof(*w));
	if (!w)
		return 1;
	for (i = 0; i < threads; i++) {
		w[i].c.r.s = (seed + 1) * 0x9e3779b97f4a7c15ull + i;
		w[i].c.fd = -1;
		w[i].c.allow_reset = reset;
		if (pthread_create(&w[i].t, NULL, worker_main, &w[i])) {
			fprintf(stderr, "ioctl-fuzz: pthread_create failed\n");
			return 1;
		}
	}
	for (i = 0; i < threads; i++)
		pthread_join(w[i].t, NULL);
	close(fd);

	printf("ioctl-fuzz: %lu calls in %ld s, %lu threads, seed %lu: %lu unexpected\n",
	       atomic_load(&calls), (long)(time(NULL) - start), threads, seed,
	       atomic_load(&bad));
	if (fail)
		printf("ioctl-fuzz: %lu children killed by the injected faults\n",
		       atomic_load(&injected_deaths));
	free(w);
	return atomic_load(&bad) ? 1 : 0;
}
