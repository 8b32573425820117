#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The "vlo" generic netlink family: a counter per address, each checked
# against an nftables counter rule per address (ping, TCP, UDP, IPv6, a
# remote peer, two addresses on a device, one address on two devices, an
# address that moves), device counters equal to the sum of their addresses,
# prefix lengths, read-and-zero exact under a flood, a strict policy that
# refuses junk and changes nothing, and zeroing refused to the unprivileged.
# The devices above split per address (addr-split on); with the default
# (off) an address keeps its four totals, exact against nft's, the device
# its split, and a dump of the address split is refused with a message.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oracle.sh"

require_cmd nft jq python3
[ -x "$VLOCTL" ] || skip "$VLOCTL not built (make tools)"
[ -e "$VLO_REPO/tools/ip/link_vlo.so" ] || skip "link_vlo.so not built (make tools)"
require_pyroute2
GENL=$VLO_REPO/selftests/vlo_genl.py

vlo_load numdevs=0
ns_add h peer
H=$(ns h)
P=$(ns peer)
in_h() { ip netns exec "$H" "$@"; }

genl_serve "$H"
GH=("$serve_w" "$serve_r")
genl() { gsend "${GH[@]}" "$@"; }
# gaddrs [IFINDEX]: the GET_ADDR dump as vlo_genl.py prints it, read by
# vloctl (the same dump, from C: Python's start-up costs seconds in the VM)
gaddrs() {
	"$VLOCTL" -n "$H" -j -s addrs | jq -c --argjson i "${1:-0}" '
		def ctrs: . as $a | ($a.family == "inet") as $v4 |
			[("in", "out") as $d |
			 {key: "\($d)_packets", value: $a[$d].packets},
			 {key: "\($d)_bytes", value: $a[$d].bytes},
			 (("ipv4", "ipv6") as $f | ("icmp", "tcp", "udp", "other") as $p |
			  (if ($f == "ipv4") == $v4 then $a[$d][$p] else {packets: 0, bytes: 0} end) as $c |
			  {key: "\($d)_\($f)_\($p)_packets", value: $c.packets},
			  {key: "\($d)_\($f)_\($p)_bytes", value: $c.bytes})] | from_entries;
		.[] | select($i == 0 or .ifindex == $i) |
		{addr: .local, ifindex, ifname, family, prefixlens, counters: ctrs}'
}
ifindex() { in_h cat "/sys/class/net/$1/ifindex"; }

# addr_values DEV ADDR: "counter=value" lines of one address, as oracle_values
addr_values() {
	gaddrs "$(ifindex "$1")" | jq -r --arg a "$2" \
		'select(.addr == $a) | .counters | to_entries[] | "\(.key)=\(.value)"' | sort
}
# addr_check DESC DEV ADDR ORACLE: every counter of the address equals nft's
addr_check() {
	check_eq "$1" "$(oracle_values "$H" "$4")" "$(addr_values "$2" "$3")"
}
dev_values() {
	genl devs "$(ifindex "$1")" | jq -r '.counters | to_entries[] | "\(.key)=\(.value)"' | sort
}
# the sum of the addresses' counters of DEV, as "counter=value" lines
addr_sum() {
	gaddrs "$(ifindex "$1")" | jq -rs \
		'[.[].counters] | (.[0] | keys[]) as $k | "\($k)=\(map(.[$k]) | add)"' | sort
}

for i in 0 1; do
	vlo_ip -n "$H" link add "vlo$i" type vlo addr-split on
	ip -n "$H" link set "vlo$i" up
done
ip -n "$H" addr add 10.99.0.1/32 dev vlo0
ip -n "$H" addr add 10.99.0.2/32 dev vlo0
ip -n "$H" addr add fd00:99::1/128 dev vlo0
ip -n "$H" addr add fd00:99::2/128 dev vlo0
oracle_add "$H" a1 10.99.0.1
oracle_add "$H" a2 10.99.0.2
oracle_add "$H" a6 fd00:99::1
oracle_add "$H" b6 fd00:99::2
I0=$(ifindex vlo0)
I1=$(ifindex vlo1)

check_eq "the dump lists each address once, in order" \
	"10.99.0.1 10.99.0.2 fd00:99::1 fd00:99::2" \
	"$(gaddrs | jq -r .addr | xargs)"
check_eq "an address starts at zero" "0 0" \
	"$(gaddrs "$I0" | jq -s '([.[].counters.in_packets] | add), ([.[].counters.out_bytes] | add)' | xargs)"

