#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A vlo device enslaved to a VRF: the router-style per-VRF loopback. A VRF
# runs the LOCAL_OUT hook twice on a packet that leaves through one of its
# ports (once with the VRF device as the output, once with the port), so an
# nftables counter at that hook sees every such packet twice. vlo must count
# it once, and must still count traffic to its address from inside the VRF,
# which passes LOCAL_OUT only once.

source "$(dirname "$0")/lib.sh"

modprobe vrf 2>/dev/null || skip "no vrf module in this kernel"
vlo_load numdevs=0
ns_add host peer
H=$(ns host)
P=$(ns peer)
cnt() { ip netns exec "$H" cat "/sys/class/net/$1/vlo/$2"; }
# counters DEV FAMILY PROTO: "in_packets in_bytes out_packets out_bytes"
counters() {
	local d=$1 f=$2 p=$3
	echo "$(cnt "$d" "in_${f}_${p}_packets") $(cnt "$d" "in_${f}_${p}_bytes")" \
		"$(cnt "$d" "out_${f}_${p}_packets") $(cnt "$d" "out_${f}_${p}_bytes")"
}
reset() { ip netns exec "$H" sh -c "echo 1 >/sys/class/net/$1/vlo/reset"; }

ip -n "$H" link add red type vrf table 10
ip -n "$H" link set red up
ip -n "$H" link add vlo0 type vlo
ip -n "$H" link set vlo0 master red
ip -n "$H" link set vlo0 up
ip -n "$H" addr add 10.99.0.1/32 dev vlo0
ip -n "$H" addr add fd00:99::1/128 dev vlo0
# A second device in the default VRF, to see that nothing leaks across.
ip -n "$H" link add vlo1 type vlo
ip -n "$H" link set vlo1 up
ip -n "$H" addr add 10.99.1.1/32 dev vlo1

ip link add vh netns "$H" type veth peer name vp netns "$P"
ip -n "$H" link set vh master red
ip -n "$H" addr add 192.0.2.1/24 dev vh
ip -n "$H" addr add 2001:db8::1/64 dev vh nodad
ip -n "$P" addr add 192.0.2.2/24 dev vp
ip -n "$P" addr add 2001:db8::2/64 dev vp nodad
ip -n "$H" link set vh up
ip -n "$P" link set vp up
ip -n "$P" route add 10.99.0.0/16 via 192.0.2.1
ip -n "$P" route add fd00:99::/32 via 2001:db8::1

check_eq "vlo0 is enslaved to the VRF" "red" \
	"$(ip -n "$H" -o link show vlo0 | sed -n 's/.* master \([^ ]*\) .*/\1/p')"
check_match "its address is in the VRF's table" "^local 10\.99\.0\.1 dev vlo0" \
	"$(ip -n "$H" route show table 10 type local)"

# --- a remote peer pings the VRF's loopback ---------------------------------------
# The replies leave through the VRF: the path that ran LOCAL_OUT twice.

# remote_pings WHAT N4 N6: the peer pings vlo0's addresses N4 and N6 times;
# each echo is counted once in and its reply once out (84 and 104 bytes).
remote_pings() {
	local what=$1 n4=$2 n6=$3
	ip netns exec "$P" ping -c "$n4" -i 0.2 -W 2 -q 10.99.0.1 >/dev/null
	check_eq "$what: ping, $n4 in, $n4 out" \
		"$n4 $((n4 * 84)) $n4 $((n4 * 84))" "$(counters vlo0 ipv4 icmp)"
	ip netns exec "$P" ping -6 -c "$n6" -i 0.2 -W 2 -q fd00:99::1 >/dev/null
	check_eq "$what: ping -6, $n6 in, $n6 out" \
		"$n6 $((n6 * 104)) $n6 $((n6 * 104))" "$(counters vlo0 ipv6 icmp)"
}

remote_pings "remote peer" 7 3
check_eq "vlo1, outside the VRF, counted nothing" "0 0" \
	"$(cnt vlo1 in_packets) $(cnt vlo1 out_packets)"

# --- the VRF's loopback as the source of outgoing traffic ----------------------------

