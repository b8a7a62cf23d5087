// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exec.c - the main thread of a PE: scalar instructions, SEND/RECV, task
 * and router instructions, DSD setup, faults.
 *
 * pe.c calls wafer_pe_run() for a PE whose main thread runs a task; it
 * executes instructions until the task returns, the PE halts or faults,
 * the thread must wait (fabric, a microthread, a decision that needs
 * lookahead), it passes the run's fault time, or it used its quantum.
 * Instructions come from the group's predecoded cache while SRAM still
 * holds the cached word, else are decoded on the spot.
 *
 * Every instruction that may wait is restartable: pe->inprog says it was
 * already counted and costed, so a second attempt neither counts nor
 * charges its issue cost again.
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

static enum step __attribute__((format(printf, 6, 0)))
vfault_at(struct exec_ctx *x, uint32_t pc, uint64_t t, uint32_t comp,
	  enum wafer_status st, const char *fmt, va_list ap)
{
	struct wafer_fault *f = x->fault;
	struct pe *pe = x->pe;
	int n;

	memset(f, 0, sizeof(*f));
	f->status = st;
	f->pe_x = pe_x(x->p, pe);
	f->pe_y = pe_y(x->p, pe);
	f->pc = pc;
	x->fault_t = t;
	x->fault_comp = comp;
	x->fault_sub = 0;
	n = snprintf(f->msg, sizeof(f->msg), "PE (%u,%u) pc 0x%x: ", f->pe_x,
		     f->pe_y, f->pc);
	if (n >= 0 && comp && (size_t)n < sizeof(f->msg))
		n += snprintf(f->msg + n, sizeof(f->msg) - n,
			      "microthread %u: ", comp - 1);
	if (n < 0 || (size_t)n >= sizeof(f->msg))
		return STEP_FAULT;
	vsnprintf(f->msg + n, sizeof(f->msg) - n, fmt, ap);
	return STEP_FAULT;
}

/* A fault of component comp (0 main, 1 + microthread) at time t. */
enum step wafer_fault_at(struct exec_ctx *x, uint32_t pc, uint64_t t,
			 uint32_t comp, enum wafer_status st,
			 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfault_at(x, pc, t, comp, st, fmt, ap);
	va_end(ap);
	return STEP_FAULT;
}

/*
 * A fault of the component executing now: the main thread at its
 * instruction pe->pc, or a microthread at the op it runs.
 */
enum step wafer_pe_fault(struct exec_ctx *x, enum wafer_status st,
			 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (x->comp)
		vfault_at(x, x->comp_pc, *x->comp_clock, x->comp, st, fmt, ap);
	else
		vfault_at(x, x->pe->pc, x->pe->clock, 0, st, fmt, ap);
	va_end(ap);
	return STEP_FAULT;
}

uint32_t wafer_csr_value(const struct wafer_program *p, const struct pe *pe,
			 unsigned int csr)
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
	case ISA_CSR_TASK:
		return pe->cur_task;
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
			   unsigned int size, uint32_t addr)
{
	if (addr % size)
		return wafer_pe_fault(x, WAFER_ERR_MISALIGNED,
				      "misaligned %u-byte %s at 0x%x", size,
				      what, addr);
	return wafer_pe_fault(x, WAFER_ERR_SRAM_RANGE,
			      "SRAM %s of %u bytes at 0x%x out of range", what,
			      size, addr);
}

/*
 * SEND and RECV come in two copies, like the run loop that calls them
 * (exec-run.h's RUN_STEP()): traced is a constant, so do_send() and
 * do_recv() have no trace hook at all, and each has one caller, the
 * untraced run loop, as with the hooks compiled out. One do_send() for
 * both loops was not inlined into either: 5% of an untraced launch of
 * bench/wafer-trace's kernel.
 */
#define STEP_BODY	static inline __attribute__((always_inline)) enum step