# --- two addresses on one device, each on its own ---------------------------

in_h ping -c 3 -i 0.2 -W 2 -q 10.99.0.1 >/dev/null
in_h ping -c 2 -i 0.2 -W 2 -q 10.99.0.2 >/dev/null
check_eq "ping -c 3 and -c 2: each address counts its own" "6 504 4 336" \
	"$(addr_values vlo0 10.99.0.1 | grep -E '^in_(packets|bytes)=' | cut -d= -f2 | sort -n | xargs) $(addr_values vlo0 10.99.0.2 | grep -E '^in_(packets|bytes)=' | cut -d= -f2 | sort -n | xargs)"
addr_check "ping: 10.99.0.1 equals its nft rule" vlo0 10.99.0.1 a1
addr_check "ping: 10.99.0.2 equals its nft rule" vlo0 10.99.0.2 a2
check_eq "the device's counters are the sum of its addresses'" "$(addr_sum vlo0)" "$(dev_values vlo0)"

check_eq "TCP 1 MB to 10.99.0.1" "tcp received 1000000 bytes" \
	"$(in_h python3 -S "$VLO_TRAFFIC" tcp 10.99.0.1 5001 1000000 --src 127.0.0.1)"
check_eq "UDP 500 x 64 B to 10.99.0.2" "udp received 500 datagrams" \
	"$(in_h python3 -S "$VLO_TRAFFIC" udp 10.99.0.2 5002 500 64 --src 127.0.0.1)"
addr_check "TCP: 10.99.0.1 equals its nft rule" vlo0 10.99.0.1 a1
addr_check "UDP: 10.99.0.2 equals its nft rule" vlo0 10.99.0.2 a2
check_eq "UDP: no TCP, 500 x 92 bytes in on 10.99.0.2" "0 46000 500" \
	"$(addr_values vlo0 10.99.0.2 | grep -E '^in_ipv4_(udp_packets|udp_bytes|tcp_packets)=' | cut -d= -f2 | xargs)"

in_h ping -6 -c 4 -i 0.2 -W 2 -q fd00:99::1 >/dev/null
check_eq "TCP over IPv6 to fd00:99::2" "tcp received 300000 bytes" \
	"$(in_h python3 -S "$VLO_TRAFFIC" tcp fd00:99::2 5003 300000 --src ::1)"
addr_check "IPv6 ping: fd00:99::1 equals its nft rule" vlo0 fd00:99::1 a6
addr_check "IPv6 TCP: fd00:99::2 equals its nft rule" vlo0 fd00:99::2 b6
check_eq "still: device = sum of its addresses" "$(addr_sum vlo0)" "$(dev_values vlo0)"

# --- a remote peer -------------------------------------------------------------

ip link add vh netns "$H" type veth peer name vp netns "$P"
ip -n "$H" addr add 192.0.2.1/24 dev vh
ip -n "$P" addr add 192.0.2.2/24 dev vp
ip -n "$H" addr add 2001:db8::1/64 dev vh nodad
ip -n "$P" addr add 2001:db8::2/64 dev vp nodad
ip -n "$H" link set vh up
ip -n "$P" link set vp up
ip -n "$P" route add 10.99.0.0/16 via 192.0.2.1
ip -n "$P" route add fd00:99::/32 via 2001:db8::1
oracle_reset "$H" a1
oracle_reset "$H" a6
genl zero-addr "$I0" 10.99.0.1 >/dev/null
genl zero-addr "$I0" fd00:99::1 >/dev/null
ip netns exec "$P" ping -c 5 -i 0.2 -W 2 -q 10.99.0.1 >/dev/null
ip netns exec "$P" ping -6 -c 3 -i 0.2 -W 2 -q fd00:99::1 >/dev/null
check_eq "remote peer: 5 and 3 echo requests in" "5 3" \
	"$(addr_values vlo0 10.99.0.1 | sed -n 's/^in_packets=//p') $(addr_values vlo0 fd00:99::1 | sed -n 's/^in_packets=//p')"
addr_check "remote peer: 10.99.0.1 equals its nft rule" vlo0 10.99.0.1 a1
addr_check "remote peer: fd00:99::1 equals its nft rule" vlo0 fd00:99::1 a6

# --- one address on two devices, prefix lengths -----------------------------------

