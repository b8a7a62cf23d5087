#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what wse needs on a Debian 12 (bookworm) machine, idempotently.
# The Makefile runs it before it reads the rest of its rules (a fast no-op
# once everything is there), so a fresh machine needs nothing but make.
#
# Usage: scripts/setup.sh [--profile=full|sim] [--check] [--list]
#   --profile=full  everything (the default): the sim set, plus
#                   bookworm-backports (deb + deb-src) for Debian's 6.12
#                   kernel image and headers, linux-source-6.12 (kselftest
#                   headers, checkpatch, kernel-doc) and meson; QEMU's build
#                   dependencies and firmware; the VM initramfs' userspace
#                   (busybox, kmod); man-db; DKMS and the Debian packaging
#                   tools (debhelper, lintian, debootstrap)
#   --profile=sim   only what libwse, the tools, the examples and the
#                   in-process simulator build and run with: a C compiler,
#                   make, pkg-config, libdrm, python3 with NumPy and pytest.
#                   Touches no apt source and needs no backports.
#   --check         only report what is missing (exit 1 if anything is)
#   --list          print the profile's packages and exit
#   --print-backports  print the bookworm-backports source setup would
#                   write (nothing if the machine has one) and exit
# Environment:
#   WSE_DEBIAN_MIRROR  the mirror to take bookworm-backports from (default:
#                      the one this machine's apt sources use for bookworm)
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/apt-sources.sh"

profile=full
check=
list=
print_bp=
for arg in "$@"; do
	case "$arg" in
	--profile=*) profile=${arg#--profile=} ;;
	--check) check=1 ;;
	--list) list=1 ;;
	--print-backports) print_bp=1 ;;
	*) echo "setup: unknown option '$arg' (see the top of $0)" >&2; exit 2 ;;
	esac
done

BACKPORTS_LIST=$APT_ETC/sources.list.d/wse-bookworm-backports.sources
# Several helpers, CI jobs or users may run apt at once: wait for the dpkg
# lock instead of failing.
APT_GET=(apt-get -o DPkg::Lock::Timeout=600)

# The simulator profile: building libwse, the tools and the examples, and
# running them (and the Python package) on the in-process simulator.
SIM_PKGS=(gcc libc6-dev make pkg-config libdrm-dev libpng-dev python3 python3-numpy
	  python3-pytest python3-pil)
# Everything else, from bookworm itself.
FULL_PKGS=(build-essential ninja-build python3-venv python3-pycotap
	   libglib2.0-dev libpixman-1-dev libfdt-dev zlib1g-dev
	   seabios qemu-system-data
	   busybox-static kmod cpio xz-utils zstd rsync
	   libdrm2 dpkg-dev bc flex bison libelf-dev libssl-dev perl
	   man-db groff-base
	   dkms debhelper dh-dkms dh-python lintian fakeroot debootstrap)
# And from bookworm-backports.
BP_PKGS=(linux-image-amd64 linux-headers-amd64 linux-source-6.12 meson)

case "$profile" in
sim) pkgs=("${SIM_PKGS[@]}"); bp_pkgs=() ;;
full) pkgs=("${SIM_PKGS[@]}" "${FULL_PKGS[@]}"); bp_pkgs=("${BP_PKGS[@]}") ;;
*) echo "setup: unknown profile '$profile' (full or sim)" >&2; exit 2 ;;
esac

missing() {
	local p
	for p in "$@"; do
		[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] ||
			echo "$p"
	done
}

