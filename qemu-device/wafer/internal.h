/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * internal.h - private types of the wafer executor, shared by its files.
 *
 * The executor is a conservative parallel discrete-event simulation of
 * the PEs of a run (Documentation/wse/isa.rst, "Execution model"):
 *
 *   exec.c     the main thread of a PE: the interpreter
 *   vector.c   vector operations (sync on the main thread, async on a
 *              microthread) over memory and fabric operands
 *   vkern.c    their element kernels
 *   dsd.c      DSD registers, multi-dimensional walks, footprints
 *   uthread.c  async operations on the 8 microthreads, their ordering
 *   task.c     task tables, events, choosing the next task
 *   timer.c    the PE's timer, which activates the timer task
 *   fabric.c   routes, queues, the one-producer rule of merged routes
 *   fq.c       where the input queues are; made on first use
 *   rtmap.c    router configurations from the route records
 *   switch.c   switch positions, control wavelets, teardown
 *   horizon.c  the lower bounds PEs publish for each other (lookahead)
 *   sched.c    workers, run queues, parking and waking, global stalls
 *   launch.c   launches, their end, statistics and reports
 *   load.c     images onto regions
 *
 * Ownership: everything about a PE (registers, clocks, DSDs, tasks,
 * microthreads, the consumer side of its queues) belongs to the one
 * worker that executes it at a time; hand-over between workers goes
 * through pe.sched (acquire/release). Shared between PEs, lock-free:
 * queue rings (single producer at a time, single consumer), published
 * horizons and thresholds, router switch state, a run's per-worker
 * counts of active PEs. Locks: wafer.lock (list of runs, pool
 * start/stop), worker.lock (its run queue), run.lock (the end of a run,
 * faults, global stalls), fabric color locks (switch waiter lists). None
 * is taken on the path of an instruction.
 */
#ifndef WAFER_INTERNAL_H
#define WAFER_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wafer.h"
#include "image.h"
#include "isa.h"
#include "wafer-trace.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "wafer: SRAM holds little-endian words that the executor accesses in place"
#endif

#define wf_likely(x)	__builtin_expect(!!(x), 1)
#define wf_unlikely(x)	__builtin_expect(!!(x), 0)

#define WAFER_MAX_SRAM		(1u << 20)	/* per PE */
#define WAFER_MAX_THREADS	64
#define WAFER_QUEUE_DEFAULT	32	/* wavelets per (PE, color) queue */
#define WAFER_QUEUE_MAX		4096

/* Regions from this many PEs on are loaded on the wafer's threads. */
#define WAFER_LOAD_PAR_MIN_PES	16384

#define T_INF			UINT64_MAX
#define WAFER_FQ_LOCKS		64	/* a power of two */

/*
 * Work units a PE may use before its worker moves on to another PE. An
 * instruction counts WAFER_INSN_WORK units, a vector element one: about
 * 30-60 us of host time, short enough for prompt cancels and fairness.
 */
#define WAFER_QUANTUM		65536
#define WAFER_INSN_WORK		4
/* Elements of a vector op done per step (bounds a step's host time). */
#define WAFER_MEM_CHUNK		8192
#define WAFER_FAB_CHUNK		256
#define WAFER_SPARE_SINKS	64	/* sink buffers a program keeps */
/*
 * A vector op charges one budget unit per this many elements, on top of
 * its one instruction, so that the budget also bounds huge vectors.
 */
#define WAFER_BUDGET_ELEMS_SHIFT	6

/* Modeled cycle costs; Documentation/wse/isa.rst is the reference. */
#define COST_SIMPLE		1	/* ALU, FP, load/store, CSR, DSD setup */
#define COST_DIV		8	/* DIVU, REMU, FDIV */
#define COST_BRANCH_TAKEN	2
#define COST_JUMP		2	/* JMP, JR, CALL, CALLR, RET */
#define COST_VEC_ISSUE		2	/* then one cycle per element */
#define COST_TASK_START		2	/* choosing and entering a task */

/* ---- DSDs ---- */

enum dsd_kind {
	DSD_MEM = 0,		/* zeroed registers are empty memory DSDs */
	DSD_FAB = 1,
};

#define DSD_DIMS	4

/*
 * A DSD register, also the captured operand of a vector op. A memory DSD
 * walks up to four dimensions, dimension 0 fastest: element
 * (i0, i1, i2, i3) is at base + (i0*s0 + i1*s1 + i2*s2 + i3*s3) * size.
 * Dimensions above ndim have length 1.
 */
struct pe_dsd {
	uint8_t kind;		/* enum dsd_kind */
	uint8_t type;		/* enum isa_type */
	uint8_t ndim;		/* 1..4 for memory DSDs */
	uint8_t color;		/* fabric */
	uint32_t base;		/* memory: byte address */
	uint32_t len[DSD_DIMS];	/* len[0] for fabric DSDs */
	int32_t stride[DSD_DIMS];	/* elements */
};

/*
 * A decoded instruction. op is the isa opcode when the word is legal,
 * else ISA_OP_ILLEGAL with the reason in why. imm is raw >> 32. A legal
 * word of the predecoded cache has flags in next: NEXT_CACHED when the
 * word after it is in the same cache (ins[k + 1]): the interpreter then
 * goes on to it without looking its pc up (exec-run.h, CHAIN());
 * NEXT_VUNIT for a vector op whose type, flags and kernel let the
 * contiguous path take it (wafer_vunit_prep() checks only its operands
 * then). The two share a byte: why is only read for an illegal word,
 * next only for a legal one, and a word decoded on the spot has next 0.
 */
#define NEXT_CACHED	0x01
#define NEXT_VUNIT	0x02
/* With NEXT_VUNIT, the op's struct wafer_ukern nsrc, sreg and dint. */
#define NEXT_NSRC(nx)	((nx) >> 2 & 3)
#define NEXT_SREG(nx)	((nx) >> 4 & 3)
#define NEXT_DINT	0x40
struct dinsn {
	uint64_t raw;
	uint8_t op, rd, ra, rb, rc, type, flags;
	union {
		uint8_t why;
		uint8_t next;
	};
};

enum illegal_why {
	ILL_NONE,
	ILL_ZERO,	/* opcode 0 */
	ILL_OPCODE,	/* unassigned opcode */
	ILL_FLAGS,	/* flag bits the instruction does not take */
	ILL_UT,		/* async prefix names a microthread above 7 */
	ILL_TYPE,	/* unknown element type */
	ILL_CSR,	/* unknown CSR */
	ILL_COLOR,	/* color >= WAFER_COLORS */
	ILL_TASK,	/* task id >= 64, reserved id or bad action bits */
	ILL_INTTYPE,	/* integer-only vector op on a float type */
	ILL_FIELD,	/* operand field out of range (dim, cmd, position) */
};

