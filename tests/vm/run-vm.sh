#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot Debian's 6.12 kernel in our QEMU (TCG) with a wse device and the
# initramfs made by mkinitramfs.sh, run one mode, and collect its output.
#
# Usage: tests/vm/run-vm.sh [options]
#   --mesh WxH        device geometry (default 8x8)
#   --mode MODE       check | fuzz | demo | bench | boot | shell (default check)
#   --out PREFIX      write PREFIX.tap (results) and PREFIX.console.log
#                     (default build/results/vm)
#   --timeout SEC     kill the VM after SEC seconds (default 900; in shell
#                     mode none unless given)
#   --initrd FILE     initramfs to boot (default build/vm/initramfs.cpio)
#   --qemu-arg ARG    extra QEMU argument (repeatable)
#   --also WxH        one more wse device of that geometry, behind its own
#                     root port (repeatable; accel1, accel2, ... in order)
#   --collections "A B"  in check mode, run only these kselftest
#                     collections, or programs as collection:program
#                     (default: all but the multi-device ones, which
#                     need --also, and wse_iommu, which needs --iommu)
#   --keep-console    keep the console log even when the run succeeded
#   --iommu           put the device behind a vIOMMU (-device intel-iommu,
#                     guest intel_iommu=on): DMA addresses become IOVAs
#   --suites A,B      the same as --collections "A B"
#   --kernel FILE     kernel to boot (default /boot/vmlinuz-$KVER)
#   --append ARGS     more kernel command line (repeatable); NAME=value
#                     words reach the VM's init as environment variables
# $WSE_VM_SUITES (check mode): the same as --collections, comma separated.
# Shell mode is interactive: the terminal is the VM's console (the QEMU
# monitor is Ctrl-A c, Ctrl-A x quits); 'exit' powers the VM off. Only
# there does QEMU read standard input; the batch modes give it none.
# Exit status: the VM's own status (WSE-EXIT line), or 1 on a kernel
# panic, oops or warning, or if the VM died or timed out. The console log
# is kept when the run failed.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/vm/env.sh"

mesh=8x8
mode=check
out=$B/results/vm
timeout=
initrd=$B/vm/initramfs.cpio
extra=()
keep=
also=()
collections=
iommu=
kernel=/boot/vmlinuz-$KVER
append=

while [ $# -gt 0 ]; do
	case "$1" in
	--mesh) mesh=$2; shift 2 ;;
	--mode) mode=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--qemu-arg) extra+=("$2"); shift 2 ;;
	--keep-console) keep=1; shift ;;
	--also) also+=("$2"); shift 2 ;;
	--collections) collections=$2; shift 2 ;;
	--iommu) iommu=1; shift ;;
	--suites) collections=${2//,/ }; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--append) append="$append $2"; shift 2 ;;
	*) echo "run-vm: unknown option $1" >&2; exit 2 ;;
	esac
done
mw=${mesh%x*}
mh=${mesh#*x}
# Every device behind its own hotplug-capable root port, in PCI order.
devices=(-device pcie-root-port,id=rp0,chassis=1,slot=1
	-device "wse,id=wse0,bus=rp0,mesh-width=$mw,mesh-height=$mh")
meshes=$mesh
i=1
for m in "${also[@]}"; do
	case "$m" in
	[0-9]*x[0-9]*) ;;
	*) echo "run-vm: --also wants WxH, not '$m'" >&2; exit 2 ;;
	esac
	devices+=(-device "pcie-root-port,id=rp$i,chassis=$((i + 1)),slot=$((i + 1))"
		-device "wse,id=wse$i,bus=rp$i,mesh-width=${m%x*},mesh-height=${m#*x}")
	meshes=$meshes,$m
	i=$((i + 1))
done
# The kernel hands init name=value words; a space would split them.
suites=
[ -z "$collections" ] || suites="WSE_COLLECTIONS=${collections// /,}"
mkdir -p "$(dirname "$out")"
tap=$out.tap
console=$out.console.log
rm -f "$tap" "$console" "$console.host"

