#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Packaging: `make dkms-install` builds and installs vlo through DKMS against
# the running kernel's headers, `modprobe vlo` loads that copy, and
# `make dkms-uninstall` leaves no file behind; the same for `make install` /
# `make uninstall`. The DKMS half builds the module under TCG (minutes), so
# make check runs it on its second kernel only: on the first, vlo_deb.sh
# builds through DKMS from the Debian package (VLO_DKMS_VIA, see
# tools/check; unset, both run). The guest's root is read-only: the paths
# they write get an overlay (the host's files below, a tmpfs above), so "no
# file left" is "nothing left in the overlay's upper layer" besides depmod's
# indexes, which must come back identical.

source "$(dirname "$0")/lib.sh"

require_cmd dkms depmod modprobe modinfo make gcc systemd-analyze
rel=$(uname -r)
[ -d "/lib/modules/$rel/build/" ] || skip "no headers for $rel (/lib/modules/$rel/build)"
grep -qw overlay /proc/filesystems || modprobe overlay ||
	skip "no overlayfs in this kernel"
[ "$(vlo_loaded)" = no ] || rmmod vlo

moddir=/lib/modules/$rel
work=$(mktemp -d /tmp/vlo_pkg.XXXXXX)
mount -t tmpfs tmpfs "$work"
overlays=()

# overlay DIR: DIR becomes writable; its writes land in $work/upper/DIR, the
# files below stay visible in $work/lower/DIR.
overlay() {
	local lo=$work/lower$1 up=$work/upper$1 wk=$work/work$1
	mkdir -p "$lo" "$up" "$wk" "$1"
	mount --bind "$1" "$lo"
	overlays+=("$lo")
	mount -t overlay overlay -o "lowerdir=$lo,upperdir=$up,workdir=$wk" "$1"
	overlays+=("$1")
}

# shellcheck disable=SC2317 # called by the trap
pkg_cleanup() {
	set +e
	[ "$(vlo_loaded)" = no ] || modprobe -r vlo || rmmod vlo
	dkms remove "vlo/$VLO_VERSION" --all >/dev/null 2>&1
	# The overlay on the library directory stays busy while anything runs
	# (umount itself maps libc through it): those are detached lazily.
	local i
	for ((i = ${#overlays[@]} - 1; i >= 0; i--)); do
		umount "${overlays[i]}" 2>/dev/null || umount -l "${overlays[i]}" ||
			echo "# cleanup: umount ${overlays[i]} failed"
	done
	{ umount "$work" 2>/dev/null || umount -l "$work"; } && rmdir "$work"
}
# Then lib.sh's _cleanup, with the test's exit status.
# shellcheck disable=SC2317 # the trap
pkg_exit() {
	local rc=$?
	pkg_cleanup
	(exit "$rc")
	_cleanup
}
trap pkg_exit EXIT

# /var/lib is already a tmpfs in the VM; /var/lib/dkms gets one to itself.
mkdir -p /var/lib/dkms
# make install also puts link_vlo.so where Debian's ip looks for it.
iplibdir=/usr/lib/$(cc -print-multiarch)/ip
for d in /usr/src "$moddir" /usr/local /var/lib/dkms "${iplibdir%/ip}"; do
	overlay "$d"
done

indexes() { (cd "$moddir" && sha256sum modules.*); }
indexes_before=$(indexes)

# What is left in the upper layers: anything but directories the lower layer
# has too (overlayfs copies those up), depmod's rewritten indexes (compared
# separately) and the signing key DKMS makes itself on its first build.
leftovers() {
	local p
	(cd "$work/upper" && find . -mindepth 1 | sort) | while read -r p; do
		p=${p#.}
		[ -d "$work/upper$p" ] && [ ! -L "$work/upper$p" ] &&
			[ -d "$work/lower$p" ] && continue
		case "$p" in
		"$moddir"/modules.* | /var/lib/dkms/mok.key | /var/lib/dkms/mok.pub) continue ;;
		esac
		echo "$p"
	done
}

# run_make TARGET: one check; make's output as its diagnostics if it fails.
run_make() {
	local out rc=0 t=$SECONDS
	out=$(make --no-print-directory "$1" 2>&1) || rc=$?
	echo "# make $1: $((SECONDS - t)) s"
	if [ "$rc" -eq 0 ]; then _result 1 "make $1"; else
		mapfile -t lines <<<"$out"
		_result 0 "make $1" "exit $rc" "${lines[@]}"
	fi
}

cd "$VLO_REPO" || exit 1

# --- DKMS ---------------------------------------------------------------------

if [ "${VLO_DKMS_VIA:-both}" != deb ]; then
	# DKMS compresses the module as the kernel's own modules are (Debian's
	# 6.12: xz), by the kernel's config.
	case "$(grep -E '^CONFIG_MODULE_COMPRESS_(XZ|ZSTD|GZIP)=y' "$moddir/build/.config" || true)" in
	*XZ=y) dkms_ko=vlo.ko.xz ;;
	*ZSTD=y) dkms_ko=vlo.ko.zst ;;
	*GZIP=y) dkms_ko=vlo.ko.gz ;;
	*) dkms_ko=vlo.ko ;;
	esac

	run_make dkms-install
	# Line by line, not as a regex: a release like 6.12.117+deb12-amd64 has a +.
	check_eq "dkms status: installed for $rel" 1 \
		"$(dkms status vlo | grep -cxF "vlo/$VLO_VERSION, $rel, $(uname -m): installed" || true)"
	check_eq "sources in /usr/src/vlo-$VLO_VERSION" \
		"Kbuild dkms.conf module/Kbuild" \
		"$(cd "/usr/src/vlo-$VLO_VERSION" && echo Kbuild dkms.conf module/Kbuild | xargs ls -d 2>&1 | xargs)"
	check_eq "modinfo -n vlo: the DKMS copy" "$moddir/updates/dkms/$dkms_ko" \
		"$(modinfo -n vlo 2>&1)"
	check_eq "its version is dkms.conf's" "$VLO_VERSION" "$(modinfo -F version vlo 2>&1)"
	check_ok "modprobe vlo" modprobe vlo
	check_ok "vlo0 exists" ip link show vlo0
	check_eq "/sys/module/vlo/version" "$VLO_VERSION" "$(cat /sys/module/vlo/version 2>&1)"
	check_ok "modprobe -r vlo" modprobe -r vlo
	check_eq "unloaded" no "$(vlo_loaded)"
	check_fail "make install refuses while the DKMS copy is installed" make install

	run_make dkms-uninstall
	check_eq "dkms status: no vlo" "" "$(dkms status vlo)"
	check_fail "modinfo vlo: not found" modinfo vlo
	check_eq "dkms-uninstall leaves no file" "" "$(leftovers)"
	check_eq "depmod's indexes as before" "$indexes_before" "$(indexes)"
