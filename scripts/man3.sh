#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# libwse's section 3 man pages, generated from the kernel-doc comments of
# wse.h with the kernel's own scripts/kernel-doc, so that they say what
# the header says: one page per function (<name>.3) and per struct
# (<name>.3type). kernel-doc writes kernel pages (section 9, "Kernel
# Hacker's Manual"); this puts them in section 3 of libwse, adds the
# #include and link line to the synopsis and a SEE ALSO of the functions
# each page names. A kernel-doc warning (an undocumented parameter, a
# missing Return:) fails the build.
#
# Usage: scripts/man3.sh KERNEL_DOC HEADER OUTDIR VERSION
# Prints the pages written. The date is SOURCE_DATE_EPOCH's, else the
# header's last commit's, so that two builds of one tree are identical.
set -euo pipefail

kdoc=$1
header=$2
out=$3
version=$4

if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
	date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)
else
	date=$(git -C "$(dirname "$header")" log -1 --format=%cs -- "$(basename "$header")" 2>/dev/null || true)
	[ -n "$date" ] || date=$(date -u -r "$header" +%Y-%m-%d)
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! perl "$kdoc" -man -no-doc-sections -Wall "$header" >"$tmp/all" 2>"$tmp/err" ||
	[ -s "$tmp/err" ]; then
	cat "$tmp/err" >&2
	echo "man3: kernel-doc of $header failed or warned (above)" >&2
	exit 1
fi

rm -rf "$out.tmp"
mkdir -p "$out.tmp"
# Split at each .TH; name each page after its NAME line ("wse_x \- ..."
# or "struct wse_x \- ...").
awk -v out="$out.tmp" -v date="$date" -v version="$version" '
	# The prototype kernel-doc writes as
	#   .B "int" wse_x
	#   .BI "(struct wse_device *dev "  ","
	#   .BI "uint32_t x "  ");"
	# in the man-pages style: type in bold, parameter names in italics,
	# one parameter per line under the first. Returns the last line used.
	function synopsis(i, file,   m, head, pad, p, type, arg, end, first) {
		if (!match(l[i], /^\.B "[^"]*" wse_[a-z0-9_]+$/)) {
			for (; i <= nl && l[i] !~ /^\.SH /; i++)
				print l[i] > file
			return i - 1
		}
		head = l[i]
		sub(/^\.B "/, "", head)
		m = index(head, "\" ")
		type = substr(head, 1, m - 1)
		head = type (type ~ /\*$/ ? "" : " ") substr(head, m + 2) "("
		pad = sprintf("%*s", length(head), "")
		first = 1
		for (i++; i <= nl && l[i] ~ /^\.BI "/; i++) {
			p = l[i]
			sub(/^\.BI "\(?/, "", p)
			end = (p ~ /"\);"$/) ? ");" : ","
			sub(/ "  "(,|\);)"$/, "", p)
			if (p == "void") {
				printf ".B \"%svoid);\"\n", head > file
				return i
			}
			if (match(p, /[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?$/)) {
				arg = substr(p, RSTART)
				type = substr(p, 1, RSTART - 1)
			} else {
				arg = ""; type = p
			}
			printf ".BI \"%s%s\" %s %s\n", first ? head : pad, type, arg, end > file
			first = 0
			if (end == ");")
				return i
		}
		return i - 1
	}

	function flush(   i, name, file, kind, see, n, seen, ref, rest) {
		if (!nl)
			return
		name = ""; kind = ""
		for (i = 1; i <= nl; i++)
			if (l[i] == ".SH NAME") {
				name = l[i + 1]
				sub(/ \\-.*/, "", name)
				break
			}
		if (name ~ /^(struct|enum|union|typedef) /) {
			# The page of a type is named after the type alone, in
			# NAME too (what whatis and apropos read).
			sub(/^[a-z]+ /, "", name); kind = "3type"
			sub(/^[a-z]+ /, "", l[i + 1])
		} else {
			kind = "3"
		}
		if (name == "") {
			print "man3: a page without a NAME" > "/dev/stderr"
			exit 1
		}
		file = out "/" name "." kind
		printf ".TH %s %s %s \"libwse %s\" \"libwse Manual\"\n", name, kind, date, version > file
		print ".nh" > file
		print ".ad l" > file
		n = 0; delete seen
		for (i = 2; i <= nl; i++) {
			# kernel-doc names a function as "\fBwse_x\fP": add the ()
			gsub(/\\fBwse_[a-z0-9_]+\\fP/, "&()", l[i])
			if (l[i] == ".SH SYNOPSIS") {
				print l[i] > file
				print ".nf" > file
				print ".B #include <wse/wse.h>" > file
				print ".PP" > file
				i = synopsis(i + 1, file)
				print ".fi" > file
				continue
			}
			# A function without parameters: kernel-doc writes an
			# ARGUMENTS section saying "void: no arguments".
			if (l[i] == ".SH ARGUMENTS" && l[i + 1] == ".IP \"void\" 12" &&
			    l[i + 2] == "no arguments") {
				i += 2
				continue
			}
			print l[i] > file
			# Functions the page names: \fBwse_x\fP
			rest = l[i]
			while (match(rest, /\\fBwse_[a-z0-9_]+\\fP/)) {
				ref = substr(rest, RSTART + 3, RLENGTH - 6)
				rest = substr(rest, RSTART + RLENGTH)
				if (ref != name && !(ref in seen)) {
					seen[ref] = 1; see[++n] = ref
				}
			}
		}
		print ".SH LIBRARY" > file
		print "libwse (\\fI\\-lwse\\fP; \\fBpkg\\-config \\-\\-cflags \\-\\-libs libwse\\fP)" > file
		print ".SH SEE ALSO" > file
		for (i = 1; i <= n; i++)
			printf ".BR %s (3),\n", see[i] > file
		print ".BR wse (7)" > file
		close(file)
		print name "." kind
		nl = 0
	}
	/^\.TH / { flush() }
	{ l[++nl] = $0 }
	END { flush() }
' "$tmp/all"
rm -rf "$out"
mv "$out.tmp" "$out"
