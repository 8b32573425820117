#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vloctl doctor: the good case (vlo installed in /lib/modules/REL/extra,
# depmod run, loaded with modprobe) prints only ok lines and exits 0; each
# bad case prints its FAIL line with the fix and exits 1: not loaded, not
# in modules.dep, modules.dep stale, version mismatch, headers missing, a
# module built for another kernel, signatures enforced on an unsigned one.
# The guest's root is read-only: /lib/modules/REL gets a tmpfs overlay, in a
# mount namespace of the test's own, undone on exit.

# Every mount of this test lives in a private mount namespace.
if [ -z "${VLO_DOCTOR_UNSHARED:-}" ] && [ "$EUID" -eq 0 ]; then
	VLO_DOCTOR_UNSHARED=1 exec unshare -m --propagation private "$0" "$@"
fi

source "$(dirname "$0")/lib.sh"

require_cmd depmod modprobe modinfo jq perl openssl
[ -x "$VLOCTL" ] || skip "$VLOCTL not built (make tools)"
[ -e "$VLO_KO" ] || skip "$VLO_KO not built (make module)"

REL=$(uname -r)
MODDIR=/lib/modules/$REL
[ -d "$MODDIR/build" ] || skip "no headers for $REL in the guest"
WORK=$(mktemp -d /tmp/vloctl-doctor.XXXXXX)
BUILD_LINK=$(readlink "$MODDIR/build")

# shellcheck disable=SC2317 # run by lib.sh's cleanup
doctor_cleanup() {
	umount /sys/module/vlo/version 2>/dev/null
	umount /sys/module/module/parameters/sig_enforce 2>/dev/null
	umount "$MODDIR/kernel" 2>/dev/null
	if [ "$(vlo_loaded)" = yes ]; then rmmod vlo 2>/dev/null; fi
	umount "$MODDIR" 2>/dev/null
	rm -rf "$WORK"
}
on_exit doctor_cleanup

mkdir "$WORK/upper" "$WORK/work" "$WORK/empty"
mount -t overlay overlay \
	-o "lowerdir=$MODDIR,upperdir=$WORK/upper,workdir=$WORK/work" "$MODDIR"

# fast_depmod: depmod with kernel/ hidden. Indexing the whole tree reads
# every module over 9p, about 4 minutes under TCG; only vlo's entry matters
# here, and the thinner modules.dep exists only in this mount namespace.
fast_depmod() {
	mount --bind "$WORK/empty" "$MODDIR/kernel"
	depmod "$REL"
	umount "$MODDIR/kernel"
}

# doc ARGS...: run vloctl doctor from a directory without module/, so the
# module file it finds is the installed one or the tree's ($VLO_KO).
doc() {
	RC=0
	OUT=$(cd / && "$VLOCTL" "$@" doctor 2>&1) || RC=$?
}

# line CHECK: the line of that check in the last doctor output.
line() {
	grep -E "^(ok|WARN|FAIL) +$1: " <<<"$OUT"
}

VERSION=$(modinfo -F version "$VLO_KO")
MAGIC=$(modinfo -F vermagic "$VLO_KO")
MAGIC=${MAGIC%% *}
INSTALLED=$MODDIR/extra/vlo.ko
HEADERS="ok    headers: $MODDIR/build"
SBSTATE="not an EFI boot"
[ ! -d /sys/firmware/efi ] || SBSTATE=unknown
SB="ok    secure boot: $SBSTATE; module unsigned"
NF="ok    netfilter: /proc/sys/net/netfilter"

# -------------------------------------------------------------------------
# Not loaded, not installed: the tree's module is the one to insmod.

[ "$(vlo_loaded)" = no ] || rmmod vlo
if [ "$VLO_KO" -ef "$VLO_REPO/module/vlo.ko" ]; then
	doc
else
	# A module built elsewhere (make check KERNEL=debug): doctor would find
	# the tree's module/vlo.ko, built for another kernel, so name this one.
	RC=0
	OUT=$(cd / && "$VLOCTL" doctor "$VLO_KO" 2>&1) || RC=$?