ip -n "$H" addr add 10.99.0.1/24 dev vlo1
ip -n "$H" addr add 10.99.0.1/28 dev vlo1
genl zero-addr "$I0" 10.99.0.1 >/dev/null
in_h ping -c 2 -i 0.2 -W 2 -q 10.99.0.1 >/dev/null
check_eq "an address on two devices counts on each" "4 4" \
	"$(gaddrs "$I0" | jq 'select(.addr == "10.99.0.1") | .counters.in_packets') $(gaddrs "$I1" | jq 'select(.addr == "10.99.0.1") | .counters.in_packets')"
check_eq "held with /24 and /28: one entry, both prefix lengths" "[24,28]" \
	"$(gaddrs "$I1" | jq -c 'select(.addr == "10.99.0.1") | .prefixlens')"
ip -n "$H" addr del 10.99.0.1/24 dev vlo1
check_eq "one prefix length gone: the entry stays, with the other" "[28] 4" \
	"$(gaddrs "$I1" | jq -c 'select(.addr == "10.99.0.1") | .prefixlens, .counters.in_packets' | xargs)"
ip -n "$H" addr del 10.99.0.1/28 dev vlo1
check_eq "last prefix length gone: the entry goes" "" "$(gaddrs "$I1")"
ip -n "$H" addr add 10.99.0.1/32 dev vlo1
check_eq "deleted and added again: starts at zero" "0" \
	"$(gaddrs "$I1" | jq '.counters.in_packets')"

# --- an address that moves ---------------------------------------------------------

oracle_add "$H" m 10.99.7.7
ip -n "$H" addr add 10.99.7.7/32 dev vlo0
in_h ping -c 2 -i 0.2 -W 2 -q 10.99.7.7 >/dev/null
before=$(gaddrs "$I0" | jq 'select(.addr == "10.99.7.7") | .counters.in_packets')
ip -n "$H" addr del 10.99.7.7/32 dev vlo0
ip -n "$H" addr add 10.99.7.7/32 dev vlo1
in_h ping -c 3 -i 0.2 -W 2 -q 10.99.7.7 >/dev/null
after=$(gaddrs "$I1" | jq 'select(.addr == "10.99.7.7") | .counters.in_packets')
check_eq "moved: 4 on vlo0, then 6 on vlo1, none left on vlo0" "4 6 " \
	"$before $after $(gaddrs "$I0" | jq 'select(.addr == "10.99.7.7") | .addr')"
check_eq "moved: both together equal the nft rule" \
	"$(oracle_values "$H" m | sed -n 's/^in_packets=//p')" "$((before + after))"

# --- read-and-zero under a flood --------------------------------------------------

oracle_reset "$H" a2
genl zero-addr "$I0" 10.99.0.2 >/dev/null
in_h ping -f -c 4000 -q 10.99.0.2 >/dev/null &
f1=$!
in_h python3 -S "$VLO_TRAFFIC" udp 10.99.0.2 5004 4000 32 --src 127.0.0.1 >/dev/null &
f2=$!
taken=$(genl loop-zero "$I0" 10.99.0.2 6)
wait "$f1" "$f2"
final=$(genl zero-addr "$I0" 10.99.0.2)
check_ne "the flood was zeroed more than once" 0 "$(jq .zeroes <<<"$taken")"
check_eq "zeroed reads + final read = nft's count, every counter" \
	"$(oracle_values "$H" a2)" \
	"$(jq -r -s '[.[0].counters, .[1].counters] | (.[0] | keys[]) as $k | "\($k)=\(map(.[$k]) | add)"' <<<"$taken
$final" | sort)"
check_eq "after the final read-and-zero the address reads 0" "0 0" \
	"$(gaddrs "$I0" | jq 'select(.addr == "10.99.0.2") | .counters.in_packets, .counters.out_packets' | xargs)"

# --- read-and-zero of a device; all ---------------------------------------------

in_h ping -c 1 -W 2 -q 10.99.0.1 >/dev/null
taken=$(genl zero-dev "$I0" | jq .counters.in_packets)
check_eq "zero-dev returns the device's counters and zeroes its addresses" "0 0" \
	"$(genl devs "$I0" | jq .counters.in_packets) $(gaddrs "$I0" | jq -s '[.[].counters.in_packets] | add')"
check_ne "zero-dev returned what it took" 0 "$taken"
genl zero-devs >/dev/null
check_eq "a zeroing dump of the devices zeroes every address" "0" \
	"$(gaddrs | jq -s '[.[].counters.in_packets] | add')"
