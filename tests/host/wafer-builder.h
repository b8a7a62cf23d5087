/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wafer-builder.h - build struct wafer_image in memory for tests and
 * benchmarks, without the assembler: code is emitted with isa_encode().
 *
 * A builder collects groups (each with one code segment starting at
 * WB_CODE and any number of data segments), layout rectangles, routes,
 * per-PE constants and symbols; wb_image() turns them into an image that
 * wafer_load() accepts. The builder owns the image: wb_free() frees both.
 */
#ifndef WAFER_BUILDER_H
#define WAFER_BUILDER_H

#include <stdint.h>

#include "wafer.h"
#include "image.h"
#include "isa.h"

#define WB_CODE		0x0	/* code segment address of every group */

struct wb;

struct wb *wb_new(uint32_t extent_w, uint32_t extent_h);
void wb_free(struct wb *b);
void wb_sram(struct wb *b, uint32_t sram_bytes);

uint32_t wb_group(struct wb *b);
void wb_rect(struct wb *b, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
	     uint32_t group);

/* Code: emit appends to the group's code and returns the word's address. */
uint32_t wb_pc(struct wb *b, uint32_t group);
uint32_t wb_emit(struct wb *b, uint32_t group, struct isa_insn i);
void wb_emit_raw(struct wb *b, uint32_t group, uint64_t word);
void wb_patch(struct wb *b, uint32_t group, uint32_t addr, uint32_t imm);

void wb_data(struct wb *b, uint32_t group, uint32_t addr, const void *data,
	     uint32_t size);
void wb_bss(struct wb *b, uint32_t group, uint32_t addr, uint32_t size);
void wb_route(struct wb *b, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
	      uint8_t color, uint8_t rx, uint8_t tx);
void wb_const(struct wb *b, uint32_t group, uint32_t addr, uint32_t csr);
/* A route record of switch position pos (0..3). */
void wb_route_pos(struct wb *b, uint32_t x, uint32_t y, uint32_t w,
		  uint32_t h, uint8_t color, uint8_t rx, uint8_t tx, uint8_t pos);
void wb_switch(struct wb *b, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
	       uint8_t color, uint8_t flags);
/* Task id of group: kind WAFER_TASK_*, color (data/control), entry pc. */
void wb_task(struct wb *b, uint32_t group, uint8_t id, uint8_t kind,
	     uint8_t color, uint8_t prio, uint8_t flags, uint32_t entry);

/* A function symbol; wb_entry() sets its entry for a group. */
uint32_t wb_func(struct wb *b, const char *name);
void wb_entry(struct wb *b, uint32_t sym, uint32_t group, uint32_t pc);
uint32_t wb_object(struct wb *b, const char *name, uint32_t addr,
		   uint32_t size, uint32_t elem_bytes);

/* The image; valid until wb_free(). */
struct wafer_image *wb_image(struct wb *b);

static inline struct isa_insn wb_insn(uint8_t op, uint8_t rd, uint8_t ra,
				      uint8_t rb, uint8_t rc, uint8_t type,
				      uint8_t flags, uint32_t imm)
{
	struct isa_insn i = {
		.opcode = op, .rd = rd, .ra = ra, .rb = rb, .rc = rc,
		.type = type, .flags = flags, .imm = imm,
	};
	return i;
}

/* Instruction shorthands, operands in assembler order. */
#define I_NOP()			wb_insn(ISA_OP_NOP, 0, 0, 0, 0, 0, 0, 0)
#define I_HALT()		wb_insn(ISA_OP_HALT, 0, 0, 0, 0, 0, 0, 0)
#define I_LI(rd, imm)		wb_insn(ISA_OP_LI, rd, 0, 0, 0, 0, 0, imm)
#define I_MOV(rd, ra)		wb_insn(ISA_OP_MOV, rd, ra, 0, 0, 0, 0, 0)
#define I_ALU(op, rd, ra, rb)	wb_insn(ISA_OP_##op, rd, ra, rb, 0, 0, 0, 0)
#define I_ALUI(op, rd, ra, imm)	wb_insn(ISA_OP_##op, rd, ra, 0, 0, 0, ISA_F_IMM, imm)
#define I_FMA(rd, ra, rb, rc)	wb_insn(ISA_OP_FMA, rd, ra, rb, rc, 0, 0, 0)
#define I_LD(rd, ra, off)	wb_insn(ISA_OP_LD, rd, ra, 0, 0, 0, 0, off)
#define I_LDH(rd, ra, off)	wb_insn(ISA_OP_LDH, rd, ra, 0, 0, 0, 0, off)
#define I_ST(rb, ra, off)	wb_insn(ISA_OP_ST, 0, ra, rb, 0, 0, 0, off)
#define I_STH(rb, ra, off)	wb_insn(ISA_OP_STH, 0, ra, rb, 0, 0, 0, off)
#define I_BR(op, ra, rb, t)	wb_insn(ISA_OP_##op, 0, ra, rb, 0, 0, 0, t)
#define I_JMP(t)		wb_insn(ISA_OP_JMP, 0, 0, 0, 0, 0, 0, t)
#define I_JR(ra, off)		wb_insn(ISA_OP_JR, 0, ra, 0, 0, 0, 0, off)
#define I_CALL(t)		wb_insn(ISA_OP_CALL, 0, 0, 0, 0, 0, 0, t)
#define I_CALLR(ra)		wb_insn(ISA_OP_CALLR, 0, ra, 0, 0, 0, 0, 0)
#define I_RET()			wb_insn(ISA_OP_RET, 0, 0, 0, 0, 0, 0, 0)
#define I_CSR(rd, csr)		wb_insn(ISA_OP_CSR, rd, 0, 0, 0, 0, 0, csr)
#define I_SEND(ra, c)		wb_insn(ISA_OP_SEND, 0, ra, 0, 0, 0, 0, c)
#define I_RECV(rd, c)		wb_insn(ISA_OP_RECV, rd, 0, 0, 0, 0, 0, c)
#define I_DMEM(t, d, ra, rb, stride) \
	wb_insn(ISA_OP_DMEM, d, ra, rb, 0, ISA_T_##t, 0, (uint32_t)(stride))
#define I_DFAB(t, d, c, rb)	wb_insn(ISA_OP_DFAB, d, 0, rb, 0, ISA_T_##t, 0, c)
#define I_DLEN(d, rb)		wb_insn(ISA_OP_DLEN, d, 0, rb, 0, 0, 0, 0)
#define I_DLENI(d, n)		wb_insn(ISA_OP_DLEN, d, 0, 0, 0, 0, ISA_F_IMM, n)
#define I_DADV(d, rb)		wb_insn(ISA_OP_DADV, d, 0, rb, 0, 0, 0, 0)
#define I_DADVI(d, n)		wb_insn(ISA_OP_DADV, d, 0, 0, 0, 0, ISA_F_IMM, n)
/* Vector op: V(op, type, d, a, b, c) with unused operands 0. */
#define I_V(op, t, d, a, b, c)	wb_insn(ISA_OP_V##op, d, a, b, c, ISA_T_##t, 0, 0)
/* Vector op with a scalar second source: register rb, or an immediate. */
#define I_VS(op, t, d, a, rb)	wb_insn(ISA_OP_V##op, d, a, rb, 0, ISA_T_##t, ISA_F_SCALAR, 0)
#define I_VSI(op, t, d, a, imm)	wb_insn(ISA_OP_V##op, d, a, 0, 0, ISA_T_##t, \
					ISA_F_SCALAR | ISA_F_IMM, (uint32_t)(imm))
