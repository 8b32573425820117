#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host test of tools/debian-kernel's choice of a release, with no network:
# stub apt-cache and apt-get on PATH play an archive (the packages listed in
# $STUB_ARCHIVE, "name version" a line) and build tiny real .debs on
# download, so the script's unpack and depmod run for real. Each case sets
# the archive up, runs the script, and checks the release it printed, what
# it said, and its exit status. Ends with "N passed, N failed".

# shellcheck source=lib.bash
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.bash"

# --- the stubs ---------------------------------------------------------------

mkdir -p "$tmp/bin"
cat >"$tmp/bin/apt-cache" <<'STUB'
#!/bin/bash
# search --names-only RE | policy PKG | depends PKG, over $STUB_ARCHIVE.
set -u
version() { awk -v p="$1" '$1 == p { print $2; f = 1 } END { exit !f }' "$STUB_ARCHIVE"; }
case "$1" in
search)
	cut -d' ' -f1 "$STUB_ARCHIVE" | grep -E -- "$3" | sed 's/$/ - stub/'
	;;
policy)
	echo "$2:"
	if v=$(version "$2"); then
		echo "  Candidate: $v"
	else
		echo "  Candidate: (none)"
	fi
	;;
depends)
	rel=${2#linux-headers-}
	base=${rel%-amd64}
	echo "$2"
	echo "  Depends: linux-base"
	echo "  Depends: linux-headers-$base-common"
	echo "  Depends: linux-kbuild-${base%+deb12}"
	echo "  Depends: gcc-12"
	;;
esac
STUB
cat >"$tmp/bin/apt-get" <<'STUB'
#!/bin/bash
# update (exit $STUB_UPDATE_RC) | download [-q] PKG...: a tiny real .deb each
set -u
case "$1" in
update) exit "${STUB_UPDATE_RC:-0}" ;;
download) shift ;;
*) exit 100 ;;
esac
[ "${STUB_DOWNLOAD_RC:-0}" = 0 ] || exit "$STUB_DOWNLOAD_RC"
for p in "$@"; do
	[ "$p" = -q ] && continue
	ver=$(awk -v p="$p" '$1 == p { print $2; f = 1 } END { exit !f }' "$STUB_ARCHIVE") ||
		{ echo "E: Can't select candidate version from package $p" >&2; exit 100; }
	d=$(mktemp -d)
	mkdir -p "$d/DEBIAN"
	printf 'Package: %s\nVersion: %s\nArchitecture: amd64\nMaintainer: stub <s@x>\nDescription: stub\n' \
		"$p" "$ver" >"$d/DEBIAN/control"
	case "$p" in
	linux-headers-*-common)
		mkdir -p "$d/usr/src/$p"
		echo '# common' >"$d/usr/src/$p/Makefile"
		;;
	linux-headers-*)
		rel=${p#linux-headers-}
		mkdir -p "$d/usr/src/$p"
		echo "include /usr/src/linux-headers-${rel%-amd64}-common/Makefile" >"$d/usr/src/$p/Makefile"
		;;
	linux-image-*)
		rel=${p#linux-image-}
		rel=${rel%-unsigned}
		mkdir -p "$d/boot" "$d/lib/modules/$rel/kernel"
		echo "$p" >"$d/boot/vmlinuz-$rel"
		: >"$d/lib/modules/$rel/modules.order"
		: >"$d/lib/modules/$rel/modules.builtin"
		;;
	linux-kbuild-*)
		mkdir -p "$d/usr/lib/$p"
		;;
	esac
	dpkg-deb -Znone --build "$d" "./${p}_${ver}_amd64.deb" >/dev/null || exit 100
	rm -rf "$d"
done
STUB
chmod +x "$tmp/bin/apt-cache" "$tmp/bin/apt-get"