reset vlo0
# UDP from a socket bound to the VRF and to the vlo address to a listener on
# the peer: 100 x (20 + 8 + 100) bytes out, nothing back.
got=$(mktemp)
on_exit rm -f "$got"
ip netns exec "$P" python3 -S -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.0.2.2", 5009))
s.settimeout(10)
n = 0
try:
    while n < 100:
        s.recv(2048)
        n += 1
except socket.timeout:
    pass
open(sys.argv[1], "w").write(f"{n}\n")
' "$got" &
sink=$!
wait_for ip netns exec "$P" sh -c 'ss -Hlun "sport = :5009" | grep -q .'
ip netns exec "$H" python3 -S -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"red")
s.bind(("10.99.0.1", 0))
for _ in range(100):
    s.sendto(b"v" * 100, ("192.0.2.2", 5009))
'
wait "$sink"
check_eq "the peer received the 100 datagrams" "100" "$(cat "$got")"
check_eq "UDP sourced from vlo0 through the VRF: 100 out, 12800 bytes" \
	"0 0 100 12800" "$(counters vlo0 ipv4 udp)"
# The same with ping, its source chosen by a route of the VRF.
ip -n "$H" route add table 10 192.0.2.2/32 dev vh src 10.99.0.1
ip netns exec "$H" ping -I red -c 5 -i 0.2 -W 2 -q 192.0.2.2 >/dev/null 2>&1
check_eq "ping from the VRF, source vlo0: 5 out, 5 in" "5 420 5 420" \
	"$(counters vlo0 ipv4 icmp)"

# --- traffic to the loopback from inside the VRF ------------------------------------
# Routed to the VRF device over a local route: LOCAL_OUT and LOCAL_IN once
# each per packet, as on lo.

reset vlo0
ip netns exec "$H" ping -I red -c 5 -i 0.2 -W 2 -q 10.99.0.1 >/dev/null 2>&1
check_eq "ping within the VRF: 10 in, 10 out" "10 840 10 840" \
	"$(counters vlo0 ipv4 icmp)"
ip netns exec "$H" ping -6 -I red -c 2 -i 0.2 -W 2 -q fd00:99::1 >/dev/null 2>&1
check_eq "ping -6 within the VRF: 4 in, 4 out" "4 416 4 416" \
	"$(counters vlo0 ipv6 icmp)"
check_eq "the default VRF cannot reach it" "unreachable" \
	"$(ip netns exec "$H" ping -c 1 -W 1 -q 10.99.0.1 >/dev/null 2>&1 && echo reachable || echo unreachable)"
check_eq "so vlo0 counted no more" "10 10" \
	"$(cnt vlo0 in_ipv4_icmp_packets) $(cnt vlo0 out_ipv4_icmp_packets)"

# --- with a qdisc on the VRF device ---------------------------------------------------
# The VRF then redirects through its own device and xmit, and runs LOCAL_OUT
# again from there: another route to the same double pass.

reset vlo0
if ip -n "$H" link set red txqueuelen 1000 &&
	tc -n "$H" qdisc add dev red root pfifo 2>/dev/null; then
	remote_pings "redirect path" 4 2
	tc -n "$H" qdisc del dev red root
else
	echo "# no pfifo qdisc here: the VRF's redirect path is not tested"
fi

# --- vloctl route get in the VRF ----------------------------------------------------
# "vrf red" makes the lookup in the VRF (RTA_OIF, as ip route get does), and
# its local packets cross the VRF device, not lo. Without it the address is
# unreachable, and vloctl says where it is.

