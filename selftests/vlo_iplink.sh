#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ip link with the plugin built in the tree (IP_LIB_DIR=tools/ip): every form
# with its exact text and JSON (add, set, help, -d show, xstats), bad values
# refused by ip and by the kernel (raw messages: out of range, unknown
# attribute), sysfs and rtnetlink agreeing after every change made through
# either, the refusal of an iproute2 version the plugin does not know, ip
# without the plugin, and all of it from a user namespace that owns its
# network namespace.
# shellcheck disable=SC2016 # the $ in jq filters and sh -c scripts is theirs

source "$(dirname "$0")/lib.sh"

require_cmd jq ping python3 setpriv unshare
PLUGIN_DIR=$VLO_REPO/tools/ip
[ -e "$PLUGIN_DIR/link_vlo.so" ] || skip "$PLUGIN_DIR/link_vlo.so not built (make tools)"
export IP_LIB_DIR=$PLUGIN_DIR
VLO_RTNL=$VLO_REPO/selftests/vlo_rtnl.py
USAGE="Usage: ... vlo [ accounting { on | off } ] [ carry { on | off } ]
               [ addr-split { on | off } ]

accounting: count the traffic of the device's addresses (default on)
carry: local traffic of its addresses crosses the device (default off)
addr-split: each address counts by family and protocol too, not only
            its totals (default off; changes only while the device
            has no addresses)"

vlo_load numdevs=0
ns_add a
NS=$(ns a)

# settings DEV: "accounting carry" as sysfs says, then as rtnetlink (ip -j -d)
# says, and as ip -d prints them.
settings() {
	local d=/sys/class/net/$1/vlo
	echo "sysfs $(ip netns exec "$NS" cat "$d/accounting" "$d/carry" | xargs)" \
		"rtnl $(ip -n "$NS" -j -d link show "$1" |
			jq -r '.[0].linkinfo.info_data | "\(.accounting) \(.carry)"')" \
		"text $(ip -n "$NS" -d link show "$1" | sed -n 's/^    vlo \(.*\) addrgenmode.*/\1/p')"
}
agree() { # DESC DEV ACCOUNTING CARRY (0/1)
	local word=(off on) bool=(false true)
	check_eq "$1: sysfs, rtnetlink and ip -d agree" \
		"sysfs $3 $4 rtnl ${bool[$3]} ${bool[$4]} text accounting ${word[$3]} carry ${word[$4]} addr-split off" \
		"$(settings "$2")"
}

# --- ip link help vlo, add, -d show, set ---------------------------------------

run ip link help vlo
check_run "ip link help vlo" 0 "$USAGE" ""

run ip -n "$NS" link add vlo1 type vlo accounting off
check_run "ip link add vlo1 type vlo accounting off" 0 "" ""
agree "created with accounting off" vlo1 0 0
run ip -n "$NS" -d link show vlo1
check_eq "ip -d link show: the settings line" "    vlo accounting off carry off addr-split off " \
	"$(sed -n 3p <<<"$OUT" | sed 's/addrgenmode.*//')"
run ip -n "$NS" -j -d link show vlo1
check_eq "ip -j -d link show: linkinfo" \
	'{"info_kind":"vlo","info_data":{"accounting":false,"carry":false,"addr_split":false}}' \
	"$(jq -c '.[0].linkinfo' <<<"$OUT")"

run ip -n "$NS" link add vlo2 type vlo
check_run "ip link add vlo2 type vlo" 0 "" ""
agree "created without settings: the defaults" vlo2 1 0

run ip -n "$NS" link set vlo1 type vlo accounting on carry off
check_run "ip link set vlo1 type vlo accounting on carry off" 0 "" ""
agree "accounting switched on by ip" vlo1 1 0
split() { ip -n "$NS" -j -d link show "$1" | jq -c '.[0].linkinfo.info_data.addr_split'; }
run ip -n "$NS" link set vlo1 type vlo addr-split on
check_run "ip link set vlo1 type vlo addr-split on" 0 "" ""
check_eq "... shown by ip -d and ip -j -d" "addr-split on true" \
	"$(ip -n "$NS" -d link show vlo1 | sed -n 's/.*\(addr-split [a-z]*\).*/\1/p') $(split vlo1)"
ip -n "$NS" addr add 10.97.0.1/32 dev vlo1
run ip -n "$NS" link set vlo1 type vlo addr-split off accounting off
check_run "addr-split off refused while vlo1 has an address" 2 "" \
	"Error: vlo: addr-split changes only while the device has no addresses."
check_eq "... and the refusal changed nothing (accounting stays on)" "true 1" \
	"$(split vlo1) $(ip netns exec "$NS" cat /sys/class/net/vlo1/vlo/accounting)"
