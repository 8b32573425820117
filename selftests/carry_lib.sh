# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers of the carry tests, sourced after lib.sh. N is the namespace that
# holds the devices: carry_ns sets it, or the test does.

# in_ns CMD...: CMD in the test's namespace
in_ns() { ip netns exec "$N" "$@"; }

# frames DEV: "tx_packets rx_packets" of DEV
frames() {
	in_ns cat "/sys/class/net/$1/statistics/tx_packets" \
		"/sys/class/net/$1/statistics/rx_packets" | xargs
}

# delta DEV BEFORE: the "tx rx" frames DEV moved since BEFORE (from frames)
delta() {
	local now was
	read -r -a now <<<"$(frames "$1")"
	read -r -a was <<<"$2"
	echo "$((now[0] - was[0])) $((now[1] - was[1]))"
}

# ping_q COUNT ARGS...: COUNT quiet pings
ping_q() { in_ns ping -c "$1" -i 0.2 -W 2 -q "${@:2}" >/dev/null; }

# echo_traffic ADDR BYTES: vlo_echo.py's TCP and UDP both ways to ADDR
echo_traffic() { in_ns python3 -S "$VLO_REPO/selftests/vlo_echo.py" "$@"; }

# carry DEV 0|1
carry() { in_ns sh -c "echo $2 > /sys/class/net/$1/vlo/carry"; }

# carry_ns NAME PEER: vlo loaded without devices, the namespaces NAME (N,
# for the devices) and PEER (the test's own: ns PEER)
carry_ns() {
	vlo_load numdevs=0
	ns_add "$1" "$2"
	N=$(ns "$1")
}

# carry_vlo DEV 0|1 ADDR/LEN...: a vlo device in N with the addresses (IPv6
# without DAD), carry switched on if 1 (left at its default if 0), then up
carry_vlo() {
	local dev=$1 on=$2 a
	ip -n "$N" link add "$dev" type vlo
	for a in "${@:3}"; do
		case $a in
		*:*) ip -n "$N" addr add "$a" dev "$dev" nodad ;;
		*) ip -n "$N" addr add "$a" dev "$dev" ;;
		esac
	done
	[ "$on" = 0 ] || carry "$dev" "$on"
	ip -n "$N" link set "$dev" up
}

# carry_link PEER: a veth from N (carry-t, 192.0.2.1/24) to the namespace
# PEER (carry-r, 192.0.2.2/24), which routes 10.9.0.0/24 through it
carry_link() {
	ip link add carry-t type veth peer name carry-r
	ip link set carry-t netns "$N"
	ip link set carry-r netns "$1"
	ip -n "$N" addr add 192.0.2.1/24 dev carry-t
	ip -n "$N" link set carry-t up
	ip -n "$1" addr add 192.0.2.2/24 dev carry-r
	ip -n "$1" link set carry-r up
	ip -n "$1" route add 10.9.0.0/24 via 192.0.2.1
}