/* Predecoded code of one group: words [lo, lo + 8 * n). */
struct wafer_code {
	uint32_t lo, n;
	struct dinsn ins[];
};

/* ---- fabric queues ---- */

struct pe;

/*
 * Flags in the arrival word of a queue slot: the time is below 2^61;
 * bit 63 marks a control wavelet, bits 61-62 its command.
 */
#define FQ_CTL			(1ull << 63)
#define FQ_CMD_SHIFT		61
#define FQ_TIME_MASK		((1ull << 61) - 1)

/* One static producer of a queue: its PE and fewest hops (horizon.c). */
struct fq_prod {
	uint32_t pe;
	uint32_t hops;
};

/*
 * Input queue of one (PE, color): a ring of wavelets with their arrival
 * times, and for back-pressure the time each slot was freed. Element k
 * lives in slot k & mask; k may only be pushed once element k - depth was
 * popped, and then leaves no earlier than that pop (pop[]). At any moment
 * one PE pushes (routes with switches hand the role over in stream order,
 * see switch.c), one PE pops.
 */
struct wafer_fq {
	/* Producer side: written by the current producer PE. */
	_Atomic uint64_t tail;
	uint32_t *val;			/* ring, from the first route to it */
	uint64_t *arr;			/* arrival time and flags */
	uint64_t *pop;			/* pop time of each element */
	_Atomic(struct pe *) prod;	/* last PE that pushed */
	/* Merged routes only: first producer of the launch (fabric.c),
	 * under the queue's stripe of program.fq_locks. */
	_Atomic(struct pe *) claim;
	uint64_t claim_t;		/* its first departure */
	uint32_t claim_pc;
	uint32_t claim_epoch;

	/* Consumer side: written by the destination PE. */
	_Atomic uint64_t head __attribute__((aligned(64)));
	struct pe *cons;
	/* Horizon wait: wake the consumer when this queue's horizon
	 * exceeds need (T_INF: not waiting). */
	_Atomic uint64_t need;
	uint32_t depth, mask;
	uint32_t key;			/* qbase[color] + consumer's index */
	uint8_t color;
	uint8_t merged;			/* fed through a router that merges */
	_Atomic bool ready;		/* val, arr, pop exist (written once) */
	/* An edge I/O channel feeds or drains it (stream.c), or NULL. */
	struct wafer_chan *chan;
} __attribute__((aligned(64)));

/* Where wavelets a PE injects on a color end up. */
struct wafer_route {
	uint32_t n;
	uint32_t epoch;			/* launch it was checked for */
	uint64_t swgen;			/* switch generation it was built at */
	uint64_t min_dep;		/* earliest departure (switch changes) */
	bool merged;			/* a destination is a merged queue */
	bool chan;			/* a destination has an edge channel */
	/*
	 * The PE's cached route on a color where nobody else can push into
	 * its queues (fabric.c, "Sole producer"): then, in launch
	 * tail_epoch, no queue of it holds more than tail_max wavelets.
	 */
	bool sole;
	uint32_t tail_epoch;		/* 0: tail_max unknown */
	uint32_t tail_max;
	struct route_dest {
		struct wafer_fq *q;
		uint32_t hops;		/* 1 + links traversed */
		uint32_t cons;		/* q->cons->idx, not to read q for it */
	} d[];
};

/* ---- router configuration and switches (switch.c) ---- */

#define WAFER_POSITIONS		4

/* Static configuration of one (PE, color) router. */
struct rt_cfg {
	uint8_t npos;			/* 0: no record, else 1..4 */
	uint8_t ring;			/* SWITCH_ADV wraps to position 0 */
	uint8_t rx[WAFER_POSITIONS];
	uint8_t tx[WAFER_POSITIONS];
};

#define RT_TEARDOWN		0x100	/* in rt_state.pos: color torn down */

/* Dynamic state of one (PE, color) router during a launch. */
struct rt_state {
	_Atomic uint32_t pos;		/* position | RT_TEARDOWN */
	uint64_t sw_time;		/* when it last changed */
};

/* Per color of a program. */
struct color_fabric {
	/* Distinct configurations, NULL: color unused (rtmap.c). */
	struct rt_cfg *cfgs;
	uint32_t ncfgs;
	uint16_t *cfg16;		/* per PE: index in cfgs, or */
	uint32_t *cfg32;		/* past 65536 of them */
	/* Per PE when switched or once torn down, else NULL. */
	_Atomic(struct rt_state *) st;
	bool switched;			/* some router has > 1 position */
	bool merged;			/* some router merges two ports */
	_Atomic bool dyn;		/* switched or st: walks take lock */
	_Atomic uint64_t swgen;		/* bumped at every switch change */
	/* Protects waiters, and serialises walks with switch changes. */
	pthread_mutex_t lock;
	struct pe **waiters;		/* PEs blocked on a switch */
	uint32_t nwaiters, wcap;
};

/* The configuration of router idx on the color of cf (in use). */
static inline const struct rt_cfg *wafer_rt_cfg(const struct color_fabric *cf,
						uint32_t idx)
{
	return &cf->cfgs[cf->cfg16 ? cf->cfg16[idx] : cf->cfg32[idx]];
}

/* A route walk (fabric.c), also used for control wavelets (switch.c). */
struct walk_item {
	uint32_t idx, hops;
};

struct walk_router {
	uint32_t idx;
	uint32_t dist;		/* links from the sender */
	bool ramp;		/* delivers to its PE */
};

struct wafer_walk {
	struct walk_item *stack;
	uint32_t nstack, cap;
	struct route_dest *dest;
	uint32_t ndest, dcap;
	struct walk_router *routers;
	uint32_t nrouters, rcap;
	bool want_routers;
	uint64_t min_dep;
};

/* What a router does on a color now (fabric.c). */
struct rt_now {
	uint8_t rx, tx;
	bool dynamic;		/* may change: positions or torn down */
	uint64_t sw_time;
};

/* ---- tasks (task.c) ---- */

#define WAFER_TASKS		64
#define TASK_TEARDOWN		29
#define TASK_TIMER		30
#define TASK_ENTRY		0xff	/* the launched function */

