// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * asm-errors.c - wse-as refuses bad source with a GCC-style diagnostic
 * pointing at the right file, line and column. Each test checks the first
 * diagnostic line exactly, and that no image comes out.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "tools-test.h"

/* A valid frame the error cases put their line into. */
#define HEAD ".rect main, 0, 0, 4, 4\n.code main\n"

static void check_error(struct __test_metadata *_metadata, const char *src,
			const char *want)
{
	char *err = malloc(TT_ERR_BYTES);
	void *img = (void *)1;
	size_t len = 1;

	ASSERT_NE(NULL, err);
	ASSERT_EQ(-EINVAL, tt_asm(src, &img, &len, err));
	ASSERT_EQ(NULL, img);
	ASSERT_EQ(0, len);
	ASSERT_STREQ(want, tt_first_line(err)) TH_LOG("all: %s", err);
	free(err);
}

#define ASM_ERROR(name, src, want)			\
	TEST(name) { check_error(_metadata, src, want); }

/* A good program assembles: the frame itself is fine. */
TEST(frame_is_valid)
{
	char err[TT_ERR_BYTES];
	void *img;
	size_t len;

	ASSERT_EQ(0, tt_asm(HEAD "\thalt\n", &img, &len, err)) TH_LOG("%s", err);
	free(img);
}

ASM_ERROR(unknown_instruction, HEAD "\tfrob r1\n",
	  "t.s:3:2: error: unknown instruction 'frob'")
ASM_ERROR(unknown_directive, HEAD ".frob 1\n",
	  "t.s:3:1: error: unknown directive '.frob'")
ASM_ERROR(register_expected, HEAD "\tmov r1, 5\n",
	  "t.s:3:10: error: expected a register r0..r15")
ASM_ERROR(dsd_register_range, HEAD "\tvmov.f32 d16, d0\n",
	  "t.s:3:11: error: expected a DSD register d0..d15")
ASM_ERROR(missing_type_suffix, HEAD "\tvadd d0, d1, d2\n",
	  "t.s:3:2: error: 'vadd' needs an element type: vadd.f32, .i32, .f16 or .i16")
ASM_ERROR(type_on_scalar_op, HEAD "\tadd.f32 r1, r2, r3\n",
	  "t.s:3:5: error: 'add' takes no element type")
ASM_ERROR(unknown_type, HEAD "\tvadd.f64 d0, d1, d2\n",
	  "t.s:3:6: error: unknown element type '.f64' (use .f32, .i32, .f16 or .i16)")
ASM_ERROR(color_out_of_range, HEAD "\tsend r1, 31\n",
	  "t.s:3:11: error: color 31 out of range 0..23")
ASM_ERROR(route_color, HEAD ".route 24, main, rx=RAMP, tx=EAST\n",
	  "t.s:3:8: error: color 24 out of range 0..23")
ASM_ERROR(route_ports, HEAD ".route 2, main, rx=UP, tx=EAST\n",
	  "t.s:3:20: error: rx: expected ports RAMP|NORTH|SOUTH|EAST|WEST or NONE")
ASM_ERROR(route_outside_layout, HEAD ".route 2, 0, 0, 8, 8, rx=RAMP, tx=EAST\n\thalt\n",
	  "t.s:3:1: error: route over 0,0 8x8 is outside the 4x4 layout")
ASM_ERROR(undefined_symbol, HEAD "\tli r1, nowhere\n",
	  "t.s:3:9: error: undefined symbol 'nowhere'")
ASM_ERROR(duplicate_label, HEAD "x:\thalt\nx:\thalt\n",
	  "t.s:4:1: error: label 'x' already defined")
ASM_ERROR(label_outside_code, "x:\n",
	  "t.s:1:1: error: label 'x' outside a .code block")
ASM_ERROR(register_as_label, HEAD "r3:\thalt\n",
	  "t.s:3:1: error: label name 'r3' is a register name")
ASM_ERROR(equ_redefined, ".equ N, 1\n.equ N, 2\n",
	  "t.s:2:6: error: symbol 'N' already defined")
ASM_ERROR(division_by_zero, HEAD "\tli r1, 1 / (2 - 2)\n",
	  "t.s:3:11: error: division by zero")
ASM_ERROR(immediate_too_wide, HEAD "\tli r1, 0x100000000\n",
	  "t.s:3:9: error: immediate 4294967296 does not fit in 32 bits")
ASM_ERROR(shift_range, HEAD "\tli r1, 1 << 64\n",
	  "t.s:3:11: error: shift count 64 out of range 0..63")
