/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exec-run.h - the body of the interpreter, included twice by exec.c:
 * as wafer_pe_run (RUN_TRACED 0), the code every untraced launch runs,
 * with no trace hook at all, and as wafer_pe_run_traced (RUN_TRACED 1), which
 * counts SRAM bytes and takes instruction samples (trace.c). Defines
 * RUN_NAME's function; needs RUN_NAME and RUN_TRACED.
 *
 * Copyright (c) 2026 The wse authors.
 */
/*
 * The interpreter loop, as threaded code: every handler ends with its own
 * copy of the dispatch sequence (DISPATCH), so that the host's branch
 * predictor sees one indirect jump per handler instead of one shared one.
 */
enum step RUN_NAME(struct exec_ctx *x)
{
	/* Everything not listed is illegal: the default comes first. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
	static const void *const handlers[256] = {
		[0 ... 255] = &&op_illegal,
		[ISA_OP_NOP] = &&op_nop,
		[ISA_OP_HALT] = &&op_halt,
		[ISA_OP_TRET] = &&op_tret,
		[ISA_OP_ACTIVATE] = &&op_activate,
		[ISA_OP_BLOCK] = &&op_block,
		[ISA_OP_UNBLOCK] = &&op_unblock,
		[ISA_OP_ASYNC] = &&op_async,
		[ISA_OP_TENTRY] = &&op_tentry,
		[ISA_OP_SENDC] = &&op_sendc,
		[ISA_OP_SWSET] = &&op_swset,
		[ISA_OP_TDEXIT] = &&op_tdexit,
		[ISA_OP_TIMER] = &&op_timer,
		[ISA_OP_TCANCEL] = &&op_tcancel,
		[ISA_OP_ADD] = &&op_add,
		[ISA_OP_SUB] = &&op_sub,
		[ISA_OP_MUL] = &&op_mul,
		[ISA_OP_DIVU] = &&op_divu,
		[ISA_OP_REMU] = &&op_remu,
		[ISA_OP_AND] = &&op_and,
		[ISA_OP_OR] = &&op_or,
		[ISA_OP_XOR] = &&op_xor,
		[ISA_OP_SHL] = &&op_shl,
		[ISA_OP_SHR] = &&op_shr,
		[ISA_OP_SRA] = &&op_sra,
		[ISA_OP_SLT] = &&op_slt,
		[ISA_OP_SLTU] = &&op_sltu,
		[ISA_OP_SEQ] = &&op_seq,
		[ISA_OP_LI] = &&op_li,
		[ISA_OP_MOV] = &&op_mov,
		[ISA_OP_FADD] = &&op_fadd,
		[ISA_OP_FSUB] = &&op_fsub,
		[ISA_OP_FMUL] = &&op_fmul,
		[ISA_OP_FDIV] = &&op_fdiv,
		[ISA_OP_FMAX] = &&op_fmax,
		[ISA_OP_FMIN] = &&op_fmin,
		[ISA_OP_FLT] = &&op_flt,
		[ISA_OP_FEQ] = &&op_feq,
		[ISA_OP_ITOF] = &&op_itof,
		[ISA_OP_FTOI] = &&op_ftoi,
		[ISA_OP_FMA] = &&op_fma,
		[ISA_OP_LD] = &&op_ld,
		[ISA_OP_LDH] = &&op_ldh,
		[ISA_OP_ST] = &&op_st,
		[ISA_OP_STH] = &&op_sth,
		[ISA_OP_BEQ] = &&op_beq,
		[ISA_OP_BNE] = &&op_bne,
		[ISA_OP_BLT] = &&op_blt,
		[ISA_OP_BGE] = &&op_bge,
		[ISA_OP_BLTU] = &&op_bltu,
		[ISA_OP_BGEU] = &&op_bgeu,
		[ISA_OP_JMP] = &&op_jmp,
		[ISA_OP_JR] = &&op_jr,
		[ISA_OP_CALL] = &&op_call,
		[ISA_OP_CALLR] = &&op_callr,
		[ISA_OP_RET] = &&op_ret,
		[ISA_OP_CSR] = &&op_csr,
		[ISA_OP_SEND] = &&op_send,
		[ISA_OP_RECV] = &&op_recv,
		[ISA_OP_DMEM] = &&op_dmem,
		[ISA_OP_DFAB] = &&op_dfab,
		[ISA_OP_DLEN] = &&op_dlen,
		[ISA_OP_DADV] = &&op_dadv,
		[ISA_OP_DDIM] = &&op_ddim,
		[ISA_OP_VFIRST ... ISA_OP_VLAST] = &&op_vector,
	};
#pragma GCC diagnostic pop
	struct pe *pe = x->pe;
	const struct wafer_code *code = pe->code ? pe->code : &empty_code;
	const uint8_t *sram = pe->sram;
	const uint32_t last_pc = x->p->sram_bytes - ISA_INSN_BYTES;
	const uint32_t sram_bytes = x->p->sram_bytes;
	/*
	 * The predecoded words as a byte range from code_lo: a pc in it is
	 * aligned and in SRAM, so the fast fetch needs one compare for all
	 * three (a range that is not 8-aligned or leaves SRAM is empty).
	 */
	const uint32_t code_lo = code->lo;
	const uint32_t code_span =
		!(code_lo & (ISA_INSN_BYTES - 1)) && code_lo <= sram_bytes &&
		(uint64_t)code->n * ISA_INSN_BYTES <= sram_bytes - code_lo ?
		code->n * ISA_INSN_BYTES : 0;
	const uint64_t budget = x->run->budget;
#if RUN_TRACED
	/* The budget, or the next instruction sample's count if earlier. */
	uint64_t stop_at = budget;
#else
	const uint64_t stop_at = budget;
#endif
	/* Instructions starting after the run's earliest fault do not run. */
	const uint64_t limit = atomic_load_explicit(&x->run->fault_time,
						    memory_order_relaxed);
	uint32_t *r = pe->r;
	/*
	 * Hot state lives in locals; SAVE() before anything that reads the
	 * PE (helpers, faults, returns), LOAD() after helpers that change it.
	 */
	uint32_t pc = pe->pc;
	uint64_t clock = pe->clock, bused = pe->bused;
	/*
	 * pe->icount is bused + idiff: every instruction counts one in
	 * both, so that only bused is counted here; the elements a vector
	 * op charges to bused alone come off idiff.
	 */
	uint64_t idiff = pe->icount - pe->bused;
	long work = x->work;
	const struct dinsn *d;
	struct dinsn tmp;
	uint32_t imm, addr, v, off;
	uint64_t raw;
	enum step st;
	char why[96];

#if RUN_TRACED
	stop_at = wafer_trace_stop_at(pe, bused, bused + idiff, budget);
#endif
#define SAVE() do { pe->pc = pc; pe->clock = clock; pe->icount = bused + idiff; \
		    pe->bused = bused; x->work = work; } while (0)
