#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# What a new user meets first, in the VM (part of `make check-vm`):
#  - a normal boot is quiet: no kernel message of error level or worse, no
#    "Invalid ELF header" of modules handed to the kernel compressed, and
#    the module loaded is the tree's wse.ko;
#  - `run-vm.sh --mode shell` is a working shell: typed on a terminal (a
#    pty), commands run and answer, `exit` powers the VM off
#    (tests/vm/shell-session.py);
#  - DKMS builds the module from the source tree `make dkms-source` makes
#    (dkms add/build against Debian's 6.12 headers, in a DKMS tree of its
#    own under build/, leaving the system's alone) and that module is the
#    one a boot loads.
# Writes build/results/vm-firsthour-{boot,shell,dkms}.tap.
#
# Usage: WSE_VERSION=X.Y.Z tests/vm/first-hour.sh [--reuse-initrd]
# (after `make all qemu ktools dkms-source`)
#   --reuse-initrd   boot build/vm/initramfs.cpio as it is (run-suites.sh
#                    has just built it)
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/vm/env.sh"
results=$B/results
work=$B/vm/firsthour
mkdir -p "$results" "$work"
rc=0

[ "${1:-}" = --reuse-initrd ] && [ -f "$B/vm/initramfs.cpio" ] ||
	"$TOP/tests/vm/mkinitramfs.sh" "$KVER" "$B/vm/initramfs.cpio" || exit 1

build_id() {	# the GNU build ID of a module, compressed or not
	case "$1" in
	*.xz) xz -dc "$1" >"$work/id.ko" ;;
	*) cp "$1" "$work/id.ko" ;;
	esac
	readelf -n "$work/id.ko" 2>/dev/null | sed -n 's/.*Build ID: *//p'
}

# tap FILE N OK NAME: append one result line to FILE
tap() {
	if [ "$3" -eq 0 ]; then
		echo "ok $2 $4" >>"$1"
	else
		echo "not ok $2 $4" >>"$1"
		rc=1
	fi
}

# boot INITRD OUT: one boot in boot mode; OUT.tap holds what the VM said
boot() {
	"$TOP/tests/vm/run-vm.sh" --mode boot --initrd "$1" --out "$2" --keep-console \
		--timeout 600 >"$2.runvm.log" 2>&1
}

# ---- a normal boot ----
t=$results/vm-firsthour-boot.tap
printf 'TAP version 13\n1..5\n' >"$t"
echo "# vm: first hour: a normal boot"
boot "$B/vm/initramfs.cpio" "$work/boot"
r=$?
grep -q '^accel0: wse mesh' "$work/boot.tap" || r=1
sed 's/^/# /' "$work/boot.runvm.log" >>"$t"
tap "$t" 1 $r "the VM boots, loads wse and wse-smi lists the device"
errs=$(grep '^kernel-error ' "$work/boot.tap")
[ -z "$errs" ] || echo "$errs" | sed 's/^/# /' >>"$t"
tap "$t" 2 "$([ $r -eq 0 ] && [ -z "$errs" ]; echo $?)" \
	"no kernel message of error level or worse in the boot"
elf=$(grep -i 'Invalid ELF header' "$work/boot.console.log")
[ -z "$elf" ] || echo "$elf" | sed 's/^/# /' >>"$t"
tap "$t" 3 "$([ -s "$work/boot.console.log" ] && [ -z "$elf" ]; echo $?)" \
	"no 'Invalid ELF header' while the modules load"
want=$(build_id "$TOP/wse.ko")
got=$(tr -d '\r' <"$work/boot.tap" | sed -n 's/^build-id //p')
echo "# build ID: tree's wse.ko $want, loaded $got" >>"$t"
tap "$t" 4 "$([ -n "$want" ] && [ "$got" = "$want" ]; echo $?)" \
	"the module loaded is the tree's wse.ko"
