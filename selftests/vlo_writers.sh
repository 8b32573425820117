#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every writer of a setting against every reader. accounting and carry are
# set to 1, 0, 1 through ip link (link_vlo.so) and through sysfs; after each
# write, sysfs, ip -d -j link, genl VLO_CMD_GET_DEV, vloctl -j and the
# traffic itself (ethtool -S for accounting, the device's frames in
# ip -s link for carry) agree, and ip monitor link sees one RTM_NEWLINK per
# change: none for a sysfs write that changes nothing, none for a refused
# write, one for a change made while the device is down. genl
# VLO_CMD_SET_DEV is gone: refused with EOPNOTSUPP, it changes nothing,
# announces nothing and warns nothing (it used to switch carry without
# RTNL: "RTNL: assertion failed" and a WARNING).
# shellcheck disable=SC2016 # the $ in jq filters are jq's

source "$(dirname "$0")/lib.sh"

require_cmd jq ping python3 ethtool
[ -x "$VLOCTL" ] || skip "$VLOCTL not built (make tools)"
[ -e "$VLO_REPO/tools/ip/link_vlo.so" ] || skip "link_vlo.so not built (make tools)"
require_pyroute2
export IP_LIB_DIR=$VLO_REPO/tools/ip
RTNL=$VLO_REPO/selftests/vlo_rtnl.py

vlo_load numdevs=0
ns_add w
NS=$(ns w)
in_ns() { ip netns exec "$NS" "$@"; }
genl_serve "$NS"
GW=("$serve_w" "$serve_r")
genl() { gsend "${GW[@]}" "$@"; }

# vlo1 is the device under test; vlom only marks the monitor's output
ip -n "$NS" link add vlo1 type vlo
ip -n "$NS" link add vlom type vlo
ip -n "$NS" link set vlo1 up
ip -n "$NS" link set vlom up
ip -n "$NS" addr add 10.97.0.1/32 dev vlo1
IFX=$(in_ns cat /sys/class/net/vlo1/ifindex)

MON=$(mktemp)
on_exit rm -f "$MON"
ip -n "$NS" -o monitor link >"$MON" &

# events: EV becomes the number of RTM_NEWLINK about vlo1 that ip monitor
# printed since the last call. Counted once it printed a marker (a new MTU
# of vlom) set after them: the kernel sends a namespace's link messages in
# order, so nothing about vlo1 that came before is still on its way.
_mark=0
_seen=0
events() {
	local n try
	for try in 1 2 3 4 5 6 7 8 9 10; do
		_mark=$((_mark + 1))
		ip -n "$NS" link set vlom mtu $((1000 + _mark))
		! wait_for -t 3 grep -qE "^[0-9]+: vlom: .* mtu $((1000 + _mark)) " "$MON" || break
		[ "$try" -lt 10 ] || { echo "# ip monitor printed no marker"; return 1; }
	done
	n=$(grep -c '^[0-9]*: vlo1: ' "$MON" || true)
	EV=$((n - _seen))
	_seen=$n
}
events

onoff() { if [ "$1" = 1 ]; then echo on; else echo off; fi; }

# readers SETTING: the setting as every reader reports it
readers() {
	local s=$1
	echo "sysfs=$(in_ns cat "/sys/class/net/vlo1/vlo/$s")" \
		"ip=$(ip -n "$NS" -d -j link show vlo1 | jq -r ".[0].linkinfo.info_data.$s")" \
		"genl=$(genl devs "$IFX" | jq -r ".$s")" \
		"vloctl=$("$VLOCTL" -n "$NS" -j show vlo1 | jq -r ".[0].linkinfo.info_data.$s")"
}
expect() { # VALUE: what readers prints for it
	local b=(false true)
	echo "sysfs=$1 ip=${b[$1]} genl=$1 vloctl=${b[$1]}"
}

# traffic SETTING: what one ping of vlo1's address moves: with accounting
# on, in_packets of ethtool -S by 2 (request and reply arrive); with carry
# on, the frames vlo1 transmits by 2 (both cross it instead of lo).
moved() { # SETTING: what traffic() measures
	case $1 in
	accounting) in_ns ethtool -S vlo1 | awk '$1 == "in_packets:" { print $2 }' ;;
	carry) ip -n "$NS" -s -j link show vlo1 | jq '.[0].stats64.tx.packets' ;;
	esac
}
traffic() {
	local before
	before=$(moved "$1")
	in_ns ping -c 1 -W 2 -q 10.97.0.1 >/dev/null
	echo $(($(moved "$1") - before))
}