run ip -n "$NS" link set vlo1 type vlo addr-split on
check_run "addr-split on again (no change) is fine with an address" 0 "" ""
ip -n "$NS" addr flush dev vlo1
run ip -n "$NS" link set vlo1 type vlo addr-split off
check_run "addr-split off without addresses" 0 "" ""
check_eq "... shown" false "$(split vlo1)"
run ip -n "$NS" link add vlo5 type vlo addr-split on
check_run "ip link add vlo5 type vlo addr-split on" 0 "" ""
check_eq "... created with it" true "$(split vlo5)"
ip -n "$NS" link del vlo5
run ip -n "$NS" link set vlo1 type vlo accounting off
agree "accounting switched off by ip" vlo1 0 0
ip netns exec "$NS" sh -c 'echo 1 > /sys/class/net/vlo1/vlo/accounting'
agree "accounting switched on through sysfs" vlo1 1 0

# carry: as the module answers it (a refusal comes with vlo's own message
# and changes nothing).
run ip -n "$NS" link set vlo1 type vlo carry on
if [ "$RC" -eq 0 ]; then
	check_run "ip link set vlo1 type vlo carry on" 0 "" ""
	agree "carry switched on by ip" vlo1 1 1
	run ip -n "$NS" link set vlo1 type vlo carry off
	check_run "ip link set vlo1 type vlo carry off" 0 "" ""
else
	check_eq "carry on refused by the kernel: exit 2" 2 "$RC"
	check_match "carry on refused: the module's extack message" "^Error: vlo: .*carry" "$ERR"
fi
agree "after carry on and off" vlo1 1 0

# --- bad input: ip refuses, nothing reaches the kernel -------------------------

before=$(settings vlo1)
run ip -n "$NS" link set vlo1 type vlo accounting maybe
check_run "accounting maybe" 1 "" \
	'Error: argument of "accounting" must be one of "off", "on", not "maybe"'
run ip -n "$NS" link set vlo1 type vlo carry
check_run "carry without a value" 1 "" 'vlo: "carry" needs "on" or "off"'
run ip -n "$NS" link set vlo1 type vlo accounting off bogus on
check_run "an unknown option" 1 "" "vlo: unknown option \"bogus\"
$USAGE"
run ip -n "$NS" link add vlo3 type vlo carry 1
check_run "carry 1 on add" 1 "" \
	'Error: argument of "carry" must be one of "off", "on", not "1"'
check_eq "no vlo3 was created" "" "$(ip -n "$NS" -br link show vlo3 2>/dev/null)"
check_eq "refused by ip: vlo1 unchanged" "$before" "$(settings vlo1)"

# --- bad input the kernel refuses: raw messages ip cannot build ----------------

run ip netns exec "$NS" python3 -S "$VLO_RTNL" vlo1 vlo 1:1:2
check_run "raw: accounting = 2" 0 "ERANGE integer out of range" ""
run ip netns exec "$NS" python3 -S "$VLO_RTNL" vlo1 vlo 1:1:0 99:1:0
check_run "raw: accounting = 0 beside an unknown attribute 99" 0 \
	"EINVAL Unknown attribute type" ""
check_eq "refused by the kernel: vlo1 unchanged" "$before" "$(settings vlo1)"
run ip netns exec "$NS" python3 -S "$VLO_RTNL" vlo1 vlo 1:1:0
check_run "raw: accounting = 0 alone" 0 "ok" ""
agree "raw accounting = 0" vlo1 0 0
ip -n "$NS" link set vlo1 type vlo accounting on

# --- ip link xstats type vlo ---------------------------------------------------

ip -n "$NS" link set vlo1 up
ip -n "$NS" addr add 10.98.0.1/32 dev vlo1
ip netns exec "$NS" ping -c 3 -i 0.2 -q 10.98.0.1 >/dev/null
# 3 requests and 3 replies, 84 bytes each, in and out.
expect_ctrs() { # DEV: "name value" for each counter, in ethtool -S order
	local d f p u v
	for d in in out; do
		echo "${d}_packets 6"
		echo "${d}_bytes 504"
	done
	for d in in out; do
		for f in ipv4 ipv6; do
			for p in icmp tcp udp other; do
				for u in packets bytes; do
					v=0
					if [ $f$p = ipv4icmp ]; then
						v=6
						[ $u = packets ] || v=504
					fi
					echo "${d}_${f}_${p}_$u $v"
				done
			done
		done
	done
}
run ip -n "$NS" link xstats type vlo dev vlo1
check_run "ip link xstats type vlo dev vlo1" 0 "vlo1
$(expect_ctrs | sed 's/^/    /')" ""
run ip -n "$NS" -j link xstats type vlo dev vlo1
check_eq "ip -j link xstats type vlo dev vlo1" \
	"$(expect_ctrs | jq -Rn '[{"ifname": "vlo1"} + ([inputs | split(" ") | {(.[0]): (.[1] | tonumber)}] | add)]' -c)" \
	"$(jq -c . <<<"$OUT")"
sysfs_all=$(expect_ctrs | while read -r name _; do
	echo "$name $(ip netns exec "$NS" cat "/sys/class/net/vlo1/vlo/$name")"
done)
check_eq "every counter: xstats == sysfs" "$sysfs_all" \
	"$(jq -r '.[0] | del(.ifname) | to_entries[] | "\(.key) \(.value)"' <<<"$OUT")"
