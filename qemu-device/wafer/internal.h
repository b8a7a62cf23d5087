/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * internal.h - private types of the wafer executor, shared by its files.
 *
 * Locking: struct wafer.lock is the only lock of the core. It protects the
 * list of runs, the worker pool, every run's run queue and counters, and
 * the scheduling state (pe.sched) of every PE of every running program.
 * Everything else about a PE (registers, clock, queues it consumes) belongs
 * to the one worker that executes it at a time; the hand-over between
 * workers goes through the lock, which orders it.
 *
 * Fabric queues are single-producer single-consumer rings with atomic
 * head/tail counters, used without the lock. Only blocking and waking take
 * the lock (see wafer_pe_kick()).
 */
#ifndef WAFER_INTERNAL_H
#define WAFER_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wafer.h"
#include "image.h"
#include "isa.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "wafer: SRAM holds little-endian words that the executor accesses in place"
#endif

#define wf_likely(x)	__builtin_expect(!!(x), 1)
#define wf_unlikely(x)	__builtin_expect(!!(x), 0)

#define WAFER_MAX_SRAM		(1u << 20)	/* per PE */
#define WAFER_MAX_THREADS	64
#define WAFER_QUEUE_DEFAULT	32	/* wavelets per (PE, color) queue */
#define WAFER_QUEUE_MAX		4096

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

/* A DSD register. */
enum dsd_kind {
	DSD_MEM = 0,		/* zeroed registers are empty memory DSDs */
	DSD_FAB = 1,
};

struct pe_dsd {
	uint32_t base;		/* memory: byte address; fabric: color */
	uint32_t len;		/* elements */
	int32_t stride;		/* memory: in elements */
	uint8_t type;		/* enum isa_type */
	uint8_t kind;		/* enum dsd_kind */
};

/*
 * A decoded instruction. op is the isa opcode when the word is legal,
 * else ISA_OP_ILLEGAL with the reason in why. imm is raw >> 32.
 */
struct dinsn {
	uint64_t raw;
	uint8_t op, rd, ra, rb, rc, type, flags, why;
};

enum illegal_why {
	ILL_NONE,
	ILL_ZERO,	/* opcode 0 */
	ILL_OPCODE,	/* unassigned opcode */
	ILL_FLAGS,	/* flag bits other than ISA_F_IMM */
	ILL_DSD,	/* DSD field names r8..r15 */
	ILL_TYPE,	/* unknown element type */
	ILL_CSR,	/* unknown CSR */
	ILL_COLOR,	/* color >= WAFER_COLORS */
};

/* Predecoded code of one group: words [lo, lo + 8 * n). */
struct wafer_code {
	uint32_t lo, n;
	struct dinsn ins[];
};

/* Scheduling state of a PE during a run (pe.sched). */
enum pe_sched {
	PE_IDLE = 0,	/* not part of the run */
	PE_RUNNABLE,	/* on the run queue */
	PE_RUNNING,	/* a worker executes it */
	PE_BLOCKED,	/* waits for wavelets or queue space */
	PE_DONE,	/* halted or faulted */
};

struct pe;

/*
 * Input queue of one (PE, color): a ring of wavelets with their arrival
 * times, and for back-pressure the time each slot was freed. Element k
 * lives in slot k & mask; k may only be pushed once element k - depth was
 * popped, and then leaves no earlier than that pop (pop[]).
 */
struct wafer_fq {
	/* Producer side: written by the single producer PE. */
	_Atomic uint64_t tail;
	uint32_t *val;			/* ring, allocated at claim */
	uint64_t *arr;			/* arrival time of each element */
	uint64_t *pop;			/* pop time of each element */
	_Atomic(struct pe *) prod;	/* claimed at first route resolution */
	char pad0[64 - 5 * sizeof(void *)];

	/* Consumer side: written by the destination PE. */
	_Atomic uint64_t head;
	struct pe *cons;
	uint32_t depth, mask;
	uint8_t color;
	char pad1[64 - 3 * sizeof(void *) - 1];
};

_Static_assert(sizeof(struct wafer_fq) == 128, "one cache line per side");

/*
 * Where wavelets a PE injects on a color end up (static per program).
 * Queue ownership is per launch: epoch says for which launch this route's
 * sender last claimed its destination queues.
 */
struct wafer_route {
	uint32_t n;
	uint32_t epoch;
	struct route_dest {
		struct wafer_fq *q;
		uint32_t hops;		/* 1 + links traversed */
	} d[];
};

/* Cache-line aligned: neighbouring PEs run on different workers. */
struct pe {
	uint32_t r[ISA_NUM_REGS];
	struct pe_dsd d[ISA_NUM_DSDS];
	uint32_t pc;
	uint32_t vi;		/* elements done by the instruction at pc */
	uint32_t vacc;		/* partial result of a reduction */
	bool inprog;		/* instruction at pc started, counted, costed */
	uint64_t clock;		/* modeled cycles since launch */
	uint64_t icount;	/* instructions started since launch */
	uint64_t bused;		/* budget used: icount + vector elements / 64 */
	uint8_t *sram;
	const struct wafer_code *code;
	uint32_t idx;		/* y * region.w + x */
	uint32_t rect;		/* layout rect, or UINT32_MAX */