fi
check_eq "not loaded: exit status" 1 "$RC"
check_eq "not loaded, not installed: every line" "$HEADERS
ok    module built: $VLO_KO: version $VERSION, built for $MAGIC
FAIL  module loaded: vlo is not loaded; run 'sudo insmod $VLO_KO' (or 'sudo make install' and 'sudo modprobe vlo')
WARN  depmod: vlo is not installed in $MODDIR: 'modprobe vlo' cannot find it; run 'sudo make install' (or 'sudo make dkms-install')
$SB
$NF
WARN  devices: none: vlo is not loaded; load the module first" "$OUT"
check_eq "doctor's vermagic is modinfo's" "$REL" "$MAGIC"

# -------------------------------------------------------------------------
# Installed, depmod not run.

mkdir -p "$MODDIR/extra"
cp "$VLO_KO" "$INSTALLED"
doc
check_eq "not in modules.dep: exit status" 1 "$RC"
check_eq "not in modules.dep: depmod line" \
	"FAIL  depmod: $INSTALLED is not in modules.dep: 'modprobe vlo' cannot find it; run 'sudo depmod -a'" \
	"$(line depmod)"
check_eq "installed, not loaded: the fix is modprobe" \
	"FAIL  module loaded: vlo is not loaded; run 'sudo modprobe vlo'" "$(line "module loaded")"

# -------------------------------------------------------------------------
# The good case: depmod, modprobe.

fast_depmod
modprobe vlo
_loaded_by_us=1
doc
check_eq "good: exit status" 0 "$RC"
check_eq "good: every line" "$HEADERS
ok    module built: $INSTALLED: version $VERSION, built for $REL
ok    module loaded: vlo $VERSION, as vloctl
ok    depmod: modules.dep lists $INSTALLED
$SB
$NF
ok    devices: 1 in this network namespace: vlo0" "$OUT"
doc -j
check_eq "good, -j: exit status" 0 "$RC"
check_eq "good, -j: the checks in order" \
	"headers module_built module_loaded depmod secure_boot netfilter devices" \
	"$(jq -r '[.[].check] | join(" ")' <<<"$OUT")"
check_eq "good, -j: statuses" "ok ok ok ok ok ok ok" \
	"$(jq -r '[.[].status] | join(" ")' <<<"$OUT")"
check_eq "good, -j: no fix anywhere" "true" "$(jq '[.[].fix == null] | all' <<<"$OUT")"

# -------------------------------------------------------------------------
# Bad: the loaded module's version differs from vloctl's.

echo 9.9.9 >"$WORK/version"
mount --bind "$WORK/version" /sys/module/vlo/version
doc
umount /sys/module/vlo/version
check_eq "version mismatch: exit status" 1 "$RC"
check_eq "version mismatch: line" \
	"FAIL  module loaded: vlo 9.9.9 is loaded, but this is vloctl $VERSION; run 'sudo rmmod vlo' and load vlo $VERSION (or install the vloctl of vlo's version)" \
	"$(line "module loaded")"

# -------------------------------------------------------------------------
# Bad: the installed module is newer than modules.dep (replaced after the
# last depmod).

touch -d "1 hour ago" "$MODDIR/modules.dep"
doc
check_eq "depmod stale: exit status" 1 "$RC"
check_eq "depmod stale: line" \
	"FAIL  depmod: $INSTALLED is newer than modules.dep; run 'sudo depmod -a'" "$(line depmod)"
fast_depmod
doc
check_eq "depmod run again: exit status" 0 "$RC"

# -------------------------------------------------------------------------
# Bad: no headers for the running kernel.

rm "$MODDIR/build"
doc
ln -s "$BUILD_LINK" "$MODDIR/build"
check_eq "headers missing: exit status" 1 "$RC"
check_eq "headers missing: line" \
	"FAIL  headers: no $MODDIR/build: the headers for $REL are not installed; run 'sudo apt-get install linux-headers-$REL'" \
	"$(line headers)"
