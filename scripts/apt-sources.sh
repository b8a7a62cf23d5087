# SPDX-License-Identifier: GPL-2.0
#
# Read the machine's own apt sources, so that what we add (the
# bookworm-backports source, a debootstrap root) goes where the machine
# already goes: a local mirror, a proxy, a snapshot. Sourced by
# scripts/setup.sh and scripts/check-packages.sh (bash).
#
# Both formats apt reads: deb822 stanzas in sources.list.d/*.sources and
# one-line entries in sources.list and sources.list.d/*.list.
#
#   APT_ETC   apt's configuration directory (default /etc/apt; tests point
#             it at a directory of their own)

APT_ETC=${APT_ETC:-/etc/apt}

# apt_source_entries [SKIP_FILE]: one line per enabled source,
# "<type>\t<uri>\t<suite>\t<signed-by>", for every type, URI and suite of
# every entry. SKIP_FILE (our own backports file) is left out.
apt_source_entries() {
	local skip=${1:-} f
	for f in "$APT_ETC"/sources.list.d/*.sources; do
		[ -f "$f" ] && [ "$f" != "$skip" ] || continue
		# Stanzas are separated by blank lines; fields may continue
		# on indented lines; '#' starts a comment line.
		awk '
			function flush(   t, u, s, nt, nu, ns, i, j, k, tt, uu, ss) {
				if (types != "" && uris != "" && suites != "" &&
				    tolower(enabled) != "no") {
					nt = split(types, tt, /[ \t]+/)
					nu = split(uris, uu, /[ \t]+/)
					ns = split(suites, ss, /[ \t]+/)
					for (i = 1; i <= nt; i++)
						for (j = 1; j <= nu; j++)
							for (k = 1; k <= ns; k++)
								if (tt[i] != "" && uu[j] != "" && ss[k] != "")
									printf "%s\t%s\t%s\t%s\n", tt[i], uu[j], ss[k], signed
				}
				types = uris = suites = signed = last = ""; enabled = "yes"
			}
			BEGIN { enabled = "yes" }
			/^#/ { next }
			/^[ \t]*$/ { flush(); next }
			/^[ \t]/ {
				v = $0; sub(/^[ \t]+/, "", v)
				if (last == "types") types = types " " v
				else if (last == "uris") uris = uris " " v
				else if (last == "suites") suites = suites " " v
				next
			}
			{
				key = tolower($0); sub(/:.*/, "", key)
				v = $0; sub(/^[^:]*:[ \t]*/, "", v); sub(/[ \t]+$/, "", v)
				last = key
				if (key == "types") types = v
				else if (key == "uris") uris = v
				else if (key == "suites") suites = v
				else if (key == "enabled") enabled = v
				else if (key == "signed-by") signed = v
			}
			END { flush() }
		' "$f"
	done
	for f in "$APT_ETC"/sources.list "$APT_ETC"/sources.list.d/*.list; do
		[ -f "$f" ] && [ "$f" != "$skip" ] || continue
		# deb [opt=val ...] uri suite component...
		awk '
			/^[ \t]*(deb|deb-src)[ \t]/ {
				line = $0; signed = ""
				if (match(line, /\[[^]]*\]/)) {
					opts = substr(line, RSTART + 1, RLENGTH - 2)
					line = substr(line, 1, RSTART - 1) substr(line, RSTART + RLENGTH)
					if (match(opts, /signed-by=[^ \t]+/))
						signed = substr(opts, RSTART + 10, RLENGTH - 10)
				}
				n = split(line, w, /[ \t]+/)
				i = (w[1] == "") ? 2 : 1
				if (n >= i + 2)
					printf "%s\t%s\t%s\t%s\n", w[i], w[i + 1], w[i + 2], signed
			}
		' "$f"
	done
}

# apt_debian_mirror: "<uri>\t<signed-by>" of the first source of
# bookworm itself (type deb), or nothing. Its URI is the mirror to use
# for bookworm-backports and for debootstrap.
apt_debian_mirror() {
	apt_source_entries | awk -F'\t' '$1 == "deb" && $3 == "bookworm" {
		print $2 "\t" $4; exit }'
}

# apt_has_suite TYPE SUITE [SKIP_FILE]: is SUITE configured for TYPE?
apt_has_suite() {
	apt_source_entries "${3:-}" | awk -F'\t' -v t="$1" -v s="$2" '
		$1 == t && $3 == s { found = 1 } END { exit !found }'
}

# apt_plain_uri URI: an http(s)/file URI debootstrap can use. apt's
# "mirror+file:/path" (Debian's cloud images) names a file listing
# mirrors: take its first.
apt_plain_uri() {
	local uri=$1 list
	case "$uri" in
	mirror+file:*|mirror:file:*)
		list=${uri#mirror+file:}
		list=${list#mirror:file:}
		list=${list#//}
		sed -n 's/^[ \t]*\([a-z+]*:[^ \t]*\).*/\1/p' "$list" 2>/dev/null | head -n1
		;;
	*)
		echo "$uri"
		;;
	esac
}