struct task_def {
	uint32_t entry;			/* WAFER_NO_ENTRY: no task */
	uint8_t kind;			/* enum wafer_task_kind */
	uint8_t color;
	uint8_t prio;
	uint8_t flags;
};

/* Task table of a code group (read-only during runs). */
struct group_tasks {
	struct task_def t[WAFER_TASKS];
	uint64_t init_active, init_blocked;
	uint64_t local_mask;		/* local tasks with an entry */
	int8_t data_task[WAFER_COLORS];	/* task bound to the color or -1 */
	int8_t ctl_task[WAFER_COLORS];
	uint32_t bound_colors;		/* colors with a data or control task */
	bool teardown;			/* task 29 has an entry */
};

enum pe_event_kind {
	EV_ACTIVATE = 1,
	EV_UNBLOCK = 2,
};

/* Something that happens to the task table at a modeled time. */
struct pe_event {
	uint64_t t;
	uint8_t kind;
	uint8_t task;
};

/* ---- vector ops and microthreads (vector.c, uthread.c) ---- */

#define WAFER_UTHREADS		8
#define UT_MAIN			0xff

/* What a blocked operation waits for (reports and wake-ups). */
enum wait_kind {
	W_NONE,
	W_RECV,		/* wavelets on wait_color */
	W_SEND,		/* room in the queues of wait_color */
	W_SWITCH,	/* a switch change on wait_color */
	W_UT,		/* completion of microthreads (main only) */
	W_DECIDE,	/* lookahead: a decision at a modeled time */
};

struct vop {
	uint8_t op, type, stype;	/* stype: vcvt source type */
	uint8_t nsrc;
	uint8_t red;			/* reduction into register rd */
	uint8_t sb;			/* second source is the scalar s */
	uint8_t rd;
	uint8_t esz, desz;		/* element sizes of sources, dest */
	uint32_t n, vi;			/* elements, done */
	uint32_t acc, s;		/* reduction result, scalar */
	uint32_t pc;			/* of the issuing instruction */
	uint8_t wait_kind, wait_color;
	struct pe_dsd dst, src[3];
	struct wafer_fq *q[3];		/* fabric sources */
};

/*
 * SRAM bytes an operation reads or writes: within [lo, hi), either all
 * of them (rstride 0) or rows of rlen bytes every rstride bytes from lo
 * (a strided walk, or a 2-D walk whose rows are contiguous). A column
 * and the column next to it then do not overlap.
 */
struct fp_range {
	uint32_t lo, hi;
	uint32_t rstride, rlen;
};

/* Everything an operation owns while it is in flight. */
struct fp_set {
	struct fp_range w, r[3];
	uint32_t in_mask;	/* colors it receives */
	uint8_t out_color;	/* the one it sends on, or 0xff */
};

struct uthread {
	struct vop op;
	uint64_t clock;		/* t of the last element done (t_{-1} first) */
	uint8_t busy;
	uint8_t started;	/* deps done, clock is t_{-1} */
	uint8_t action;		/* enum isa_async_action */
	uint8_t task;
	uint8_t deps;		/* microthreads it must wait for */
	struct fp_set fp;	/* what it owns */
};

/* Dataflow state of a PE, allocated when first needed. */
struct pe_flow {
	uint64_t active, blocked;	/* task bits */
	uint32_t *entry;		/* per task, NULL: the group's */
	uint64_t tentry_mask;		/* local tasks made by TENTRY */
	struct uthread ut[WAFER_UTHREADS];
	uint8_t busy_mask;		/* ops not completed yet */
	/*
	 * Ops that may still be in flight at the main thread's modeled
	 * time: busy, or completed at a time the main thread has not
	 * reached. Loads, stores and new ops check their footprints.
	 */
	uint8_t live_mask;
	struct fp_range hz_w, hz_rw;	/* bounds of live footprints */
	uint64_t held_until[WAFER_COLORS];	/* queues held by async ops */
	struct pe_event *ev;
	uint32_t nev, evcap;
	/*
	 * Colors with an input queue at this PE and the queues (task.c, set
	 * on first use; queues live as long as the program).
	 */
	uint32_t rxmask;
	bool rxmask_set;
	struct wafer_fq *rxq[WAFER_COLORS];
	uint64_t timer_at;		/* timer deadline, 0: not armed */
};

/* DSD registers and the main thread's vector op, allocated on first use. */
struct pe_vec {
	struct pe_dsd d[ISA_NUM_DSDS];
	struct vop sync;
};

/* ---- PEs ---- */

enum pe_main {
	MAIN_OFF = 0,	/* not part of the run */
	MAIN_RUN,	/* executing a task */
	MAIN_IDLE,	/* between tasks */
	MAIN_HALT,	/* halted or faulted: no more tasks */
};

/* Scheduling state (pe.sched), see sched.c. */
enum pe_sched {
	PE_IDLE = 0,	/* not part of the run */
	PE_RUNNABLE,	/* on a run queue */
	PE_RUNNING,	/* a worker executes it */
	PE_PARKED,	/* waits for something another PE does */
	PE_DONE,	/* halted, nothing in flight */
};
#define PE_KICKED	0x10	/* with PE_RUNNING: look again before parking */

/* Cache-line aligned: neighbouring PEs run on different workers. */
struct pe {
	uint32_t r[ISA_NUM_REGS];
	uint32_t pc;
	uint8_t main;		/* enum pe_main */
	uint8_t inprog;		/* instruction at pc started, counted, costed */
	uint8_t prefix;		/* an async prefix is pending */
	uint8_t cur_task;	/* running task, TASK_ENTRY for the function */
	uint8_t pre_ut, pre_action, pre_task;
	uint8_t wait_kind, wait_color;	/* what the main thread waits for */
	uint8_t wait_ut;		/* W_UT: the microthreads */
	uint64_t clock;		/* main thread: modeled cycles since launch */
	uint64_t icount;	/* instructions started since launch */
	uint64_t bused;		/* budget used: icount + vector elements / 64 */
	uint64_t end;		/* latest completion of anything of the PE */
	uint8_t *sram;
	const struct wafer_code *code;
	const struct group_tasks *gt;	/* NULL: the group has no tasks */
	struct pe_vec *v;
	struct pe_flow *fl;
	struct wafer_program *p;
	uint32_t idx;		/* y * region.w + x */
	uint32_t rect;		/* layout rect, or UINT32_MAX */