# archive RELEASE:PARTS...: PARTS is h (headers, -common, kbuild), s (signed
# image), u (-unsigned image), or a combination.
archive() {
	local spec rel parts base
	: >"$STUB_ARCHIVE"
	for spec in "$@"; do
		rel=${spec%%:*}
		parts=${spec#*:}
		base=${rel%-amd64}
		if [[ $parts == *h* ]]; then
			printf '%s 1\n' "linux-headers-$rel" "linux-headers-$base-common" \
				"linux-kbuild-${base%+deb12}" >>"$STUB_ARCHIVE"
		fi
		[[ $parts != *s* ]] || echo "linux-image-$rel 1" >>"$STUB_ARCHIVE"
		[[ $parts != *u* ]] || echo "linux-image-$rel-unsigned 1" >>"$STUB_ARCHIVE"
	done
}

# run ARGS...: tools/debian-kernel with the stubs; sets rc, out, err.
run() {
	rc=0
	out=$(PATH="$tmp/bin:$PATH" VLO_CACHE="$cache" VLO_APT_LISTS="$lists" \
		"$repo/tools/debian-kernel" "$@" 2>"$tmp/err") || rc=$?
	err=$(cat "$tmp/err")
}

# expect NAME RC RELEASE [STDERR-PATTERN...]
expect() {
	local name=$1 want_rc=$2 want_rel=$3 got_rel pat
	shift 3
	got_rel=$(sed -n 's|^KDIR=.*/linux-headers-||p' <<<"$out")
	if [ "$rc" != "$want_rc" ] || [ "$got_rel" != "$want_rel" ]; then
		bad "$name" "exit $rc (want $want_rc), release '$got_rel' (want '$want_rel')" "$err"
		return
	fi
	for pat in "$@"; do
		grep -qE -- "$pat" <<<"$err" || { bad "$name" "stderr lacks /$pat/:" "$err"; return; }
	done
	ok "$name"
}

fresh_case() {
	cache=$tmp/cache.$1
	lists=$tmp/lists.$1
	mkdir -p "$lists"
	: >"$lists/stub_Packages" # fresh: no apt-get update
	export STUB_ARCHIVE=$tmp/archive.$1 STUB_UPDATE_RC=0 STUB_DOWNLOAD_RC=0
}

# --- the cases ---------------------------------------------------------------

# 1. As the archive looked on 2026-12-03: 6.12.118's headers and -unsigned
# image, no signed image yet; 6.12.117 complete.
fresh_case today
archive 6.12.118+deb12-amd64:hu 6.12.117+deb12-amd64:hsu
run 6.12
expect "today: the newest release, through its -unsigned image" 0 6.12.118+deb12-amd64 \
	'downloading .*linux-image-6\.12\.118\+deb12-amd64-unsigned'
check "today: the -unsigned image is unpacked" grep -qx linux-image-6.12.118+deb12-amd64-unsigned \
	"$cache/debian/6.12.118+deb12-amd64/root/boot/vmlinuz-6.12.118+deb12-amd64"
run 6.12
expect "today: a second run finds it unpacked" 0 6.12.118+deb12-amd64
check "today: a second run downloads nothing" [ -z "$err" ]

# 2. The signed image preferred when both are there.
fresh_case both
archive 6.12.118+deb12-amd64:hsu
run 6.12
expect "signed and -unsigned: the signed image" 0 6.12.118+deb12-amd64 \
	'downloading .*linux-image-6\.12\.118\+deb12-amd64( |$)'

# 3. Headers newer than every image: passed over, one line each.
fresh_case newer
archive 6.12.119+deb12-amd64:h 6.12.118+deb12-amd64:h 6.12.117+deb12-amd64:hs
run 6.12
expect "headers newer than every image: the newest with an image" 0 6.12.117+deb12-amd64 \
	'6\.12\.119\+deb12-amd64: passed over: headers but no linux-image' \
	'6\.12\.118\+deb12-amd64: passed over: headers but no linux-image'
run --headers 6.12
expect "--headers: the newest headers, image or not" 0 6.12.119+deb12-amd64
run --list 6.12
check "--list: each release and its image" [ "$out" = "$(printf '%s\t%s\n' \
	6.12.119+deb12-amd64 - 6.12.118+deb12-amd64 - \
	6.12.117+deb12-amd64 linux-image-6.12.117+deb12-amd64)" ]
run 6.12.118+deb12-amd64
expect "a named release with no image: refused, saying why" 1 '' \
	'6\.12\.118\+deb12-amd64: cannot be fetched: headers but no linux-image'

# 4. Nothing can be fetched (update fails, lists empty) but the cache has a
# complete release of the series: used, and said so.
fresh_case offline
archive 6.12.117+deb12-amd64:hs 6.12.115+deb12-amd64:hs
run 6.12.115+deb12-amd64 >/dev/null
run 6.12
expect "offline set-up: 6.12.117 unpacked" 0 6.12.117+deb12-amd64
rm -f "$lists/stub_Packages"
touch -d '3 days ago' "$lists"
: >"$STUB_ARCHIVE"
STUB_UPDATE_RC=100
run 6.12
expect "nothing fetchable: the newest unpacked release, said so" 0 6.12.117+deb12-amd64 \
	'apt-get update failed' 'no 6\.12 release can be fetched now; using 6\.12\.117\+deb12-amd64'
run 6.1
expect "nothing fetchable, nothing unpacked of 6.1: an error" 1 '' \
	'no 6\.1 release can be fetched now .* none is unpacked'

# 5. Listed but the download fails (archive mid-update): the cache again.
fresh_case midupdate
archive 6.12.117+deb12-amd64:hs
run 6.12 >/dev/null
archive 6.12.118+deb12-amd64:hs 6.12.117+deb12-amd64:hs
STUB_DOWNLOAD_RC=100
run 6.12
expect "download fails: the newest unpacked release, said so" 0 6.12.117+deb12-amd64 \
	'6\.12\.118\+deb12-amd64: apt-get download failed; using 6\.12\.117'

# 6. Nothing at all: the error names what was tried.
fresh_case none
archive 6.12.118+deb12-amd64:h
run 6.12
expect "nothing at all: the error names what was tried" 1 '' \
	'tried: 6\.12\.118\+deb12-amd64 \(headers but no linux-image'

summary
