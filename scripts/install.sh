#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make install` and `make uninstall`: the built stack into the usual
# places under $DESTDIR$PREFIX. Installs libwse (libwse.so.X.Y.Z with its
# soname link libwse.so.1 and the libwse.so link for -lwse), the public
# headers under include/wse/, libwse.pc, the tools, the assembler's include
# files, the examples' kernel images and sources, the Python package, the
# man pages, the udev rule and the modprobe.d documentation of the module
# parameters. The
# kernel module is not installed here: see `make install-dkms` (DKMS) and
# `make module-install`.
#
# Every file installed is recorded in $DATADIR/wse/installed-files, and
# uninstall removes exactly those (so it needs no build tree), then the
# directories that are wse's own.
#
# Usage: scripts/install.sh install|uninstall
# Environment (set by the Makefile): TOP B WSE_VERSION DESTDIR PREFIX BINDIR
#   LIBDIR INCLUDEDIR DATADIR MANDIR DOCDIR PKGCONFIGDIR UDEVRULESDIR
#   MODPROBEDIR PYTHONDIR (empty: see python_dir) ASM_INCLUDES
set -euo pipefail

mode=${1:?usage: install.sh install|uninstall}
: "${TOP:?}" "${B:?}" "${WSE_VERSION:?}" "${PREFIX:?}"
DESTDIR=${DESTDIR:-}
manifest_rel=$DATADIR/wse/installed-files
manifest=$DESTDIR$manifest_rel
# Directories nobody but wse puts files in: removed on uninstall.
OWN_DIRS=("$INCLUDEDIR/wse" "$DATADIR/wse/include" "$DOCDIR/examples" "$DOCDIR" "$DATADIR/wse")

files=()

# Where `import wse` finds the package: PYTHONDIR, else Debian's own
# place for PREFIX=/usr, else the site directory of $PREFIX python3 reads
# (/usr/local/lib/python3.11/dist-packages on Debian 12).
python_dir() {
	local v
	if [ -n "${PYTHONDIR:-}" ]; then
		echo "$PYTHONDIR"
	elif [ "$PREFIX" = /usr ]; then
		echo /usr/lib/python3/dist-packages
	else
		v=$(${PYTHON:-/usr/bin/python3} -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) ||
			v=3
		echo "$PREFIX/lib/python$v/dist-packages"
	fi
}

# put MODE SRC DEST: install SRC as $DESTDIR/DEST
put() {
	install -D -m "$1" "$2" "$DESTDIR$3"
	files+=("$3")
}

# link TARGET DEST: DEST is a symbolic link to TARGET
link() {
	mkdir -p "$(dirname "$DESTDIR$2")"
	ln -sfn "$1" "$DESTDIR$2"
	files+=("$2")
}

# gen DEST: DEST gets standard input (a here-string, not a pipe: gen
# must run in this shell to record DEST)
gen() {
	mkdir -p "$(dirname "$DESTDIR$1")"
	cat >"$DESTDIR$1"
	chmod 0644 "$DESTDIR$1"
	files+=("$1")
}

need() {
	local f
	for f in "$@"; do
		if [ ! -e "$f" ]; then
			echo "install: $f is missing: run make first" >&2
			exit 1
		fi
	done
}