	_Atomic uint32_t sched;		/* enum pe_sched | PE_KICKED */
	/* Lower bound of the departure time of anything it still sends. */
	_Atomic uint64_t horizon;
	/* For global stalls: earliest time it would act if allowed to. */
	uint64_t next_event;
	/* Idle main thread: earliest time a task could start (task.c). */
	uint64_t idle_lb;
	uint32_t cons_first, ncons;	/* in program.cons (horizon.c) */
	uint8_t decide_wait;		/* some queue of it has a need (task.c) */
	uint8_t stopped;		/* past the run's fault time */
	uint8_t home;			/* its worker's id (sched.c) */
	struct pe_trace *tr;		/* this launch's records; NULL: off */
} __attribute__((aligned(64)));

/* A queue another PE consumes that this PE may feed (horizon.c). */
struct pe_cons {
	uint32_t key;			/* the queue, see fq.c */
	uint32_t hops;
};

struct wafer_sym {
	char *name;
	enum wafer_symbol_kind kind;
	uint32_t *entry;	/* functions: per group, or NULL */
};

struct wafer_run;

struct wafer_program {
	struct wafer *w;
	const int *load_cancel;		/* wafer_load_cancellable()'s flag,
					 * only while loading */
	struct wafer_rect region;
	uint32_t npes;
	uint32_t extent_w, extent_h;
	uint32_t sram_bytes;
	uint32_t nrects;
	struct wafer_image_rect *rects;
	uint32_t ngroups;
	struct wafer_code **code;	/* per group; NULL without code */
	struct group_tasks **tasks;	/* per group; NULL without tasks */
	uint32_t nsyms;
	struct wafer_sym *syms;
	struct pe *pes;

	struct color_fabric fab[WAFER_COLORS];
	/* A bit per PE where tx has RAMP in some position: a queue (fq.c). */
	uint64_t *rxbits[WAFER_COLORS];
	uint32_t qbase[WAFER_COLORS];	/* first key of the color's queues */
	uint8_t qslot_color[WAFER_COLORS];	/* color of keys slot * npes.. */
	uint32_t nqkeys;		/* npes times colors with queues */
	/* Cached routes per PE where rx has RAMP; written by the PE's worker. */
	struct wafer_route **out[WAFER_COLORS];
	/* Queue chunks by key >> FQ_CHUNK_SHIFT, made on first use (fq.c). */
	_Atomic(struct wafer_fq *) *fqc;
	/* The rings of each chunk's queues, made with its first ring. */
	_Atomic(uint8_t *) *fqr;
	uint32_t nfqc;
	uint32_t fq_mask;		/* ring size - 1 */
	/*
	 * The static producers of each queue and the queues each PE may
	 * feed (horizon.c): built when a run first waits on a horizon,
	 * under hz_lock, published by hz_ready (release).
	 */
	pthread_mutex_t hz_lock;
	_Atomic bool hz_ready;
	uint32_t *qprod;		/* per key + 1: first in prods (CSR) */
	/*
	 * Striped locks of the queues (ring creation, claims): a mutex per
	 * queue would cost 40 bytes times 24 colors on every PE.
	 */
	pthread_mutex_t fq_locks[WAFER_FQ_LOCKS];
	uint32_t queue_depth;
	uint32_t epoch;			/* launches so far, see wafer_route */
	struct fq_prod *prods;		/* producers of each queue */
	struct pe_cons *cons;		/* queues each PE may feed */

	atomic_int cancelled;		/* sticky, see wafer_program_cancel() */
	struct wafer_resident *res;	/* resident kernel (stream.c), or NULL */
	bool chan_per_pop;		/* no bulk take (wafer_stream_bulk()) */
	bool chan_no_lines;		/* bulk loops only (wafer_stream_bulk()) */
	bool route_scan;		/* no sole-producer pass (fabric.h) */
	/*
	 * Worker count pe.home was set for (sched.c); 0: not yet. Here, in
	 * a hole: a field that moved the rest of the struct by 8 bytes made
	 * the interpreter measurably slower (code layout, not misses).
	 */
	unsigned int homes_for;
	/*
	 * Sink buffers of the resident kernels that ended, for the next
	 * one's sinks: the pages stay mapped (stream.c).
	 */
	struct wafer_spare {
		uint32_t *buf;
		uint64_t cap;
	} spare[WAFER_SPARE_SINKS];
	uint32_t nspare;
	struct wafer_run *run;		/* active launch; under w->lock */
	struct wafer_trace_state *trace;	/* trace.c; NULL: never armed */
};

/*
 * Per worker and run: the run's PEs on the worker's run queue or running
 * on it, as two counts that only grow, so that a sum over the workers
 * read in two waves is exact (sched.c, run_quiet()). The worker writes
 * its own; a kick onto its queue from another worker or a steal from it
 * writes them too.
 */
struct run_charge {
	_Atomic uint64_t in;		/* PEs queued on it or stolen by it */
	_Atomic uint64_t out;		/* parked or done on it, stolen from it */
	/* Its PEs' wavelets into and out of queues (launch.c's statistics). */
	_Atomic uint64_t pushed, popped;
} __attribute__((aligned(64)));

struct wafer_run {
	/* Read on every slice, written at most once: a cache line alone. */
	struct wafer_program *p;
	uint64_t budget;
	atomic_int stop;		/* cancel or reset: stop at once */
	_Atomic uint64_t gvt;		/* every event up to it is known */
	_Atomic uint64_t fault_time;	/* earliest fault so far, or T_INF */
	struct wafer_run *next;		/* in wafer.runs, under wafer.lock */

	_Atomic uint32_t live __attribute__((aligned(64)));	/* PEs not done */
	uint32_t started_pes;
	bool by_reset;			/* cancelled by wafer_reset() */

	pthread_mutex_t lock;		/* protects what follows */
	pthread_cond_t done_cond;
	bool started;			/* PEs queued; stalls may end it */
	bool done;
	uint64_t fault_key;		/* idx * 16 + component of the fault */
	struct wafer_fault fault;
	uint64_t stalls;		/* global stalls resolved */

	struct run_charge charge[WAFER_MAX_THREADS];
} __attribute__((aligned(64)));

struct worker {
	struct wafer *w;
	pthread_t thread;
	unsigned int id;
	/* The run of the PE it handles, or NULL (wafer_run_drain()). */
	_Atomic(struct wafer_run *) run;
	pthread_mutex_t lock;		/* protects the run queue */
	struct pe **rq;
	uint32_t rq_head, rq_len, rq_cap;
	/* Idle: it sleeps on sleep_cond until woken (sched.c). */
	_Atomic bool asleep;
	pthread_mutex_t sleep_lock;	/* protects wake */
	pthread_cond_t sleep_cond;
	bool wake;
} __attribute__((aligned(64)));