in_h ping -c 1 -W 2 -q 10.99.0.1 >/dev/null
check_eq "a zeroing dump returns each address (2 on each device) and zeroes all" "4 0" \
	"$(genl zero-addrs | jq -s '[.[] | select(.addr == "10.99.0.1") | .counters.in_packets] | add') $(gaddrs | jq -s '[.[].counters.in_packets] | add')"
check_eq "sysfs agrees with the genl device counters" \
	"$(in_h cat /sys/class/net/vlo1/vlo/in_packets)" "$(genl devs "$I1" | jq .counters.in_packets)"

# --- the switches: read here, set over rtnetlink or sysfs (vlo_writers.sh) -------------

in_h sh -c 'echo 0 > /sys/class/net/vlo1/vlo/accounting'
check_eq "GET_DEV reads the switches sysfs set" "0 0" \
	"$(genl devs "$I1" | jq .accounting) $(genl devs "$I1" | jq .carry)"
in_h sh -c 'echo 1 > /sys/class/net/vlo1/vlo/accounting'

# --- VLO_A_TOTALS: the four totals only ---------------------------------------------

totals() { jq -c '{addr, c: [.counters.in_packets, .counters.in_bytes,
	.counters.out_packets, .counters.out_bytes]}'; }
tot=$(genl addrs-totals "$I0")
check_eq "VLO_A_TOTALS: the same totals as the full dump" \
	"$(genl addrs "$I0" | totals)" "$(totals <<<"$tot")"
check_eq "VLO_A_TOTALS: four counters in each address message" 4 \
	"$(jq '.counters | length' <<<"$tot" | sort -u | xargs)"
check_eq "vloctl addrs (totals) agrees with vloctl -s addrs" \
	"$("$VLOCTL" -n "$H" -j -s addrs | jq -c '[.[] | [.local, .in.packets, .out.bytes]]')" \
	"$("$VLOCTL" -n "$H" -j addrs | jq -c '[.[] | [.local, .in.packets, .out.bytes]]')"

# --- junk is refused and changes nothing --------------------------------------------

