#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Who may manage vlo devices: a non-root user may not create, delete or
# reconfigure them nor write their sysfs files; a user namespace that owns its
# network namespace manages vlo devices there (create, address, count,
# reset, delete) and cannot touch the initial namespace's devices or counters.

source "$(dirname "$0")/lib.sh"

vlo_load
ip link set vlo0 up
ip addr add 10.99.0.1/32 dev vlo0
ping -c 2 -i 0.2 -q 10.99.0.1 >/dev/null
D=/sys/class/net/vlo0/vlo
state() {
	echo "$(ip -br link show type vlo | awk '{print $1}' | xargs)" \
		"$(cat /sys/class/net/vlo0/mtu) $(cat $D/accounting) $(cat $D/in_packets)"
}
before=$(state)
nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }

# --- a non-root user --------------------------------------------------------

out=$(nobody ip link add vlo9 type vlo 2>&1) && rc=0 || rc=$?
check_ne "non-root cannot create" 0 "$rc"
check_match "creation refused: Operation not permitted" "Operation not permitted" "$out"
out=$(nobody ip link del vlo0 2>&1) && rc=0 || rc=$?
check_match "non-root cannot delete" "Operation not permitted" "$out"
out=$(nobody ip link set vlo0 mtu 1500 2>&1) && rc=0 || rc=$?
check_match "non-root cannot change the MTU" "Operation not permitted" "$out"
out=$(nobody ip addr add 10.99.0.2/32 dev vlo0 2>&1) && rc=0 || rc=$?
check_match "non-root cannot add addresses" "Operation not permitted" "$out"
check_eq "non-root cannot reset" EACCES "$(nobody python3 -S "$VLO_WRITE" $D/reset 1)"
check_eq "non-root cannot switch accounting" EACCES "$(nobody python3 -S "$VLO_WRITE" $D/accounting 0)"
check_eq "nothing changed" "$before" "$(state)"

# --- root of a user namespace over the initial netns: no rights there ---------

out=$(unshare -U -r ip link add vlo9 type vlo 2>&1) && rc=0 || rc=$?
check_match "userns root cannot create in the initial netns" "Operation not permitted" "$out"
check_eq "userns root cannot reset initial-netns counters" EPERM \
	"$(unshare -U -r python3 -S "$VLO_WRITE" $D/reset 1)"
check_eq "userns root cannot switch initial-netns accounting" EPERM \
	"$(unshare -U -r python3 -S "$VLO_WRITE" $D/accounting 0)"
check_eq "nothing changed" "$before" "$(state)"

# --- a user namespace that owns its network namespace -------------------------
# Run as nobody, so that nothing comes from real root's privileges.

if ! nobody unshare -U -r -n true 2>/dev/null; then
	echo "# unprivileged user namespaces are disabled here: skipping that part"
else
	# shellcheck disable=SC2016 # expanded inside the user namespace
	out=$(nobody unshare -U -r -n -m sh -c '
		set -e
		mount -t sysfs sysfs /sys
		ip link add vlo-u type vlo
		ip link set lo up
		ip link set vlo-u up
		ip link set vlo-u mtu 9000
		ip addr add 10.77.0.1/32 dev vlo-u
		ping -c 3 -i 0.2 -q 10.77.0.1 >/dev/null
		echo "count=$(cat /sys/class/net/vlo-u/vlo/in_packets)"
		echo 1 > /sys/class/net/vlo-u/vlo/reset
		echo "reset=$(cat /sys/class/net/vlo-u/vlo/in_packets)"
		echo 0 > /sys/class/net/vlo-u/vlo/accounting
		echo "accounting=$(cat /sys/class/net/vlo-u/vlo/accounting)"
		ip link del vlo-u
		echo "left=$(ip -br link show type vlo | wc -l)"
	' 2>&1) && rc=0 || rc=$?
	check_eq "userns manages its own vlo device" \
		"count=6 reset=0 accounting=0 left=0 rc=0" "$(xargs <<<"$out") rc=$rc"
fi
check_eq "the initial namespace's device is untouched" "$before" "$(state)"

test_done
