/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pe-dump.h - the PE state record: what one processing element holds at
 * the end of a launch (or when a launch faulted), as the wafer core
 * writes it and the device hands it to the guest (DRM_WSE_OP_PE_DUMP),
 * libwse returns it (wse_pe_dump()) and the tools print it.
 *
 * The record is little-endian, naturally aligned, of fixed offsets; a
 * reader checks magic and version and reads no further than size. A new
 * version only appends fields, so a version 1 reader reads the first
 * WAFER_PE_DUMP_V1_SIZE bytes of any later record. Documentation/wse/
 * debugging.rst describes every field.
 *
 * The emulator has no separate output queue: a wavelet a PE sends goes
 * into the input queues of its route's receivers at once, stamped with
 * its modeled arrival time. What a PE sent and nobody took is therefore
 * in the receivers' records (queue[] of the receiving PE); the sender's
 * side of a color is its router (router[]: which ports take the ramp's
 * wavelets) and, when its main thread is stuck on a send, wait_kind.
 */
#ifndef WAFER_PE_DUMP_H
#define WAFER_PE_DUMP_H

#ifdef __KERNEL__
/* The driver's coredumps read it too (driver/wse_coredump.c). */
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define WAFER_PE_DUMP_MAGIC	0x44455057u	/* "WPED" */
#define WAFER_PE_DUMP_VERSION	1
#define WAFER_PE_DUMP_QSHOW	8	/* wavelets shown per queue */

/* state: the main thread (the core's enum pe_main) */
enum wafer_pe_dump_state {
	WAFER_PE_DUMP_OFF = 0,	/* not part of the last launch */
	WAFER_PE_DUMP_RUN = 1,	/* was executing a task */
	WAFER_PE_DUMP_IDLE = 2,	/* between tasks */
	WAFER_PE_DUMP_HALT = 3,	/* halted or faulted */
};

/* wait_kind: what the main thread or a microthread waits for */
enum wafer_pe_dump_wait {
	WAFER_PE_DUMP_W_NONE = 0,
	WAFER_PE_DUMP_W_RECV = 1,	/* wavelets on wait_color */
	WAFER_PE_DUMP_W_SEND = 2,	/* room in the queues of wait_color */
	WAFER_PE_DUMP_W_SWITCH = 3,	/* a switch change on wait_color */
	WAFER_PE_DUMP_W_UT = 4,		/* microthreads to complete */
	WAFER_PE_DUMP_W_DECIDE = 5,	/* lookahead of other PEs */
};

/* flags */
#define WAFER_PE_DUMP_F_PROGRAM	(1u << 0)	/* a program is loaded on it */
#define WAFER_PE_DUMP_F_CODE	(1u << 1)	/* its layout rectangle has code */
#define WAFER_PE_DUMP_F_TASKS	(1u << 2)	/* its group has a task table */
#define WAFER_PE_DUMP_F_INSN	(1u << 3)	/* insn holds the word at pc */
#define WAFER_PE_DUMP_F_PREFIX	(1u << 4)	/* an ASYNC prefix is pending */

/* A DSD register (16 of them), as the ISA describes it. */
struct wafer_pe_dump_dsd {
	uint8_t kind;		/* 0 memory, 1 fabric */
	uint8_t type;		/* enum isa_type */
	uint8_t ndim;		/* memory: 1..4 */
	uint8_t color;		/* fabric */
	uint32_t base;		/* memory: byte address */
	uint32_t len[4];	/* len[0] for fabric DSDs */
	int32_t stride[4];	/* elements */
};

/* An entry of the task table (64 of them). */
struct wafer_pe_dump_task {
	uint32_t entry;		/* pc, or 0xffffffff: no task */
	uint8_t kind;		/* enum wafer_task_kind, 0: none */
	uint8_t color;		/* data and control tasks: bound color */
	uint8_t prio;
	uint8_t flags;
};