struct wafer {
	struct wafer_config cfg;
	uint8_t *sram;
	size_t sram_total;
	bool sram_mapped;		/* sram is ours to munmap */
	_Atomic uint64_t insn_budget;

	pthread_mutex_t lock;	/* the list of runs, pool start and stop */
	pthread_cond_t quiet;	/* a run left the list */
	struct wafer_run *runs;
	struct worker *workers;
	unsigned int nworkers;

	_Atomic unsigned int nasleep;	/* workers asleep (a hint, sched.c) */
	_Atomic bool stopping;
};

/* Everything an executing PE needs; one per worker slice. */
struct exec_ctx {
	struct wafer_run *run;
	struct wafer_program *p;
	struct pe *pe;
	struct wafer_fault *fault;
	uint64_t fault_t;	/* modeled time of *fault */
	uint32_t fault_comp;	/* 0 main, 1 + microthread */
	uint32_t fault_sub;	/* tie-break of claim faults (fabric.c) */
	/*
	 * The component executing now: 0 the main thread, 1 + u microthread
	 * u (faults name its op's pc and its clock).
	 */
	uint32_t comp;
	uint32_t comp_pc;
	const uint64_t *comp_clock;
	long work;
	bool progress;		/* something happened in this slice */
	/* Wavelets into and out of queues in this slice (fabric.c). */
	uint64_t pushed, popped;
};

enum step {
	STEP_OK,	/* instruction done, continue */
	STEP_YIELD,	/* quantum used up */
	STEP_BLOCK,	/* wait fields set */
	STEP_HALT,
	STEP_TRET,	/* task returned */
	STEP_FAULT,	/* *fault filled */
};

static inline uint32_t pe_x(const struct wafer_program *p, const struct pe *pe)
{
	return pe->idx % p->region.w;
}

static inline uint32_t pe_y(const struct wafer_program *p, const struct pe *pe)
{
	return pe->idx / p->region.w;
}

