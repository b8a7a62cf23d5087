#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The man pages are complete and render cleanly: every function declared
# in wse.h has its section 3 page (found by preprocessing the header, not
# from a list), every page of build/man renders with `man --warnings` at 80
# columns without a warning, every tool has a section 1 page naming each
# option of its usage, wse(4) names every ioctl of the uAPI, every sysfs
# attribute of the ABI file and every module parameter (as does the
# modprobe.d file), and every wse page a page refers to exists. Prints TAP.
#
# Usage: tests/host/man-pages.sh [TOP]   (after `make man tools`)
set -uo pipefail

top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
B=$top/build
man=$B/man
header=$top/libwse/include/wse/wse.h
n=0
fails=0
export LC_ALL=C MANWIDTH=80

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fails=$((fails + 1))
	fi
}

# render PAGE: the page as a reader sees it, plain text, on lines too
# long to wrap (or hyphenate) what the checks below look for
render() {
	MANWIDTH=1000 man -l "$1" 2>/dev/null | col -b
}

echo "TAP version 13"
echo "1..9"

# 1. Functions: every identifier wse_* followed by "(" in the preprocessed
# header is a declared function (the header has no function bodies).
funcs=$(cc -E -P -x c "$header" | tr -s ' \t\n' ' ' |
	grep -oE '\bwse_[a-z0-9_]+ *\(' | sed 's/ *($//' | sort -u)
nfunc=$(echo "$funcs" | grep -c .)
missing=
for f in $funcs; do
	[ -f "$man/man3/$f.3" ] || missing="$missing $f"
done
[ -z "$missing" ] || echo "# no page for:$missing"
r=$([ -z "$missing" ] && [ "$nfunc" -gt 30 ]; echo $?)
ok "$r" "each of the $nfunc functions declared in wse.h has a page in section 3"

# 2. ... and no page of a function the header no longer declares.
stale=
for p in "$man"/man3/*.3; do
	f=$(basename "$p" .3)
	grep -qx "$f" <<<"$funcs" || stale="$stale $f"
done
[ -z "$stale" ] || echo "# pages of undeclared functions:$stale"
ok "$([ -z "$stale" ]; echo $?)" "section 3 has no page of an undeclared function"

# 3. Every page renders without a warning, and says something.
bad=0
pages=0
for p in "$man"/man*/*; do
	[ -f "$p" ] || continue
	pages=$((pages + 1))
	w=$(man --warnings -l "$p" 2>&1 >/dev/null)
	lines=$(render "$p" | grep -c .)
	if [ -n "$w" ] || [ "$lines" -lt 8 ]; then
		echo "# $p ($lines lines): $w"
		bad=1
	fi
done
ok "$([ $bad -eq 0 ] && [ $pages -gt $nfunc ]; echo $?)" \
	"all $pages pages render with man --warnings at 80 columns, no warning"

# 4. Every tool has a page that names each option its usage text lists.
bad=0
tools=0
for t in "$B"/wse-*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	tools=$((tools + 1))
	name=$(basename "$t")
	page=$man/man1/$name.1
	if [ ! -f "$page" ]; then
		echo "# $name: no page $page"
		bad=1
		continue
	fi
	text=$(render "$page")
	for o in $("$t" --help 2>&1 | grep -oE '(^|[][ ,(|])--?[A-Za-z][A-Za-z0-9-]*' |
		   sed 's/^[][ ,(|]//' | sort -u); do
		grep -qe "$o\b" <<<"$text" || { echo "# $name: option $o not in $name(1)"; bad=1; }
	done
done
ok "$([ $bad -eq 0 ] && [ $tools -ge 4 ]; echo $?)" \
	"each of the $tools tools has a page naming every option of its usage"

# 5. wse(4) names every ioctl of the uAPI.
wse4=$(render "$man/man4/wse.4")
bad=0
for i in $(grep -oE '^#define DRM_IOCTL_WSE_[A-Z_]+' "$top/uapi/drm/wse_accel.h" | awk '{print $2}'); do
	grep -q "$i" <<<"$wse4" || { echo "# $i not in wse(4)"; bad=1; }
done
ok $bad "wse(4) names every DRM_IOCTL_WSE_* of uapi/drm/wse_accel.h"

# 6. ... and every sysfs attribute of the ABI documentation.
bad=0
for a in $(sed -n 's|^What:.*/\([a-z_0-9]*\)$|\1|p' "$top"/Documentation/ABI/testing/sysfs-driver-wse*); do
	grep -qw "$a" <<<"$wse4" || { echo "# sysfs $a not in wse(4)"; bad=1; }
done
ok $bad "wse(4) names every sysfs attribute of Documentation/ABI/testing/sysfs-driver-wse"

# 7. Module parameters: in wse(4) and in the modprobe.d documentation.
params=$(grep -ohE 'module_param(_named|_cb|_unsafe)?\( *[a-z_0-9]+' "$top"/driver/*.c |
	sed 's/.*( *//' | sort -u)
bad=0
for p in $params; do
	grep -qw "$p" <<<"$wse4" || { echo "# parameter $p not in wse(4)"; bad=1; }
	grep -q "^#options wse $p=" "$top/dist/modprobe/wse.conf" ||
		{ echo "# parameter $p not in dist/modprobe/wse.conf"; bad=1; }
done
ok "$([ $bad -eq 0 ] && [ -n "$params" ]; echo $?)" \
	"every module parameter ($(echo $params)) is in wse(4) and modprobe.d/wse.conf"

# 8. Cross-references to wse pages resolve.
bad=0
for p in "$man"/man*/*; do
	[ -f "$p" ] || continue
	for ref in $(grep -ohE '^\.BR (wse[a-z0-9_.-]*|libwse) \((1|3|3type|4|5|7)\)' "$p" |
		     sed 's/^\.BR \(.*\) (\(.*\))/\1.\2/'); do
		sec=${ref##*.}
		[ -f "$man/man${sec%type}/$ref" ] || { echo "# $(basename "$p"): $ref not found"; bad=1; }
	done
done
ok $bad "every wse page a page refers to exists"

# 9. The struct pages of section 3type match the header's structs.
bad=0
for s in $(grep -oE '^struct wse_[a-z0-9_]+ \{' "$header" | awk '{print $2}'); do
	[ -f "$man/man3/$s.3type" ] || { echo "# no page for struct $s"; bad=1; }
done
ok $bad "every struct defined in wse.h has a page in section 3type"

[ $fails -eq 0 ]
