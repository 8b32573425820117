#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What crosses a vlo device: frames injected with a packet socket come back
# in on the same device with exact ip -s link counts, broadcast frames are
# counted and not looped, IPv4 and IPv6 addresses answer ping, the routing
# facts README explains hold, and an idle device transmits nothing.

source "$(dirname "$0")/lib.sh"

vlo_load numdevs=0
ns_add t
N=$(ns t)
in_ns() { ip netns exec "$N" "$@"; }

ip -n "$N" link add vlo0 type vlo
ip -n "$N" link set vlo0 up

stat() { in_ns cat "/sys/class/net/vlo0/statistics/$1"; }

# --- frames through xmit and back into receive ----------------------------

out=$(in_ns "$VLO_INJECT" vlo0 1000 200)
check_eq "1000 injected frames come back" "sent 1000 received 1000" "$out"
check_eq "tx_packets exact" 1000 "$(stat tx_packets)"
check_eq "tx_bytes exact (frame length)" 200000 "$(stat tx_bytes)"
check_eq "rx_packets exact" 1000 "$(stat rx_packets)"
check_eq "rx_bytes exact" 200000 "$(stat rx_bytes)"
check_eq "no drops" "0 0" "$(stat rx_dropped) $(stat tx_dropped)"
check_eq "ip -s link agrees" "200000 1000 200000 1000" \
	"$(ip -n "$N" -j -s link show vlo0 |
	   jq -r '.[0].stats64 | "\(.rx.bytes) \(.rx.packets) \(.tx.bytes) \(.tx.packets)"')"

out=$(in_ns "$VLO_INJECT" vlo0 7 1514)
check_eq "full-size frames come back" "sent 7 received 7" "$out"
check_eq "tx after full-size frames" "1007 210598" "$(stat tx_packets) $(stat tx_bytes)"

out=$(in_ns "$VLO_INJECT" -b -t 500 vlo0 5 100)
check_eq "broadcast frames are not looped" "sent 5 received 0" "$out"
check_eq "broadcast frames count as sent" "1012 211098" "$(stat tx_packets) $(stat tx_bytes)"
check_eq "broadcast frames not received" "1007 210598" "$(stat rx_packets) $(stat rx_bytes)"

# --- IPv4 and IPv6 --------------------------------------------------------

ip -n "$N" addr add 10.99.0.1/24 dev vlo0
ip -n "$N" addr add fd00:99::1/64 dev vlo0
check_eq "ping IPv4 address" 0 "$(in_ns ping -c 3 -i 0.2 -W 2 -q 10.99.0.1 >/dev/null; echo $?)"
check_eq "ping IPv6 address" 0 "$(in_ns ping -6 -c 3 -i 0.2 -W 2 -q fd00:99::1 >/dev/null; echo $?)"
check_match "local address is routed through lo" "^local 10.99.0.1 dev lo " \
	"$(ip -n "$N" route get 10.99.0.1)"
check_match "IPv6 local address is routed through lo" "^local fd00:99::1 (from :: )?dev lo " \
	"$(ip -n "$N" -6 route get fd00:99::1)"
check_match "rest of the subnet is routed out of vlo0" "^10.99.0.2 dev vlo0 src 10.99.0.1 " \
	"$(ip -n "$N" route get 10.99.0.2)"
check_eq "pings of local addresses did not cross vlo0" "1012 1007" \
	"$(stat tx_packets) $(stat rx_packets)"

# A packet for a non-local address of the subnet reaches vlo0's xmit and,
# with nowhere to go on a loopback, is dropped there: counted as a TX drop,
# neither sent nor received (vlo_edges.sh covers forwarding and IPv6).
in_ns ping -c 4 -i 0.2 -W 1 -q 10.99.0.2 >/dev/null 2>&1 || true
check_eq "non-local subnet address: 4 packets dropped in xmit" 4 "$(stat tx_dropped)"
check_eq "non-local subnet address: no frame sent or received" "1012 211098 1007" \
	"$(stat tx_packets) $(stat tx_bytes) $(stat rx_packets)"

