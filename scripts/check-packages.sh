#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-packages`: the Debian packages work on a machine that has
# never seen the wse sources. In a fresh Debian 12 root (debootstrap
# minbase, kept as a tarball in the cache and unpacked anew for each run)
# with only the packages copied in, it installs them with apt together
# with Debian's 6.12 headers from bookworm-backports, then checks that
# DKMS built and installed wse.ko for 6.12, that the tools run, that the
# GEMV example builds from the installed sources with `pkg-config --cflags
# --libs libwse` and passes on the simulator, and that the Python package
# does too. Prints TAP.
#
# Usage: scripts/check-packages.sh DEB_DIR
#   WSE_CACHE   where the base root tarball is kept (default /var/cache/wse)
# The mirror is the one this machine's apt sources use (apt-sources.sh).
set -uo pipefail

debs=$(cd "${1:?usage: check-packages.sh DEB_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/apt-sources.sh"
CACHE=${WSE_CACHE:-/var/cache/wse}
work=$CACHE/check-packages
base=$work/bookworm-minbase.tar
root=$work/root
log=$work/log
kver=$(ls /usr/src | sed -n 's/^linux-headers-\(6\.12\..*-amd64\)$/\1/p' | sort -V | tail -n1)
n=0
fails=0

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fails=$((fails + 1))
	fi
}

# in_root CMD: run CMD (a bash script) in the root, output to the log
in_root() {
	echo "+ $1" >>"$log"
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 /bin/bash -ec "$1" >>"$log" 2>&1
}

cleanup() {
	local m
	for m in dev/pts dev proc sys; do
		umount -l "$root/$m" 2>/dev/null || true
	done
}
trap cleanup EXIT

if [ "$(id -u)" -ne 0 ]; then
	echo "check-packages: needs root (debootstrap, chroot)" >&2
	exit 1
fi
ls "$debs"/*.deb >/dev/null 2>&1 || { echo "check-packages: no .deb in $debs (make deb)" >&2; exit 1; }
IFS=$'\t' read -r mirror signed <<<"$(apt_debian_mirror)" || true
mirror=$(apt_plain_uri "${WSE_DEBIAN_MIRROR:-$mirror}")
if [ -z "$mirror" ]; then
	echo "check-packages: no Debian mirror in this machine's apt sources (set WSE_DEBIAN_MIRROR)" >&2
	exit 1
fi
mkdir -p "$work"
: >"$log"

echo "TAP version 13"
echo "1..8"

# A base root once; a fresh copy of it every run.
if [ ! -f "$base" ]; then
	echo "# check-packages: debootstrap bookworm from $mirror (once)"
	rm -rf "$work/base"
	if ! debootstrap --variant=minbase bookworm "$work/base" "$mirror" >>"$log" 2>&1; then
		tail -n 20 "$log" | sed 's/^/# /'
		echo "Bail out! debootstrap failed (log $log)"
		exit 1
	fi
	tar -C "$work/base" -cf "$base.tmp" . && mv "$base.tmp" "$base"
	rm -rf "$work/base"
fi
cleanup
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" -xf "$base"
cp /etc/resolv.conf "$root/etc/" 2>/dev/null || true
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
# bookworm and its backports from this machine's mirror; nothing else.
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
# Only the packages go in: no checkout.
mkdir -p "$root/tmp/debs"
cp "$debs"/*.deb "$root/tmp/debs/"
rm -f "$root"/tmp/debs/*-dbgsym_*.deb

# 1. apt installs the packages (and what they depend on) with the 6.12
# headers DKMS builds against.
in_root "apt-get update -q && apt-get install -y -q --no-install-recommends \
	-t bookworm-backports linux-headers-$kver && \
	apt-get install -y -q --no-install-recommends /tmp/debs/*.deb gcc libc6-dev pkg-config"
r=$?
[ $r -eq 0 ] || tail -n 30 "$log" | sed 's/^/# /'
ok $r "apt installs $(cd "$root/tmp/debs" && ls | sed 's/_.*//' | tr '\n' ' ')with the $kver headers"

