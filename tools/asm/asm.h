/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * asm.h - internals of the wse assembler, shared by its files:
 *
 *   arena.c   memory that lives as long as one assembly
 *   diag.c    diagnostics in GCC form
 *   lex.c     one line into tokens
 *   expr.c    expressions and symbol lookup
 *   source.c  files, .include, macros, .rept, conditionals: logical lines
 *   pass1.c   directives; sizes and placement of every statement
 *   fabric.c  layout, routes and switch directives
 *   tasks.c   task table directives, resolved after pass 1
 *   dsdcheck.c DSD types followed through straight-line code (pass 2)
 *   layout.c  section addresses, layout and export checks
 *   pass2.c   values: instructions (insn.c) and data into the sections
 *   emit.c    the ELF image (elf-write.c)
 *   asm.c     the driver behind wse-asm.h
 *
 * Pass 1 reads the source once, expanding macros, includes, repetitions
 * and conditionals, and records each statement with its group, section
 * and offset. Addresses are fixed between the passes (a group's data
 * follows its code, whose size is only known at the end). Pass 2 replays
 * the recorded statements in order, so .set symbols take the same values
 * at the same places, and now every label is known.
 */
#ifndef WSE_ASM_INTERNAL_H
#define WSE_ASM_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "wse-asm.h"

#define ASM_MAX_ERRORS		20
#define ASM_MAX_INCLUDE_DEPTH	32
#define ASM_MAX_MACRO_DEPTH	100
#define ASM_MAX_LINES		(1u << 20)	/* after expansion */
#define ASM_MAX_EXPR_DEPTH	200
#define ASM_MAX_REPT		(1u << 20)
#define ASM_MAX_LINE_LEN	4096
#define ASM_MAX_GROUPS		256
#define ASM_SECTION_ALIGN	64	/* default section placement */
#define ASM_DEFAULT_SRAM	(48 * 1024)

/* ---- arena.c ---- */

struct arena_block;

struct arena {
	struct arena_block *head;
};

void *arena_alloc(struct arena *ar, size_t n);	/* zeroed; NULL = ENOMEM */
char *arena_strndup(struct arena *ar, const char *s, size_t n);
void arena_free(struct arena *ar);

/* ---- source locations ---- */

/* A macro invocation that produced a line (for "note:" lines). */
struct expansion {
	const char *macro;
	const char *file;
	unsigned line, col;
	const struct expansion *up;
};

struct loc {
	const char *file;
	unsigned line;
	const struct expansion *exp;
};

/* ---- lex.c ---- */

enum tok_kind {
	TK_EOL, TK_IDENT, TK_INT, TK_FLOAT, TK_STRING,
	TK_COMMA, TK_COLON, TK_LPAREN, TK_RPAREN, TK_LBRACK, TK_RBRACK,
	TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_PERCENT, TK_SHL, TK_SHR,
	TK_AMP, TK_PIPE, TK_CARET, TK_TILDE, TK_BANG, TK_ASSIGN,
	TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE, TK_LAND, TK_LOR,
};

struct token {
	uint8_t kind;
	unsigned col;		/* 1-based */
	const char *s;		/* into the line text */
	unsigned len;
	int64_t ival;		/* TK_INT */
	double fval;		/* TK_FLOAT */
	const char *str;	/* TK_STRING, decoded, NUL-terminated */
};

struct asm_ctx;

/* Tokenize text; the array ends with TK_EOL. -1 after an error. */
int lex_line(struct asm_ctx *a, const struct loc *loc, const char *text,
	     struct token **toks, unsigned *ntoks);
const char *tok_kind_name(unsigned kind);
int tok_is(const struct token *t, const char *ident);

/* ---- expr.c ---- */

struct val {
	uint8_t is_float;
	uint8_t unknown;	/* pass 1: depends on a label or later symbol */
	const char *why;	/* name that made it unknown */
	int64_t i;
	double f;
};

/* A cursor over one statement's tokens. */
struct cur {
	struct asm_ctx *a;
	const struct loc *loc;
	struct token *t;
	unsigned i, n;
	unsigned depth;		/* expression nesting, bounded */
};

/* Extra names an expression may use in a given operand. */
enum {
	EXPR_PORTS = 1,		/* RAMP, NORTH, SOUTH, EAST, WEST, NONE */
};

