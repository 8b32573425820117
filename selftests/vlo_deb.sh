#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Debian packages (make deb, built on the host before the VM boots):
# `dpkg -i vlo-dkms_*.deb vloctl_*.deb` has DKMS build vlo for the running
# kernel, `modprobe vlo` loads that build, ip link creates a device with
# the packaged plugin, it counts a ping exactly and the packaged vloctl and
# plugin read the counters; `dpkg --purge` of both leaves nothing in /usr
# (so nothing in /usr/src or /lib/modules but depmod's indexes, which must
# come back identical) nor in /etc.
#
# dpkg rather than apt-get: what is tested is the packages (their files,
# maintainer scripts, DKMS), and dpkg still refuses them if their Depends
# are not installed. apt-get would add its resolver over the host's package
# lists, which an apt-get update on the host may rewrite during the run,
# and half a minute of building its cache under TCG.
#
# The guest's root is the host's, read-only, with a tmpfs on /var/lib: each
# of /usr, /etc, /var and the running kernel's modules dir gets an overlay
# whose lower layer is the host's directory itself (its dpkg database and
# apt lists included), so the packages install as on the host, and what they
# leave is what is in the overlays' upper layers.

source "$(dirname "$0")/lib.sh"

require_cmd dpkg dkms depmod modprobe modinfo make cc jq ping ip systemd-analyze
rel=$(uname -r)
moddir=/lib/modules/$rel
# Both in regular expressions: Debian's 6.12 releases have a '+'.
rel_re=${rel//./\\.}
rel_re=${rel_re//+/\\+}
moddir_re=/lib/modules/$rel_re
[ -d "$moddir/build/" ] || skip "no headers for $rel ($moddir/build)"
# One DKMS build per kernel in make check: on this one vlo_pkg.sh's
# `make dkms-install` makes it (VLO_DKMS_VIA, see tools/check).
[ "${VLO_DKMS_VIA:-both}" != pkg ] ||
	skip "VLO_DKMS_VIA=pkg: vlo_pkg.sh builds through DKMS on this kernel"
grep -qw overlay /proc/filesystems || modprobe overlay ||
	skip "no overlayfs in this kernel"

arch=$(dpkg --print-architecture)
deb_dkms=$VLO_REPO/build/deb/vlo-dkms_${VLO_VERSION}_all.deb
deb_ctl=$VLO_REPO/build/deb/vloctl_${VLO_VERSION}_$arch.deb
for d in "$deb_dkms" "$deb_ctl"; do
	if [ ! -e "$d" ]; then
		_result 0 "${d#"$VLO_REPO"/} is built" \
			"run 'make deb' on the host first (make check does it)"
		test_done
	fi
done
[ "$(vlo_loaded)" = no ] || rmmod vlo

work=$(mktemp -d /tmp/vlo_deb.XXXXXX)
mount -t tmpfs tmpfs "$work"
mounts=()

# Every lower layer is taken before any overlay is mounted: a plain bind
# of /var is the host's /var, without the guest's tmpfs on /var/lib, and a
# bind of the modules dir is whatever the VM put there (another kernel's
# tree, with VLO_VM_MODULES).
dirs=(/etc /var /usr "$moddir")
for d in "${dirs[@]}"; do
	mkdir -p "$work/lower$d" "$work/upper$d" "$work/work$d"
	mount --bind "$d" "$work/lower$d"
	mounts+=("$work/lower$d")
done
for d in "${dirs[@]}"; do
	mkdir -p "$d"
	mount -t overlay overlay \
		-o "lowerdir=$work/lower$d,upperdir=$work/upper$d,workdir=$work/work$d" "$d"
	mounts+=("$d")
done

# shellcheck disable=SC2317 # called by the trap
deb_cleanup() {
	set +e
	[ "$(vlo_loaded)" = no ] || modprobe -r vlo || rmmod vlo
	local i
	# Lazily: umount itself runs from /usr, so from the overlay it takes
	# off, which stays busy until umount exits.
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount -l "${mounts[i]}" || echo "# cleanup: umount ${mounts[i]} failed"
	done
	umount "$work" && rmdir "$work"
}
on_exit deb_cleanup

indexes() { (cd "$moddir" && sha256sum modules.*); }
indexes_before=$(indexes)

# What the packages left under DIR: anything in its upper layer but the
# directories the lower layer has too (overlayfs copies those up), the
# modules dir's mount point and depmod's rewritten indexes (compared on
# their own).
leftovers() {
	local p
	(cd "$work/upper$1" && find . -mindepth 1 | sort) | while read -r p; do
		p=$1${p#.}
		[ -d "$work/upper$p" ] && [ ! -L "$work/upper$p" ] &&
			[ -d "$work/lower$p" ] && continue
		case "$p" in
		"$moddir"/modules.* | "/usr$moddir") continue ;;
		esac
		echo "$p"
	done
}

# timed DESC CMD...: one check; CMD's output as its diagnostics if it
# fails, and how long it took.
timed() {
	local desc=$1 out rc=0 t=$SECONDS
	shift
	out=$("$@" 2>&1) || rc=$?
	echo "# $desc: $((SECONDS - t)) s"
	if [ "$rc" -eq 0 ]; then _result 1 "$desc"; else
		mapfile -t lines <<<"$out"
		_result 0 "$desc" "'$*' exited $rc" "${lines[@]}"
	fi
}

# dkms's maintainer scripts ask debconf (about Secure Boot keys); the
# man-db trigger would rebuild the whole manual index under TCG.
export DEBIAN_FRONTEND=noninteractive
rm -f /var/lib/man-db/auto-update

# --- install: DKMS builds the module ------------------------------------------

timed "dpkg -i vlo-dkms vloctl" dpkg -i "$deb_dkms" "$deb_ctl"
for p in vlo-dkms vloctl; do
	check_eq "dpkg: $p $VLO_VERSION installed" "install ok installed $VLO_VERSION" \
		"$(dpkg-query -W -f '${Status} ${Version}' $p 2>&1)"
done
# (dkms status warns on stderr about the kernel's readelf sections.)
check_match "dkms status: built and installed for $rel" \
	"^vlo/$VLO_VERSION, $rel_re, [^:]*: installed" "$(dkms status vlo 2>/dev/null)"
check_eq "dkms status: nothing but installed builds" "" \
	"$(dkms status vlo 2>/dev/null | grep -v ': installed' || true)"
for f in Kbuild dkms.conf include/uapi/linux/vlo.h module/Kbuild module/main.c; do
	check_ok "/usr/src/vlo-$VLO_VERSION/$f" test -f "/usr/src/vlo-$VLO_VERSION/$f"
done
# Compressed as the kernel's own modules are (6.12: xz).
check_match "modinfo -n vlo: the DKMS build" \
	"^$moddir_re/updates/dkms/vlo\.ko(\.(xz|zst|gz))?$" "$(modinfo -n vlo 2>&1)"
check_eq "its version is dkms.conf's" "$VLO_VERSION" "$(modinfo -F version vlo 2>&1)"
check_match "built for $rel" "^$rel_re " "$(modinfo -F vermagic vlo 2>&1)"
# tools/pkg sees the packaged DKMS copy (moved here from vlo_pkg.sh, whose
# DKMS half runs on one kernel only).
check_fail "make install refuses while the DKMS copy is installed" \
	make --no-print-directory -C "$VLO_REPO" install
check_ok "vloctl in /usr/sbin" test -x /usr/sbin/vloctl
check_ok "its man page" test -f /usr/share/man/man8/vloctl.8.gz
check_match "vloctl --version" "$VLO_VERSION" "$(/usr/sbin/vloctl --version 2>&1)"
iplibdir=/usr/lib/$(cc -print-multiarch)/ip
check_ok "ip's plugin in $iplibdir" test -f "$iplibdir/link_vlo.so"
check_ok "vlo-setup in /usr/sbin" test -x /usr/sbin/vlo-setup
# Every unit packaging/ ships, as a user copies it: its commands are found
# (vloctl and vlo-setup in /usr/sbin), its man page too.
for unit in "$VLO_REPO"/packaging/systemd/system/*; do
	run systemd-analyze verify "$unit"
	check_run "systemd-analyze verify ${unit##*/}" 0 "" ""
done

# --- use it ---------------------------------------------------------------------

check_ok "modprobe vlo" modprobe vlo
check_eq "/sys/module/vlo/version" "$VLO_VERSION" "$(cat /sys/module/vlo/version 2>&1)"
ns_add a
NS=$(ns a)
# Where ip looks by itself, not IP_LIB_DIR: the packaged plugin.
unset IP_LIB_DIR
check_ok "ip link add vlo-deb type vlo accounting on (the plugin)" \
	ip -n "$NS" link add vlo-deb type vlo accounting on
ip -n "$NS" link set vlo-deb up
ip -n "$NS" addr add 10.99.0.1/32 dev vlo-deb
check_ok "ping -c 3 10.99.0.1" ip netns exec "$NS" ping -c 3 -i 0.2 -W 5 10.99.0.1
# Three 84-byte echo requests and three replies, each out and back in.
for c in in_packets:6 in_bytes:504 out_packets:6 out_bytes:504; do
	check_eq "sysfs ${c%:*}" "${c#*:}" "$(sysfs_counter vlo-deb "${c%:*}" "$NS" 2>&1)"
done
out=$(/usr/sbin/vloctl -n "$NS" -j show vlo-deb 2>&1) || true
if jq -e '.[0].accounting == {"enabled": true,
		"in": {"packets": 6, "bytes": 504}, "out": {"packets": 6, "bytes": 504}}' \
	<<<"$out" >/dev/null 2>&1; then
	_result 1 "the packaged vloctl shows the same counters"
