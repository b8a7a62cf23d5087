; SPDX-License-Identifier: GPL-2.0
;
; timer.s - the timer forms: task 30 as a local task with options, timer
; with a register and with immediates (0 and the largest delay), tcancel,
; and the task instructions naming task 30. The toolchain tests round-trip
; it; it is not meant to compute anything.

.equ T_TIMER, 30
.equ T_AUX, 7
.equ PERIOD, 100

.rect pe, 0, 0, 2, 1
.route 3, pe, rx=RAMP, tx=RAMP

.code pe
.task T_TIMER, local, tick, prio=3, blocked
.task T_AUX, local, aux
.func main
	li	r4, PERIOD
	timer	r4
	unblock	T_TIMER
	tret

tick:
	ld	r1, [count]
	add	r1, r1, 1
	st	r1, [count]
	timer	PERIOD
	tret

aux:
	block	T_TIMER
	timer	0
	timer	0xffffffff
	tcancel
	activate T_TIMER
	tentry	T_TIMER, r4
	tret

.bss
	.export	count, i32, 1
