# SPDX-License-Identifier: GPL-2.0
#
# The long VM runs of issue 13, not part of `make check`:
#   make fuzz-ioctl    the ioctl fuzzer for 1M calls (WSE_FUZZ_CALLS), then
#                      every suite, in the VM with Debian's kernel
#   make check-debug   the same under a debug kernel (KASAN, lockdep,
#                      kmemleak, fault injection, UBSAN) built from
#                      linux-source-6.12 into $(WSE_CACHE)/kdebug (about
#                      an hour the first time), then a failslab pass and a
#                      kmemleak scan; any kernel report fails it
# make check runs the fuzzer's short run as the wse_fuzz suite.

.PHONY: fuzz-ioctl check-debug debug-kernel

fuzz-ioctl: all qemu ktools
	@$(TOP)/tests/vm/fuzz-ioctl.sh

debug-kernel:
	@$(TOP)/scripts/build-debug-kernel.sh

check-debug: all qemu ktools
	@$(TOP)/tests/vm/fuzz-ioctl.sh --debug