#define LOAD() do { pc = pe->pc; clock = pe->clock; bused = pe->bused; \
		    idiff = pe->icount - bused; work = x->work; } while (0)
#define FAULT_MEM(...) do { SAVE(); return mem_fault(x, __VA_ARGS__); } while (0)
#define FAULT(...) do { SAVE(); return wafer_pe_fault(x, __VA_ARGS__); } while (0)
#define CALL(expr) do {							\
	SAVE();								\
	st = (expr);							\
	LOAD();								\
	if (st != STEP_OK)						\
		return st;						\
} while (0)
/*
 * Fetch, decode (from the cache if SRAM still holds the word), count. A
 * pc in the predecoded range is aligned and in SRAM: only a pc outside
 * it is checked further (bad_pc) and decoded on the spot.
 */
#define FETCH() do {							\
	if (wf_unlikely(work >= WAFER_QUANTUM))				\
		goto yield;						\
	if (wf_unlikely(clock > limit))					\
		goto stop;						\
	off = pc - code_lo;						\
	if (wf_likely(off < code_span &&				\
		      !(off & (ISA_INSN_BYTES - 1)))) {			\
		memcpy(&raw, sram + pc, sizeof(raw));			\
		d = &code->ins[off / ISA_INSN_BYTES];			\
		if (wf_unlikely(d->raw != raw)) {			\
			wafer_decode(raw, &tmp);			\
			d = &tmp;					\
		}							\
	} else {							\
		if (wf_unlikely((pc & (ISA_INSN_BYTES - 1)) ||		\
				pc > last_pc))				\
			goto bad_pc;					\
		memcpy(&raw, sram + pc, sizeof(raw));			\
		wafer_decode(raw, &tmp);				\
		d = &tmp;						\
	}								\
	memcpy(&imm, (const uint8_t *)&d->raw + 4, sizeof(imm));	\
	work += WAFER_INSN_WORK;					\
} while (0)
#define COUNT() do {							\
	if (wf_unlikely(bused >= stop_at))				\
		goto runaway;						\
	bused++;							\
} while (0)
#define DISPATCH() do {							\
	FETCH();							\
	COUNT();							\
	goto *handlers[d->op];						\
} while (0)
/*
 * The instruction after a cached one that has next (d, now at pc - 8,
 * is ins[k]): ins[k + 1], which needs neither the range check nor the
 * lookup of FETCH(). Everything else is FETCH()'s and COUNT()'s, in the
 * same order: the quantum, the run's fault time, SRAM still holding the
 * word, the budget (or a trace sample). 9.2 million of the 24.0 million
 * host instructions of a GEMV launch were the interpreter's own.
 */
