#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vlo at the edges a new user finds (issue 15): numdevs in decimal only,
# IPv6 state after an MTU dip, an IPv4 address held with two prefix
# lengths, broadcast and multicast delivered once, non-first IPv6 fragments
# classified as nft does, no packet looping through the device (forwarded,
# to a non-local address, from an upper device), upper devices refused but
# a VRF, `arp on` ignored as on lo. Every count is exact, most against an
# nft counter at the same hook.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oracle.sh"

require_cmd python3 jq nft ping

# --- numdevs: decimal only --------------------------------------------------

vlo_load numdevs=010
check_eq "numdevs=010 is ten devices, not eight" 10 "$(ip -br link show type vlo | wc -l)"
vlo_unload
for bad in 0x10 0X1 0b1; do
	out=$(insmod "$VLO_KO" "numdevs=$bad" 2>&1) && rc=0 || rc=$?
	check_ne "numdevs=$bad refuses the load" 0 "$rc"
	check_eq "numdevs=$bad leaves no module" no "$(vlo_loaded)"
	[ "$(vlo_loaded)" = no ] || rmmod vlo
done
check_match "the refusal says decimal" \
	"vlo: numdevs=0b1 refused: give a number from 0 to 1024 \(decimal\)" "$(dmesg | tail -n 20)"

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

# --- IPv6 state after an MTU dip ---------------------------------------------
# Below 1280 addrconf destroys the device's inet6_dev; back above, it makes
# a new one and generates a link-local address at once, then would send a
# router solicitation. vlo gives the new inet6_dev the last one's address
# generation mode and router_solicitations (0 unless the user set another):
# one link-local, nothing sent; a user's addrgenmode none survives.

ip -n "$N" link add vlo2 type vlo
ip -n "$N" link set vlo2 up
tx() { in_ns cat "/sys/class/net/$1/statistics/tx_packets"; }
linklocal() { ip -n "$N" -6 addr show dev "$1" scope link | grep -c 'inet6 fe80::' || true; }
genmode() { ip -n "$N" -d -j link show "$1" | jq -r '.[0].inet6_addr_gen_mode'; }
rs() { in_ns sysctl -n "net.ipv6.conf.$1.router_solicitations"; }

ip -n "$N" link set vlo2 mtu 1000
ip -n "$N" link set vlo2 mtu 65536
check_eq "MTU 1000 then 65536 while up: one link-local, eui64, no solicitation" \
	"1 eui64 0" "$(linklocal vlo2) $(genmode vlo2) $(rs vlo2)"
ip -n "$N" link set vlo2 down
ip -n "$N" link set vlo2 mtu 1000
ip -n "$N" link set vlo2 mtu 1500
ip -n "$N" link set vlo2 up
check_eq "MTU 1000 then 1500 while down, then up: one link-local, no solicitation" \
	"1 eui64 0" "$(linklocal vlo2) $(genmode vlo2) $(rs vlo2)"
ip -n "$N" link add vlo3 mtu 1000 type vlo
ip -n "$N" link set vlo3 up
ip -n "$N" link set vlo3 mtu 1280
check_eq "created at MTU 1000, raised to 1280: one link-local, no solicitation" \
	"1 eui64 0" "$(linklocal vlo3) $(genmode vlo3) $(rs vlo3)"
# A router solicitation leaves at once after the link-local address.
sleep 2
check_eq "none of that sent a frame or counted out" "0 0 0 0" \
	"$(tx vlo2) $(tx vlo3) $(cnt vlo2 out_packets) $(cnt vlo3 out_packets)"

ip -n "$N" link set vlo3 addrgenmode none
ip -n "$N" link set vlo3 down
ip -n "$N" link set vlo3 up
check_eq "addrgenmode none asked: no link-local" 0 "$(linklocal vlo3)"
ip -n "$N" link set vlo3 mtu 1000
ip -n "$N" link set vlo3 mtu 65536
check_eq "the user's none survives an MTU dip: no link-local, mode none" "0 none" \
	"$(linklocal vlo3) $(genmode vlo3)"
ip -n "$N" link del vlo3

# --- broadcast and multicast delivered once -----------------------------------
# The IP layer loops its own copy of each; the frame vlo transmits is only
# counted. Five datagrams, five received, five frames sent, none received.