write() { # WRITER SETTING VALUE
	case $1 in
	ip) ip -n "$NS" link set vlo1 type vlo "$2" "$(onoff "$3")" ;;
	sysfs) in_ns sh -c "echo $3 > /sys/class/net/vlo1/vlo/$2" ;;
	esac
}

# --- the matrix ------------------------------------------------------------------
#
# From the defaults (accounting 1, carry 0): the first write of accounting
# through each writer, and of carry through sysfs, changes nothing. A sysfs
# write that changes nothing is not announced; an ip link set is, once,
# whatever it changes: rtnetlink announces every changelink of a device
# that is up, for every kind of device.

for s in accounting carry; do
	for w in ip sysfs; do
		for v in 1 0 1; do
			was=$(in_ns cat "/sys/class/net/vlo1/vlo/$s")
			write "$w" "$s" "$v"
			events
			want=1
			[ "$was" != "$v" ] || [ "$w" = ip ] || want=0
			check_eq "$w $s $v (was $was): RTM_NEWLINK on RTNLGRP_LINK" "$want" "$EV"
			check_eq "$w $s $v: every reader agrees" "$(expect "$v")" "$(readers "$s")"
			check_eq "$w $s $v: the traffic agrees" $((2 * v)) "$(traffic "$s")"
		done
	done
done

# --- refused writes change nothing and announce nothing ---------------------------

write sysfs carry 0
events
before="$(readers accounting) $(readers carry)"

check_fail "sysfs: carry 2 refused" in_ns sh -c 'echo 2 > /sys/class/net/vlo1/vlo/carry'
check_fail "sysfs: accounting 256 refused" in_ns sh -c 'echo 256 > /sys/class/net/vlo1/vlo/accounting'
check_fail "sysfs: carry by nobody refused" in_ns setpriv --reuid=65534 --regid=65534 \
	--clear-groups sh -c 'echo 1 > /sys/class/net/vlo1/vlo/carry'
check_eq "rtnetlink: carry 2 refused" "ERANGE integer out of range" \
	"$(in_ns python3 -S "$RTNL" vlo1 vlo 2:1:2)"

# VLO_CMD_SET_DEV (2): the command the family no longer has
hexle32() { printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
check_eq "genl: VLO_CMD_SET_DEV carry 1 refused with EOPNOTSUPP" "ENOTSUP" \
	"$(genl raw "0201000008000100$(hexle32 "$IFX")0500040001000000")"
check_eq "genl: VLO_CMD_SET_DEV accounting 0 refused with EOPNOTSUPP" "ENOTSUP" \
	"$(genl raw "0201000008000100$(hexle32 "$IFX")0500030000000000")"
check_eq "genl: the family lists no VLO_CMD_SET_DEV" \
	"[1,3,4,5]" "$(genl ops)"

events
check_eq "refused writes: no RTM_NEWLINK" 0 "$EV"
check_eq "refused writes: every reader unchanged" "$before" \
	"$(readers accounting) $(readers carry)"
check_eq "refused writes: carry still off in the traffic" 0 "$(traffic carry)"

# --- a device that is down -----------------------------------------------------------
#
# rtnetlink announces a changelink only while the device is up; vlo
# announces a change of a device that is down itself, once.

ip -n "$NS" link set vlo1 down
events
for w in ip sysfs ip sysfs; do
	was=$(in_ns cat /sys/class/net/vlo1/vlo/carry)
	v=$((1 - was))
	write "$w" carry "$v"
	events
	check_eq "down: $w carry $v: one RTM_NEWLINK" 1 "$EV"
	check_eq "down: $w carry $v: every reader agrees" "$(expect "$v")" "$(readers carry)"
	write "$w" carry "$v"
	events
	check_eq "down: $w carry $v again: nothing to announce" 0 "$EV"
done
ip -n "$NS" link set vlo1 up
check_eq "up again: carry off, the traffic crosses lo" 0 "$(traffic carry)"
write sysfs carry 1
check_eq "up again: carry on through sysfs, the traffic crosses vlo1" 2 "$(traffic carry)"

test_done