# The bookworm-backports source we need: from the mirror this machine
# already uses for bookworm, for each of deb and deb-src that no source of
# the machine provides yet. Prints the deb822 stanza, or nothing if the
# machine has both already.
backports_stanza() {
	local mirror= signed= types=()
	if [ -n "${WSE_DEBIAN_MIRROR:-}" ]; then
		mirror=$WSE_DEBIAN_MIRROR
	else
		IFS=$'\t' read -r mirror signed <<<"$(apt_debian_mirror)" || true
	fi
	apt_has_suite deb bookworm-backports "$BACKPORTS_LIST" || types+=(deb)
	apt_has_suite deb-src bookworm-backports "$BACKPORTS_LIST" || types+=(deb-src)
	[ ${#types[@]} -gt 0 ] || return 0
	if [ -z "$mirror" ]; then
		cat >&2 <<-EOF
		setup: no apt source of Debian bookworm found in $APT_ETC/sources.list
		setup: or $APT_ETC/sources.list.d/, so there is no mirror to take
		setup: bookworm-backports from. Either set WSE_DEBIAN_MIRROR to your
		setup: Debian mirror (e.g. WSE_DEBIAN_MIRROR=http://deb.debian.org/debian),
		setup: or add bookworm-backports (Types: deb deb-src) yourself, and rerun.
		EOF
		return 1
	fi
	printf 'Types: %s\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: %s\n' \
		"${types[*]}" "$mirror" "${signed:-/usr/share/keyrings/debian-archive-keyring.gpg}"
}

# Write our backports file only when what it should say changed.
backports_source() {
	local want
	want=$(backports_stanza) || exit 1
	if [ -z "$want" ]; then
		if [ -f "$BACKPORTS_LIST" ]; then
			echo "setup: bookworm-backports is configured elsewhere; removing $BACKPORTS_LIST"
			$SUDO rm -f "$BACKPORTS_LIST"
		fi
		return 0
	fi
	if [ "$(cat "$BACKPORTS_LIST" 2>/dev/null)" != "$want" ]; then
		echo "setup: adding bookworm-backports from $(sed -n 's/^URIs: //p' <<<"$want")"
		printf '%s\n' "$want" | $SUDO tee "$BACKPORTS_LIST" >/dev/null
	fi
}

# apt-get update, waiting for another apt's list lock rather than failing.
apt_update() {
	local i out
	for i in $(seq 1 60); do
		if out=$($SUDO "${APT_GET[@]}" update -q 2>&1); then
			printf '%s\n' "$out" | grep -E '^(W|E):' >&2 || true
			return 0
		fi
		if ! grep -q 'Could not get lock' <<<"$out"; then
			printf '%s\n' "$out" >&2
			return 1
		fi
		[ "$i" -eq 1 ] && echo "setup: waiting for another apt to release its lock"
		sleep 10
	done
	printf '%s\n' "$out" >&2
	return 1
}

backports_unreachable() {
	local mirror
	mirror=$(apt_source_entries | awk -F'\t' '$1 == "deb" && $3 == "bookworm-backports" {
		print $2; exit }')
	cat >&2 <<-EOF
	setup: bookworm-backports cannot be reached through ${mirror:-your apt sources}:
	setup: apt has no index of it, so these packages cannot be installed:
	setup:   $need_bp
	setup: (Debian's 6.12 kernel and headers, the kernel source and meson >= 1.5 come
	setup: only from there.) What to do:
	setup: - a local mirror or proxy: make it carry bookworm-backports (main, deb and
	setup:   deb-src), then rerun this script;
	setup: - or take it from another mirror: WSE_DEBIAN_MIRROR=http://deb.debian.org/debian $0
	setup:   (edits only $BACKPORTS_LIST);
	setup: - or, without a kernel and a VM, the simulator profile needs no backports:
	setup:   $(dirname "$0")/setup.sh --profile=sim   (libwse, the tools, the examples and
	setup:   the simulator; make demo-sim)
	EOF
	exit 1
}

if [ -n "$list" ]; then
	printf '%s\n' "${pkgs[@]}"
	[ ${#bp_pkgs[@]} -eq 0 ] || printf '%s (bookworm-backports)\n' "${bp_pkgs[@]}"
	exit 0
fi

if [ -n "$print_bp" ]; then
	backports_stanza
	exit
fi

need=$(missing "${pkgs[@]}")
need_bp=
if [ ${#bp_pkgs[@]} -gt 0 ]; then
	need_bp=$(missing "${bp_pkgs[@]}")
	# meson must be >= 1.5 (QEMU 10); bookworm's own is 1.0.
	if command -v meson >/dev/null 2>&1; then
		mv=$(meson --version)
		if [ "$(printf '%s\n1.5\n' "$mv" | sort -V | head -n1)" != "1.5" ]; then
			need_bp="$need_bp meson"
		fi
	fi
fi
need=$(echo $need)
need_bp=$(echo $need_bp)

if [ -n "$check" ]; then
	[ -z "$need$need_bp" ] && exit 0
	echo "setup: missing packages ($profile profile): $need $need_bp" >&2
	exit 1
fi
[ -z "$need$need_bp" ] && exit 0

if [ -r /etc/os-release ]; then
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	if [ "$codename" != bookworm ]; then
		echo "setup: warning: this is '${codename:-unknown}', not Debian 12 (bookworm);" \
			"the package names below are bookworm's" >&2
	fi
fi

if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "setup: missing packages: $need $need_bp" >&2
		echo "setup: run this as root (or install sudo): $0 --profile=$profile" >&2
		exit 1
	fi
	SUDO=sudo
else
	SUDO=
fi

if [ -n "$need_bp" ]; then
	backports_source
fi

echo "setup: apt-get update"
if ! apt_update; then
	[ -n "$need_bp" ] && backports_unreachable
	echo "setup: apt-get update failed (see above)" >&2
	exit 1
fi

if [ -n "$need_bp" ]; then
	# apt lists the releases whose index it has: bookworm-backports must
	# be one. (Not through a pipe into grep -q: under pipefail, the
	# writer's SIGPIPE would fail the test.)
	releases=$(apt-cache policy 2>/dev/null || true)
	if ! grep -q 'n=bookworm-backports' <<<"$releases"; then
		backports_unreachable
	fi
fi

if [ -n "$need" ]; then
	echo "setup: installing $need"
	# shellcheck disable=SC2086
	$SUDO "${APT_GET[@]}" install -y -q --no-install-recommends $need
fi
if [ -n "$need_bp" ]; then
	echo "setup: installing from bookworm-backports: $need_bp"
	# shellcheck disable=SC2086
	$SUDO "${APT_GET[@]}" install -y -q --no-install-recommends -t bookworm-backports $need_bp
fi
echo "setup: done ($profile profile)"
