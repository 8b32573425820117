#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# carry under teardown: a carry device is deleted, moved to another
# namespace, deleted with its namespace, switched off and on, and the module
# unloaded, each while ping floods and TCP streams to its addresses run and
# a netem qdisc holds carried packets. Each operation must finish promptly,
# leave no "waiting for DEV to become free" and no splat, and carried
# connections that survive the operation must stay byte-exact.
# VLO_STRESS_SCALE=N multiplies the rounds (make stress: 10).

source "$(dirname "$0")/lib.sh"

require_cmd tc ping python3 timeout
SCALE=${VLO_STRESS_SCALE:-1}
TOGGLES=$((20 * SCALE))

vlo_load numdevs=0

_mark=0
phase_start() {
	_mark=$(dmesg | wc -l)
	echo "vlo-selftest: $VLO_TEST phase: $1" >/dev/kmsg
}
phase_clean() {
	local new
	new=$(dmesg | tail -n +$((_mark + 1)) |
		grep -E -f <(grep -v -e '^#' -e '^$' "$VLO_REPO/tools/vm/splat-patterns") \
			-e 'waiting for .* to become free' || true)
	check_eq "$1: kernel log clean" "" "$new"
}

# carry_dev NETNS DEV N: DEV in NETNS with 10.110.N.1 and fd00:110:N::1,
# carry on, up, and a qdisc that holds each carried packet 5 ms.
carry_dev() {
	ip -n "$1" link add "$2" type vlo
	ip -n "$1" addr add "10.110.$3.1/24" dev "$2"
	ip -n "$1" addr add "fd00:110:$3::1/64" dev "$2" nodad
	ip netns exec "$1" sh -c "echo 1 > /sys/class/net/$2/vlo/carry"
	ip -n "$1" link set "$2" up
	ip netns exec "$1" tc qdisc add dev "$2" root netem delay 5ms
}

# traffic NETNS N: floods and endless streams to the device's addresses
traffic() {
	ip netns exec "$1" ping -f -q -w 120 "10.110.$2.1" >/dev/null 2>&1 &
	ip netns exec "$1" ping -6 -f -q -w 120 "fd00:110:$2::1" >/dev/null 2>&1 &
	ip netns exec "$1" timeout 120 python3 -S "$VLO_TRAFFIC" tcp "10.110.$2.1" 5201 \
		100000000000 >/dev/null 2>&1 &
	ip netns exec "$1" timeout 120 python3 -S "$VLO_TRAFFIC" tcp "fd00:110:$2::1" 5202 \
		100000000000 >/dev/null 2>&1 &
}

# busy NETNS DEV: the traffic has reached the device
# shellcheck disable=SC2317 # called through wait_for
busy() {
	local tx
	tx=$(ip netns exec "$1" cat "/sys/class/net/$2/statistics/tx_packets")
	[ "$tx" -gt 1000 ]
}

stop_traffic() {
	# shellcheck disable=SC2046 # one pid per word
	kill $(jobs -p) 2>/dev/null || true
	wait 2>/dev/null || true
}

# timed DESC CMD...: CMD succeeds within 60 s
timed() {
	local desc=$1 rc=0 out
	shift
	out=$(timeout 60 "$@" 2>&1) || rc=$?
	check_eq "$desc" "0 " "$rc $out"
}

# --- ip link del ------------------------------------------------------------------

phase_start link-del
ns_add a
carry_dev "$(ns a)" vlo-c 1
traffic "$(ns a)" 1
wait_for busy "$(ns a)" vlo-c
timed "ip link del under traffic" ip -n "$(ns a)" link del vlo-c
stop_traffic
ns_del a
phase_clean "link del"

# --- move to another namespace ------------------------------------------------------

phase_start netns-move
ns_add a b
carry_dev "$(ns a)" vlo-c 2
traffic "$(ns a)" 2
wait_for busy "$(ns a)" vlo-c
timed "ip link set netns under traffic" ip -n "$(ns a)" link set vlo-c netns "$(ns b)"
stop_traffic
check_eq "the switch went with the device" 1 \
	"$(ip netns exec "$(ns b)" cat /sys/class/net/vlo-c/vlo/carry)"