#define CHAIN() do {							\
	if (wf_unlikely(work >= WAFER_QUANTUM))				\
		goto yield;						\
	if (wf_unlikely(clock > limit))					\
		goto stop;						\
	memcpy(&raw, sram + pc, sizeof(raw));				\
	d++;								\
	if (wf_unlikely(d->raw != raw)) {				\
		wafer_decode(raw, &tmp);				\
		d = &tmp;						\
	}								\
	memcpy(&imm, (const uint8_t *)&d->raw + 4, sizeof(imm));	\
	work += WAFER_INSN_WORK;					\
	COUNT();							\
	goto *handlers[d->op];						\
} while (0)
/* On to pc, the word after d's. */
#define SEQ_DISPATCH() do {						\
	if (d->next & NEXT_CACHED)					\
		CHAIN();						\
	DISPATCH();							\
} while (0)
#define B	((d->flags & ISA_F_IMM) ? imm : r[d->rb])
/* Finish an instruction that wrote rd and costs one cycle. */
#define SIMPLE() do {							\
	r[0] = 0;							\
	clock += COST_SIMPLE;						\
	pc += ISA_INSN_BYTES;						\
	SEQ_DISPATCH();							\
} while (0)
#define NEXT(cost) do {							\
	clock += (cost);						\
	pc += ISA_INSN_BYTES;						\
	SEQ_DISPATCH();							\
} while (0)
#define JUMP(cost, target) do {						\
	clock += (cost);						\
	pc = (target);							\
	DISPATCH();							\
} while (0)
#define BRANCH(cond) do {						\
	if (cond)							\
		JUMP(COST_BRANCH_TAKEN, imm);				\
	NEXT(COST_SIMPLE);						\
} while (0)
/* Bytes a load or store moves, for a traced launch's counters. */
#if RUN_TRACED
#define RUN_STEP(fn)	fn##_traced
#define SRAM_TOUCH(n)	wafer_trace_sram(pe, (n))
#else
#define RUN_STEP(fn)	fn
#define SRAM_TOUCH(n)	do { } while (0)
#endif
/* Loads and stores check the footprints of async ops in flight. */
#define HAZARD(addr, size, write) do {					\
	if (wf_unlikely(pe->fl && pe->fl->live_mask)) {			\
		SAVE();							\
		st = wafer_mem_hazard(x, (addr), (size), (write));	\
		LOAD();							\
		if (st != STEP_OK)					\
			return st;					\
	}								\
} while (0)
/* The DSD registers exist from the first instruction that uses them. */
#define NEED_VEC() do {							\
	if (wf_unlikely(!pe->v)) {					\
		SAVE();							\
		if (!wafer_pe_vec(pe))					\
			return dsd_nomem(x);				\
	}								\
} while (0)

	/* A restarted instruction was counted when it began. */
	if (pe->inprog) {
		FETCH();
		goto *handlers[d->op];
	}
	DISPATCH();

op_nop:
	NEXT(COST_SIMPLE);
op_halt:
	clock += COST_SIMPLE;
	SAVE();
	return STEP_HALT;
op_tret:
	clock += COST_SIMPLE;
	SAVE();
	return STEP_TRET;
op_activate:
	SAVE();
	if (!wafer_pe_flow(x))
		return STEP_FAULT;
	pe->fl->active |= 1ull << imm;
	NEXT(COST_SIMPLE);
op_block:
	CALL(wafer_task_block(x, imm));
	pc += ISA_INSN_BYTES;
	DISPATCH();