# 2. DKMS: wse-dkms's postinst added the module; it builds and installs for
# 6.12 (the postinst builds for the running kernel only, which is not
# 6.12 in a root on this machine).
in_root "dkms status wse; dkms install wse/\$(dpkg-query -W -f='\${Version}' wse-dkms) -k $kver && \
	dkms status wse -k $kver | grep -q ': installed' && \
	ls /lib/modules/$kver/updates/dkms/wse.ko* && modinfo -k $kver -F vermagic wse"
r=$?
[ $r -eq 0 ] || tail -n 30 "$log" | sed 's/^/# /'
ok $r "DKMS builds and installs wse.ko for $kver from wse-dkms"

# 3. The group of the device nodes exists, the udev rule names it.
in_root "getent group wse && grep -q 'GROUP=\"wse\"' /usr/lib/udev/rules.d/70-wse.rules"
ok $? "wse-dkms created the group wse of its udev rule"

# 4. pkg-config knows libwse, with the installed paths.
in_root "pkg-config --modversion libwse && pkg-config --cflags --libs libwse && \
	test \"\$(pkg-config --modversion libwse)\" = \"\$(dpkg-query -W -f='\${Version}' libwse-dev)\""
ok $? "pkg-config --modversion libwse is the packages' version"

# 5. The GEMV example builds from the installed sources.
in_root "mkdir -p /tmp/ex && cd /tmp/ex && cp -r /usr/share/doc/libwse-dev/examples/. . && \
	gcc -Wall -O2 -Icommon -o gemv-host gemv/gemv.c gemv/gemv_ref.c common/example.c \
		\$(pkg-config --cflags --libs libwse) -lm && ./gemv-host -d sim:8x8 | grep 'gemv: PASS'"
r=$?
[ $r -eq 0 ] || tail -n 20 "$log" | sed 's/^/# /'
ok $r "examples/gemv/gemv.c builds with pkg-config --cflags --libs libwse and passes on sim:8x8"

# The Python package, on the simulator, with the installed image.
in_root "cd /tmp && python3 -c '
import numpy as np, wse
A = np.ones((256, 256), dtype=np.float32); x = np.ones(256, dtype=np.float32)
with wse.Runtime(\"/usr/share/wse/gemv-256x256-8x8.img\", device=\"sim:8x8\") as rt:
    rt.memcpy_h2d(\"A\", A.reshape(8, 32, 8, 32).transpose(0, 2, 3, 1), 0, 0, 8, 8, 1024)
    rt.memcpy_h2d(\"x\", x, 0, 0, 8, 1, 32)
    rt.launch(\"compute\")
    y = rt.memcpy_d2h(None, \"y\", 7, 0, 1, 8, 32)
assert (y == 256).all(), y
print(\"python3-wse: GEMV on sim:8x8 from\", wse.__file__)
'"
r=$?
[ $r -eq 0 ] || tail -n 20 "$log" | sed 's/^/# /'
ok $r "python3-wse runs GEMV on the simulator with the installed image"

# 6. The tools: wse-run reads an installed image, wse-as finds its
# include files, wse-smi reports that this root has no device.
in_root "wse-run -l /usr/share/wse/gemv-256x256-8x8.img | grep -q compute && \
	cd /tmp/ex && wse-as -DM=256 -DN=256 -DP=8 -DQ=8 -o g.img gemv/gemv.wsasm && \
	cmp g.img /usr/share/wse/gemv-256x256-8x8.img && \
	{ st=0; wse-smi -L || st=\$?; test \$st -eq 1; }"
ok $? "wse-run lists an installed image, wse-as rebuilds it, wse-smi finds no device"

# 7. Removing the packages leaves no file of theirs behind.
in_root "apt-get purge -y -q python3-wse wse-tools libwse-dev libwse1 wse-dkms && \
	! ls /usr/src/wse-* /usr/lib/x86_64-linux-gnu/libwse* /usr/bin/wse-* /usr/share/wse \
		/usr/lib/python3/dist-packages/wse 2>/dev/null && \
	! ls /lib/modules/$kver/updates/dkms/wse.ko* 2>/dev/null"
r=$?
[ $r -eq 0 ] || tail -n 20 "$log" | sed 's/^/# /'
ok $r "apt purge removes the packages, DKMS's module included"

echo "# log: $log"
[ $fails -eq 0 ]