# The udev rule's match keys, read from the rule, against what the VM's
# sysfs says of the device node (no udev runs in the VM).
rule=$TOP/dist/udev/70-wse.rules
subsys=$(sed -n 's/.*SUBSYSTEM=="\([^"]*\)".*/\1/p' "$rule")
kname=$(sed -n 's/.*KERNEL=="\([^"]*\)".*/\1/p' "$rule")
drv=$(sed -n 's/.*DRIVERS=="\([^"]*\)".*/\1/p' "$rule")
match=$(tr -d '\r' <"$work/boot.tap" | sed -n 's/^udev-match //p')
echo "# 70-wse.rules: SUBSYSTEM==$subsys KERNEL==$kname DRIVERS==$drv; the VM: $match" >>"$t"
r=1
# shellcheck disable=SC2254
case "$match" in
"$subsys "$kname" $drv") [ -n "$subsys" ] && [ -n "$drv" ] && r=0 ;;
esac
tap "$t" 5 $r "the udev rule's SUBSYSTEM, KERNEL and DRIVERS match the device node"
cat "$t"

# ---- the shell, on a terminal ----
t=$results/vm-firsthour-shell.tap
echo "# vm: first hour: run-vm.sh --mode shell on a terminal"
"$TOP/tests/vm/shell-session.py" "$work/shell.transcript" \
	"$TOP/tests/vm/run-vm.sh" --mode shell --timeout 600 >"$t" 2>&1 || rc=1
cat "$t"

# ---- DKMS ----
t=$results/vm-firsthour-dkms.tap
printf 'TAP version 13\n1..3\n' >"$t"
echo "# vm: first hour: the module DKMS builds"
version=${WSE_VERSION:?WSE_VERSION must be set (make check-vm sets it)}
src=$work/dkms-src
tree=$work/dkms-tree
rm -rf "$src" "$tree"
mkdir -p "$src" "$tree"
r=1
if [ -n "$version" ] && cp -r "$B/dkms/wse-$version" "$src/" &&
   rm -f "$src/wse-$version/.stamp" &&
   dkms add -m wse -v "$version" --sourcetree "$src" --dkmstree "$tree" >"$work/dkms.log" 2>&1 &&
   dkms build -m wse -v "$version" -k "$KVER" --sourcetree "$src" --dkmstree "$tree" \
	>>"$work/dkms.log" 2>&1; then
	r=0
fi
ko=$(ls "$tree/wse/$version/$KVER"/*/module/wse.ko* 2>/dev/null | head -n1)
[ -n "$ko" ] || r=1
[ $r -eq 0 ] || grep -v 'readelf: Warning' "$work/dkms.log" | tail -n 20 | sed 's/^/# /' >>"$t"
tap "$t" 1 $r "dkms add and dkms build wse/$version for $KVER"
r=1
if [ -n "$ko" ] && WSE_KO=$ko "$TOP/tests/vm/mkinitramfs.sh" "$KVER" "$work/initramfs-dkms.cpio" \
	>"$work/mkinitramfs-dkms.log" 2>&1; then
	boot "$work/initramfs-dkms.cpio" "$work/dkms-boot"
	r=$?
	grep -q '^accel0: wse mesh' "$work/dkms-boot.tap" || r=1
	sed 's/^/# /' "$work/dkms-boot.runvm.log" >>"$t"
fi
tap "$t" 2 $r "the VM boots with DKMS's module and wse-smi lists the device"
want=$([ -n "$ko" ] && build_id "$ko")
got=$(tr -d '\r' <"$work/dkms-boot.tap" 2>/dev/null | sed -n 's/^build-id //p')
tree_id=$(build_id "$TOP/wse.ko")
echo "# build ID: DKMS's $want, loaded $got (the tree's wse.ko: $tree_id)" >>"$t"
tap "$t" 3 "$([ -n "$want" ] && [ "$got" = "$want" ] && [ "$got" != "$tree_id" ]; echo $?)" \
	"the module loaded is the one DKMS built"
cat "$t"
exit $rc