op_unblock:
	SAVE();
	if (!wafer_pe_flow(x))
		return STEP_FAULT;
	pe->fl->blocked &= ~(1ull << imm);
	NEXT(COST_SIMPLE);
op_tentry:
	SAVE();
	if (!wafer_task_set_entry(x, imm, r[d->ra]))
		return STEP_FAULT;
	NEXT(COST_SIMPLE);
op_async:
	/* A prefix: the vector op after it runs on microthread rd. */
	pe->prefix = 1;
	pe->pre_ut = d->rd;
	pe->pre_action = (uint8_t)ISA_ASYNC_ACTION(imm);
	pe->pre_task = (uint8_t)ISA_ASYNC_TASK(imm);
	clock += COST_SIMPLE;
	pc += ISA_INSN_BYTES;
	FETCH();
	COUNT();
	if (wf_unlikely(!isa_op_is_vector(d->op))) {
		pe->prefix = 0;
		if (d->op == ISA_OP_ILLEGAL)
			goto op_illegal;
		FAULT(WAFER_ERR_ILLEGAL_INSN,
		      "illegal instruction: async before %s, which is not a vector operation",
		      wafer_op_name(d->op));
	}
	goto op_vector;
op_sendc:
	CALL(wafer_sendc(x, ISA_FAB_COLOR(imm), ISA_FAB_ARG(imm), r[d->ra]));
	pc += ISA_INSN_BYTES;
	DISPATCH();
op_swset:
	CALL(wafer_swset(x, ISA_FAB_COLOR(imm), ISA_FAB_ARG(imm)));
	pc += ISA_INSN_BYTES;
	DISPATCH();
op_tdexit:
	CALL(wafer_tdexit(x, ISA_FAB_COLOR(imm)));
	pc += ISA_INSN_BYTES;
	DISPATCH();
op_timer:
	SAVE();
	if (!wafer_timer_arm(x, B))
		return STEP_FAULT;
	NEXT(COST_SIMPLE);
op_tcancel:
	SAVE();
	if (!wafer_timer_cancel(x))
		return STEP_FAULT;
	NEXT(COST_SIMPLE);

op_add:
	r[d->rd] = r[d->ra] + B;
	SIMPLE();
op_sub:
	r[d->rd] = r[d->ra] - B;
	SIMPLE();
op_mul:
	r[d->rd] = r[d->ra] * B;
	SIMPLE();
op_divu:
	v = B;
	r[d->rd] = v ? r[d->ra] / v : UINT32_MAX;
	r[0] = 0;
	NEXT(COST_DIV);
op_remu:
	v = B;
	r[d->rd] = v ? r[d->ra] % v : r[d->ra];
	r[0] = 0;
	NEXT(COST_DIV);
op_and:
	r[d->rd] = r[d->ra] & B;
	SIMPLE();
op_or:
	r[d->rd] = r[d->ra] | B;
	SIMPLE();
op_xor:
	r[d->rd] = r[d->ra] ^ B;
	SIMPLE();
op_shl:
	r[d->rd] = r[d->ra] << (B & 31);
	SIMPLE();
op_shr:
	r[d->rd] = r[d->ra] >> (B & 31);
	SIMPLE();
op_sra:
	r[d->rd] = (uint32_t)((int32_t)r[d->ra] >> (B & 31));
	SIMPLE();
op_slt:
	r[d->rd] = (int32_t)r[d->ra] < (int32_t)B;
	SIMPLE();
op_sltu:
	r[d->rd] = r[d->ra] < B;
	SIMPLE();
op_seq:
	r[d->rd] = r[d->ra] == B;
	SIMPLE();
op_li:
	r[d->rd] = imm;
	SIMPLE();
op_mov:
	r[d->rd] = r[d->ra];
	SIMPLE();

op_fadd:
	r[d->rd] = bits_of(f32_of(r[d->ra]) + f32_of(B));
	SIMPLE();
op_fsub:
	r[d->rd] = bits_of(f32_of(r[d->ra]) - f32_of(B));
	SIMPLE();
op_fmul:
	r[d->rd] = bits_of(f32_of(r[d->ra]) * f32_of(B));
	SIMPLE();
op_fdiv:
	r[d->rd] = bits_of(f32_of(r[d->ra]) / f32_of(B));
	r[0] = 0;
	NEXT(COST_DIV);