int expr_parse(struct cur *c, struct val *v, unsigned flags);
/* Parse and require an integer (known in pass 1 when need_known). */
int expr_int(struct cur *c, int64_t *out, int need_known, const char *what);
int expr_imm32(struct cur *c, uint32_t *out, const char *what);
int expr_float(struct cur *c, double *out, const char *what);
/* Parse a color, 0..WAFER_COLORS - 1 (known in pass 1 when need_known). */
int expr_color(struct cur *c, uint32_t *out, int need_known);
int is_reserved_name(const char *s, size_t len);

/* ---- symbols ---- */

enum sym_kind { SYM_LABEL, SYM_CONST };

enum sec_kind { SEC_TEXT, SEC_DATA, SEC_BSS, SEC_NONE };

struct sym {
	const char *name;
	uint8_t kind;
	uint8_t is_equ;		/* .equ: defined once (vs .set) */
	uint8_t defined;	/* const: defined at this point of the pass */
	struct val v;		/* const value */
	/* labels */
	int group;
	uint8_t sec;
	uint32_t off;
	struct loc loc;
	unsigned col;
	/* exports (labels) */
	uint8_t export;		/* 0, WSE_STT_FUNC, WSE_STT_OBJECT */
	uint8_t elem, etype;
	uint32_t size;
	struct loc eloc;
	unsigned ecol;
	uint8_t hidden;		/* .L label: not in .symtab */
	uint8_t fixed;		/* -D constant: survives into pass 2 */
	void *data;		/* macros: struct macro */
	struct sym *next;	/* hash chain */
	struct sym *order;	/* definition order in its table */
};

#define SYM_BUCKETS 1024

struct symtab {
	struct sym *b[SYM_BUCKETS];
	struct sym *first, *last;
	unsigned count;
};

struct sym *sym_find(struct symtab *t, const char *name, size_t len);
struct sym *sym_add(struct asm_ctx *a, struct symtab *t, const char *name,
		    size_t len);
/* The symbol a name means in the current group: label, then constant. */
struct sym *sym_lookup(struct asm_ctx *a, const char *name, size_t len);

/* ---- groups, sections, layout records ---- */

struct section {
	uint32_t size;		/* pass 1 location counter */
	uint32_t max_align;	/* largest .align used in it */
	int64_t base;		/* explicit base, or -1 */
	struct loc base_loc;
	uint32_t addr;		/* after layout */
	uint8_t *data;		/* pass 2 contents (text, data) */
	int shndx;		/* ELF index, 0 when empty */
};

struct group {
	const char *name;
	struct loc loc;		/* first .code */
	unsigned col;
	struct section sec[3];
	struct symtab labels;
	int has_rect;
};

struct rect_rec {
	const char *name;
	int group;		/* resolved after pass 1 */
	uint32_t x, y, w, h;
	struct loc loc;
	unsigned col;
};

struct route_rec {
	uint32_t x, y, w, h;
	uint8_t color, rx, tx, pos;
	struct loc loc;
	unsigned col;
};

struct switch_rec {
	uint32_t x, y, w, h;
	uint8_t color, flags;
	struct loc loc;
	unsigned col;
};

/* .task ID, KIND[, COLOR], LABEL[, prio=P][, blocked][, active] */
struct task_rec {
	int group;
	uint8_t id, kind, color, prio, flags;
	const char *label;
	uint32_t entry;		/* after layout */
	struct loc loc;
	unsigned col, lcol;
};

/* .global/.export/.func, resolved against the group's labels later. */
struct export_rec {
	const char *name;
	int group;
	uint8_t kind;		/* WSE_STT_FUNC or WSE_STT_OBJECT */
	uint8_t elem, etype;
	uint32_t size;
	struct loc loc;
	unsigned col, dcol;
};

struct const_rec {
	int group;
	uint8_t sec;
	uint32_t off, addr;
	uint32_t csr;
};

/* ---- statements recorded by pass 1 ---- */

enum stmt_kind {
	ST_INSN,	/* instruction or pseudo, 8 bytes (16 with async=) */
	ST_DATA,	/* .word .half .byte .dword .float */
	ST_SET,		/* .equ .set NAME = */
	ST_FILL,	/* .zero .space .align .org .export .pe_word: zeros */
};

struct stmt {
	uint8_t kind;
	uint8_t sec;
	uint8_t labelled;	/* a label precedes it (a branch may land) */
	uint8_t nocheck;	/* after .dsd_check off */
	int group;
	uint32_t off, size;
	struct loc loc;
	struct token *t;	/* from the first token after labels */
	unsigned n;
	struct stmt *next;
};

/* ---- the assembly ---- */

