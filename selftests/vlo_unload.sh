#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rmmod while traffic flows: ping floods, TCP streams and UDP to vlo
# addresses (and to 127.0.0.1) in several namespaces, then the module is
# removed under them. Every device must go, nothing may splat or wait for a
# reference, and the module must load again cleanly. Repeated a few times.

source "$(dirname "$0")/lib.sh"

CYCLES=${VLO_UNLOAD_CYCLES:-3}
ns_add a b c

for cycle in $(seq "$CYCLES"); do
	vlo_load numdevs=2
	ip link set vlo0 up
	ip addr add 10.99.0.1/24 dev vlo0
	i=0
	for n in a b c; do
		i=$((i + 1))
		N=$(ns $n)
		ip -n "$N" link add vlo0 type vlo
		ip -n "$N" link add vlo1 type vlo
		ip -n "$N" link set vlo0 up
		ip -n "$N" link set vlo1 up
		ip -n "$N" addr add "10.99.$i.1/24" dev vlo0
		ip -n "$N" addr add "fd00:99:$i::1/64" dev vlo1
		ip netns exec "$N" ping -f -q -w 30 "10.99.$i.1" >/dev/null 2>&1 &
		ip netns exec "$N" ping -6 -f -q -w 30 "fd00:99:$i::1" >/dev/null 2>&1 &
		ip netns exec "$N" ping -f -q -w 30 "10.99.$i.2" >/dev/null 2>&1 &
		ip netns exec "$N" timeout 30 python3 -S "$VLO_TRAFFIC" tcp "10.99.$i.1" 5001 4000000000 \
			>/dev/null 2>&1 &
		ip netns exec "$N" timeout 30 python3 -S "$VLO_TRAFFIC" udp "fd00:99:$i::1" 5002 100000000 64 \
			>/dev/null 2>&1 &
	done
	ping -f -q -w 30 10.99.0.1 >/dev/null 2>&1 &
	timeout 30 python3 -S "$VLO_TRAFFIC" tcp 127.0.0.1 5003 4000000000 >/dev/null 2>&1 &
	check_ok "cycle $cycle: traffic is being counted" wait_for \
		sh -c "[ \$(ip netns exec $(ns c) cat /sys/class/net/vlo1/vlo/in_packets) -gt 100 ] &&
		       [ \$(ip netns exec $(ns a) cat /sys/class/net/vlo0/vlo/in_ipv4_tcp_packets) -gt 10 ]"
	check_ok "cycle $cycle: rmmod under traffic" vlo_unload
	check_eq "cycle $cycle: module gone" no "$(vlo_loaded)"
	left=0
	for n in a b c; do
		left=$((left + $(ip -n "$(ns $n)" -br link show type vlo | wc -l)))
	done
	left=$((left + $(ip -br link show type vlo | wc -l)))
	check_eq "cycle $cycle: no vlo device left anywhere" 0 "$left"
	# shellcheck disable=SC2046 # one pid per word
	kill $(jobs -p) 2>/dev/null || true
	wait 2>/dev/null || true
done

# the namespaces that held devices and traffic are deleted cleanly
ns_del a b c
check_ok "module loads again after the cycles" vlo_load
vlo_unload

test_done
