; SPDX-License-Identifier: GPL-2.0
;
; dataflow.s - the format 2 forms: task tables of every kind, async ops
; in both spellings, switch positions and records, control wavelets,
; teardown, the new vector ops with register and immediate scalars,
; vcvt, 4-D DSDs and d8..d15. The toolchain tests round-trip it; it is
; not meant to compute anything.

.equ C_ROW, 3			; a rotating-root row broadcast
.equ C_IN, 5
.equ C_CTL, 6
.equ T_RECV, 1
.equ T_CTL, 2
.equ T_DONE, 10
.equ T_STEP, 11

.rect row, 0, 0, 4, 1

; Position 0: take the row from the west and pass it on; position 1:
; send it. SWITCH_ADV wraps.
.route C_ROW, row, rx=WEST, tx=RAMP|EAST
.route C_ROW, 0, 0, 1, 1, rx=RAMP, tx=EAST
.route C_ROW, 1, 0, 3, 1, rx=RAMP, tx=EAST, pos=1
.route C_ROW, 3, 0, 1, 1, rx=WEST, tx=RAMP
.route C_ROW, 3, 0, 1, 1, rx=RAMP, tx=RAMP, pos=1
.switch C_ROW, 1, 0, 3, 1, ring
.route C_IN, row, rx=RAMP, tx=RAMP
.route C_CTL, row, rx=RAMP, tx=RAMP

.code row
.task T_RECV, data, C_IN, on_data, prio=2
.task T_CTL, control, C_CTL, on_ctl
.task T_DONE, local, done, blocked
.task T_STEP, local, step, prio=7, active
.task 29, local, on_teardown

.func main
	li	r1, buf
	li	r2, 16
	dmem.f32 d8, r1, r2, 1
	li	r3, 4
	ddim	d8, 1, r3, 16
	ddim	d8, 3, r3, -2
	dfab.f32 d15, C_ROW, r2
	vmov.f32 d15, d8, async=0, unblock=T_DONE
	async	1, activate=T_STEP
	vadd.f32 d9, d8, d8
	async	2
	vfill.i32 d10, 7
	vadd.i32 d10, d10, r3
	vand.i32 d10, d10, 0xff
	vshl.i16 d11, d11, -1
	vslt.f32 d12, d8, 0.5
	vsel.f16 d13, d13, d13, d11
	vcvt.f32.i16 d14, d11
	vabs.f32 d9, d9
	vfmacs.f16 d13, d13, d13, 1.5
	vadds.f32 d9, d9, -2.25
	sendc	r1, C_CTL, nop
	sendc	r0, C_ROW, adv
	tentry	T_STEP, r5
	tret

on_data:
	activate T_DONE
	unblock	T_DONE
	tret
on_ctl:
	block	T_DONE
	tret
done:
	halt
step:
	csr	r4, task
	tret
on_teardown:
	swset	C_ROW, 1
	tdexit	C_ROW
	tret

.bss
buf:	.zero	4 * 64
	.export	result, i32, 4
