#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Nothing in the makefiles depends on an installed package while make
# parses them: on a fresh machine scripts/setup.sh has not run yet then,
# so a `$(shell pkg-config ...)` (or a compiler probe) evaluated at parse
# time gets nothing and the build breaks later (issue 8: `make demo` failed
# the first time). Parses the whole tree's makefiles, setup skipped, with
# pkg-config, the compilers, dpkg-query and apt-get replaced by stand-ins
# that record being called, and checks that none was. Then checks that
# setup does run before any rule, with the profile the goals need. Prints
# TAP.
set -uo pipefail

top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
for t in pkg-config cc gcc c++ g++ clang dpkg-query dpkg apt-get apt-cache \
	 python3 perl meson ninja; do
	printf '#!/bin/sh\necho "%s $*" >>%s/calls\nexit 1\n' "$t" "$tmp" >"$tmp/bin/$t"
	chmod +x "$tmp/bin/$t"
done
echo "TAP version 13"
echo "1..3"

# -p prints the database after parsing. The goal is `help`, whose recipe
# only echoes: -q expands the recipe of the first goal that is out of date
# (it must see whether a line calls $(MAKE)), and a build goal's recipe may
# rightly ask pkg-config then.
PATH=$tmp/bin:$PATH make -C "$top" --no-print-directory -p -q WSE_SKIP_SETUP=1 \
	B="$tmp/build" help >"$tmp/db" 2>"$tmp/err"
if [ -s "$tmp/calls" ]; then
	sed 's/^/# called while parsing: /' "$tmp/calls"
	echo "not ok 1 parsing the makefiles runs no package's program"
else
	echo "ok 1 parsing the makefiles runs no package's program"
fi

# The lazily computed flags are still right once a recipe asks for them.
if grep -q '^LIBDRM_CFLAGS = \$(eval ' "$tmp/db"; then
	echo "ok 2 libdrm's flags are computed when a recipe needs them"
else
	grep '^LIBDRM_CFLAGS' "$tmp/db" | sed 's/^/# /'
	echo "not ok 2 libdrm's flags are computed when a recipe needs them"
fi

# Without WSE_SKIP_SETUP, a build goal includes setup's stamp, so make
# remakes it (runs scripts/setup.sh, a no-op here) before anything else,
# even when asked (-q) to build nothing. No goal of the sim profile takes
# the full one.
make -C "$top" --no-print-directory -q B="$tmp/b3" "$tmp/b3/libwse.so.1" >/dev/null 2>&1
make -C "$top" --no-print-directory -q B="$tmp/b4" libwse >/dev/null 2>&1
if [ -f "$tmp/b3/.setup-full" ] && [ -f "$tmp/b4/.setup-sim" ] && [ ! -f "$tmp/b4/.setup-full" ]; then
	echo "ok 3 setup runs before any rule: full for a build goal, sim for libwse"
else
	ls -a "$tmp/b3" "$tmp/b4" 2>&1 | sed 's/^/# /'
	echo "not ok 3 setup runs before any rule: full for a build goal, sim for libwse"
fi
