#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Accounting of a vlo device's own traffic, checked against exact expected
# values and against an nftables counter oracle at the same hooks: ping over
# IPv4 and IPv6, a TCP transfer and a UDP burst of known sizes, another IP
# protocol, and ethtool -S showing the same counters as sysfs.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oracle.sh"

vlo_load numdevs=0
ns_add t
N=$(ns t)
in_ns() { ip netns exec "$N" "$@"; }
cnt() { in_ns cat "/sys/class/net/vlo0/vlo/$1"; }
reset_all() {
	in_ns sh -c 'echo 1 > /sys/class/net/vlo0/vlo/reset'
	oracle_reset "$N" oracle
}

ip -n "$N" link add vlo0 type vlo
ip -n "$N" link set vlo0 up
ip -n "$N" addr add 10.99.0.1/24 dev vlo0
ip -n "$N" addr add fd00:99::1/64 dev vlo0
oracle_add "$N" oracle 10.99.0.1 fd00:99::1

check_eq "counters start at zero" "0 0 0 0" \
	"$(cnt in_packets) $(cnt in_bytes) $(cnt out_packets) $(cnt out_bytes)"

# --- ping ------------------------------------------------------------------

in_ns ping -c 5 -i 0.2 -W 2 -q 10.99.0.1 >/dev/null
check_eq "ping -c 5: in/out ICMP packets" "10 10" \
	"$(cnt in_ipv4_icmp_packets) $(cnt out_ipv4_icmp_packets)"
check_eq "ping -c 5: 10 x 84 bytes each way" "840 840" \
	"$(cnt in_ipv4_icmp_bytes) $(cnt out_ipv4_icmp_bytes)"
check_eq "ping -c 5: totals" "10 840 10 840" \
	"$(cnt in_packets) $(cnt in_bytes) $(cnt out_packets) $(cnt out_bytes)"
oracle_check "ping -c 5: every counter equals nft's" "$N" vlo0 oracle

reset_all
check_eq "reset zeroes every counter" "" "$(acct_values "$N" vlo0 | grep -v '=0$')"
in_ns ping -6 -c 5 -i 0.2 -W 2 -q fd00:99::1 >/dev/null
check_eq "ping -6 -c 5: in/out ICMPv6 packets" "10 10" \
	"$(cnt in_ipv6_icmp_packets) $(cnt out_ipv6_icmp_packets)"
check_eq "ping -6 -c 5: 10 x 104 bytes each way" "1040 1040" \
	"$(cnt in_ipv6_icmp_bytes) $(cnt out_ipv6_icmp_bytes)"
oracle_check "ping -6 -c 5: every counter equals nft's" "$N" vlo0 oracle

# --- TCP and UDP of known sizes ---------------------------------------------
# The other end is 127.0.0.1 / ::1, so what the vlo address receives is
# "in" and what it sends is "out", and nothing is counted twice.

reset_all
check_eq "TCP 1 MB over IPv4 arrives whole" "tcp received 1000000 bytes" \
	"$(in_ns python3 -S "$VLO_TRAFFIC" tcp 10.99.0.1 5001 1000000 --src 127.0.0.1)"
oracle_check "TCP over IPv4: every counter equals nft's" "$N" vlo0 oracle
check_eq "TCP over IPv4: only the TCP cells moved" \
	"in_ipv4_tcp_bytes in_ipv4_tcp_packets out_ipv4_tcp_bytes out_ipv4_tcp_packets" \
	"$(acct_values "$N" vlo0 | grep -v '=0$' | grep -v '^\(in\|out\)_\(packets\|bytes\)=' | cut -d= -f1 | xargs)"
check_eq "TCP over IPv4: at least the payload came in" yes \
	"$([ "$(cnt in_ipv4_tcp_bytes)" -gt 1000000 ] && echo yes || echo no)"

reset_all
check_eq "UDP 1000 datagrams over IPv4 arrive" "udp received 1000 datagrams" \
	"$(in_ns python3 -S "$VLO_TRAFFIC" udp 10.99.0.1 5002 1000 64 --src 127.0.0.1)"
check_eq "UDP over IPv4: 1000 x (20 + 8 + 64) bytes in, nothing out" "1000 92000 0 0" \
	"$(cnt in_ipv4_udp_packets) $(cnt in_ipv4_udp_bytes) $(cnt out_packets) $(cnt out_bytes)"
oracle_check "UDP over IPv4: every counter equals nft's" "$N" vlo0 oracle

reset_all
check_eq "TCP 1 MB over IPv6 arrives whole" "tcp received 1000000 bytes" \
	"$(in_ns python3 -S "$VLO_TRAFFIC" tcp fd00:99::1 5001 1000000 --src ::1)"
oracle_check "TCP over IPv6: every counter equals nft's" "$N" vlo0 oracle
check_eq "TCP over IPv6: only the TCP cells moved" \
	"in_ipv6_tcp_bytes in_ipv6_tcp_packets out_ipv6_tcp_bytes out_ipv6_tcp_packets" \
	"$(acct_values "$N" vlo0 | grep -v '=0$' | grep -v '^\(in\|out\)_\(packets\|bytes\)=' | cut -d= -f1 | xargs)"

reset_all
check_eq "UDP 1000 datagrams over IPv6 arrive" "udp received 1000 datagrams" \
	"$(in_ns python3 -S "$VLO_TRAFFIC" udp fd00:99::1 5002 1000 64 --src ::1)"
check_eq "UDP over IPv6: 1000 x (40 + 8 + 64) bytes in, nothing out" "1000 112000 0 0" \
	"$(cnt in_ipv6_udp_packets) $(cnt in_ipv6_udp_bytes) $(cnt out_packets) $(cnt out_bytes)"
oracle_check "UDP over IPv6: every counter equals nft's" "$N" vlo0 oracle

# --- another protocol -------------------------------------------------------
# Three raw IP protocol 253 packets (RFC 3692 experimentation) from the vlo
# address to itself: counted once out and once in, as "other".

reset_all
in_ns python3 -S -c '
import socket
for fam, addr in ((socket.AF_INET, "10.99.0.1"), (socket.AF_INET6, "fd00:99::1")):
    s = socket.socket(fam, socket.SOCK_RAW, 253)
    for _ in range(3):
        s.sendto(b"o" * 32, (addr, 0))
'
check_eq "protocol 253 over IPv4 is other: 3 x 52 bytes each way" "3 156 3 156" \
	"$(cnt in_ipv4_other_packets) $(cnt in_ipv4_other_bytes) $(cnt out_ipv4_other_packets) $(cnt out_ipv4_other_bytes)"
check_eq "protocol 253 over IPv6 is other: 3 x 72 bytes each way" "3 216 3 216" \
	"$(cnt in_ipv6_other_packets) $(cnt in_ipv6_other_bytes) $(cnt out_ipv6_other_packets) $(cnt out_ipv6_other_bytes)"
oracle_check "other protocols: every counter equals nft's" "$N" vlo0 oracle

# --- ethtool -S -------------------------------------------------------------

check_eq "ethtool -S lists the sysfs counters, same names and values" \
	"$(acct_values "$N" vlo0)" \
	"$(in_ns ethtool -S vlo0 | awk -F': *' 'NR > 1 { gsub(/^ +/, "", $1); print $1 "=" $2 }' | sort)"
check_eq "ethtool -S has 36 counters" 36 "$(in_ns ethtool -S vlo0 | tail -n +2 | wc -l)"

test_done