struct src;		/* source.c reader stack */

struct asm_ctx {
	struct arena ar;
	const struct wse_asm_options *opts;
	int pass;			/* 1 or 2 */

	/* diagnostics */
	char *diag;
	size_t diag_len, diag_cap;
	unsigned errors;
	int nomem;

	/* input */
	struct src *src;
	unsigned long lines;
	unsigned long expansions;	/* \@ counter */
	struct symtab macros;		/* macro bodies hang off sym->... */

	/* the program */
	uint32_t sram;
	int sram_set;
	struct group groups[ASM_MAX_GROUPS];
	unsigned ngroups;
	int cur_group;			/* -1 outside .code */
	uint8_t cur_sec;
	struct symtab consts;

	struct rect_rec *rects;
	unsigned nrects, rects_cap;
	struct route_rec *routes;
	unsigned nroutes, routes_cap;
	struct switch_rec *switches;
	unsigned nswitches, switches_cap;
	struct task_rec *tasks;
	unsigned ntasks, tasks_cap;
	struct const_rec *pconsts;
	unsigned nconsts, consts_cap;
	struct export_rec *exports;
	unsigned nexports, exports_cap;
	const char *main_file;

	struct stmt *stmts, *stmts_last;
	/* A label was defined since the group's last statement (dsdcheck). */
	uint8_t label_pending[ASM_MAX_GROUPS];
	void *dsdck;			/* dsdcheck.c's state, per group */
	int placed;			/* layout gave sections addresses */
	int dsd_check_off;		/* .dsd_check off in effect */

	/* output */
	void *image;
	size_t image_len;
};

/* ---- diag.c ---- */

void asm_error(struct asm_ctx *a, const struct loc *loc, unsigned col,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void asm_note(struct asm_ctx *a, const struct loc *loc, unsigned col,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void asm_nomem(struct asm_ctx *a);
/* Errors at a cursor's current token. */
int cur_error(struct cur *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int asm_stop(struct asm_ctx *a);	/* too many errors or no memory */

/* ---- cursor helpers (expr.c) ---- */

struct token *cur_tok(struct cur *c);
int cur_accept(struct cur *c, unsigned kind);
int cur_expect(struct cur *c, unsigned kind, const char *what);
int cur_end(struct cur *c);		/* error unless at TK_EOL */
int cur_at_end(struct cur *c);

/* ---- source.c ---- */

struct line {
	const char *text;
	struct loc loc;
};

int src_push_file(struct asm_ctx *a, const char *path, const struct loc *from,
		  unsigned col);
int src_push_buffer(struct asm_ctx *a, const char *name, const char *text,
		    size_t len);
/*
 * Next logical line with conditionals, macros and repetitions applied;
 * 0 at the end of input.
 */
int src_next(struct asm_ctx *a, struct line *ln, struct token **toks,
	     unsigned *ntoks);
/* Expand macro msym, invoked by token name on line ln. */
int src_invoke_macro(struct asm_ctx *a, struct sym *msym,
		     const struct line *ln, const struct token *name);
void src_finish(struct asm_ctx *a);

/* ---- pass1.c, layout.c, pass2.c, insn.c, emit.c ---- */

int pass1_run(struct asm_ctx *a);
int dir_rect(struct cur *c, const struct token *d);	/* fabric.c */
int dir_route(struct cur *c, const struct token *d);
int dir_switch(struct cur *c, const struct token *d);
int dir_task(struct cur *c, const struct token *d);	/* tasks.c */
void tasks_resolve(struct asm_ctx *a);
void dsd_check_reset(struct asm_ctx *a);		/* dsdcheck.c */
void dsd_check(struct asm_ctx *a, const struct stmt *st, const uint64_t *w,
	       int n);
int layout_run(struct asm_ctx *a);
int pass2_run(struct asm_ctx *a);
int insn_is_mnemonic(const char *s, size_t len);
int insn_check(struct cur *c);		/* pass 1: known mnemonic? */
int insn_size(const struct cur *c);
/* One statement into word[0] (and word[1] with an async prefix). */
int insn_encode(struct cur *c, uint64_t *word);
int emit_image(struct asm_ctx *a);
int set_symbol(struct asm_ctx *a, struct cur *c, int is_equ);
int define_constant(struct asm_ctx *a, const char *def);

static inline uint32_t align_up(uint32_t v, uint32_t a)
{
	return (v + a - 1) & ~(a - 1);
}

#endif /* WSE_ASM_INTERNAL_H */