before=$(genl addrs; genl devs)
hexle32() { printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
IFX=$(hexle32 "$I0")
res=$(genl raw \
	"05010000" \
	"0501000008003f00$IFX" \
	"0501000006000100${IFX:0:4}0000" \
	"0501000008000100${IFX}090007000a63000100000000" \
	"0501000008000100${IFX}080007000a6300" \
	"03010000080001000f270000" \
	"63010000" \
	"0201000008000100${IFX}0500040002000000" \
	"0201000008000100${IFX}080007000a630001" \
	"0301010008000100${IFX}" \
	"0101000008000100${IFX}04000a00" \
	"0501000008000100${IFX}080007000a63000104000a00" \
	"0101000008000100${IFX}0500030000000000" \
	"d:010100000500040001000000" \
	"d:0401000008000100${IFX}080007000a630001" \
	"d:0501000008000100${IFX}080007000a630001" \
	"d:0301000004000a00" \
	"0401000008000100${IFX}")
while IFS= read -r line; do echo "# raw: $line"; done <<<"$res"
check_eq "junk: each message refused" \
	"EINVAL EINVAL EINVAL EINVAL EINVAL ENODEV ENOTSUP ENOTSUP ENOTSUP EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL ENOTSUP" \
	"$(cut -d' ' -f1 <<<"$res" | xargs)"
check_match "junk: a missing address is named" "^EINVAL vlo: VLO_A_ADDR is required" "$res"
check_match "junk: a 5-byte address is named" "^EINVAL vlo: VLO_A_ADDR must be 4" "$res"
check_eq "junk: the core names each attribute an operation does not take" 6 \
	"$(grep -c '^EINVAL Unsupported attribute$' <<<"$res")"
# (6.1 gives a dump's start no extack: the message reaches 6.12's callers)
check_match "junk: a zeroing dump of one address is refused, by vlo" \
	"^EINVAL( vlo: a dump takes no VLO_A_ADDR)?$" "$(sed -n 16p <<<"$res")"
check_match "junk: VLO_A_TOTALS on a zeroing dump is refused" "^EINVAL" \
	"$(genl zero-addrs-totals "$I0" 2>&1 || true)"
check_eq "junk changed nothing" "$before" "$(genl addrs; genl devs)"

# --- permissions --------------------------------------------------------------------

check_ok "an unprivileged user dumps" in_h setpriv --reuid=65534 --regid=65534 --clear-groups \
	python3 "$GENL" addrs
check_match "an unprivileged user cannot zero" "^EPERM" \
	"$(in_h setpriv --reuid=65534 --regid=65534 --clear-groups python3 "$GENL" zero-addr "$I0" 10.99.0.1 2>&1 || true)"
check_match "root of a user namespace cannot zero in a namespace it does not own" "^EPERM" \
	"$(in_h unshare -Ur python3 "$GENL" zero-dev "$I0" 2>&1 || true)"
check_eq "and nothing was zeroed" "$before" "$(genl addrs; genl devs)"
check_eq "root of a user namespace zeroes in its own namespace" "0" \
	"$(unshare -Urn sh -c "ip link set lo up && ip link add v type vlo && ip link set v up &&
		ip addr add 10.9.9.9/32 dev v && ping -c 1 -q 10.9.9.9 >/dev/null &&
		python3 '$GENL' zero-addr \$(ip -j link show v | jq '.[0].ifindex') 10.9.9.9 >/dev/null &&
		python3 '$GENL' addrs-totals | jq .counters.in_packets" 2>&1)"

# --- addr-split off (the default): an address keeps its four totals -----------

ns_add o
O=$(ns o)
in_o() { ip netns exec "$O" "$@"; }
ip -n "$O" link set lo up
ip -n "$O" link add vs type vlo
vlo_ip -n "$O" link add vz type vlo addr-split on
for d in vs vz; do ip -n "$O" link set "$d" up; done
ip -n "$O" addr add 10.98.0.1/32 dev vs
ip -n "$O" addr add fd00:98::1/128 dev vs
ip -n "$O" addr add 10.98.1.1/32 dev vz
oracle_add "$O" s 10.98.0.1 fd00:98::1
oracle_add "$O" s4 10.98.0.1
oracle_add "$O" s6 fd00:98::1
oracle_add "$O" z 10.98.1.1
IS=$(in_o cat /sys/class/net/vs/ifindex)
IZ=$(in_o cat /sys/class/net/vz/ifindex)
genl_serve "$O"
GO=("$serve_w" "$serve_r")
ogenl() { gsend "${GO[@]}" "$@"; }
# ototals ORACLE / atotals ADDR: the four totals, of nft's and of vs's entry
ototals() { oracle_values "$O" "$1" | grep -E '^(in|out)_(packets|bytes)='; }
atotals() {
	ogenl addrs-totals "$IS" | jq -r --arg a "$1" \
		'select(.addr == $a) | .counters | to_entries[] | "\(.key)=\(.value)"' | sort
}

check_eq "addr-split: off by default, on where asked (ip -d, vloctl)" "false true false true" \
	"$(vlo_ip -n "$O" -j -d link show vs | jq '.[0].linkinfo.info_data.addr_split') $(vlo_ip -n "$O" -j -d link show vz | jq '.[0].linkinfo.info_data.addr_split') $("$VLOCTL" -n "$O" -j show | jq -c '.[].linkinfo.info_data.addr_split' | xargs)"
in_o ping -c 3 -i 0.2 -W 2 -q 10.98.0.1 >/dev/null
in_o ping -6 -c 2 -i 0.2 -W 2 -q fd00:98::1 >/dev/null
check_eq "split off: UDP 200 x 64 B to 10.98.0.1" "udp received 200 datagrams" \
	"$(in_o python3 -S "$VLO_TRAFFIC" udp 10.98.0.1 5005 200 64 --src 127.0.0.1)"
check_eq "split on: TCP 200 kB to 10.98.1.1" "tcp received 200000 bytes" \
	"$(in_o python3 -S "$VLO_TRAFFIC" tcp 10.98.1.1 5006 200000 --src 127.0.0.1)"
check_eq "split off: 10.98.0.1's four totals equal nft's" "$(ototals s4)" "$(atotals 10.98.0.1)"
check_eq "split off: fd00:98::1's four totals equal nft's" "$(ototals s6)" "$(atotals fd00:98::1)"
oracle_check "split off: the device's own split equals nft's (sysfs)" "$O" vs s
oracle_check "split on: the device's own split equals nft's (sysfs)" "$O" vz z
check_eq "split on: every counter of 10.98.1.1 equals nft's (genl)" \
	"$(oracle_values "$O" z)" \
	"$(ogenl addrs "$IZ" | jq -r '.counters | to_entries[] | "\(.key)=\(.value)"' | sort)"
check_eq "genl GET_DEV agrees with sysfs on the split-off device" \
	"$(acct_values "$O" vs | sed 's/.*=//' | xargs)" \
	"$(ogenl devs "$IS" | jq -r '.counters | to_entries[] | "\(.key)=\(.value)"' | sort | sed 's/.*=//' | xargs)"
SPLIT_OFF='^(EOPNOTSUPP|ENOTSUP) vlo: per-address split is off on (vs|this device): ip link set (vs|DEV) type vlo addr-split on$'
check_match "a dump of the split of vs (old userspace) is refused, saying how" \
	"$SPLIT_OFF" "$(ogenl addrs-err "$IS")"
check_match "... and so is a dump of every device's" "$SPLIT_OFF" "$(ogenl addrs-err)"
check_eq "... without a message before the error" "messages before: 0" \
	"$(ogenl addrs-err | tail -n 1)"
check_match "pyroute2 sees the error too" '^(EOPNOTSUPP|ENOTSUP)' "$(ogenl addrs 2>&1 || true)"
check_eq "the dump of the split of vz (addr-split on) is not refused" "OK" \
	"$(ogenl addrs-err "$IZ" | head -n 1)"
check_eq "vloctl -s addrs: the split where the device keeps it" \
	'[["10.98.0.1",false],["fd00:98::1",false],["10.98.1.1",true]]' \
	"$("$VLOCTL" -n "$O" -j -s addrs | jq -c '[.[] | [.local, (.in | has("udp"))]]')"
check_eq "vloctl -s addrs: the same totals as the dump of the totals" \
	"$("$VLOCTL" -n "$O" -j addrs | jq -c '[.[] | [.local, .in, .out]]')" \
	"$("$VLOCTL" -n "$O" -j -s addrs | jq -c '[.[] | [.local, {packets: .in.packets, bytes: .in.bytes}, {packets: .out.packets, bytes: .out.bytes}]]')"
check_match "vloctl export: totals per direction for a split-off address" \
	'^vlo_address_packets_total\{address="10.98.0.1",device="vs",direction="in",family="ipv4"\} [0-9]+$' \
	"$("$VLOCTL" -n "$O" export)"

taken=$(ogenl zero-addr "$IS" 10.98.0.1)
check_eq "read-and-zero of a split-off address: its four totals, nft's" \
	"$(ototals s4)" "$(jq -r '.counters | to_entries[] | "\(.key)=\(.value)"' <<<"$taken" | sort)"
check_eq "... and it reads zero after" "0 0 0 0" "$(atotals 10.98.0.1 | sed 's/.*=//' | xargs)"
in_o ping -c 2 -i 0.2 -W 2 -q 10.98.0.1 >/dev/null
ogenl zero-dev "$IS" >/dev/null
check_eq "zero-dev zeroes the device and its split-off addresses" "0 0 0" \
	"$(in_o cat /sys/class/net/vs/vlo/in_packets) $(ogenl addrs-totals "$IS" | jq -s '([.[].counters.in_packets] | add), ([.[].counters.out_bytes] | add)' | xargs)"

out=$(vlo_ip -n "$O" link set vs type vlo addr-split on 2>&1) && rc=0 || rc=$?
check_eq "addr-split refused while the device has addresses" \
	"2 Error: vlo: addr-split changes only while the device has no addresses." \
	"$rc $out"
check_eq "... and changed nothing" false \
	"$(vlo_ip -n "$O" -j -d link show vs | jq '.[0].linkinfo.info_data.addr_split')"
ip -n "$O" addr flush dev vs
check_ok "without addresses, addr-split on" vlo_ip -n "$O" link set vs type vlo addr-split on
ip -n "$O" addr add 10.98.0.1/32 dev vs
oracle_reset "$O" s4
in_o ping -c 2 -i 0.2 -W 2 -q 10.98.0.1 >/dev/null
check_eq "an address added after: every counter equals nft's" \
	"$(oracle_values "$O" s4)" \
	"$(ogenl addrs "$IS" | jq -r '.counters | to_entries[] | "\(.key)=\(.value)"' | sort)"
check_fail "off again refused while it has one" vlo_ip -n "$O" link set vs type vlo addr-split off
ip -n "$O" addr flush dev vs
check_ok "off again without addresses" vlo_ip -n "$O" link set vs type vlo addr-split off
check_fail "a bad value is refused by ip" vlo_ip -n "$O" link set vs type vlo addr-split 2

test_done