run ip -n "$NS" -j link xstats type vlo
check_eq "ip link xstats type vlo: every vlo device, only them" '["vlo1","vlo2"]' \
	"$(jq -c '[.[].ifname]' <<<"$OUT")"
run ip -n "$NS" link xstats type vlo dev nosuch
check_run "xstats of a missing device" 1 "" 'Cannot find device "nosuch"'
run ip link xstats type vlo help
check_run "ip link xstats type vlo help" 0 "Usage: ip link xstats type vlo [ dev DEVICE ]" ""

# --- an iproute2 the plugin does not know; ip without the plugin ---------------

REFUSAL="vlo: link_vlo.so does not know iproute2 6.99.0 (it knows 6.1 to 6.18): rebuild it against this ip, or use /sys/class/net/DEV/vlo/ and vloctl"
run env LINK_VLO_IPROUTE2_VERSION=6.99.0 ip -n "$NS" link set vlo1 type vlo accounting off
check_run "unknown iproute2: options refused" 1 "" "$REFUSAL"
run env LINK_VLO_IPROUTE2_VERSION=6.99.0 ip -n "$NS" -j -d link show vlo1
check_eq "unknown iproute2: -d show still works, without settings" \
	'0 {"info_kind":"vlo","info_data":{}}' "$RC $(jq -c '.[0].linkinfo' <<<"$OUT")"
agree "unknown iproute2: nothing changed" vlo1 1 0

run env IP_LIB_DIR=/nonexistent ip -n "$NS" link add vlo4 type vlo
check_run "without the plugin: ip link add vlo4 type vlo" 0 "" ""
run env IP_LIB_DIR=/nonexistent ip -n "$NS" -d link show vlo4
check_eq "without the plugin: ip -d link show" "0     vlo " \
	"$RC $(sed -n 3p <<<"$OUT" | sed 's/addrgenmode.*//')"
run env IP_LIB_DIR=/nonexistent ip -n "$NS" link set vlo4 type vlo accounting off
check_eq "without the plugin: settings are garbage to ip" \
	"1 Garbage instead of arguments \"accounting ...\". Try \"ip link help\"." "$RC $ERR"

# --- permissions ---------------------------------------------------------------

nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
ip link add vlo-i type vlo
initial() { cat /sys/class/net/vlo-i/vlo/accounting; ip -j -d link show vlo-i | jq -c '.[0].linkinfo'; }
before=$(initial)
run nobody ip link set vlo-i type vlo accounting off
check_run "non-root: refused" 2 "" "RTNETLINK answers: Operation not permitted"
run unshare -U -r ip link set vlo-i type vlo accounting off
check_run "userns root over the initial netns: refused" 2 "" \
	"RTNETLINK answers: Operation not permitted"
run unshare -U -r python3 -S "$VLO_RTNL" vlo-i vlo 1:1:0
check_run "userns root over the initial netns: raw message refused" 0 "EPERM" ""
check_eq "refused: vlo-i unchanged" "$before" "$(initial)"
ip link del vlo-i

# A user namespace that owns its network namespace, as nobody: everything
# above, there.
if ! nobody unshare -U -r -n true 2>/dev/null; then
	echo "# unprivileged user namespaces are disabled here: skipping that part"
else
	run nobody unshare -U -r -n -m sh -c '
		set -e
		mount -t sysfs sysfs /sys
		s() {
			echo "$(cat /sys/class/net/vlo-u/vlo/accounting)" \
				"$(ip -j -d link show vlo-u | jq -c .[0].linkinfo.info_data)"
		}
		ip link add vlo-u type vlo accounting off
		echo "add: $(s)"
		ip link set vlo-u type vlo accounting on
		echo "set: $(s)"
		echo 0 > /sys/class/net/vlo-u/vlo/accounting
		echo "sysfs: $(s)"
		echo "raw 2: $(python3 -S "$1" vlo-u vlo 1:1:2)"
		echo "raw 99: $(python3 -S "$1" vlo-u vlo 99:1:1)"
		echo "after: $(s)"
		ip link set lo up
		ip link set vlo-u up
		ip link set vlo-u type vlo accounting on
		ip addr add 10.77.0.1/32 dev vlo-u
		ping -c 1 -q 10.77.0.1 >/dev/null
		echo "xstats: $(ip -j link xstats type vlo dev vlo-u | jq -c ".[0] | [.in_packets, .out_bytes]")"
	' sh "$VLO_RTNL"
	check_run "user namespace: ip link, sysfs and raw messages" 0 \
		'add: 0 {"accounting":false,"carry":false,"addr_split":false}
set: 1 {"accounting":true,"carry":false,"addr_split":false}
sysfs: 0 {"accounting":false,"carry":false,"addr_split":false}
raw 2: ERANGE integer out of range
raw 99: EINVAL Unknown attribute type
after: 0 {"accounting":false,"carry":false,"addr_split":false}
xstats: [2,168]' ""
fi

test_done