# Batch modes log warnings too (loglevel=5), so that a WARN() in the
# console log fails the run; a person at the shell sees what Debian's
# default "quiet" shows, errors only.
loglevel=loglevel=5
if [ "$mode" = shell ]; then
	loglevel=quiet
	serial=(-serial mon:stdio -serial null)
	# The terminal is the console; nothing limits the session but 'exit'.
	limit=(timeout --foreground -k 10 "${timeout:-0}")
	[ -n "$timeout" ] || limit=()
else
	serial=(-serial "file:$console" -serial "file:$tap")
	# No terminal: QEMU (and anything else) reads nothing.
	exec </dev/null
	limit=(timeout --foreground -k 10 "${timeout:-900}")
fi
# QMP lets tests in the VM ask the host to unplug or plug the device
# (tests/vm/host-requests.py); the device sits behind a hotplug-capable
# PCIe root port for that.
qmp=$(mktemp -u /tmp/wse-qmp-XXXXXX.sock)
: >"$tap"
if [ "$mode" != shell ]; then
	"$TOP/tests/vm/host-requests.py" "$qmp" "$tap" 2>>"$console.host" &
	helper=$!
fi

# Under TCG a vCPU is a host thread: when the host is loaded it may not run
# for many seconds, and the guest's lockup detectors, which measure host
# time, then report a CPU "stuck" that only waited for the host. The
# suspend test's 5 s busy-wait (pm_test_delay) is the worst case. Give the
# soft-lockup detector its largest threshold (2 x 60 s) and keep the
# busy-wait to 1 s; a real lockup still ends in the run's timeout.
cmdline_tcg="watchdog_thresh=60 suspend.pm_test_delay=1"
# The vIOMMU comes first: PCI devices created before it would bypass it.
viommu=()
if [ -n "$iommu" ]; then
	viommu=(-device intel-iommu,intremap=off)
	cmdline_tcg="$cmdline_tcg intel_iommu=on iommu.strict=1"
fi

"${limit[@]}" "$QEMU" \
	-M q35 -accel tcg -cpu max -smp 2 -m 2G \
	-nodefaults -display none -no-reboot \
	-L /usr/share/seabios -L /usr/share/qemu \
	"${serial[@]}" \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 $loglevel $cmdline_tcg WSE_MODE=$mode WSE_EXPECT_MESH=$mesh WSE_EXPECT_MESHES=$meshes $suites$append${WSE_VM_SUITES:+ WSE_SUITES=$WSE_VM_SUITES}" \
	-qmp "unix:$qmp,server=on,wait=off" \
	"${viommu[@]}" \
	"${devices[@]}" \
	"${extra[@]}"
qrc=$?
rm -f "$qmp"
[ "$mode" = shell ] && exit $qrc
wait "$helper" 2>/dev/null
cat "$console.host" >>"$console" 2>/dev/null
rm -f "$console.host"

rc=0
if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
	echo "run-vm: the VM timed out after ${timeout:-900}s" >&2
	rc=1
elif [ $qrc -ne 0 ]; then
	echo "run-vm: QEMU exited with status $qrc" >&2
	rc=1
fi
# The debug kernel's reports too: lockdep, RCU, debug objects, kmemleak.
reports='Kernel panic|BUG:|Oops|general protection fault|WARNING: CPU|UBSAN:|kernel BUG'
reports="$reports|WARNING: (possible|suspicious|inconsistent|bad unlock)|ODEBUG:|suspected memory leak"
if grep -qE "$reports|Call Trace" "$console" 2>/dev/null; then
	echo "run-vm: the guest kernel reported a problem:" >&2
	grep -m5 -E "$reports" "$console" >&2
	rc=1
fi
status=$(sed -n 's/^WSE-EXIT \([0-9]*\).*/\1/p' "$tap" 2>/dev/null | tail -n1)
# The status line is not part of the TAP stream.
sed -i '/^WSE-EXIT /d' "$tap" 2>/dev/null
if [ -z "$status" ]; then
	echo "run-vm: the VM ended without reporting a status" >&2
	rc=1
elif [ "$status" -ne 0 ]; then
	rc=1
fi
if [ $rc -ne 0 ]; then
	echo "run-vm: serial console log kept in $console" >&2
elif [ -z "$keep" ]; then
	rm -f "$console"
fi
exit $rc
