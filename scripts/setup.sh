#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything wse needs on a Debian 12 (bookworm) machine, idempotently:
# bookworm-backports (deb + deb-src), the Debian 6.12 kernel image and headers,
# the kernel source (for kselftest headers and checkpatch), meson from
# backports, QEMU's build dependencies, the firmware QEMU boots with, and the
# userspace pieces of the VM initramfs (busybox, kmod, libdrm).
#
# Usage: scripts/setup.sh [--check]
#   --check   only report whether anything is missing (exit 1 if so)
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

BACKPORTS_LIST=/etc/apt/sources.list.d/wse-bookworm-backports.sources

# Packages taken from bookworm-backports.
BP_PKGS=(linux-image-amd64 linux-headers-amd64 linux-source-6.12 meson)
# Packages from bookworm itself.
PKGS=(build-essential pkg-config ninja-build python3 python3-venv python3-pycotap
      libglib2.0-dev libpixman-1-dev libfdt-dev zlib1g-dev
      seabios qemu-system-data
      busybox-static kmod cpio xz-utils zstd rsync
      libdrm-dev libdrm2 dpkg-dev bc flex bison libelf-dev libssl-dev perl
      python3-numpy python3-pytest)

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			echo "$p"
	done
}

need_bp=$(missing "${BP_PKGS[@]}")
need=$(missing "${PKGS[@]}")

# meson must be >= 1.5 (QEMU 10); bookworm's own is 1.0.
if command -v meson >/dev/null 2>&1; then
	mv=$(meson --version)
	if [ "$(printf '%s\n1.5\n' "$mv" | sort -V | head -n1)" != "1.5" ]; then
		need_bp="$need_bp meson"
	fi
fi

if [ "${1:-}" = "--check" ]; then
	[ -z "$need_bp$need" ] && exit 0
	echo "setup: missing packages: $need_bp $need" >&2
	exit 1
fi

if [ -z "$need_bp$need" ]; then
	echo "setup: all packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi

if [ ! -f "$BACKPORTS_LIST" ]; then
	echo "setup: adding bookworm-backports (deb + deb-src)"
	$SUDO tee "$BACKPORTS_LIST" >/dev/null <<'SRC'
Types: deb deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

echo "setup: apt-get update"
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -q

if [ -n "$need" ]; then
	echo "setup: installing $need"
	# shellcheck disable=SC2086
	$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends $need
fi
if [ -n "$need_bp" ]; then
	echo "setup: installing from bookworm-backports: $need_bp"
	# shellcheck disable=SC2086
	$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends -t bookworm-backports $need_bp
fi
echo "setup: done"
