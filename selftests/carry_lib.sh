# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers of the carry tests, sourced after lib.sh with N set to the
# namespace that holds the devices.

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