ASM_ERROR(register_in_expression, HEAD "\tli r1, r2 + 1\n",
	  "t.s:3:9: error: register 'r2' cannot be used in an expression")
ASM_ERROR(invalid_number, HEAD "\tli r1, 12ab\n",
	  "t.s:3:9: error: invalid number '12ab'")
ASM_ERROR(unexpected_character, HEAD "\tli r1, @\n",
	  "t.s:3:9: error: unexpected character '@'")
ASM_ERROR(trailing_operand, HEAD "\thalt r1\n",
	  "t.s:3:7: error: unexpected identifier after the operands")
ASM_ERROR(misaligned_word, HEAD ".data\n\t.byte 1\n\t.word 2\n",
	  "t.s:5:2: error: .word at offset 0x1 is not 4-byte aligned (use .align 4)")
ASM_ERROR(word_too_wide, HEAD ".data\n\t.half 70000\n",
	  "t.s:4:8: error: value 70000 does not fit in 2 bytes")
ASM_ERROR(instruction_in_data, HEAD ".data\n\tnop\n",
	  "t.s:4:2: error: instruction in .data")
ASM_ERROR(data_in_bss, HEAD ".bss\n\t.word 1\n",
	  "t.s:4:2: error: .word in .bss: it holds no contents (use .data)")
ASM_ERROR(misaligned_branch, HEAD "\tb 4\n",
	  "t.s:3:4: error: target 0x4 is not 8-byte aligned")
ASM_ERROR(size_uses_label, HEAD "l:\thalt\n.data\n\t.zero l\n",
	  "t.s:5:8: error: size must be known before layout, but uses label 'l'")
ASM_ERROR(overlapping_rects, ".rect a, 0, 0, 2, 2\n.rect b, 1, 1, 2, 2\n",
	  "t.s:2:1: error: rectangle 'b' (1,1 2x2) overlaps rectangle 'a' (0,0 2x2)")
ASM_ERROR(rect_off_fabric, ".rect a, 760, 0, 4, 4\n",
	  "t.s:1:22: error: rectangle exceeds the 762x1176 fabric")
ASM_ERROR(group_without_rect, ".code lonely\n\thalt\n",
	  "t.s:1:7: error: code group 'lonely' is placed on no rectangle (add .rect lonely, X, Y, W, H)")
ASM_ERROR(rect_without_code, HEAD "\thalt\n.rect other, 4, 0, 1, 1\n",
	  "t.s:4:1: error: rectangle 'other' has no .code block")
ASM_ERROR(nothing_to_assemble, "; empty\n",
	  "t.s: error: no .code block: nothing to assemble")
ASM_ERROR(section_past_sram, HEAD "\thalt\n.data\n\t.zero 50000\n",
	  "t.s:2:7: error: group 'main': .data (0xc350 bytes at 0x40) does not fit in the 49152-byte SRAM")
ASM_ERROR(export_missing_label, HEAD ".global compute\n\thalt\n",
	  "t.s:3:9: error: exported 'compute' is not a label of group 'main'")
ASM_ERROR(export_data_as_function, HEAD "\thalt\n.data\nv:\t.word 1\n.global v\n",
	  "t.s:6:9: error: 'v' is not in .text; export data with a type and count: .global v, f32, N")
ASM_ERROR(export_address_differs,
	  ".rect a, 0, 0, 1, 1\n.rect b, 1, 0, 1, 1\n"
	  ".code a\n\thalt\n.data\n\t.export y, f32, 2\n"
	  ".code b\n\thalt\n.data\n\t.word 0\n\t.export y, f32, 2\n",
	  "t.s:11:10: error: array 'y' is at 0x44 (8 bytes of f32) here but at 0x40 (8 bytes of f32) in group 'a': exported arrays need the same place and type in every group")
ASM_ERROR(missing_endm, ".macro m a\n\tnop\n",
	  "t.s:1:8: error: missing .endm for macro 'm'")
ASM_ERROR(macro_too_many_args, ".macro m a\n\tnop\n.endm\n" HEAD "\tm 1, 2\n",
	  "t.s:6:7: error: macro 'm' takes 1 argument")
ASM_ERROR(macro_missing_arg, ".macro m a, b\n\tnop\n.endm\n" HEAD "\tm 1\n",
	  "t.s:6:2: error: macro 'm': missing argument 'b'")
ASM_ERROR(macro_named_like_insn, ".macro add a\n.endm\n",
	  "t.s:1:8: error: macro name 'add' is an instruction")
ASM_ERROR(macro_recursion, ".macro m\n\tm\n.endm\n" HEAD "\tm\n",
	  "t.s:2:2: error: macro expansion nested more than 100 deep")
