#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vlo at the edges a new user finds (issue 15): an IPv4 address held with
# two prefix lengths, non-first IPv6 fragments classified as nft does.
# Every count is exact, most against an nft counter at the same hook.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oracle.sh"

vlo_load numdevs=0
ns_add t
N=$(ns t)
in_ns() { ip netns exec "$N" "$@"; }
cnt() { in_ns cat "/sys/class/net/$1/vlo/$2"; }
reset_dev() { in_ns sh -c "echo 1 > /sys/class/net/$1/vlo/reset"; }

for d in vlo0 vlo1; do
	ip -n "$N" link add "$d" type vlo
	ip -n "$N" link set "$d" up
done

# --- an IPv4 address held with two prefix lengths ---------------------------
# Each prefix is an in_ifaddr of its own; the address is the device's while
# any of them remains, and counted once however many there are.

# ping_counts: zero both devices, ping 10.52.0.1 once, print "in out" of
# vlo0 then of vlo1.
ping_counts() {
	reset_dev vlo0
	reset_dev vlo1
	in_ns ping -c 1 -W 2 -q 10.52.0.1 >/dev/null
	echo "$(cnt vlo0 in_packets) $(cnt vlo0 out_packets)" \
		"$(cnt vlo1 in_packets) $(cnt vlo1 out_packets)"
}

ip -n "$N" addr add 10.52.0.1/24 dev vlo0
ip -n "$N" addr add 10.52.0.1/32 dev vlo0
check_eq "10.52.0.1 as /24 and /32: one ping counts 2 in, 2 out, once" \
	"2 2 0 0" "$(ping_counts)"
ip -n "$N" addr del 10.52.0.1/32 dev vlo0
check_eq "/32 deleted, /24 remains: still 2 in, 2 out" "2 2 0 0" "$(ping_counts)"
ip -n "$N" addr add 10.52.0.1/32 dev vlo0
ip -n "$N" addr del 10.52.0.1/24 dev vlo0
check_eq "/24 deleted, /32 remains: still 2 in, 2 out" "2 2 0 0" "$(ping_counts)"
ip -n "$N" addr del 10.52.0.1/32 dev vlo0
ip -n "$N" addr add 10.52.0.1/24 dev vlo1
check_eq "both gone from vlo0, now on vlo1: vlo1 counts it, vlo0 nothing" \
	"0 0 2 2" "$(ping_counts)"
ip -n "$N" addr del 10.52.0.1/24 dev vlo1
reset_dev vlo1

# --- IPv6 fragments: classified as nft's meta l4proto ---------------------
# With lo's MTU at 1500, a 3000-byte ping to a vlo address travels in three
# fragments each way. LOCAL_IN sees each fragment (reassembly comes after
# it), LOCAL_OUT the whole packet; nft calls every fragment ipv6-icmp,
# including the two non-first ones of each packet.

ip -n "$N" link set lo mtu 1500
ip -n "$N" addr add fd00:52::1/64 dev vlo1 nodad
oracle_add "$N" oracle6 fd00:52::1
in_ns ping -6 -c 1 -W 2 -q -s 3000 fd00:52::1 >/dev/null
check_eq "ping -6 -s 3000: 6 fragments in, all ICMPv6, none other" "6 0" \
	"$(cnt vlo1 in_ipv6_icmp_packets) $(cnt vlo1 in_ipv6_other_packets)"
check_eq "ping -6 -s 3000: 2 x (1496 + 1496 + 160) bytes in" 6304 \
	"$(cnt vlo1 in_ipv6_icmp_bytes)"
check_eq "ping -6 -s 3000: 2 whole packets of 3048 bytes out" "2 6096" \
	"$(cnt vlo1 out_ipv6_icmp_packets) $(cnt vlo1 out_ipv6_icmp_bytes)"
oracle_check "IPv6 fragments: every counter equals nft's" "$N" vlo1 oracle6
ip -n "$N" link set lo mtu 65536

test_done