ip -n "$N" addr add 10.97.0.1/24 brd + dev vlo2
ip -n "$N" addr add fd00:97::1/64 dev vlo2 nodad
# udp_once KIND: send five datagrams, print how many the listener got.
udp_once() {
	in_ns python3 -S - "$1" "$(in_ns cat /sys/class/net/vlo2/ifindex)" <<'PY'
import socket, struct, sys
kind, ifindex = sys.argv[1], int(sys.argv[2])
fam = socket.AF_INET6 if kind == "ipv6-multicast" else socket.AF_INET
rx = socket.socket(fam, socket.SOCK_DGRAM)
tx = socket.socket(fam, socket.SOCK_DGRAM)
rx.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", 5097))
if kind == "broadcast":
    tx.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    dst = ("10.97.0.255", 5097)
elif kind == "ipv4-multicast":
    mreqn = socket.inet_aton("239.1.97.1") + socket.inet_aton("10.97.0.1") + struct.pack("i", ifindex)
    rx.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreqn)
    tx.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, mreqn)
    dst = ("239.1.97.1", 5097)
else:
    tx.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifindex)
    dst = ("ff02::1", 5097, 0, ifindex)
for _ in range(5):
    tx.sendto(b"edge", dst)
rx.settimeout(1)
n = 0
try:
    while True:
        rx.recv(64)
        n += 1
except socket.timeout:
    pass
print(n)
PY
}
rx() { in_ns cat "/sys/class/net/$1/statistics/rx_packets"; }
tx0=$(tx vlo2)
check_eq "5 datagrams to 10.97.0.255 arrive 5 times" 5 "$(udp_once broadcast)"
check_eq "broadcast: 5 frames sent, none looped" "5 0" "$(($(tx vlo2) - tx0)) $(rx vlo2)"
check_eq "5 datagrams to 239.1.97.1 (joined on vlo2) arrive 5 times" 5 "$(udp_once ipv4-multicast)"
check_eq "5 datagrams to ff02::1%vlo2 arrive 5 times" 5 "$(udp_once ipv6-multicast)"
check_eq "multicast: no frame looped" 0 "$(rx vlo2)"

# --- nothing loops: forwarded and non-local packets cross vlo once ------------
# 10.99.0.2 and fd00:99::2 are in vlo0's subnets but on no device. From a
# remote host (through a veth, forwarding on) or from this one, each packet
# reaches vlo0's transmit once and is dropped there, counted in tx_dropped.
# An nft counter at the forward hook counts how often the host forwards.

ns_add r
R=$(ns r)
ip link add vx netns "$N" type veth peer name vy netns "$R"
ip -n "$N" addr add 10.50.0.1/24 dev vx
ip -n "$N" addr add fd00:50::1/64 dev vx nodad
ip -n "$N" link set vx up
ip -n "$R" addr add 10.50.0.2/24 dev vy
ip -n "$R" addr add fd00:50::2/64 dev vy nodad
ip -n "$R" link set vy up
ip -n "$R" route add 10.99.0.0/24 via 10.50.0.1
ip -n "$R" route add fd00:99::/64 via fd00:50::1
ip -n "$N" addr add 10.99.0.1/24 dev vlo0
ip -n "$N" addr add fd00:99::1/64 dev vlo0 nodad
in_ns nft -f - <<'NFT'
table inet edges {
	counter f4 { }
	counter f6 { }
	chain forward {
		type filter hook forward priority 0; policy accept;
		ip daddr 10.99.0.2 counter name f4
		ip6 daddr fd00:99::2 counter name f6
	}
}
NFT
dropped() { in_ns cat "/sys/class/net/$1/statistics/tx_dropped"; }
# crossings FAMILY_OPT NETNS ADDR: 3 pings, none answered (each is dropped
# at vlo0's xmit before ping's send returns, a remote one in the veth
# softirq that send runs; so short waits); prints the forward hook's count,
# then vlo0's tx_packets, rx_packets and tx_dropped, as increments.
crossings() {
	local fam=$1 from=$2 addr=$3 c=f4 before
	[ "$fam" = -4 ] || c=f6
	in_ns nft reset counters table inet edges >/dev/null
	before="$(tx vlo0) $(rx vlo0) $(dropped vlo0)"
	ip netns exec "$from" ping "$fam" -c 3 -i 0.05 -W 0.3 -q "$addr" >/dev/null 2>&1 || true
	# shellcheck disable=SC2086 # three numbers
	set -- $before
	echo "$(nft_counter inet edges "$c" packets "$N")" \
		"$(($(tx vlo0) - $1)) $(($(rx vlo0) - $2)) $(($(dropped vlo0) - $3))"
}

for fwd in 1 0; do
	in_ns sysctl -qw net.ipv4.ip_forward=$fwd net.ipv6.conf.all.forwarding=$fwd
	on=$([ $fwd = 1 ] && echo on || echo off)
	check_eq "forwarding $on, local IPv4 sender: 3 packets dropped once each" \
		"0 0 0 3" "$(crossings -4 "$N" 10.99.0.2)"
	check_eq "forwarding $on, local IPv6 sender: 3 packets dropped once each" \
		"0 0 0 3" "$(crossings -6 "$N" fd00:99::2)"