ASM_ERROR(unterminated_if, ".if 1\n",
	  "t.s:1:1: error: unterminated conditional")
ASM_ERROR(else_without_if, ".else\n",
	  "t.s:1:1: error: .else without .if")
ASM_ERROR(endr_without_rept, ".endr\n",
	  "t.s:1:1: error: .endr without .rept")
ASM_ERROR(rept_negative, ".rept -1\n.endr\n",
	  "t.s:1:7: error: .rept count -1 out of range 0..1048576")
ASM_ERROR(user_error, ".equ M, 10\n.if M % 4\n.error \"M must be a multiple of 4\"\n.endif\n",
	  "t.s:3:1: error: M must be a multiple of 4")
ASM_ERROR(include_missing, ".include \"no-such-file.wsinc\"\n",
	  "t.s:1:10: error: cannot open include file 'no-such-file.wsinc': No such file or directory")
ASM_ERROR(unterminated_string, ".include \"abc\n",
	  "t.s:1:10: error: missing terminating '\"'")
ASM_ERROR(pe_word_cycles, HEAD "\thalt\n.data\n\t.pe_word cycles\n",
	  "t.s:5:11: error: expected a per-PE value: x, y, prog_w, prog_h, rect_x, rect_y, rect_w, rect_h or sram")
ASM_ERROR(sram_size, ".sram 5000\n",
	  "t.s:1:7: error: SRAM size 5000 is not a multiple of 4096 in 4096..16777216")
ASM_ERROR(chain_same_color, HEAD ".route_chain 3, 3, EAST, main\n",
	  "t.s:3:1: error: .route_chain needs two different colors")
ASM_ERROR(bcast_one_long, ".rect main, 0, 0, 1, 4\n.code main\n.route_bcast 3, EAST, main\n",
	  "t.s:3:1: error: .route_bcast over an area 1 PE long in its direction")
ASM_ERROR(float_as_integer, HEAD "\tli r1, 1.5\n",
	  "t.s:3:9: error: immediate must be an integer, not a floating-point value")
ASM_ERROR(csr_name, HEAD "\tcsr r1, z\n",
	  "t.s:3:10: error: expected a CSR name: x, y, prog_w, prog_h, rect_x, rect_y, rect_w, rect_h, cycles or sram")

/* An error inside a macro points at the body line, then notes where the
 * macro was invoked. */
TEST(error_in_macro_expansion)
{
	static const char src[] =
		".macro load r, v\n"
		"\tli \\r, \\v\n"
		".endm\n"
		HEAD
		"\tload r1, 5\n"
		"\tload r2, nope\n";
	char err[TT_ERR_BYTES];
	void *img;
	size_t len;

	ASSERT_EQ(-EINVAL, tt_asm(src, &img, &len, err));
	ASSERT_STREQ("t.s:2:9: error: undefined symbol 'nope'\n"
		     "t.s:7:2: note: in expansion of macro 'load'\n", err);
}

/* Errors in an included file carry that file's name; -I is searched
 * after the including file's directory. */