op_fmax: {
	float fa = f32_of(r[d->ra]), fb = f32_of(B);

	r[d->rd] = bits_of(fa > fb ? fa : fb);
	SIMPLE();
}
op_fmin: {
	float fa = f32_of(r[d->ra]), fb = f32_of(B);

	r[d->rd] = bits_of(fa < fb ? fa : fb);
	SIMPLE();
}
op_flt:
	r[d->rd] = f32_of(r[d->ra]) < f32_of(B);
	SIMPLE();
op_feq:
	r[d->rd] = f32_of(r[d->ra]) == f32_of(B);
	SIMPLE();
op_itof:
	r[d->rd] = bits_of((float)(int32_t)r[d->ra]);
	SIMPLE();
op_ftoi:
	r[d->rd] = f32_to_i32_sat(f32_of(r[d->ra]));
	SIMPLE();
op_fma: {
	float prod = f32_of(r[d->ra]) * f32_of(B);

	r[d->rd] = bits_of(prod + f32_of(r[d->rc]));
	SIMPLE();
}

op_ld:
	addr = r[d->ra] + imm;
	if (wf_unlikely((addr & 3) || addr > sram_bytes - 4))
		FAULT_MEM("read", 4, addr);
	HAZARD(addr, 4, false);
	SRAM_TOUCH(4);
	memcpy(&v, sram + addr, 4);
	r[d->rd] = v;
	SIMPLE();
op_ldh: {
	uint16_t h;

	addr = r[d->ra] + imm;
	if (wf_unlikely((addr & 1) || addr > sram_bytes - 2))
		FAULT_MEM("read", 2, addr);
	HAZARD(addr, 2, false);
	SRAM_TOUCH(2);
	memcpy(&h, sram + addr, 2);
	r[d->rd] = h;
	SIMPLE();
}
op_st:
	addr = r[d->ra] + imm;
	if (wf_unlikely((addr & 3) || addr > sram_bytes - 4))
		FAULT_MEM("write", 4, addr);
	HAZARD(addr, 4, true);
	SRAM_TOUCH(4);
	v = r[d->rb];
	memcpy(pe->sram + addr, &v, 4);
	NEXT(COST_SIMPLE);
op_sth: {
	uint16_t h = (uint16_t)r[d->rb];

	addr = r[d->ra] + imm;
	if (wf_unlikely((addr & 1) || addr > sram_bytes - 2))
		FAULT_MEM("write", 2, addr);
	HAZARD(addr, 2, true);
	SRAM_TOUCH(2);
	memcpy(pe->sram + addr, &h, 2);
	NEXT(COST_SIMPLE);
}

op_beq:
	BRANCH(r[d->ra] == r[d->rb]);
op_bne:
	BRANCH(r[d->ra] != r[d->rb]);
op_blt:
	BRANCH((int32_t)r[d->ra] < (int32_t)r[d->rb]);
op_bge:
	BRANCH((int32_t)r[d->ra] >= (int32_t)r[d->rb]);
op_bltu:
	BRANCH(r[d->ra] < r[d->rb]);
op_bgeu:
	BRANCH(r[d->ra] >= r[d->rb]);
op_jmp:
	JUMP(COST_JUMP, imm);
op_jr:
	JUMP(COST_JUMP, r[d->ra] + imm);
op_call:
	r[ISA_REG_LR] = pc + ISA_INSN_BYTES;
	JUMP(COST_JUMP, imm);
op_callr:
	v = r[d->ra];
	r[ISA_REG_LR] = pc + ISA_INSN_BYTES;
	JUMP(COST_JUMP, v);
op_ret:
	JUMP(COST_JUMP, r[ISA_REG_LR]);

op_csr:
	SAVE();
	r[d->rd] = wafer_csr_value(x->p, pe, imm);
	SIMPLE();

op_send:
	CALL(RUN_STEP(do_send)(x, imm, r[d->ra]));
	pc += ISA_INSN_BYTES;
	DISPATCH();
op_recv:
	CALL(RUN_STEP(do_recv)(x, imm, d->rd));
	pc += ISA_INSN_BYTES;
	DISPATCH();

