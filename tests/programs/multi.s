; SPDX-License-Identifier: GPL-2.0
;
; multi.s - two code groups, every data directive, bss, per-PE words,
; explicit routes and both sugar forms, macros, .rept and conditionals.

.sram 32768
.equ W, 6
.equ H, 4
.equ C_BC, 5

.macro pair name, value=7
\name\()_lo:	.half \value & 0xffff
\name\()_hi:	.half \value >> 16
.endm

.rect edge, 0, 0, 1, H
.rect core, 1, 0, W - 1, H
.route C_BC, 0, 0, W, H, rx=WEST, tx=RAMP|EAST
.route C_BC, edge, rx=RAMP, tx=EAST
.route C_BC, W - 1, 0, 1, H, rx=WEST, tx=RAMP
.route_bcast 6, SOUTH, 0, 0, W, H
.route_chain 7, 8, WEST, core

.code edge
.func start
	csr	r1, y
	li	r2, 100
	lif	r3, 0.25
	fmul	r3, r3, -2.5e1
.Lloop:
	send	r2, C_BC
	sub	r2, r2, 1
	bnez	r2, .Lloop
	call	helper
	halt
helper:
	not	r4, r4
	neg	r5, r4
	ret
.data
	.global table, i32, 4
table:	.word 1, -1, 0x7fffffff, 'A'
	pair	k, 0x12345678
	.byte	1, 2, 3
	.align	4
me:	.pe_word y
	.float	3.5
.bss
	.export scratch, i16, 6

.code core
.func start
	csr	r1, x
	li	r2, 100
.set i, 0
.rept 3
	add	r3, r3, i * 2
.set i, i + 1
.endr
.if W > 4
	recv	r4, C_BC
.else
	nop
.endif
	; operand forms, not a program that runs: the types do not match
.dsd_check off
	dmem.f32 d1, r2, r2, -1
	dfab.i32 d2, C_BC, r2
	dlen	d1, r3
	dadv	d1, 64
	vfma.f32 d0, d1, d2, d3
	vrmax.i16 r6, d1
	halt
.data
.data_base 0x2000
w:	.pe_word rect_w
	.align	8
	.dword	0x0123456789abcdef