do_install() {
	local f name sec major

	need "$B/libwse.so.1" "$B/man/man3"
	major=${WSE_VERSION%%.*}

	# libwse: the real file carries the full version, the soname link
	# is what programs load, the .so link what -lwse finds.
	put 0755 "$B/libwse.so.1" "$LIBDIR/libwse.so.$WSE_VERSION"
	link "libwse.so.$WSE_VERSION" "$LIBDIR/libwse.so.$major"
	link "libwse.so.$major" "$LIBDIR/libwse.so"
	# Other libraries of the stack built beside it (backend plugins).
	for f in "$B"/libwse-*.so.*; do
		[ -f "$f" ] && [ ! -L "$f" ] || continue
		put 0755 "$f" "$LIBDIR/$(basename "$f")"
	done
	for f in "$TOP"/libwse/include/wse/*.h; do
		put 0644 "$f" "$INCLUDEDIR/wse/$(basename "$f")"
	done
	# The driver's uAPI, for programs that use the ioctls themselves;
	# it includes "drm.h", which libwse.pc's libdrm cflags find.
	put 0644 "$TOP/uapi/drm/wse_accel.h" "$INCLUDEDIR/wse/wse_accel.h"
	gen "$PKGCONFIGDIR/libwse.pc" <<<"$(sed -e "s|@PREFIX@|$PREFIX|" \
		-e "s|@LIBDIR@|$LIBDIR|" -e "s|@INCLUDEDIR@|$INCLUDEDIR|" \
		-e "s|@VERSION@|$WSE_VERSION|" "$TOP/libwse/libwse.pc.in")"

	# The tools: every program build/wse-*.
	for f in "$B"/wse-*; do
		[ -f "$f" ] && [ -x "$f" ] || continue
		put 0755 "$f" "$BINDIR/$(basename "$f")"
	done
	# The Python package, where the system's python3 imports from.
	if [ -d "$TOP/python/wse" ]; then
		for f in "$TOP"/python/wse/*.py; do
			put 0644 "$f" "$(python_dir)/wse/$(basename "$f")"
		done
	fi
	for f in $ASM_INCLUDES; do
		put 0644 "$TOP/$f" "$DATADIR/wse/include/$(basename "$f")"
	done

	# The examples: their kernel images (as in the VM) and their sources.
	for f in "$B"/vm-extra/usr/share/wse/*.img; do
		[ -f "$f" ] || continue
		put 0644 "$f" "$DATADIR/wse/$(basename "$f")"
	done
	for f in "$TOP"/examples/*/*.[ch] "$TOP"/examples/*/*.ws*; do
		[ -f "$f" ] || continue
		name=${f#"$TOP"/examples/}
		put 0644 "$f" "$DOCDIR/examples/$name"
	done

	# Man pages: section 3 generated from wse.h, the others written
	# (build/man/man<N>/, made by `make man`).
	for f in "$B"/man/man*/*; do
		[ -f "$f" ] || continue
		put 0644 "$f" "$MANDIR/$(basename "$(dirname "$f")")/$(basename "$f")"
	done

	put 0644 "$TOP/dist/udev/70-wse.rules" "$UDEVRULESDIR/70-wse.rules"
	put 0644 "$TOP/dist/modprobe/wse.conf" "$MODPROBEDIR/wse.conf"

	files+=("$manifest_rel")
	gen "$manifest_rel" <<<"$(printf '%s\n' "${files[@]}")"

	# On the running system (no DESTDIR, as root): the library cache, the
	# group of the device nodes, udev's view of the new rule.
	if [ -z "$DESTDIR" ] && [ "$(id -u)" -eq 0 ]; then
		ldconfig 2>/dev/null || true
		if ! getent group wse >/dev/null; then
			groupadd --system wse && echo "install: created the group wse (adduser USER wse)"
		fi
		udevadm control --reload-rules 2>/dev/null || true
	elif [ -z "$DESTDIR" ]; then
		getent group wse >/dev/null ||
			echo "install: create the group of the device nodes: groupadd --system wse"
	fi
	echo "install: wse $WSE_VERSION in $DESTDIR$PREFIX ($(wc -l <"$manifest") files)"
}

do_uninstall() {
	local f d n=0
	if [ ! -f "$manifest" ]; then
		echo "uninstall: $manifest not found: nothing of wse is installed under $DESTDIR$PREFIX" >&2
		exit 1
	fi
	while IFS= read -r f; do
		case "$f" in /*) ;; *) continue ;; esac
		if [ -e "$DESTDIR$f" ] || [ -L "$DESTDIR$f" ]; then
			rm -f "$DESTDIR$f"
			n=$((n + 1))
		fi
	done <"$manifest"
	rm -f "$manifest"
	# wse's own directories, deepest first, and the examples' subdirectories;
	# the Python package's with the byte code python3 left there.
	if [ -d "$DESTDIR$DOCDIR/examples" ]; then
		find "$DESTDIR$DOCDIR/examples" -depth -type d -empty -delete
	fi
	d=$DESTDIR$(python_dir)/wse
	if [ -d "$d" ]; then
		rm -rf "$d/__pycache__"
		rmdir --ignore-fail-on-non-empty "$d"
	fi
	for d in "${OWN_DIRS[@]}"; do
		[ -d "$DESTDIR$d" ] && rmdir --ignore-fail-on-non-empty "$DESTDIR$d"
	done
	if [ -z "$DESTDIR" ] && [ "$(id -u)" -eq 0 ]; then
		ldconfig 2>/dev/null || true
	fi
	echo "uninstall: removed $n files of wse from $DESTDIR$PREFIX (the group wse, if any, stays)"
}

case "$mode" in
install) do_install ;;
uninstall) do_uninstall ;;
*) echo "install.sh: unknown mode $mode" >&2; exit 2 ;;
esac
