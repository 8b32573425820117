#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Whose traffic a vlo device counts: a remote peer reaching its address
# through a veth, two devices with no cross-counting, an address removed or
# added while traffic flows, and an address held by two devices.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oracle.sh"

vlo_load numdevs=0
ns_add host peer
H=$(ns host)
P=$(ns peer)
cnt() { ip netns exec "$H" cat "/sys/class/net/$1/vlo/$2"; }

for i in 0 1; do
	ip -n "$H" link add "vlo$i" type vlo
	ip -n "$H" link set "vlo$i" up
done
ip -n "$H" addr add 10.99.0.1/32 dev vlo0
ip -n "$H" addr add fd00:99::1/128 dev vlo0
ip -n "$H" addr add 10.99.1.1/32 dev vlo1
ip -n "$H" addr add fd00:99:1::1/128 dev vlo1
oracle_add "$H" o0 10.99.0.1 fd00:99::1
oracle_add "$H" o1 10.99.1.1 fd00:99:1::1

# --- a remote peer through a veth ---------------------------------------------

ip link add vh netns "$H" type veth peer name vp netns "$P"
ip -n "$H" addr add 192.0.2.1/24 dev vh
ip -n "$P" addr add 192.0.2.2/24 dev vp
ip -n "$H" addr add 2001:db8::1/64 dev vh nodad
ip -n "$P" addr add 2001:db8::2/64 dev vp nodad
ip -n "$H" link set vh up
ip -n "$P" link set vp up
ip -n "$P" route add 10.99.0.0/16 via 192.0.2.1
ip -n "$P" route add fd00:99::/32 via 2001:db8::1

ip netns exec "$P" ping -c 7 -i 0.2 -W 2 -q 10.99.0.1 >/dev/null
ip netns exec "$P" ping -6 -c 3 -i 0.2 -W 2 -q fd00:99::1 >/dev/null
check_eq "remote pings counted on vlo0" "7 7 3 3" \
	"$(cnt vlo0 in_ipv4_icmp_packets) $(cnt vlo0 out_ipv4_icmp_packets) $(cnt vlo0 in_ipv6_icmp_packets) $(cnt vlo0 out_ipv6_icmp_packets)"
oracle_check "remote pings: vlo0 equals nft's" "$H" vlo0 o0
check_eq "remote pings not counted on vlo1" "0 0" \
	"$(cnt vlo1 in_packets) $(cnt vlo1 out_packets)"
check_eq "UDP from the remote peer" "udp received 200 datagrams" \
	"$(ip netns exec "$H" python3 -S -c '
import socket
rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rx.bind(("10.99.0.1", 5003))
rx.settimeout(5)
import subprocess, sys
subprocess.run(["ip", "netns", "exec", sys.argv[1], "python3", "-S", "-c",
    "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
    "[s.sendto(b\"r\" * 100, (\"10.99.0.1\", 5003)) for _ in range(200)]"], check=True)
n = 0
try:
    while n < 200:
        rx.recv(2048)
        n += 1
except socket.timeout:
    pass
print(f"udp received {n} datagrams")
' "$P")"
check_eq "remote UDP: 200 x 128 bytes in on vlo0" "200 25600" \
	"$(cnt vlo0 in_ipv4_udp_packets) $(cnt vlo0 in_ipv4_udp_bytes)"
oracle_check "remote UDP: vlo0 equals nft's" "$H" vlo0 o0

# --- two devices, no cross-counting ---------------------------------------------

ip netns exec "$H" ping -c 4 -i 0.2 -W 2 -q 10.99.1.1 >/dev/null
ip netns exec "$H" ping -6 -c 2 -i 0.2 -W 2 -q fd00:99:1::1 >/dev/null
check_eq "vlo1 counts its own pings" "8 8 4 4" \
	"$(cnt vlo1 in_ipv4_icmp_packets) $(cnt vlo1 out_ipv4_icmp_packets) $(cnt vlo1 in_ipv6_icmp_packets) $(cnt vlo1 out_ipv6_icmp_packets)"
oracle_check "vlo1 equals its own nft oracle" "$H" vlo1 o1
oracle_check "vlo0 unchanged by vlo1's traffic" "$H" vlo0 o0

# --- addresses removed and added while traffic flows -----------------------------

ip netns exec "$H" ping -i 0.05 -q 10.99.0.1 >/dev/null 2>&1 &
pinger=$!
check_ok "traffic flowing to 10.99.0.1" wait_for \
	sh -c "[ \$(ip netns exec $H cat /sys/class/net/vlo0/vlo/in_packets) -gt 20 ]"
ip -n "$H" addr del 10.99.0.1/32 dev vlo0
ip -n "$H" addr add 10.99.0.1/32 dev vlo1
before0=$(cnt vlo0 in_packets)
sleep 1
check_eq "removed address no longer counted on vlo0 while pings go on" "$before0" \
	"$(cnt vlo0 in_packets)"
kill "$pinger" 2>/dev/null || true
wait "$pinger" 2>/dev/null || true
before1="$(cnt vlo1 in_ipv4_icmp_packets) $(cnt vlo1 out_ipv4_icmp_packets)"
ip netns exec "$H" ping -c 3 -i 0.2 -W 2 -q 10.99.0.1 >/dev/null
check_eq "the moved address counts on vlo1 at once: 6 in, 6 out" \
	"$(awk '{print $1 + 6, $2 + 6}' <<<"$before1")" \
	"$(cnt vlo1 in_ipv4_icmp_packets) $(cnt vlo1 out_ipv4_icmp_packets)"
check_eq "and still not on vlo0" "$before0" "$(cnt vlo0 in_packets)"

# --- the same address on two vlo devices counts on both -------------------------

ip netns exec "$H" sh -c 'echo 1 > /sys/class/net/vlo0/vlo/reset; echo 1 > /sys/class/net/vlo1/vlo/reset'
ip -n "$H" addr add 10.99.2.1/32 dev vlo0
ip -n "$H" addr add 10.99.2.1/32 dev vlo1
ip netns exec "$H" ping -c 3 -i 0.2 -W 2 -q 10.99.2.1 >/dev/null
check_eq "shared address counted on vlo0" "6 6" "$(cnt vlo0 in_packets) $(cnt vlo0 out_packets)"
check_eq "shared address counted on vlo1" "6 6" "$(cnt vlo1 in_packets) $(cnt vlo1 out_packets)"
ip -n "$H" addr del 10.99.2.1/32 dev vlo0
ip netns exec "$H" ping -c 1 -W 2 -q 10.99.2.1 >/dev/null
check_eq "after removal from vlo0, only vlo1 counts" "6 8" \
	"$(cnt vlo0 in_packets) $(cnt vlo1 in_packets)"

test_done