TEST(error_in_included_file)
{
	char dir[] = "/tmp/wse-asm-test-XXXXXX", path[128], inc[128];
	const char *incs[] = { dir, NULL };
	struct wse_asm_options o = { .include_dirs = incs };
	char err[TT_ERR_BYTES], want[256];
	FILE *f;
	void *img;
	size_t len;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(inc, sizeof(inc), "%s/bad.wsinc", dir);
	f = fopen(inc, "w");
	ASSERT_NE(NULL, f);
	fputs("; fine\n\tfrob r1\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/main.s", dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs(HEAD ".include \"bad.wsinc\"\n", f);
	fclose(f);

	ASSERT_EQ(-EINVAL, wse_asm_file(path, NULL, &img, &len, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:2:2: error: unknown instruction 'frob'",
		 inc);
	ASSERT_STREQ(want, tt_first_line(err));

	/* found through -I from a buffer too */
	ASSERT_EQ(-EINVAL, wse_asm_buffer("buf.s", HEAD ".include \"bad.wsinc\"\n",
					  strlen(HEAD) + 22, &o, &img, &len,
					  err, sizeof(err)));
	ASSERT_STREQ(want, tt_first_line(err));

	/* not a regular file */
	ASSERT_EQ(-EINVAL, wse_asm_buffer("buf.s", ".include \"/dev/null\"\n", 21,
					  NULL, &img, &len, err, sizeof(err)));
	ASSERT_STREQ("buf.s:1:10: error: cannot open include file '/dev/null': not a regular file",
		     tt_first_line(err));
	unlink(inc);
	unlink(path);
	rmdir(dir);
}

/* Many errors: reported in order, stopped after 20. */
TEST(error_limit)
{
	char *src = malloc(4096), *err = malloc(TT_ERR_BYTES);
	size_t n = 0, lines = 0;
	void *img;
	size_t len;

	ASSERT_NE(NULL, src);
	ASSERT_NE(NULL, err);
	n += sprintf(src + n, HEAD);
	for (int i = 0; i < 40; i++)
		n += sprintf(src + n, "\tbad%d\n", i);
	ASSERT_EQ(-EINVAL, tt_asm(src, &img, &len, err));
	for (const char *p = err; *p; p++)
		lines += *p == '\n';
	ASSERT_EQ(21, lines);
	ASSERT_NE(NULL, strstr(err, "t.s:22:2: error: unknown instruction 'bad19'\n"
				    "wse-as: too many errors, stopping\n"));
	free(src);
	free(err);
}

/* Bytes the lexer cannot take are reported, not skipped. */
TEST(nul_byte)
{
	static const char src[] = HEAD "\tnop\0\n\thalt\n";
	char err[TT_ERR_BYTES];
	void *img;
	size_t len;

	ASSERT_EQ(-EINVAL, wse_asm_buffer("t.s", src, sizeof(src) - 1, NULL,
					  &img, &len, err, sizeof(err)));
	ASSERT_STREQ("t.s:3: error: NUL byte in source", tt_first_line(err));
}

/* Nesting is bounded, so no source can exhaust the stack. */
TEST(expression_too_deep)
{
	char src[1024], err[TT_ERR_BYTES];
	size_t n = sprintf(src, HEAD "\tli r1, ");
	void *img;
	size_t len;

	for (int i = 0; i < 300; i++)
		src[n++] = '(';
	strcpy(src + n, "1\n");
	ASSERT_EQ(-EINVAL, tt_asm(src, &img, &len, err));
	ASSERT_STREQ("t.s:3:209: error: expression nested more than 200 deep",
		     tt_first_line(err));
}

/* The dataflow forms: tasks, async, control wavelets, new vector ops. */
ASM_ERROR(task_timer_local, HEAD ".task 30, control, 3, x\nx:\thalt\n",
	  "t.s:3:11: error: task 30 is the timer task: it must be local")
ASM_ERROR(task_bad_kind, HEAD ".task 3, remote, x\nx:\thalt\n",
	  "t.s:3:10: error: expected a task kind: data, local or control")
ASM_ERROR(task_teardown_local, HEAD ".task 29, data, 3, x\nx:\thalt\n",
	  "t.s:3:11: error: task 29 is the teardown task: it must be local")
ASM_ERROR(task_active_data, HEAD ".task 3, data, 2, x, active\nx:\thalt\n",
	  "t.s:3:28: error: only local tasks can start active")
ASM_ERROR(task_prio, HEAD ".task 3, local, x, prio=8\nx:\thalt\n",
	  "t.s:3:25: error: priority 8 out of range 0..7")
ASM_ERROR(task_no_label, HEAD ".task 3, local, nowhere\n\thalt\n",
	  "t.s:3:17: error: task 3: 'nowhere' is not a label of group 'main'")
ASM_ERROR(task_label_in_data, HEAD ".task 3, local, v\n\thalt\n.data\nv:\t.word 1\n",
	  "t.s:3:17: error: task 3: entry 0x40 is not on an instruction in .text")
ASM_ERROR(task_twice, HEAD ".task 3, local, x\n.task 3, local, x\nx:\thalt\n",
	  "t.s:4:1: error: task 3 of group 'main' defined twice")
ASM_ERROR(task_same_color, HEAD ".task 3, data, 7, x\n.task 4, data, 7, x\nx:\thalt\n",
	  "t.s:4:1: error: tasks 3 and 4 are both data tasks of color 7")
ASM_ERROR(task_outside_code, ".task 3, local, x\n",
	  "t.s:1:1: error: .task outside a .code block")
ASM_ERROR(activate_range, HEAD "\tactivate 64\n",
	  "t.s:3:11: error: task id 64 out of range 0..63")
ASM_ERROR(async_microthread, HEAD "\tasync 8\n",
	  "t.s:3:8: error: microthread 8 out of range 0..7")
ASM_ERROR(async_keyword, HEAD "\tasync 1, start=3\n",
	  "t.s:3:11: error: expected activate=TASK or unblock=TASK")
ASM_ERROR(async_on_scalar, HEAD "\tadd r1, r1, r1, async=2\n",
	  "t.s:3:18: error: only vector operations have an async form")
ASM_ERROR(async_reduction, HEAD "\tvrsum.f32 r1, d0, async=2\n",
	  "t.s:3:20: error: 'vrsum' has no async form: its result is a register")
ASM_ERROR(sendc_command, HEAD "\tsendc r1, 3, jump\n",
	  "t.s:3:15: error: expected a control command: nop, adv, rst or teardown")
ASM_ERROR(swset_position, HEAD "\tswset 3, 4\n",
	  "t.s:3:11: error: switch position 4 out of range 0..3")
ASM_ERROR(route_position, HEAD ".route 3, main, rx=RAMP, tx=EAST, pos=4\n",
	  "t.s:3:39: error: switch position 4 out of range 0..3")
ASM_ERROR(switch_flag, HEAD ".switch 3, main, wrap\n",
	  "t.s:3:18: error: expected ring")
ASM_ERROR(logic_on_float, HEAD "\tvand.f32 d0, d1, d2\n",
	  "t.s:3:6: error: 'vand' works on integer types only (.i32 or .i16)")
ASM_ERROR(vcvt_one_type, HEAD "\tvcvt.f32 d0, d1\n",
	  "t.s:3:2: error: 'vcvt.f32': write vcvt.TO.FROM with two of f32, i32, f16, i16")
ASM_ERROR(ddim_dimension, HEAD "\tddim d0, 4, r1, 1\n",
	  "t.s:3:11: error: dimension 4 out of range 1..3")
ASM_ERROR(scalar_where_dsd, HEAD "\tvfma.f32 d0, d1, r2, d3\n",
	  "t.s:3:19: error: expected a DSD register d0..d15")

/* DSD types known in straight-line code are checked at assembly time. */
ASM_ERROR(dsd_type_mismatch, HEAD "\tdmem.i32 d1, r1, r2, 1\n\tvadd.f32 d0, d0, d1\n",
	  "t.s:4:2: error: vadd.f32 needs d1 of type f32, but it was set up as i32 on line 3")
ASM_ERROR(dsd_compare_type, HEAD "\tdmem.f32 d0, r1, r2, 1\n\tvslt.f32 d0, d1, d2\n",
	  "t.s:4:2: error: vslt.f32 needs d0 of type i32, but it was set up as f32 on line 3")
ASM_ERROR(dsd_cvt_source, HEAD "\tdfab.i16 d1, 3, r2\n\tvcvt.f32.i32 d0, d1\n",
	  "t.s:4:2: error: vcvt.f32 needs d1 of type i32, but it was set up as i16 on line 3")

/* After a label the types are unknown (another path may get there). */
TEST(dsd_types_forgotten_at_labels)
{
	char err[TT_ERR_BYTES];
	void *img;
	size_t len;

	ASSERT_EQ(0, tt_asm(HEAD "\tdmem.i32 d1, r1, r2, 1\nx:\tvadd.f32 d0, d0, d1\n"
			    "\tdmem.i32 d1, r1, r2, 1\n.dsd_check off\n\tvadd.f32 d0, d0, d1\n"
			    "\thalt\n", &img, &len, err)) TH_LOG("%s", err);
	free(img);
}

/*
 * Every error of a file in one run: pass 1 (a bad directive), layout (a
 * task without its label) and pass 2 (an undefined symbol, a DSD type)
 * are all reported.
 */
TEST(all_errors_in_one_run)
{
	char err[TT_ERR_BYTES];
	void *img;
	size_t len;

	ASSERT_EQ(-EINVAL, tt_asm(HEAD ".frob 1\n.task 3, local, nope\n\tli r1, undefined\n"
				  "\tdmem.i32 d1, r1, r2, 1\n\tvadd.f32 d0, d0, d1\n\thalt\n",
				  &img, &len, err));
	EXPECT_STREQ("t.s:3:1: error: unknown directive '.frob'\n"
		     "t.s:4:17: error: task 3: 'nope' is not a label of group 'main'\n"
		     "t.s:5:9: error: undefined symbol 'undefined'\n"
		     "t.s:7:2: error: vadd.f32 needs d1 of type f32, but it was set up as i32 on line 6\n",
		     err);
	EXPECT_EQ(NULL, img);
}

/* A missing input file is -ENOENT, not a crash. */
TEST(missing_file)
{
	char err[256];
	void *img;
	size_t len;

	ASSERT_EQ(-ENOENT, wse_asm_file("/nonexistent/x.s", NULL, &img, &len,
					err, sizeof(err)));
	ASSERT_STREQ("wse-as: error: cannot open '/nonexistent/x.s': No such file or directory",
		     tt_first_line(err));
}

TEST_HARNESS_MAIN