else
	_result 0 "the packaged vloctl shows the same counters" "$out"
fi
out=$(ip -n "$NS" -j link xstats type vlo dev vlo-deb 2>&1) || true
check_eq "the packaged plugin too (ip link xstats type vlo)" "6 504 6 504" \
	"$(jq -r '.[0] | "\(.in_packets) \(.in_bytes) \(.out_packets) \(.out_bytes)"' \
		<<<"$out" 2>&1)"
ns_del a
check_ok "modprobe -r vlo" modprobe -r vlo

# --- purge: nothing left -----------------------------------------------------------

timed "dpkg --purge vlo-dkms vloctl" dpkg --purge vlo-dkms vloctl
# Purged: unknown to dpkg, or known as not installed ("pn"), not "rc".
for p in vlo-dkms vloctl; do
	check_eq "dpkg: $p purged" "" \
		"$(dpkg-query -W -f '${db:Status-Abbrev}' $p 2>/dev/null | grep -v '^.n' || true)"
done
check_eq "dkms status: no vlo" "" "$(dkms status vlo 2>/dev/null)"
check_fail "modinfo vlo: not found" modinfo vlo
check_fail "no /var/lib/dkms/vlo" test -e /var/lib/dkms/vlo
for d in /usr /etc "$moddir"; do
	check_eq "nothing left in $d" "" "$(leftovers "$d")"
done
check_eq "depmod's indexes as before" "$indexes_before" "$(indexes)"

test_done