# vc ARGS...: vloctl in the host namespace; its stdout, stderr, status in OUT, ERR, RC.
vc() {
	local e
	e=$(mktemp)
	RC=0
	OUT=$(ip netns exec "$H" "$VLOCTL" "$@" 2>"$e") || RC=$?
	ERR=$(cat "$e")
	rm -f "$e"
}
if [ -x "$VLOCTL" ] && command -v jq >/dev/null; then
	vc route get 10.99.0.1 vrf red
	check_eq "vloctl route get vrf red: exit status" 0 "$RC"
	check_eq "vloctl route get vrf red: the VRF's local route, through red" \
		"local 10.99.0.1 dev red table 10 src 10.99.0.1
    fib: local 10.99.0.1 dev vlo0 table 10 proto kernel scope host src 10.99.0.1
    vlo: local address of vlo0; packets cross red (the VRF device); accounted on vlo0 (in and out)" \
		"$OUT"
	vc -j route get 10.99.0.1 vrf red
	check_eq "vloctl -j route get vrf red: dev, table, fib dev, vrf, local, owner, in, out" \
		'["red","10","vlo0","red",true,"vlo0","vlo0","vlo0"]' \
		"$(jq -c '.[0] | [.dev, .table, .fib.dev, .vlo.vrf, .vlo.local,
			.vlo.owner, .vlo.in, .vlo.out]' <<<"$OUT")"
	vc route get fd00:99::1 vrf red
	check_eq "vloctl route get -6 vrf red" \
		"    vlo: local address of vlo0; packets cross red (the VRF device); accounted on vlo0 (in and out)" \
		"$(sed -n 3p <<<"$OUT")"
	vc -j route get 10.99.1.1
	check_eq "vloctl -j route get outside the VRF: vrf null, lo" '[null,"lo","vlo1"]' \
		"$(jq -c '.[0] | [.vlo.vrf, .dev, .vlo.owner]' <<<"$OUT")"

	vc route get 10.99.0.1
	check_eq "vloctl route get without vrf: exit status" 1 "$RC"
	check_eq "vloctl route get without vrf: the error, and where the address is" \
		"vloctl: no route to 10.99.0.1: Network is unreachable
vloctl: 10.99.0.1 is on vlo0 in VRF red: try 'vloctl route get 10.99.0.1 vrf red'" "$ERR"
	ip -n "$H" route add 10.99.0.0/24 dev vlo1
	vc route get 10.99.0.1
	check_eq "vloctl route get without vrf, routed elsewhere: the hint ends the summary" \
		"    vlo: not a local address, routed out of vlo1: packets cross vlo1's xmit, loop back and are dropped; accounted on vlo1 (out only: the source 10.99.1.1 is vlo1's); 10.99.0.1 is on vlo0 in VRF red: try 'vloctl route get 10.99.0.1 vrf red'" \
		"$(sed -n 3p <<<"$OUT")"
	ip -n "$H" route del 10.99.0.0/24 dev vlo1

	vc route get 10.99.0.1 vrf blue
	check_eq "vloctl route get vrf UNKNOWN: exit 1 and why" \
		"1 vloctl: VRF \"blue\" does not exist: 'ip link show type vrf' lists the VRFs" \
		"$RC $ERR"
	vc route get 10.99.0.1 vrf vlo1
	check_eq "vloctl route get vrf NOT-A-VRF: exit 1 and why" \
		"1 vloctl: vlo1 is not a VRF (its kind is vlo): 'ip link show type vrf' lists the VRFs" \
		"$RC $ERR"
	vc route get 10.99.0.1 vrf
	check_eq "vloctl route get vrf without NAME: usage error" \
		"2 vloctl: route get: missing NAME after 'vrf'" "$RC $(head -n 1 <<<"$ERR")"
else
	echo "# vloctl not built or no jq: vloctl route get in a VRF is not tested"
fi

# --- leaving the VRF ------------------------------------------------------------------

reset vlo0
ip -n "$H" link set vlo0 nomaster
check_eq "after nomaster the address is in the main table" "local 10.99.0.1 dev vlo0" \
	"$(ip -n "$H" route show table local 10.99.0.1 | sed 's/ proto.*//')"
ip netns exec "$H" ping -c 3 -i 0.2 -W 2 -q 10.99.0.1 >/dev/null
check_eq "ping from the default VRF now: 6 in, 6 out" "6 6" \
	"$(cnt vlo0 in_ipv4_icmp_packets) $(cnt vlo0 out_ipv4_icmp_packets)"

ip -n "$H" link del red
check_eq "deleting the VRF leaves vlo0 in place" "vlo0" \
	"$(ip -n "$H" -o link show vlo0 | awk -F': ' '{print $2}')"

test_done