/* A microthread (8 of them): the async vector op it runs. */
struct wafer_pe_dump_uthread {
	uint8_t busy;		/* op not completed */
	uint8_t action;		/* enum isa_async_action on completion */
	uint8_t task;		/* the task it activates or unblocks */
	uint8_t op;		/* enum isa_opcode of the op */
	uint32_t pc;		/* of the issuing instruction */
	uint32_t n;		/* elements */
	uint32_t done;		/* elements done */
	uint8_t wait_kind;	/* enum wafer_pe_dump_wait */
	uint8_t wait_color;
	uint8_t pad[6];
	uint64_t clock;		/* modeled time of its last element */
};

/* The PE's router on one color (24 of them). */
struct wafer_pe_dump_router {
	uint8_t npos;		/* positions configured, 0: color unused */
	uint8_t pos;		/* current position */
	uint8_t rx;		/* WAFER_PORT_* accepted from now */
	uint8_t tx;		/* WAFER_PORT_* forwarded to now */
	uint8_t torn_down;	/* teardown reached it */
	uint8_t ring;		/* advancing past the last wraps */
	uint8_t pad[2];
	uint8_t pos_rx[4];	/* per position */
	uint8_t pos_tx[4];
};

/* The PE's input queue of one color (24 of them). */
struct wafer_pe_dump_queue {
	uint32_t depth;		/* slots, 0: the PE has no queue on it */
	uint32_t count;		/* wavelets waiting, not taken */
	uint32_t val[WAFER_PE_DUMP_QSHOW];	/* the first min(count, 8) */
	/* their arrival: modeled cycle | bit 63 control | bits 61-62 command */
	uint64_t arr[WAFER_PE_DUMP_QSHOW];
};

#define WAFER_PE_DUMP_ARR_CTL		(1ull << 63)
#define WAFER_PE_DUMP_ARR_CMD_SHIFT	61
#define WAFER_PE_DUMP_ARR_TIME_MASK	((1ull << 61) - 1)

struct wafer_pe_dump {
	uint32_t magic;		/* WAFER_PE_DUMP_MAGIC */
	uint32_t version;	/* WAFER_PE_DUMP_VERSION */
	uint32_t size;		/* bytes of the record */
	uint32_t flags;		/* WAFER_PE_DUMP_F_* */
	uint32_t x, y;		/* the PE, relative to the region */
	uint32_t state;		/* enum wafer_pe_dump_state */
	uint32_t cur_task;	/* running task, 255: the launched function */
	uint32_t pc;		/* main thread */
	uint32_t sram_bytes;	/* of the PE */
	uint64_t insn;		/* the instruction word at pc */
	uint64_t clock;		/* main thread's modeled cycles */
	uint64_t icount;	/* instructions started in the launch */
	uint64_t end;		/* latest completion of anything of the PE */
	uint8_t wait_kind;	/* main thread: enum wafer_pe_dump_wait */
	uint8_t wait_color;
	uint8_t wait_ut;	/* W_UT: mask of microthreads */
	uint8_t ut_busy;	/* mask of microthreads with an op in flight */
	uint32_t pad;
	uint32_t r[16];		/* r0..r15 */
	uint64_t task_active;	/* bit per task id */
	uint64_t task_blocked;
	uint64_t task_defined;	/* ids with an entry */
	struct wafer_pe_dump_dsd dsd[16];
	struct wafer_pe_dump_task task[64];
	struct wafer_pe_dump_uthread ut[8];
	struct wafer_pe_dump_router router[24];
	struct wafer_pe_dump_queue queue[24];
};

#define WAFER_PE_DUMP_V1_SIZE	sizeof(struct wafer_pe_dump)

/*
 * Check that @rec (@len bytes) is a record this reader understands:
 * 0, or -EINVAL (bad magic, unknown major layout, short).
 */
int wafer_pe_dump_check(const void *rec, size_t len);

/*
 * Render the record as text into @buf (always NUL-terminated when @len
 * > 0): the PE, its state, pc and the instruction there disassembled by
 * isa_disasm() (the text wse-objdump prints), registers, DSDs in use,
 * defined tasks, busy microthreads, routers of used colors and non-empty
 * queues. Returns the length the full text needs (like snprintf), or
 * -EINVAL for a record wafer_pe_dump_check() refuses.
 */
int wafer_pe_dump_text(const void *rec, size_t len, char *buf, size_t buflen);

#ifdef __cplusplus
}
#endif

#endif /* WAFER_PE_DUMP_H */