/* SEND: async sends on the color issued before go first. */
STEP_BODY send_body(struct exec_ctx *x, unsigned int color, uint32_t v,
		    bool traced)
{
	struct pe *pe = x->pe;
	uint64_t c0;
	enum step st;

	if (pe->fl && pe->fl->live_mask) {
		st = wafer_main_deps(x, 0, (uint8_t)color);
		if (st != STEP_OK)
			return st;
	}
	c0 = pe->clock;
	if (traced)
		st = wafer_send1_traced(x, color, v, &pe->clock, 0, pe->pc,
					&pe->wait_kind);
	else
		st = wafer_send1(x, color, v, &pe->clock, 0, pe->pc, &pe->wait_kind);
	if (traced && st == STEP_OK && pe->clock > c0 + COST_SIMPLE)
		wafer_trace_stall(pe, WAFER_TEV_STALL_SEND, color, c0,
				  pe->clock - c0 - COST_SIMPLE);
	if (st == STEP_BLOCK) {
		pe->inprog = true;
		pe->wait_color = (uint8_t)color;
		return st;
	}
	pe->inprog = false;
	return st;
}

/*
 * RECV: the next data wavelet on color, after the async receives issued
 * before. Control wavelets on the way are taken at once and run the
 * control (or teardown) task later.
 */
STEP_BODY recv_body(struct exec_ctx *x, unsigned int color, unsigned int rd,
		    bool traced)
{
	struct pe *pe = x->pe;
	struct wafer_fq *q = wafer_rxq(x->p, pe, color);
	uint64_t arr, t;
	enum step st;
	uint32_t v;

	if (!q)
		return wafer_pe_fault(x, WAFER_ERR_UNROUTED,
				      "recv on color %u, which the router never delivers to RAMP",
				      color);
	if (pe->fl && pe->fl->live_mask) {
		st = wafer_main_deps(x, 1u << color, 0xff);
		if (st != STEP_OK)
			return st;
	}
	for (;;) {
		if (!wafer_fq_avail(q)) {
			pe->inprog = true;
			pe->wait_kind = W_RECV;
			pe->wait_color = (uint8_t)color;
			return STEP_BLOCK;
		}
		wafer_fq_peek(q, 0, &v, &arr);
		if (wf_unlikely(arr & FQ_CTL)) {
			t = u64_max(pe->clock, arr & FQ_TIME_MASK);
			wafer_ctl_event(x, color, arr, t);
			if (traced)
				wafer_fq_pop1(x, q, t);
			else
				wafer_fq_consume(x, q, &t, 1);
			continue;
		}
		break;
	}
	t = pe->clock + COST_SIMPLE;
	if (t < arr) {
		if (traced)
			wafer_trace_stall(pe, WAFER_TEV_STALL_RECV, color, pe->clock,
					  arr - t);
		t = arr;
	}
	pe->clock = t;
	if (traced)
		wafer_fq_pop1(x, q, t);
	else
		wafer_fq_consume(x, q, &t, 1);
	pe->r[rd] = v;
	pe->r[0] = 0;
	pe->inprog = false;
	return STEP_OK;
}

static enum step do_send(struct exec_ctx *x, unsigned int color, uint32_t v)
{
	return send_body(x, color, v, false);
}

static enum step do_recv(struct exec_ctx *x, unsigned int color, unsigned int rd)
{
	return recv_body(x, color, rd, false);
}

#ifndef WAFER_NO_TRACE
static enum step do_send_traced(struct exec_ctx *x, unsigned int color, uint32_t v)
{
	return send_body(x, color, v, true);
}

static enum step do_recv_traced(struct exec_ctx *x, unsigned int color,
				unsigned int rd)
{
	return recv_body(x, color, rd, true);
}
#endif

static enum step dsd_nomem(struct exec_ctx *x)
{
	return wafer_pe_fault(x, WAFER_ERR_NOMEM,
			      "out of memory for the DSD registers");
}

/*
 * Two copies: wafer_pe_run(), the code every untraced launch runs, and
 * wafer_pe_run_traced(), which wafer_pe_slice() calls instead for a
 * traced launch, so that an untraced one pays nothing for tracing.
 */
#define RUN_NAME	wafer_pe_run
#define RUN_TRACED	0
#include "exec-run.h"
#undef RUN_TRACED
#undef RUN_NAME
#ifndef WAFER_NO_TRACE
#define RUN_NAME	wafer_pe_run_traced
#define RUN_TRACED	1
#include "exec-run.h"
#undef RUN_TRACED
#undef RUN_NAME
#endif