op_dmem: {
	struct pe_dsd *dd;

	NEED_VEC();
	dd = &pe->v->d[d->rd];
	memset(dd, 0, sizeof(*dd));
	dd->kind = DSD_MEM;
	dd->type = d->type;
	dd->ndim = 1;
	dd->base = r[d->ra];
	dd->len[0] = r[d->rb];
	dd->stride[0] = (int32_t)imm;
	dd->len[1] = dd->len[2] = dd->len[3] = 1;
	NEXT(COST_SIMPLE);
}
op_dfab: {
	struct pe_dsd *dd;

	NEED_VEC();
	dd = &pe->v->d[d->rd];
	memset(dd, 0, sizeof(*dd));
	dd->kind = DSD_FAB;
	dd->type = d->type;
	dd->ndim = 1;
	dd->color = (uint8_t)imm;
	dd->len[0] = r[d->rb];
	dd->len[1] = dd->len[2] = dd->len[3] = 1;
	NEXT(COST_SIMPLE);
}
op_dlen:
	NEED_VEC();
	pe->v->d[d->rd].len[0] = B;
	NEXT(COST_SIMPLE);
op_dadv:
	NEED_VEC();
	if (pe->v->d[d->rd].kind != DSD_MEM)
		FAULT(WAFER_ERR_ILLEGAL_INSN,
		      "illegal instruction: dadv on d%u, a fabric DSD", d->rd);
	pe->v->d[d->rd].base += B;
	NEXT(COST_SIMPLE);
op_ddim: {
	struct pe_dsd *dd;

	NEED_VEC();
	dd = &pe->v->d[d->rd];
	if (dd->kind != DSD_MEM)
		FAULT(WAFER_ERR_ILLEGAL_INSN,
		      "illegal instruction: ddim on d%u, a fabric DSD", d->rd);
	dd->len[d->rc] = r[d->rb];
	dd->stride[d->rc] = (int32_t)imm;
	if (dd->ndim < d->rc + 1)
		dd->ndim = d->rc + 1;
	NEXT(COST_SIMPLE);
}

op_vector: {
	/*
	 * The contiguous path without a call into vector.c: the state it
	 * changes is in locals here. After an async prefix (op_async, or a
	 * trace sample taken there) or as a restart, the general path.
	 */
	struct wafer_vunit u;
	wafer_ukern_fn *fn;

	if (wf_likely(!pe->prefix && !pe->inprog)) {
		fn = wafer_vunit_prep(pe, d, sram_bytes, budget - bused, &u);
		if (wf_likely(fn != NULL)) {
			SRAM_TOUCH((uint64_t)u.n * 4 * (u.nsrc + 1u));
			bused += u.n >> WAFER_BUDGET_ELEMS_SHIFT;
			idiff -= u.n >> WAFER_BUDGET_ELEMS_SHIFT;
			clock += COST_VEC_ISSUE + u.n;
			work += u.n;
			x->progress = true;
			fn(u.d, u.a, u.b, u.c, u.s, u.n);
			pc += ISA_INSN_BYTES;
			SEQ_DISPATCH();
		}
	}
	CALL(wafer_vec_exec(x, d));
	pc += ISA_INSN_BYTES;
	SEQ_DISPATCH();
}

op_illegal:
	wafer_illegal_text(d, why, sizeof(why));
	FAULT(WAFER_ERR_ILLEGAL_INSN, "illegal instruction 0x%016llx: %s",
	      (unsigned long long)raw, why);

yield:
	SAVE();
	return STEP_YIELD;
stop:
	/* Past the run's earliest fault: this thread stops here. */
	SAVE();
	pe->wait_kind = W_NONE;
	return STEP_BLOCK;
bad_pc:
	if (pc & (ISA_INSN_BYTES - 1))
		FAULT(WAFER_ERR_MISALIGNED, "pc is not 8-byte aligned");
	FAULT(WAFER_ERR_SRAM_RANGE, "instruction fetch at 0x%x out of range",
	      pc);
runaway:
#if RUN_TRACED
	if (bused < budget) {
		/* Not the budget: a trace wants a sample of this instruction. */
		wafer_trace_sample(pe, pc, bused + idiff, clock);
		stop_at = wafer_trace_stop_at(pe, bused, bused + idiff, budget);
		bused++;
		goto *handlers[d->op];
	}
#endif
	SAVE();
	return wafer_budget_fault(x);

#undef NEED_VEC
#undef HAZARD
#undef SRAM_TOUCH
#undef RUN_STEP
#undef BRANCH
#undef JUMP
#undef NEXT
#undef SIMPLE
#undef B
#undef SEQ_DISPATCH
#undef CHAIN
#undef DISPATCH
#undef COUNT
#undef FETCH
#undef CALL
#undef FAULT
#undef FAULT_MEM
#undef LOAD
#undef SAVE
}