else
	echo "# DKMS half not run here (VLO_DKMS_VIA=deb: vlo_deb.sh builds through DKMS on this kernel)"
fi

# --- make install ---------------------------------------------------------------

run_make install
check_eq "modinfo -n vlo: extra/" "$moddir/extra/vlo.ko" "$(modinfo -n vlo 2>&1)"
check_ok "vloctl in /usr/local/sbin" test -x /usr/local/sbin/vloctl
check_ok "man page in /usr/local/share/man/man8" test -f /usr/local/share/man/man8/vloctl.8
check_ok "link_vlo.so in $iplibdir" test -f "$iplibdir/link_vlo.so"
check_eq "ip finds it without IP_LIB_DIR" \
	"Usage: ... vlo [ accounting { on | off } ] [ carry { on | off } ]" \
	"$(env -u IP_LIB_DIR ip link help vlo 2>&1 | head -n 1)"
check_ok "modprobe vlo numdevs=2" modprobe vlo numdevs=2
check_ok "vlo1 exists" ip link show vlo1
check_ok "ip link set vlo1 type vlo accounting off" \
	env -u IP_LIB_DIR ip link set vlo1 type vlo accounting off
check_eq "... and sysfs agrees" 0 "$(cat /sys/class/net/vlo1/vlo/accounting)"
check_match "vloctl --version" "$VLO_VERSION" "$(/usr/local/sbin/vloctl --version 2>&1)"
check_ok "vlo-setup in /usr/local/sbin" test -x /usr/local/sbin/vlo-setup
# systemd looks up a unit's command without a directory in /usr/local/sbin
for unit in "$VLO_REPO"/packaging/systemd/system/*; do
	run systemd-analyze verify "$unit"
	check_run "systemd-analyze verify ${unit##*/} (make install)" 0 "" ""
done
check_ok "modprobe -r vlo" modprobe -r vlo
check_fail "make dkms-install refuses while make install's copy is there" make dkms-install

run_make uninstall
check_fail "modinfo vlo: not found" modinfo vlo
check_fail "no vloctl" test -e /usr/local/sbin/vloctl
check_fail "no vlo-setup" test -e /usr/local/sbin/vlo-setup
check_fail "no link_vlo.so" test -e "$iplibdir/link_vlo.so"
check_eq "uninstall leaves no file" "" "$(leftovers)"
check_eq "depmod's indexes as before" "$indexes_before" "$(indexes)"

test_done
