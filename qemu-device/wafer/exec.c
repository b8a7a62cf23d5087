// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exec.c - the PE interpreter: scalar instructions, SEND/RECV, faults.
 *
 * A worker calls wafer_pe_run() for one PE; it executes instructions until
 * the PE halts, faults, must wait for the fabric, or used its quantum.
 * Instructions come from the group's predecoded cache while SRAM still
 * holds the cached word, else are decoded on the spot.
 *
 * Every instruction that must wait (SEND, RECV, vector ops on fabric DSDs)
 * is restartable: pe->inprog says it was already counted and costed, so a
 * second attempt neither counts nor charges its issue cost again.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Keep a * b + c two roundings, whatever the compiler's default. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

static const struct wafer_code empty_code;

enum step wafer_pe_fault(struct exec_ctx *x, enum wafer_status st,
			 const char *fmt, ...)
{
	struct wafer_fault *f = x->fault;
	struct pe *pe = x->pe;
	va_list ap;
	int n;

	memset(f, 0, sizeof(*f));
	f->status = st;
	f->pe_x = pe_x(x->p, pe);
	f->pe_y = pe_y(x->p, pe);
	f->pc = pe->pc;
	n = snprintf(f->msg, sizeof(f->msg), "PE (%u,%u) pc 0x%x: ", f->pe_x,
		     f->pe_y, f->pc);
	if (n < 0 || (size_t)n >= sizeof(f->msg))
		return STEP_FAULT;
	va_start(ap, fmt);
	vsnprintf(f->msg + n, sizeof(f->msg) - n, fmt, ap);
	va_end(ap);
	return STEP_FAULT;
}

uint32_t wafer_csr_value(const struct wafer_program *p, const struct pe *pe,
			 unsigned csr)
{
	const struct wafer_image_rect *r = NULL;

	if (pe->rect < p->nrects)
		r = &p->rects[pe->rect];
	switch (csr) {
	case ISA_CSR_X:
		return pe_x(p, pe);
	case ISA_CSR_Y:
		return pe_y(p, pe);
	case ISA_CSR_PROG_W:
		return p->extent_w;
	case ISA_CSR_PROG_H:
		return p->extent_h;
	case ISA_CSR_RECT_X:
		return r ? pe_x(p, pe) - r->x : 0;
	case ISA_CSR_RECT_Y:
		return r ? pe_y(p, pe) - r->y : 0;
	case ISA_CSR_RECT_W:
		return r ? r->w : 0;
	case ISA_CSR_RECT_H:
		return r ? r->h : 0;
	case ISA_CSR_CYCLES:
		return (uint32_t)pe->clock;
	case ISA_CSR_SRAM:
		return p->sram_bytes;
	}
	return 0;
}

static inline float f32_of(uint32_t v)
{
	float f;

	memcpy(&f, &v, sizeof(f));
	return f;
}

static inline uint32_t bits_of(float f)
{
	uint32_t v;

	memcpy(&v, &f, sizeof(v));
	return v;
}

/* Round towards zero, saturating; NaN gives 0. */
static uint32_t f32_to_i32_sat(float f)
{
	if (f != f)
		return 0;
	if (f >= 2147483648.0f)
		return INT32_MAX;
	if (f < -2147483648.0f)
		return (uint32_t)INT32_MIN;
	return (uint32_t)(int32_t)f;
}

enum step wafer_budget_fault(struct exec_ctx *x)
{
	return wafer_pe_fault(x, WAFER_ERR_RUNAWAY,
			      "instruction budget of %llu exhausted",
			      (unsigned long long)x->run->budget);
}

static enum step mem_fault(struct exec_ctx *x, const char *what,
			   unsigned size, uint32_t addr)
{
	if (addr % size)
		return wafer_pe_fault(x, WAFER_ERR_MISALIGNED,
				      "misaligned %u-byte %s at 0x%x", size,
				      what, addr);
	return wafer_pe_fault(x, WAFER_ERR_SRAM_RANGE,
			      "SRAM %s of %u bytes at 0x%x out of range", what,
			      size, addr);
}

static enum step do_send(struct exec_ctx *x, unsigned color, uint32_t v)
{
	struct pe *pe = x->pe;
	const struct wafer_route *rt;
	enum step st;
	uint64_t t;