ip -n "$(ns b)" addr add 10.110.3.1/24 dev vlo-c
ip -n "$(ns b)" link set vlo-c up
tx0=$(ip netns exec "$(ns b)" cat /sys/class/net/vlo-c/statistics/tx_packets)
check_ok "in the new namespace the address answers" \
	ip netns exec "$(ns b)" ping -c 1 -W 5 10.110.3.1
check_eq "... across the device" 2 \
	"$(($(ip netns exec "$(ns b)" cat /sys/class/net/vlo-c/statistics/tx_packets) - tx0))"
ns_del a b
phase_clean "netns move"

# --- ip netns del ------------------------------------------------------------------

phase_start netns-del
ns_add a
carry_dev "$(ns a)" vlo-c 4
carry_dev "$(ns a)" vlo-d 5
traffic "$(ns a)" 4
traffic "$(ns a)" 5
wait_for busy "$(ns a)" vlo-c
timed "ip netns del under traffic" ip netns del "$(ns a)"
unset "_netns[a]"
# the namespace goes when its last process does
stop_traffic
sleep 3
phase_clean "netns del"

# --- switched off and on ------------------------------------------------------------

phase_start toggle
ns_add a
N=$(ns a)
carry_dev "$N" vlo-c 6
ip netns exec "$N" ping -f -q -w 120 10.110.6.1 >/dev/null 2>&1 &
ip netns exec "$N" ping -6 -f -q -w 120 fd00:110:6::1 >/dev/null 2>&1 &
# two finite streams, checked byte-exact: they cross the device and lo in turn
ip netns exec "$N" timeout 300 python3 -S "$VLO_TRAFFIC" tcp 10.110.6.1 5203 50000000 \
	>"/tmp/$VLO_TEST-s4.$$" 2>&1 &
s4=$!
ip netns exec "$N" timeout 300 python3 -S "$VLO_TRAFFIC" tcp fd00:110:6::1 5204 50000000 \
	>"/tmp/$VLO_TEST-s6.$$" 2>&1 &
s6=$!
wait_for busy "$N" vlo-c
rc=0
for _ in $(seq "$TOGGLES"); do
	ip netns exec "$N" sh -c 'echo 0 > /sys/class/net/vlo-c/vlo/carry' || rc=$?
	sleep "0.0$((RANDOM % 10))"
	ip netns exec "$N" sh -c 'echo 1 > /sys/class/net/vlo-c/vlo/carry' || rc=$?
	sleep "0.0$((RANDOM % 10))"
done
check_eq "$TOGGLES off/on switches under traffic" 0 "$rc"
rc=0
wait "$s4" || rc=$?
check_eq "IPv4 stream across the switches: byte-exact" "0 tcp received 50000000 bytes" \
	"$rc $(cat "/tmp/$VLO_TEST-s4.$$")"
rc=0
wait "$s6" || rc=$?
check_eq "IPv6 stream across the switches: byte-exact" "0 tcp received 50000000 bytes" \
	"$rc $(cat "/tmp/$VLO_TEST-s6.$$")"
rm -f "/tmp/$VLO_TEST-s4.$$" "/tmp/$VLO_TEST-s6.$$"
stop_traffic
tx0=$(ip netns exec "$N" cat /sys/class/net/vlo-c/statistics/tx_packets)
check_ok "after the switches the address answers" ip netns exec "$N" ping -c 1 -W 5 10.110.6.1
check_eq "... across the device" 2 \
	"$(($(ip netns exec "$N" cat /sys/class/net/vlo-c/statistics/tx_packets) - tx0))"
ns_del a
phase_clean "toggle"

# --- rmmod ---------------------------------------------------------------------------

phase_start rmmod
ns_add a b
carry_dev "$(ns a)" vlo-c 7
carry_dev "$(ns b)" vlo-c 8
traffic "$(ns a)" 7
traffic "$(ns b)" 8
wait_for busy "$(ns a)" vlo-c
wait_for busy "$(ns b)" vlo-c
timed "rmmod under traffic in two namespaces" rmmod vlo
_loaded_by_us=
stop_traffic
check_ok "127.0.0.1 still answers" ping -c 1 -W 5 127.0.0.1
ns_del a b
phase_clean "rmmod"

test_done