# --- quiet like lo, with a link-local address -----------------------------
# A link-local address (routing daemons run OSPFv3 only where there is one)
# but nothing sent of its own: no DAD (NOARP), no router solicitation
# (router_solicitations 0), no MLD report (no IFF_MULTICAST: only the
# unreported all-nodes groups). vlo1 as on a host, vlo2 as on a router
# (forwarding on); tcpdump on both as a witness besides the counters.
# Without router_solicitations 0, vlo1 would send one at once (checked:
# its tx_packets is then 1).

ip -n "$N" link add vlo1 type vlo
ip -n "$N" link add vlo2 type vlo
in_ns sysctl -qw net.ipv6.conf.vlo2.forwarding=1
ip -n "$N" link set vlo1 up
ip -n "$N" addr add fd00:98::1/64 dev vlo1
ip -n "$N" addr add 10.98.0.1/24 dev vlo1
ip -n "$N" link set vlo2 up
ip -n "$N" addr add fd00:97::1/64 dev vlo2
ip -n "$N" addr add 10.97.0.1/24 dev vlo2
# tcpdump needs the device up; the counters cover the moment before.
pcap=/tmp/vlo_datapath-$$
on_exit rm -f "$pcap".vlo1 "$pcap".vlo2 "$pcap".vlo1.err "$pcap".vlo2.err
dumps=()
for d in vlo1 vlo2; do
	in_ns tcpdump -n -i "$d" -w "$pcap.$d" 2>"$pcap.$d.err" &
	dumps+=($!)
	# it says so once its socket is there
	wait_for grep -q "listening on $d" "$pcap.$d.err"
done
for d in vlo1 vlo2; do
	check_eq "$d: one IPv6 link-local address" 1 \
		"$(ip -n "$N" -6 addr show dev "$d" scope link | grep -c 'inet6 fe80::')"
	check_eq "$d: router_solicitations 0" 0 \
		"$(in_ns sysctl -n "net.ipv6.conf.$d.router_solicitations")"
done
# The kernel's own timers that could send after an address or "up": a
# router solicitation at once (up to rtr_solicit_delay, 1 s), DAD after
# up to 1 s, unsolicited MLD/IGMP reports repeated within 10 s at most
# (mldv1_/igmpv2_unsolicited_report_interval; v2/v3 take 1 s). 12 s of
# quiet covers them all; the test waits it out idle, so not longer.
idle=${VLO_IDLE_SECS:-12}
sleep "$idle"
for d in vlo1 vlo2; do
	check_eq "$d: idle, sent and received nothing in $idle s" "0 0" \
		"$(in_ns cat "/sys/class/net/$d/statistics/tx_packets" "/sys/class/net/$d/statistics/rx_packets" | xargs)"
	check_eq "$d: no address counted a packet" "0 0" \
		"$(sysfs_counter "$d" in_packets "$N") $(sysfs_counter "$d" out_packets "$N")"
	check_eq "$d: IPv6 addresses are not tentative (no DAD)" "" \
		"$(ip -n "$N" -6 addr show dev "$d" tentative)"
done
kill "${dumps[@]}"
wait "${dumps[@]}" || true
for d in vlo1 vlo2; do
	check_eq "$d: tcpdump -i $d saw no packet" "" \
		"$(tcpdump -n -r "/tmp/vlo_datapath-$d-$$.pcap" 2>/dev/null)"
done
ip -n "$N" link del vlo2

# addrgenmode none, as before 0.3.0, is kept: no link-local after down/up.
ip -n "$N" link set vlo1 addrgenmode none
ip -n "$N" link set vlo1 down
ip -n "$N" link set vlo1 up
check_eq "addrgenmode none: no link-local address" "" \
	"$(ip -n "$N" -6 addr show dev vlo1 scope link)"

test_done