	st = wafer_route_get(x, color, &rt);
	if (st != STEP_OK)
		return st;
	if (!wafer_route_space(rt)) {
		pe->inprog = true;
		pe->wait_nin = 0;
		pe->wait_out = rt;
		pe->wait_out_c = color;
		return STEP_BLOCK;
	}
	/* Leaves once issued and once the slot it takes was freed. */
	t = pe->clock + COST_SIMPLE;
	if (t < wafer_route_free_time(rt, 0))
		t = wafer_route_free_time(rt, 0);
	pe->clock = t;
	wafer_route_push(x, rt, &v, &t, 1);
	pe->inprog = false;
	return STEP_OK;
}

static enum step do_recv(struct exec_ctx *x, unsigned color, unsigned rd)
{
	struct pe *pe = x->pe;
	struct wafer_fq *q = wafer_rxq(x->p, pe, color);
	uint64_t arr, t;
	uint32_t v;

	if (!q)
		return wafer_pe_fault(x, WAFER_ERR_UNROUTED,
				      "recv on color %u, which the router never delivers to RAMP",
				      color);
	if (!wafer_fq_avail(q)) {
		pe->inprog = true;
		pe->wait_nin = 1;
		pe->wait_in_c[0] = color;
		pe->wait_in_need[0] = 1;
		pe->wait_out = NULL;
		return STEP_BLOCK;
	}
	wafer_fq_peek(q, 0, &v, &arr);
	t = pe->clock + COST_SIMPLE;
	if (t < arr)
		t = arr;
	pe->clock = t;
	wafer_fq_pop(x, q, &t, 1);
	pe->r[rd] = v;
	pe->r[0] = 0;
	pe->inprog = false;
	return STEP_OK;
}

enum step wafer_pe_run(struct exec_ctx *x)
{
	struct pe *pe = x->pe;
	const struct wafer_code *code = pe->code ? pe->code : &empty_code;
	const uint8_t *sram = pe->sram;
	const uint32_t last_pc = x->p->sram_bytes - ISA_INSN_BYTES;
	const uint64_t budget = x->run->budget;
	uint32_t *r = pe->r;
	/* Hot state lives in locals; SAVE() before anything that reads the
	 * PE (helpers, faults, returns), LOAD() after helpers that change it. */
	uint32_t pc = pe->pc;
	uint64_t clock = pe->clock, icount = pe->icount, bused = pe->bused;
	long work = x->work;
	struct dinsn tmp;
	char why[96];

#define SAVE() do { pe->pc = pc; pe->clock = clock; pe->icount = icount; \
		    pe->bused = bused; x->work = work; } while (0)
#define LOAD() do { pc = pe->pc; clock = pe->clock; icount = pe->icount; \
		    bused = pe->bused; work = x->work; } while (0)