/* vcvt.TO dD, dA from type FROM */
#define I_CVT(to, from, d, a)	wb_insn(ISA_OP_VCVT, d, a, 0, ISA_T_##from, ISA_T_##to, 0, 0)
#define I_DDIM(d, k, rb, stride) \
	wb_insn(ISA_OP_DDIM, d, 0, rb, k, 0, 0, (uint32_t)(stride))

/* Tasks and the router. */
#define I_TRET()		wb_insn(ISA_OP_TRET, 0, 0, 0, 0, 0, 0, 0)
#define I_ACTIVATE(t)		wb_insn(ISA_OP_ACTIVATE, 0, 0, 0, 0, 0, 0, t)
#define I_BLOCK(t)		wb_insn(ISA_OP_BLOCK, 0, 0, 0, 0, 0, 0, t)
#define I_UNBLOCK(t)		wb_insn(ISA_OP_UNBLOCK, 0, 0, 0, 0, 0, 0, t)
#define I_TENTRY(t, ra)		wb_insn(ISA_OP_TENTRY, 0, ra, 0, 0, 0, 0, t)
/* async u, then ACT activates or UNB unblocks task t (NONE: nothing) */
#define I_ASYNC(u, action, t)	wb_insn(ISA_OP_ASYNC, u, 0, 0, 0, 0, 0, \
					ISA_ASYNC_IMM(t, ISA_ASYNC_##action))
#define I_SENDC(ra, c, cmd)	wb_insn(ISA_OP_SENDC, 0, ra, 0, 0, 0, 0, \
					ISA_FAB_IMM(c, ISA_CTL_##cmd))
#define I_SWSET(c, pos)		wb_insn(ISA_OP_SWSET, 0, 0, 0, 0, 0, 0, ISA_FAB_IMM(c, pos))
#define I_TDEXIT(c)		wb_insn(ISA_OP_TDEXIT, 0, 0, 0, 0, 0, 0, c)
#define I_TIMER(rb)		wb_insn(ISA_OP_TIMER, 0, 0, rb, 0, 0, 0, 0)
#define I_TIMERI(n)		wb_insn(ISA_OP_TIMER, 0, 0, 0, 0, 0, ISA_F_IMM, n)
#define I_TCANCEL()		wb_insn(ISA_OP_TCANCEL, 0, 0, 0, 0, 0, 0, 0)

/*
 * The GEMV kernel used by tests and benchmarks: y = A x with A m x n
 * (row-major on the host), on a pw x ph grid of PEs. PE (px, py) holds the
 * tile of rows [px * mt, +mt) and columns [py * nt, +nt), column-major at
 * WB_GEMV_A; the x chunk py starts on PE (0, py) at WB_GEMV_X and is
 * broadcast east along the row; each PE's partial sums (WB_GEMV_YP) are
 * reduced north along the column; PE (px, 0) ends with y chunk px at
 * WB_GEMV_Y. Function "gemv" (index 0), no arguments.
 */
#define WB_GEMV_A	0x1000
#define WB_GEMV_X	0x9000
#define WB_GEMV_YP	0x9800
#define WB_GEMV_Y	0xa000

struct wafer_image *wb_gemv(struct wb **bp, uint32_t m, uint32_t n,
			    uint32_t pw, uint32_t ph);
/* Host side of the GEMV: scatter A and x into SRAM, gather y. */
void wb_gemv_scatter(struct wafer *w, const struct wafer_rect *rg,
		     uint32_t m, uint32_t n, uint32_t pw, uint32_t ph,
		     const float *a, const float *x);
void wb_gemv_gather(struct wafer *w, const struct wafer_rect *rg,
		    uint32_t m, uint32_t n, uint32_t pw, uint32_t ph,
		    float *y);

/* SRAM of PE (x, y) of a region. */
uint8_t *wb_pe_sram(struct wafer *w, const struct wafer_rect *rg, uint32_t x,
		    uint32_t y);

#endif /* WAFER_BUILDER_H */