done
in_ns sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
check_eq "forwarding on, remote IPv4 sender: forwarded 3 times, dropped 3" \
	"3 0 0 3" "$(crossings -4 "$R" 10.99.0.2)"
check_eq "forwarding on, remote IPv6 sender: forwarded 3 times, dropped 3" \
	"3 0 0 3" "$(crossings -6 "$R" fd00:99::2)"
in_ns sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0
check_eq "forwarding off, remote IPv4 sender: never reaches vlo0" \
	"0 0 0 0" "$(crossings -4 "$R" 10.99.0.2)"
check_eq "forwarding off, remote IPv6 sender: never reaches vlo0" \
	"0 0 0 0" "$(crossings -6 "$R" fd00:99::2)"
check_eq "ip -s link shows the 18 drops" 18 \
	"$(ip -n "$N" -j -s link show vlo0 | jq '.[0].stats64.tx.dropped')"
check_eq "the vlo0 address itself still answers" 0 \
	"$(in_ns ping -c 1 -W 2 -q 10.99.0.1 >/dev/null; echo $?)"

# --- arp on: neighbours still resolve to the device itself, as on lo -----------

# (IPv6 notices the flag and sends DAD and MLD frames: count ARP alone)
in_ns nft -f - <<'NFT'
table arp edges {
	counter requests { }
	chain out {
		type filter hook output priority 0; policy accept;
		oifname "vlo0" counter name requests
	}
}
NFT
ip -n "$N" link set vlo0 arp on
mac=$(ip -n "$N" -j link show vlo0 | jq -r '.[0].address')
before=$(dropped vlo0)
in_ns ping -c 2 -i 0.2 -W 1 -q 10.99.0.3 >/dev/null 2>&1 || true
check_eq "arp on: 10.99.0.3 resolves to vlo0's own MAC, NOARP" "$mac NOARP" \
	"$(ip -n "$N" -j neigh show 10.99.0.3 dev vlo0 nud all | jq -r '.[0] | "\(.lladdr) \(.state[0])"')"
check_eq "arp on: no ARP request sent, the 2 packets dropped" "0 2" \
	"$(nft_counter arp edges requests packets "$N") $(($(dropped vlo0) - before))"
in_ns ping -6 -c 1 -W 1 -q fd00:99::3 >/dev/null 2>&1 || true
check_eq "arp on: fd00:99::3 resolves to vlo0's own MAC, NOARP" "$mac NOARP" \
	"$(ip -n "$N" -j neigh show fd00:99::3 dev vlo0 nud all | jq -r '.[0] | "\(.lladdr) \(.state[0])"')"
check_eq "arp on: the vlo0 address still answers" 0 \
	"$(in_ns ping -c 1 -W 2 -q 10.99.0.1 >/dev/null; echo $?)"
ip -n "$N" link set vlo0 arp off

# --- upper devices: none but a VRF --------------------------------------------

msg="vlo: a loopback device takes no upper device but a VRF"
links=$(ip -n "$N" -br link | wc -l)
# refused DESC CMD...: CMD fails with vlo's message and adds no device.
refused() {
	local desc=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	check_eq "$desc: refused, saying why" "2 Error: $msg." "$rc $out"
}
ip -n "$N" link add br0 type bridge
ip -n "$N" link add bond0 type bond
ip -n "$N" link add red type vrf table 10
ip -n "$N" link set vlo1 down
refused "vlo1 as a bridge port" ip -n "$N" link set vlo1 master br0
refused "vlo1 as a bond slave" ip -n "$N" link set vlo1 master bond0
if ip -n "$N" link add team0 type team 2>/dev/null; then
	refused "vlo1 as a team port" ip -n "$N" link set vlo1 master team0
	ip -n "$N" link del team0
fi
refused "a macvlan on vlo1" ip -n "$N" link add mv0 link vlo1 type macvlan
refused "an ipvlan on vlo1" ip -n "$N" link add iv0 link vlo1 type ipvlan mode l3
refused "a VLAN on vlo1" ip -n "$N" link add link vlo1 name vlo1.5 type vlan id 5
check_eq "nothing was added, vlo1 unchanged (no master, MTU, down)" \
	"$((links + 3)) null 65536 DOWN" \
	"$(ip -n "$N" -br link | wc -l) $(ip -n "$N" -j link show vlo1 | jq -r '.[0] | "\(.master) \(.mtu) \(.operstate)"')"
check_ok "a VRF is still accepted as master" ip -n "$N" link set vlo1 master red
check_eq "vlo1's master is the VRF" red "$(ip -n "$N" -j link show vlo1 | jq -r '.[0].master')"
ip -n "$N" link set vlo1 nomaster
ip -n "$N" link del br0
ip -n "$N" link del bond0
ip -n "$N" link del red

test_done