#define FAULT_MEM(...) do { SAVE(); return mem_fault(x, __VA_ARGS__); } while (0)
#define FAULT(...) do { SAVE(); return wafer_pe_fault(x, __VA_ARGS__); } while (0)
#define CALL(expr) do { SAVE(); st = (expr); LOAD(); \
			if (st != STEP_OK) return st; } while (0)

	for (;;) {
		const struct dinsn *d;
		uint32_t next = pc + ISA_INSN_BYTES;
		uint32_t k, imm, b, addr, v;
		uint64_t raw;
		enum step st;

		if (wf_unlikely(work >= WAFER_QUANTUM)) {
			SAVE();
			return STEP_YIELD;
		}
		if (wf_unlikely(pc & (ISA_INSN_BYTES - 1)))
			FAULT(WAFER_ERR_MISALIGNED, "pc is not 8-byte aligned");
		if (wf_unlikely(pc > last_pc))
			FAULT(WAFER_ERR_SRAM_RANGE,
			      "instruction fetch at 0x%x out of range", pc);
		memcpy(&raw, sram + pc, sizeof(raw));
		k = (pc - code->lo) / ISA_INSN_BYTES;
		if (wf_likely(pc >= code->lo && k < code->n &&
			      code->ins[k].raw == raw)) {
			d = &code->ins[k];
		} else {
			wafer_decode(raw, &tmp);
			d = &tmp;
		}
		if (!pe->inprog) {
			if (wf_unlikely(bused >= budget)) {
				SAVE();
				return wafer_budget_fault(x);
			}
			bused++;
			icount++;
		}
		work += WAFER_INSN_WORK;
		imm = (uint32_t)(raw >> 32);
		b = (d->flags & ISA_F_IMM) ? imm : r[d->rb];

		switch (d->op) {
		case ISA_OP_NOP:
			clock += COST_SIMPLE;
			break;
		case ISA_OP_HALT:
			clock += COST_SIMPLE;
			SAVE();
			return STEP_HALT;

		case ISA_OP_ADD:
			r[d->rd] = r[d->ra] + b;
			goto simple;
		case ISA_OP_SUB:
			r[d->rd] = r[d->ra] - b;
			goto simple;
		case ISA_OP_MUL:
			r[d->rd] = r[d->ra] * b;
			goto simple;
		case ISA_OP_DIVU:
			r[d->rd] = b ? r[d->ra] / b : UINT32_MAX;
			clock += COST_DIV;
			break;
		case ISA_OP_REMU:
			r[d->rd] = b ? r[d->ra] % b : r[d->ra];
			clock += COST_DIV;
			break;
		case ISA_OP_AND:
			r[d->rd] = r[d->ra] & b;
			goto simple;
		case ISA_OP_OR:
			r[d->rd] = r[d->ra] | b;
			goto simple;
		case ISA_OP_XOR:
			r[d->rd] = r[d->ra] ^ b;
			goto simple;
		case ISA_OP_SHL:
			r[d->rd] = r[d->ra] << (b & 31);
			goto simple;
		case ISA_OP_SHR:
			r[d->rd] = r[d->ra] >> (b & 31);
			goto simple;
		case ISA_OP_SRA:
			r[d->rd] = (uint32_t)((int32_t)r[d->ra] >> (b & 31));
			goto simple;
		case ISA_OP_SLT:
			r[d->rd] = (int32_t)r[d->ra] < (int32_t)b;
			goto simple;
		case ISA_OP_SLTU:
			r[d->rd] = r[d->ra] < b;
			goto simple;
		case ISA_OP_SEQ:
			r[d->rd] = r[d->ra] == b;
			goto simple;
		case ISA_OP_LI:
			r[d->rd] = imm;
			goto simple;
		case ISA_OP_MOV:
			r[d->rd] = r[d->ra];
			goto simple;

		case ISA_OP_FADD:
			r[d->rd] = bits_of(f32_of(r[d->ra]) + f32_of(b));
			goto simple;
		case ISA_OP_FSUB:
			r[d->rd] = bits_of(f32_of(r[d->ra]) - f32_of(b));
			goto simple;
		case ISA_OP_FMUL:
			r[d->rd] = bits_of(f32_of(r[d->ra]) * f32_of(b));
			goto simple;
		case ISA_OP_FDIV:
			r[d->rd] = bits_of(f32_of(r[d->ra]) / f32_of(b));
			clock += COST_DIV;
			break;
		case ISA_OP_FMAX: {
			float fa = f32_of(r[d->ra]), fb = f32_of(b);

			r[d->rd] = bits_of(fa > fb ? fa : fb);
			goto simple;
		}
		case ISA_OP_FMIN: {
			float fa = f32_of(r[d->ra]), fb = f32_of(b);

			r[d->rd] = bits_of(fa < fb ? fa : fb);
			goto simple;
		}
		case ISA_OP_FLT:
			r[d->rd] = f32_of(r[d->ra]) < f32_of(b);
			goto simple;
		case ISA_OP_FEQ:
			r[d->rd] = f32_of(r[d->ra]) == f32_of(b);
			goto simple;
		case ISA_OP_ITOF:
			r[d->rd] = bits_of((float)(int32_t)r[d->ra]);
			goto simple;
		case ISA_OP_FTOI:
			r[d->rd] = f32_to_i32_sat(f32_of(r[d->ra]));
			goto simple;
		case ISA_OP_FMA: {
			float prod = f32_of(r[d->ra]) * f32_of(b);

			r[d->rd] = bits_of(prod + f32_of(r[d->rc]));
			goto simple;
		}

		case ISA_OP_LD:
			addr = r[d->ra] + imm;
			if (wf_unlikely((addr & 3) || addr > x->p->sram_bytes - 4))
				FAULT_MEM("read", 4, addr);
			memcpy(&v, sram + addr, 4);
			r[d->rd] = v;
			goto simple;
		case ISA_OP_LDH: {
			uint16_t h;

			addr = r[d->ra] + imm;
			if (wf_unlikely((addr & 1) || addr > x->p->sram_bytes - 2))
				FAULT_MEM("read", 2, addr);
			memcpy(&h, sram + addr, 2);
			r[d->rd] = h;
			goto simple;
		}
		case ISA_OP_ST:
			addr = r[d->ra] + imm;
			if (wf_unlikely((addr & 3) || addr > x->p->sram_bytes - 4))
				FAULT_MEM("write", 4, addr);
			v = r[d->rb];
			memcpy(pe->sram + addr, &v, 4);
			clock += COST_SIMPLE;
			break;
		case ISA_OP_STH: {
			uint16_t h = (uint16_t)r[d->rb];

			addr = r[d->ra] + imm;
			if (wf_unlikely((addr & 1) || addr > x->p->sram_bytes - 2))
				FAULT_MEM("write", 2, addr);
			memcpy(pe->sram + addr, &h, 2);
			clock += COST_SIMPLE;
			break;
		}

		case ISA_OP_BEQ:
			if (r[d->ra] == r[d->rb])
				goto taken;
			goto simple_nr;
		case ISA_OP_BNE:
			if (r[d->ra] != r[d->rb])
				goto taken;
			goto simple_nr;
		case ISA_OP_BLT:
			if ((int32_t)r[d->ra] < (int32_t)r[d->rb])
				goto taken;
			goto simple_nr;
		case ISA_OP_BGE:
			if ((int32_t)r[d->ra] >= (int32_t)r[d->rb])
				goto taken;
			goto simple_nr;
		case ISA_OP_BLTU:
			if (r[d->ra] < r[d->rb])
				goto taken;
			goto simple_nr;
		case ISA_OP_BGEU:
			if (r[d->ra] >= r[d->rb])
				goto taken;
			goto simple_nr;
		case ISA_OP_JMP:
			next = imm;
			clock += COST_JUMP;
			break;
		case ISA_OP_JR:
			next = r[d->ra] + imm;
			clock += COST_JUMP;
			break;
		case ISA_OP_CALL:
			r[ISA_REG_LR] = pc + ISA_INSN_BYTES;
			next = imm;
			clock += COST_JUMP;
			break;
		case ISA_OP_CALLR:
			next = r[d->ra];
			r[ISA_REG_LR] = pc + ISA_INSN_BYTES;
			clock += COST_JUMP;
			break;
		case ISA_OP_RET:
			next = r[ISA_REG_LR];
			clock += COST_JUMP;
			break;

		case ISA_OP_CSR:
			SAVE();
			r[d->rd] = wafer_csr_value(x->p, pe, imm);
			goto simple;

		case ISA_OP_SEND:
			CALL(do_send(x, imm, r[d->ra]));
			break;
		case ISA_OP_RECV:
			CALL(do_recv(x, imm, d->rd));
			break;

		case ISA_OP_DMEM: {
			struct pe_dsd *dd = &pe->d[d->rd];

			dd->kind = DSD_MEM;
			dd->base = r[d->ra];
			dd->len = r[d->rb];
			dd->stride = (int32_t)imm;
			dd->type = d->type;
			clock += COST_SIMPLE;
			break;
		}
		case ISA_OP_DFAB: {
			struct pe_dsd *dd = &pe->d[d->rd];

			dd->kind = DSD_FAB;
			dd->base = imm;
			dd->len = r[d->rb];
			dd->stride = 0;
			dd->type = d->type;
			clock += COST_SIMPLE;
			break;
		}
		case ISA_OP_DLEN:
			pe->d[d->rd].len = b;
			clock += COST_SIMPLE;
			break;
		case ISA_OP_DADV:
			if (pe->d[d->rd].kind != DSD_MEM)
				FAULT(WAFER_ERR_ILLEGAL_INSN,
				      "illegal instruction: dadv on d%u, a fabric DSD",
				      d->rd);
			pe->d[d->rd].base += b;
			clock += COST_SIMPLE;
			break;

		case ISA_OP_VMOV ... ISA_OP_VRMIN:
			CALL(wafer_vec_exec(x, d));
			break;

		default:
			wafer_illegal_text(d, why, sizeof(why));
			FAULT(WAFER_ERR_ILLEGAL_INSN,
			      "illegal instruction 0x%016llx: %s",
			      (unsigned long long)raw, why);
		}
		r[0] = 0;
		pc = next;
		continue;
simple:
		r[0] = 0;
simple_nr:
		clock += COST_SIMPLE;
		pc = next;
		continue;
taken:
		clock += COST_BRANCH_TAKEN;
		pc = imm;
	}
#undef CALL
#undef FAULT
#undef FAULT_MEM
#undef LOAD
#undef SAVE
}