	_Atomic uint8_t sched;	/* enum pe_sched, see wafer_pe_kick() */
	/* What a blocked PE waits for; set before it blocks. */
	uint8_t wait_nin;
	uint8_t wait_in_c[3];
	uint8_t wait_in_need[3];
	uint8_t wait_out_c;
	const struct wafer_route *wait_out;
} __attribute__((aligned(64)));

struct wafer_sym {
	char *name;
	enum wafer_symbol_kind kind;
	uint32_t *entry;	/* functions: per group, or NULL */
};

struct wafer_run;

struct wafer_program {
	struct wafer *w;
	struct wafer_rect region;
	uint32_t npes;
	uint32_t extent_w, extent_h;
	uint32_t sram_bytes;
	uint32_t nrects;
	struct wafer_image_rect *rects;
	uint32_t ngroups;
	struct wafer_code **code;	/* per group; NULL without code */
	uint32_t nsyms;
	struct wafer_sym *syms;
	struct pe *pes;

	/* Per color, NULL when no route record uses it. */
	uint8_t *route[WAFER_COLORS];		/* rx, tx per PE */
	struct wafer_fq **rxq[WAFER_COLORS];	/* per PE where tx has RAMP */
	/* Cached routes per PE where rx has RAMP; written by the PE's worker. */
	struct wafer_route **out[WAFER_COLORS];
	struct wafer_fq *fqs;
	uint32_t nfqs;
	uint32_t queue_depth;
	uint32_t epoch;			/* launches so far, see wafer_route */

	atomic_int cancelled;		/* sticky, see wafer_program_cancel() */
	struct wafer_run *run;		/* active launch; under w->lock */
};

struct wafer_run {
	struct wafer_program *p;
	struct wafer_run *next;		/* in wafer.runs */
	uint32_t *rq;			/* FIFO of PE indices, npes slots */
	uint32_t rq_head, rq_len;
	uint32_t running;		/* PEs a worker executes now */
	uint32_t live;			/* PEs neither halted nor faulted */
	uint32_t started_pes;
	bool started;			/* PEs queued; done-checks apply */
	bool done;
	bool by_reset;			/* cancelled by wafer_reset() */
	atomic_int stop;		/* fault, cancel or deadlock */
	uint64_t budget;
	struct wafer_fault fault;
	pthread_cond_t done_cond;
};

struct wafer {
	struct wafer_config cfg;
	uint8_t *sram;
	size_t sram_total;
	_Atomic uint64_t insn_budget;

	pthread_mutex_t lock;	/* see the top of this file */
	pthread_cond_t work;	/* workers: a PE became runnable */
	pthread_cond_t quiet;	/* a run left the list */
	struct wafer_run *runs;
	pthread_t *threads;
	unsigned int nthreads;
	unsigned int idle_workers;
	bool stopping;
};

/* Everything an executing PE needs; one per worker slice. */
struct exec_ctx {
	struct wafer_run *run;
	struct wafer_program *p;
	struct pe *pe;
	struct wafer_fault *fault;
	long work;
};

enum step {
	STEP_OK,	/* instruction done, continue */
	STEP_YIELD,	/* quantum used up */
	STEP_BLOCK,	/* wait fields set */
	STEP_HALT,
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
struct wafer_code *wafer_code_build(const uint8_t *sram, uint32_t lo,
				    uint32_t hi);

/* exec.c */
enum step wafer_pe_run(struct exec_ctx *x);
enum step wafer_pe_fault(struct exec_ctx *x, enum wafer_status st,
			 const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
enum step wafer_budget_fault(struct exec_ctx *x);
uint32_t wafer_csr_value(const struct wafer_program *p, const struct pe *pe,
			 unsigned int csr);

/* vector.c */
enum step wafer_vec_exec(struct exec_ctx *x, const struct dinsn *d);

/* fabric.c */
enum step wafer_route_get(struct exec_ctx *x, unsigned int color,
			  const struct wafer_route **out);
struct wafer_fq *wafer_rxq(const struct wafer_program *p,
			   const struct pe *pe, unsigned int color);
uint32_t wafer_route_space(const struct wafer_route *rt);
uint64_t wafer_route_free_time(const struct wafer_route *rt, uint32_t j);
void wafer_route_push(struct exec_ctx *x, const struct wafer_route *rt,
		      const uint32_t *val, const uint64_t *t, uint32_t k);
uint32_t wafer_fq_avail(struct wafer_fq *q);
void wafer_fq_peek(struct wafer_fq *q, uint32_t off, uint32_t *val,
		   uint64_t *arr);
void wafer_fq_pop(struct exec_ctx *x, struct wafer_fq *q, const uint64_t *t,
		  uint32_t k);
bool wafer_pe_can_progress(const struct wafer_program *p, const struct pe *pe,
			   unsigned int *what, unsigned int *color);
void wafer_routes_free(struct wafer_program *p);

/* sched.c */
void wafer_pe_kick(struct exec_ctx *x, struct pe *pe);
void wafer_pe_kick_many(struct exec_ctx *x, struct pe *const *pes,
			unsigned int n);
void wafer_pool_stop(struct wafer *w);
void wafer_runs_stop_all(struct wafer *w);
bool wafer_region_busy(struct wafer *w, const struct wafer_rect *r,
		       const struct wafer_program *self);

#endif /* WAFER_INTERNAL_H */
