#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/setup.sh takes bookworm-backports from the mirror the machine's
# own apt sources use, in both formats apt reads (deb822 .sources, one-line
# .list), adds only the types (deb, deb-src) nobody provides yet, and says
# what to do when it finds no mirror. Runs `setup.sh --print-backports`
# against apt configurations made up in a temporary directory. Prints TAP.
set -uo pipefail

top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
setup=$top/scripts/setup.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

# etc NAME: a fresh apt configuration directory
etc() {
	rm -rf "$tmp/$1"
	mkdir -p "$tmp/$1/sources.list.d"
	echo "$tmp/$1"
}

# expect NAME DIR WANT: the stanza setup would write is WANT
expect() {
	local name=$1 dir=$2 want=$3 got
	n=$((n + 1))
	got=$(APT_ETC=$dir WSE_DEBIAN_MIRROR= "$setup" --print-backports 2>&1)
	if [ "$got" = "$want" ]; then
		echo "ok $n $name"
	else
		echo "# want: $(printf '%s' "$want" | tr '\n' '|')"
		echo "# got:  $(printf '%s' "$got" | tr '\n' '|')"
		echo "not ok $n $name"
		fails=$((fails + 1))
	fi
}

stanza() {
	printf 'Types: %s\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: %s' \
		"$1" "$2" "${3:-/usr/share/keyrings/debian-archive-keyring.gpg}"
}

echo "TAP version 13"
echo "1..9"

# Debian 12's own layout: deb822, with a commented snapshot URI that must
# not be taken, a security stanza and an unrelated third-party source.
d=$(etc deb822)
cat >"$d/sources.list.d/debian.sources" <<'EOF'
Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://mirror.example.net/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://security.example.net/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
cat >"$d/sources.list.d/vendor.sources" <<'EOF'
Types: deb
URIs: https://vendor.example.com/apt
Suites: nodistro
Components: main
EOF
expect "deb822 sources: the bookworm stanza's mirror" "$d" \
	"$(stanza 'deb deb-src' http://mirror.example.net/debian)"

# The classic one-line format with options and another keyring.
d=$(etc oneline)
cat >"$d/sources.list" <<'EOF'
# deb http://wrong.example.org/debian bookworm main
deb http://security.example.net/debian-security bookworm-security main
deb [arch=amd64 signed-by=/etc/apt/keyrings/local.gpg] http://apt-cache.lan:3142/debian bookworm main contrib
EOF
expect "one-line sources.list: options and signed-by kept" "$d" \
	"$(stanza 'deb deb-src' http://apt-cache.lan:3142/debian /etc/apt/keyrings/local.gpg)"

# A disabled stanza does not count; a later enabled one does.
d=$(etc disabled)
cat >"$d/sources.list.d/a.sources" <<'EOF'
Enabled: no
Types: deb
URIs: http://old.example.net/debian
Suites: bookworm
Components: main

Types: deb
URIs: http://new.example.net/debian
Suites: bookworm
Components: main
EOF
expect "Enabled: no is skipped" "$d" "$(stanza 'deb deb-src' http://new.example.net/debian)"

# Backports already there for deb only: add deb-src alone.
d=$(etc halfbp)
cat >"$d/sources.list" <<'EOF'
deb http://mirror.example.net/debian bookworm main
deb http://mirror.example.net/debian bookworm-backports main
EOF
expect "existing backports deb: only deb-src is added" "$d" \
	"$(stanza deb-src http://mirror.example.net/debian)"

# Both types present: nothing to add.
d=$(etc fullbp)
cat >"$d/sources.list.d/bp.sources" <<'EOF'
Types: deb deb-src
URIs: http://mirror.example.net/debian
Suites: bookworm bookworm-backports
Components: main
EOF
expect "existing backports deb + deb-src: nothing to add" "$d" ""

# Our own file does not count as the machine's: it is recomputed (here
# from a mirror that changed since it was written).
d=$(etc ours)
cat >"$d/sources.list" <<'EOF'
deb http://moved.example.net/debian bookworm main
EOF
stanza 'deb deb-src' http://deb.debian.org/debian >"$d/sources.list.d/wse-bookworm-backports.sources"
expect "our own backports file is recomputed" "$d" \
	"$(stanza 'deb deb-src' http://moved.example.net/debian)"

# Debian's cloud images: apt's mirror+file URI is kept as it is.
d=$(etc cloud)
cat >"$d/sources.list.d/debian.sources" <<'EOF'
Types: deb deb-src
URIs: mirror+file:///etc/apt/mirrors/debian.list
Suites: bookworm bookworm-updates bookworm-backports
Components: main
EOF
expect "mirror+file sources with backports: nothing to add" "$d" ""

# No bookworm source at all: a clear error naming the way out.
d=$(etc none)
n=$((n + 1))
out=$(APT_ETC=$d WSE_DEBIAN_MIRROR= "$setup" --print-backports 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q 'WSE_DEBIAN_MIRROR' <<<"$out"; then
	echo "ok $n no bookworm source: fails and names WSE_DEBIAN_MIRROR"
else
	echo "# rc=$rc: $out"
	echo "not ok $n no bookworm source: fails and names WSE_DEBIAN_MIRROR"
	fails=$((fails + 1))
fi

# WSE_DEBIAN_MIRROR overrides the machine's mirror.
n=$((n + 1))
out=$(APT_ETC=$d WSE_DEBIAN_MIRROR=http://override.example.net/debian "$setup" --print-backports 2>&1)
if [ "$out" = "$(stanza 'deb deb-src' http://override.example.net/debian)" ]; then
	echo "ok $n WSE_DEBIAN_MIRROR overrides"
else
	echo "# got: $out"
	echo "not ok $n WSE_DEBIAN_MIRROR overrides"
	fails=$((fails + 1))
fi
[ $fails -eq 0 ]