check_eq "headers missing: the other checks pass" 6 "$(grep -c '^ok ' <<<"$OUT")"

# -------------------------------------------------------------------------
# Bad: a module built for another kernel (vermagic patched, same length).

# The release with its last character changed: same length, another kernel.
OTHER=${REL%?}x
[ "$OTHER" != "$REL" ] || OTHER=${REL%?}y
perl -pe "s/vermagic=\Q$REL\E/vermagic=$OTHER/" "$VLO_KO" >"$WORK/other.ko"
check_eq "the patched module says $OTHER" "$OTHER" "$(modinfo -F vermagic "$WORK/other.ko" | cut -d' ' -f1)"
RC=0
OUT=$("$VLOCTL" doctor "$WORK/other.ko" 2>&1) || RC=$?
check_eq "other kernel: exit status" 1 "$RC"
check_eq "other kernel: line" \
	"FAIL  module built: $WORK/other.ko was built for $OTHER, but $REL is running; rebuild it against this kernel's headers ('make clean module'), then reinstall it" \
	"$(line "module built")"

# -------------------------------------------------------------------------
# Bad: signatures enforced (module.sig_enforce=1), module unsigned; and a
# signed module is reported as such.

if [ -e /sys/module/module/parameters/sig_enforce ]; then
	echo Y >"$WORK/enforce"
	mount --bind "$WORK/enforce" /sys/module/module/parameters/sig_enforce
	doc
	umount /sys/module/module/parameters/sig_enforce
	check_eq "sig_enforce, unsigned: exit status" 1 "$RC"
	check_eq "sig_enforce, unsigned: line" \
		"FAIL  secure boot: $SBSTATE, module.sig_enforce=1, but $INSTALLED is unsigned: the kernel refuses it; sign it ('sudo make sign') and enroll the key ('sudo mokutil --import KEY.der'), or turn Secure Boot off" \
		"$(line "secure boot")"
fi
# A copy signed by the kernel's sign-file with a throwaway key (libkmod reads
# the signature); the magic string alone is not a signature. A kernel that
# does not sign modules (the debug kernel: no CONFIG_MODULE_SIG) has no
# sign-file in its build tree; Debian's kbuild package has one, and the
# signature's format does not depend on the kernel.
SIGN_FILE=
for f in "$MODDIR/build/scripts/sign-file" /usr/lib/linux-kbuild-*/scripts/sign-file; do
	if [ -x "$f" ]; then
		SIGN_FILE=$f
		break
	fi
done
check_ne "a sign-file, in $MODDIR/build/scripts or a linux-kbuild package" "" "$SIGN_FILE"
openssl req -new -x509 -nodes -days 1 -subj '/CN=vloctl doctor test/' \
	-newkey rsa:2048 -keyout "$WORK/key.pem" -outform DER -out "$WORK/key.der" 2>/dev/null
cp "$VLO_KO" "$WORK/signed.ko"
"$SIGN_FILE" sha256 "$WORK/key.pem" "$WORK/key.der" "$WORK/signed.ko"
check_eq "the test's signed copy: modinfo's signer" "vloctl doctor test" \
	"$(modinfo -F signer "$WORK/signed.ko")"
RC=0
OUT=$("$VLOCTL" doctor "$WORK/signed.ko" 2>&1) || RC=$?
check_eq "signed module: line" \
	"${SB%unsigned}signed" "$(line "secure boot")"
{ cat "$VLO_KO"; printf '~Module signature appended~\n'; } >"$WORK/magic.ko"
RC=0
OUT=$("$VLOCTL" doctor "$WORK/magic.ko" 2>&1) || RC=$?
check_eq "the magic string alone: unsigned" "$SB" "$(line "secure boot")"

# -------------------------------------------------------------------------
# Bad: loaded no more (after the good case, the fix is modprobe again).

rmmod vlo
_loaded_by_us=
doc
check_eq "unloaded: exit status" 1 "$RC"
check_eq "unloaded: line" \
	"FAIL  module loaded: vlo is not loaded; run 'sudo modprobe vlo'" "$(line "module loaded")"

test_done