static inline uint64_t u64_max(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static inline uint64_t u64_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static inline unsigned int isa_elem_size(unsigned int type)
{
	return type >= ISA_T_I16 ? 2 : 4;
}

/* core.c */
int wafer_status_errno(enum wafer_status st);
/* Fill @f with @st and the message; returns @st's errno. */
int wafer_fault_set(struct wafer_fault *f, enum wafer_status st,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void wafer_sram_zero(uint8_t *p, size_t len);

/* decode.c */
void wafer_decode(uint64_t raw, struct dinsn *d);
const char *wafer_op_name(unsigned int op);
const char *wafer_type_name(unsigned int type);
int wafer_illegal_text(const struct dinsn *d, char *buf, size_t len);
/*
 * Tests only: false builds caches without next (no chaining, and vector
 * ops go the general way): the paths that do not need the cache.
 */
extern bool wafer_code_chain;
struct wafer_code *wafer_code_build(const uint8_t *sram, uint32_t lo,
				    uint32_t hi);

/* exec.c */
enum step wafer_pe_run(struct exec_ctx *x);
enum step wafer_pe_run_traced(struct exec_ctx *x);
/* ---- launch traces and counters (trace.c); only where pe->tr ---- */
struct pe_trace;
/*
 * Whether a hook records: one predictable branch on a pointer that is
 * NULL unless the launch is traced. WAFER_NO_TRACE compiles the hooks
 * out, for bench/wafer-trace's baseline only.
 */
#ifdef WAFER_NO_TRACE
#define wafer_traced(pe)	((void)(pe), false)
#else
#define wafer_traced(pe)	wf_unlikely((pe)->tr != NULL)
#endif
int wafer_trace_begin(struct wafer_program *p);
void wafer_trace_end(struct wafer_program *p, uint64_t cycles, uint64_t fault_time);
void wafer_trace_free(struct wafer_program *p);
void wafer_trace_task_start(struct pe *pe, unsigned int task, uint64_t clock);
void wafer_trace_task_end(struct pe *pe);
uint64_t wafer_trace_stop_at(const struct pe *pe, uint64_t bused,
			     uint64_t icount, uint64_t budget);
void wafer_trace_sample(struct pe *pe, uint32_t pc, uint64_t icount,
			uint64_t clock);
void wafer_trace_wavelets(struct pe *pe, unsigned int kind, unsigned int color,
			  uint32_t k, uint64_t cycle);
void wafer_trace_stall(struct pe *pe, unsigned int kind, unsigned int color,
		       uint64_t from, uint64_t cycles);
void wafer_trace_sram(struct pe *pe, uint64_t bytes);

enum step wafer_pe_fault(struct exec_ctx *x, enum wafer_status st,
			 const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
enum step wafer_fault_at(struct exec_ctx *x, uint32_t pc, uint64_t t,
			 uint32_t comp, enum wafer_status st,
			 const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
enum step wafer_budget_fault(struct exec_ctx *x);
uint32_t wafer_csr_value(const struct wafer_program *p, const struct pe *pe,
			 unsigned int csr);

/* dsd.c */
struct pe_vec *wafer_pe_vec(struct pe *pe);
bool wafer_dsd_shape(struct pe_dsd *d, uint32_t n);
void wafer_dsd_bounds(const struct pe_dsd *d, uint32_t n, unsigned int esz,
		      int64_t *lo, int64_t *hi);
uint32_t wafer_dsd_count(const struct pe_dsd *d);
uint64_t wafer_dsd_offset(const struct pe_dsd *d, uint32_t i, uint32_t *run,
			  int64_t *step, unsigned int esz);

/* vector.c */
/* Anything but the contiguous path (wafer_vunit_prep()), which was tried. */
enum step wafer_vec_exec(struct exec_ctx *x, const struct dinsn *d);
enum step wafer_vop_capture(struct exec_ctx *x, const struct dinsn *d,
			    struct vop *op);
enum step wafer_vop_run(struct exec_ctx *x, struct vop *op, uint64_t *clock);
void wafer_vop_footprint(const struct vop *op, struct fp_set *fp);

/* vkern.c */
struct vargs {
	uint8_t *d;
	const uint8_t *a, *b, *c;
	long ds, as, bs, cs;		/* byte strides */
	uint32_t s;			/* scalar operand bits */
	uint32_t n;
	uint32_t acc;			/* reductions: running result bits */
	unsigned int op, type, stype;
	bool scalar_b;			/* b is the scalar s */
};
void wafer_kern_run(struct vargs *v);

/*
 * A kernel over contiguous operands of a 32-bit type (d and the sources
 * it reads are each n elements; s is the scalar's bits), and where an
 * instruction's operands come from: sources a, b, c from the DSDs named
 * by ra, rb, rc (the first nsrc of them), the scalar from register 0
 * none, 1 ra, 2 rb, 3 rc; dint: d is of the integer type of the width
 * (compares). Sources equal to d or apart from it vectorize; any other
 * overlap goes element by element, as defined. It returns STEP_OK, so
 * that the vector instruction ends in a tail call to it.
 */
typedef enum step wafer_ukern_fn(uint8_t *d, const uint8_t *a,
				 const uint8_t *b, const uint8_t *c,
				 uint32_t s, uint32_t n);
struct wafer_ukern {
	wafer_ukern_fn *fn;		/* NULL: no contiguous kernel */
	uint8_t nsrc, sreg, dint;
};
#define WAFER_NVOPS	(ISA_OP_VLAST - ISA_OP_VFIRST + 1)
#define WAFER_UK_OPS	32	/* WAFER_NVOPS rounded up: a shift indexes */
/* [ISA_T_I32 or ISA_T_F32][op - ISA_OP_VFIRST] */
extern const struct wafer_ukern wafer_ukern[2][WAFER_UK_OPS];

/*
 * What unit_head() compares: the first three bytes of a struct pe_dsd,
 * DSD_MEM, the type and 1 dimension, as a little-endian host loads them.
 */
#define WAFER_UNIT_KEY(type)	((uint32_t)DSD_MEM | (uint32_t)(type) << 8 | 1u << 16)
static inline uint32_t wafer_unit_head(const struct pe_dsd *dd)
{
	uint32_t v;

	memcpy(&v, dd, sizeof(v));
	return v & 0xffffff;
}

/*
 * Operand dd of the contiguous path: a 1-D memory DSD of the type in key,
 * unit stride, its base aligned and at most lim, the last base whose n
 * 32-bit elements stay in SRAM.
 */
static inline bool wafer_unit_opnd(const struct pe_dsd *dd, uint32_t key,
				   int64_t lim)
{
	return wafer_unit_head(dd) == key && dd->stride[0] == 1 &&
	       !(dd->base & 3) && (int64_t)dd->base <= lim;
}

/* The operands of a vector instruction the contiguous path takes. */
struct wafer_vunit {
	uint8_t *d;
	const uint8_t *a, *b, *c;
	uint32_t s, n;
	unsigned int nsrc;
};

/*
 * The commonest instruction in one short pass: a sync element-wise op of
 * a 32-bit type (no scalar b), cached with NEXT_VUNIT, whose operands are all contiguous 1-D
 * memory DSDs in SRAM, at most one chunk long, no async op in flight,
 * its length's budget charge within left. Returns its kernel, to run on
 * u once the caller has charged COST_VEC_ISSUE + n cycles, n >>
 * WAFER_BUDGET_ELEMS_SHIFT budget and n work units, as vec_fast() would;
 * or NULL: anything else, a fault included, is wafer_vec_exec()'s. The
 * caller, the interpreter's op_vector (exec-run.h), has checked that no
 * async prefix is pending and the instruction is not a restart; inline
 * there, the op needs no call but the kernel's, and the state it
 * changes stays in the interpreter's locals.
 */
static inline __attribute__((always_inline)) wafer_ukern_fn *
wafer_vunit_prep(const struct pe *pe,
					       const struct dinsn *d,
					       uint32_t sram_bytes,
					       uint64_t left,
					       struct wafer_vunit *u)
{
	const struct pe_vec *pv = pe->v;
	const struct pe_dsd *dd;
	uint32_t n, key;
	int64_t lim;

	const unsigned int nx = d->next;

	/*
	 * Type, flags and kernel as NEXT_VUNIT says, the kernel's operands
	 * from next too (decode.c): nothing of its table entry but fn is
	 * read here.
	 */
	if (!(nx & NEXT_VUNIT) || !pv)
		return NULL;
	if (pe->fl && pe->fl->live_mask)
		return NULL;
	dd = &pv->d[d->rd];
	n = dd->len[0];
	lim = (int64_t)sram_bytes - 4 * (int64_t)n;
	key = WAFER_UNIT_KEY(d->type);
	if (n - 1u >= WAFER_MEM_CHUNK ||
	    !wafer_unit_opnd(dd, (nx & NEXT_DINT) ? WAFER_UNIT_KEY(ISA_T_I32) : key,
			     lim))
		return NULL;
	if ((uint64_t)(n >> WAFER_BUDGET_ELEMS_SHIFT) > left)
		return NULL;
	u->a = u->b = u->c = NULL;
	switch (NEXT_NSRC(nx)) {
	case 3:
		if (!wafer_unit_opnd(&pv->d[d->rc], key, lim))
			return NULL;
		u->c = pe->sram + pv->d[d->rc].base;
		/* fall through */
	case 2:
		if (!wafer_unit_opnd(&pv->d[d->rb], key, lim))
			return NULL;
		u->b = pe->sram + pv->d[d->rb].base;
		/* fall through */
	case 1:
		if (!wafer_unit_opnd(&pv->d[d->ra], key, lim))
			return NULL;
		u->a = pe->sram + pv->d[d->ra].base;
	}
	u->s = 0;
	if (NEXT_SREG(nx))
		u->s = (d->flags & ISA_F_IMM) ? (uint32_t)(d->raw >> 32) :
		       pe->r[NEXT_SREG(nx) == 1 ? d->ra :
			     NEXT_SREG(nx) == 2 ? d->rb : d->rc];
	u->d = pe->sram + dd->base;
	u->n = n;
	u->nsrc = NEXT_NSRC(nx);
	return wafer_ukern[d->type][d->op - ISA_OP_VFIRST].fn;
}

uint32_t wafer_red_init(unsigned int op, unsigned int type);
unsigned int wafer_vop_nsrc(unsigned int op, bool scalar_b);

/* uthread.c */
struct pe_flow *wafer_pe_flow(struct exec_ctx *x);
enum step wafer_async_issue(struct exec_ctx *x, const struct dinsn *d);
bool wafer_uthreads_step(struct exec_ctx *x, enum step *st);
uint8_t wafer_deps_of(struct pe *pe, const struct fp_set *fp);
bool wafer_ut_after(struct exec_ctx *x, const struct uthread *ut, uint64_t t,
		    struct wafer_fq **q, uint64_t *need);
uint64_t wafer_ut_done_time(struct pe *pe, uint8_t mask);
enum step wafer_mem_hazard(struct exec_ctx *x, uint32_t addr,
			   unsigned int size, bool write);
enum step wafer_main_deps(struct exec_ctx *x, uint32_t in_mask,
			  uint8_t out_color);

/* task.c */
enum step wafer_task_select(struct exec_ctx *x);
enum step wafer_task_block(struct exec_ctx *x, unsigned int t);
void wafer_event_add(struct exec_ctx *x, uint64_t t, unsigned int kind,
		     unsigned int task);
void wafer_tasks_reset(struct pe *pe, const struct group_tasks *gt);
void wafer_ctl_event(struct exec_ctx *x, unsigned int color, uint64_t arr,
		     uint64_t t);
bool wafer_task_set_entry(struct exec_ctx *x, unsigned int t, uint32_t pc);

/* timer.c */
bool wafer_timer_arm(struct exec_ctx *x, uint32_t delay);
bool wafer_timer_cancel(struct exec_ctx *x);
void wafer_timer_fire(struct pe *pe, uint64_t t);

/* fabric.c */
void wafer_router_now(const struct color_fabric *cf, uint32_t idx,
		      struct rt_now *r);
enum step wafer_route_walk(struct exec_ctx *x, unsigned int color,
			   struct wafer_walk *wk, uint8_t *wait);
void wafer_walk_free(struct wafer_walk *wk);
void wafer_route_take(struct exec_ctx *x, const struct wafer_route *rt);
enum step wafer_route_get(struct exec_ctx *x, unsigned int color,
			  const struct wafer_route **out, uint8_t *wait);
uint32_t wafer_route_space(const struct wafer_route *rt);
uint64_t wafer_route_free_time(const struct wafer_route *rt, uint32_t j);
enum step wafer_route_deliver(struct exec_ctx *x, const struct wafer_route *rt,
			      const uint32_t *val, const uint64_t *t, uint32_t k,
			      uint64_t flags, uint32_t pc);
/*
 * Send k wavelets (t[j]: when the j-th leaves) and, in a traced launch,
 * record them. As with wafer_fq_pop(), the check is in the caller: in
 * wafer_route_deliver() it kept the arguments alive across the wakeups.
 * SEND's untraced copy (wafer_send1()) calls wafer_route_deliver().
 */
static inline enum step wafer_route_push(struct exec_ctx *x,
					 const struct wafer_route *rt,
					 const uint32_t *val, const uint64_t *t,
					 uint32_t k, uint64_t flags, uint32_t pc)
{
	enum step st = wafer_route_deliver(x, rt, val, t, k, flags, pc);

	if (st == STEP_OK && wafer_traced(x->pe) && k)
		wafer_trace_wavelets(x->pe, WAFER_TEV_SEND,
				     rt->n ? rt->d[0].q->color : 0xff, k, t[0]);
	return st;
}
/* The one-producer rule of rt's merged queues for a first departure at t0. */
/*
 * Set rt's summary of its destinations (merged, chan, each one's
 * consumer; not sole), once they are in place.
 */
void wafer_route_note_merged(struct wafer_route *rt);
enum step wafer_route_claim(struct exec_ctx *x, const struct wafer_route *rt,
			    uint64_t t0, uint32_t pc);
/* Wavelets waiting in q (the consumer's view). */
static inline uint32_t wafer_fq_avail(struct wafer_fq *q)
{
	return (uint32_t)(atomic_load_explicit(&q->tail, memory_order_acquire) -
			  atomic_load_explicit(&q->head, memory_order_relaxed));
}

/* Read the off-th waiting wavelet without consuming it. */
static inline void wafer_fq_peek(struct wafer_fq *q, uint32_t off,
				 uint32_t *val, uint64_t *arr)
{
	uint32_t s = (uint32_t)(atomic_load_explicit(&q->head,
						     memory_order_relaxed) + off) & q->mask;

	*val = q->val[s];
	*arr = q->arr[s];
}
/* The lock of q's stripe (ring creation, the claim of merged routes). */
static inline pthread_mutex_t *wafer_fq_lock(const struct wafer_program *p,
					     const struct wafer_fq *q)
{
	return (pthread_mutex_t *)&p->fq_locks[q->key & (WAFER_FQ_LOCKS - 1)];
}
void wafer_fq_consume(struct exec_ctx *x, struct wafer_fq *q, const uint64_t *t,
		      uint32_t k);
/*
 * Take k wavelets (t[j]: when the j-th was taken) and, in a traced
 * launch, record them. The check is here, in the caller, and not in
 * wafer_fq_consume(): a call there made that leaf save five registers on
 * every wavelet of every launch. The run loop's untraced copy (exec-run.h)
 * calls wafer_fq_consume() itself, with no check at all.
 */
static inline void wafer_fq_pop(struct exec_ctx *x, struct wafer_fq *q,
				const uint64_t *t, uint32_t k)
{
	if (wafer_traced(x->pe) && k)
		wafer_trace_wavelets(x->pe, WAFER_TEV_RECV, q->color, k, t[0]);
	wafer_fq_consume(x, q, t, k);
}
static inline void wafer_fq_pop1(struct exec_ctx *x, struct wafer_fq *q, uint64_t t)
{
	wafer_fq_pop(x, q, &t, 1);
}
void wafer_routes_free(struct wafer_program *p);
bool wafer_fq_ring(struct wafer_fq *q);
uint32_t *wafer_fq_ring_mem(struct wafer_program *p, const struct wafer_fq *q);
enum step wafer_send1(struct exec_ctx *x, unsigned int color, uint32_t v,
		      uint64_t *clock, uint64_t flags, uint32_t pc,
		      uint8_t *wait);
/* wafer_send1() for the run loop's traced copy: records the wavelet. */
enum step wafer_send1_traced(struct exec_ctx *x, unsigned int color, uint32_t v,
			     uint64_t *clock, uint64_t flags, uint32_t pc,
			     uint8_t *wait);

/* switch.c */
enum step wafer_sendc(struct exec_ctx *x, unsigned int color,
		      unsigned int cmd, uint32_t payload);
enum step wafer_swset(struct exec_ctx *x, unsigned int color,
		      unsigned int pos);
enum step wafer_tdexit(struct exec_ctx *x, unsigned int color);
void wafer_switch_wait(struct exec_ctx *x, unsigned int color);
void wafer_switches_reset(struct wafer_program *p);

/* fq.c */
#define FQ_CHUNK_SHIFT	8
#define FQ_CHUNK	(1u << FQ_CHUNK_SHIFT)

int wafer_fqs_init(struct wafer_program *p);
struct wafer_fq *wafer_fq_chunk_make(struct wafer_program *p, uint32_t ci);
/* NULL if its chunk was never made: nobody used or waits on it. */
struct wafer_fq *wafer_fq_made(const struct wafer_program *p, uint32_t key);

/* Inline: every RECV and route walk looks its queue up. */
static inline struct wafer_fq *wafer_fq_at(struct wafer_program *p, uint32_t key)
{
	uint32_t ci = key >> FQ_CHUNK_SHIFT;
	struct wafer_fq *ch = atomic_load_explicit(&p->fqc[ci],
						   memory_order_acquire);

	if (wf_unlikely(!ch))
		ch = wafer_fq_chunk_make(p, ci);
	return &ch[key & (FQ_CHUNK - 1)];
}

static inline bool wafer_has_rxq(const struct wafer_program *p, uint32_t idx,
				 unsigned int color)
{
	const uint64_t *b = p->rxbits[color];

	return b && (b[idx >> 6] >> (idx & 63) & 1);
}

static inline struct wafer_fq *wafer_rxq(const struct wafer_program *p,
					 const struct pe *pe, unsigned int color)
{
	if (!wafer_has_rxq(p, pe->idx, color))
		return NULL;
	return wafer_fq_at((struct wafer_program *)p, p->qbase[color] + pe->idx);
}
void wafer_fqs_reset(struct wafer_program *p);
void wafer_fqs_each(struct wafer_program *p,
		    void (*fn)(struct wafer_fq *q, void *arg), void *arg);
void wafer_fqs_count(const struct wafer_program *p, uint64_t *delivered,
		     uint64_t *dropped);
void wafer_fqs_free(struct wafer_program *p);

/* rtmap.c */
int wafer_rtmap_build(struct wafer_program *p, const struct wafer_image *img,
		      struct wafer_fault *f);
void wafer_rtmap_free(struct wafer_program *p);

/* horizon.c */
int wafer_horizons_ensure(struct wafer_program *p);
void wafer_horizons_free(struct wafer_program *p);
/* The static producers of chunk queue q (tables built). */
static inline const struct fq_prod *wafer_fq_prods(const struct wafer_program *p,
						   const struct wafer_fq *q,
						   uint32_t *n)
{
	*n = p->qprod[q->key + 1] - p->qprod[q->key];
	return &p->prods[p->qprod[q->key]];
}
uint64_t wafer_fq_horizon(const struct wafer_program *p,
			  const struct wafer_fq *q);
void wafer_horizon_publish(struct exec_ctx *x, uint64_t h);
void wafer_decide_wait(struct exec_ctx *x, bool on);

/* pe.c */
enum slice {
	SLICE_YIELD,	/* quantum used: run it again later */
	SLICE_PARK,	/* waits for something another PE does */
	SLICE_DONE,	/* nothing of it will ever run again */
};
enum slice wafer_pe_slice(struct exec_ctx *x);

/* sched.c */
void wafer_pe_kick(struct exec_ctx *x, struct pe *pe);
void wafer_pe_kick_fenced(struct exec_ctx *x, struct pe *pe);
void wafer_pe_kick_many(struct exec_ctx *x, struct pe *const *pes,
			unsigned int n);

/*
 * wafer_pe_kick_fenced() for the fabric's hot paths: most PEs a wavelet
 * or a pop concerns are queued already, or run on no worker, and need
 * no call at all. The caller fenced after publishing what changed.
 */
static inline void wafer_pe_kick_fenced_fast(struct exec_ctx *x, struct pe *pe)
{
	uint32_t s;

	if (!pe || pe == x->pe)
		return;
	s = atomic_load_explicit(&pe->sched, memory_order_relaxed);
	if (s == PE_PARKED || s == PE_RUNNING)
		wafer_pe_kick_fenced(x, pe);
}
struct wafer_run *wafer_run_alloc(struct wafer_program *p);
void wafer_run_free(struct wafer_run *run);
void wafer_run_start(struct wafer_run *run);
void wafer_run_drain(struct wafer_run *run);
int wafer_pool_start_locked(struct wafer *w);
void wafer_pool_stop(struct wafer *w);
void wafer_run_stall_locked(struct wafer_run *run);
void wafer_run_finish_locked(struct wafer_run *run);
void wafer_run_offer_fault(struct wafer_run *run, const struct wafer_fault *f,
			   uint64_t t, uint64_t key);

/* stream.c: the edge I/O channels' hooks in the fabric */
void wafer_chan_popped(struct wafer_fq *q);
void wafer_chan_pushed(struct wafer_fq *q);
/*
 * The bulk path of fabric sources fed by an ingress channel (vector.c):
 * wavelets in q and still in its channel (0 if q has none), and up to k
 * of them taken by an element loop whose clock is *clock, each at
 * max(previous + 1, its arrival), popped (at that time) and refilled as
 * they go, their values into val (esz 2: 16-bit). Returns how many.
 */
uint64_t wafer_chan_avail(struct wafer_fq *q);
/*
 * The bulk send of k wavelets of val into rt's one destination, an edge
 * channel's sink, by an element loop whose clock is *clock: each leaves
 * at max(previous + 1, the time its slot was freed, rt->min_dep) and is
 * drained at once, as wafer_route_push() and wafer_chan_pushed() would.
 */
enum step wafer_chan_send(struct exec_ctx *x, const struct wafer_route *rt,
			  const uint32_t *val, uint32_t k, uint64_t *clock,
			  uint32_t pc);
/*
 * Room for k more wavelets at the end of sink q's buffer, or NULL (the
 * sink would drop some, or memory ran out): a vector op writes its
 * results there and sends them with wafer_chan_send(..., NULL, k, ...),
 * which keeps them without a copy.
 */
uint32_t *wafer_chan_sink_room(struct wafer_fq *q, uint32_t k);
uint32_t wafer_chan_take(struct wafer_fq *q, uint32_t k, uint64_t *clock,
			 void *val, unsigned int esz);
struct wafer_fq *wafer_stream_sink(struct wafer_program *p, unsigned int color,
				   uint32_t row);
void wafer_resident_free(struct wafer_program *p);

/* launch.c */
void wafer_runs_stop_all(struct wafer *w);
bool wafer_region_busy(struct wafer *w, const struct wafer_rect *r,
		       const struct wafer_program *self);
void wafer_deadlock_report(struct wafer_run *run);

#endif /* WAFER_INTERNAL_H */
