#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vloctl addrs, reset DEV ADDR and export over the "vlo" generic netlink
# family: each address's counters exact against an nftables counter per
# address, read-and-zero of one address, the Prometheus text written
# atomically for node_exporter, and Debian's real prometheus-node-exporter
# serving vlo's series with the same exact values.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oracle.sh"

require_cmd nft jq python3
[ -x "$VLOCTL" ] || skip "$VLOCTL not built (make tools)"
[ -e "$VLO_REPO/tools/ip/link_vlo.so" ] || skip "link_vlo.so not built (make tools)"

vlo_load numdevs=0
ns_add t
N=$(ns t)
in_ns() { ip netns exec "$N" "$@"; }
vc() { "$VLOCTL" -n "$N" "$@"; }

for i in 0 1; do
	vlo_ip -n "$N" link add "vlo$i" type vlo addr-split on
	ip -n "$N" link set "vlo$i" up
done
ip -n "$N" addr add 10.99.0.1/24 dev vlo0
ip -n "$N" addr add 10.99.0.1/32 dev vlo0
ip -n "$N" addr add fd00:99::1/64 dev vlo0
ip -n "$N" addr add 10.99.0.1/32 dev vlo1
ip -n "$N" addr add 10.99.1.1/32 dev vlo1
oracle_add "$N" a 10.99.0.1
oracle_add "$N" b fd00:99::1
oracle_add "$N" c 10.99.1.1

in_ns ping -c 3 -i 0.2 -W 2 -q 10.99.0.1 >/dev/null
in_ns ping -6 -c 2 -i 0.2 -W 2 -q fd00:99::1 >/dev/null
check_eq "UDP 100 x 64 B to 10.99.1.1" "udp received 100 datagrams" \
	"$(in_ns python3 -S "$VLO_TRAFFIC" udp 10.99.1.1 5002 100 64 --src 127.0.0.1)"

# --- vloctl addrs -----------------------------------------------------------

check_eq "addrs: one line per address, prefix lengths, in and out" \
	"DEVICE ADDRESS IN PACKETS IN BYTES OUT PACKETS OUT BYTES
vlo0 10.99.0.1/24,32 6 504 6 504
vlo0 fd00:99::1/64 4 416 4 416
vlo1 10.99.0.1/32 6 504 6 504
vlo1 10.99.1.1/32 100 9200 0 0" \
	"$(vc addrs | tr -s ' ')"
check_eq "addrs DEV: that device's only" "vlo1 vlo1" \
	"$(vc addrs vlo1 | tail -n +2 | awk '{ print $1 }' | xargs)"

# the same "counter=value" lines as oracle_values, from vloctl addrs -j -s
addr_json_values() { # DEV ADDR
	vc -j -s addrs "$1" | jq -r --arg a "$2" '.[] | select(.local == $a) |
		(if .family == "inet" then "ipv4" else "ipv6" end) as $f |
		("in", "out") as $d | .[$d] as $c |
		"\($d)_packets=\($c.packets)", "\($d)_bytes=\($c.bytes)",
		(("icmp", "tcp", "udp", "other") as $p |
		 "\($d)_\($f)_\($p)_packets=\($c[$p].packets)",
		 "\($d)_\($f)_\($p)_bytes=\($c[$p].bytes)")' | sort
}
# the oracle's lines for one family (the other family's are zero)
oracle_af() { oracle_values "$N" "$1" | grep -v "_$2_"; }
check_eq "addrs -j -s: 10.99.0.1 on vlo0 equals its nft rule" \
	"$(oracle_af a ipv6)" "$(addr_json_values vlo0 10.99.0.1)"
check_eq "addrs -j -s: 10.99.0.1 on vlo1 counts the same packets" \
	"$(oracle_af a ipv6)" "$(addr_json_values vlo1 10.99.0.1)"
check_eq "addrs -j -s: fd00:99::1 equals its nft rule" \
	"$(oracle_af b ipv4)" "$(addr_json_values vlo0 fd00:99::1)"
check_eq "addrs -j -s: 10.99.1.1 equals its nft rule" \
	"$(oracle_af c ipv6)" "$(addr_json_values vlo1 10.99.1.1)"
check_eq "addrs -j: prefix lengths as a list" "[24,32]" \
	"$(vc -j addrs vlo0 | jq -c '.[] | select(.local == "10.99.0.1") | .prefixlens')"

# --- vloctl stats -a ------------------------------------------------------------

rates=$(mktemp)
on_exit rm -f "$rates"
# one sample, long enough for the ping (about 1 s) to end inside it even on
# a loaded host; the test waits it out idle, so not longer
vc -j stats -a -w 10 -c 1 vlo1 >"$rates" &
stats_pid=$!
# "[" comes out once the first reading is taken
wait_for test -s "$rates" || true
in_ns ping -c 5 -i 0.2 -W 2 -q 10.99.1.1 >/dev/null
check_ok "stats -a: the ping ended inside the sample" kill -0 "$stats_pid"
wait "$stats_pid" || true
check_eq "stats -a: per address, what moved in the interval" "10 10 0" \
	"$(jq -r '.[0].addresses | (.[] | select(.local == "10.99.1.1") | .in.packets, .out.packets),
		(.[] | select(.local == "10.99.0.1") | .in.packets)' "$rates" | xargs)"

# --- vloctl export ------------------------------------------------------------

prom=$(vc export)
check_match "export: HELP and TYPE for each metric" \
	"^# TYPE vlo_address_packets_total counter$" "$prom"
check_eq "export: 4 metrics, each with HELP and TYPE" "4 4" \
	"$(grep -c '^# HELP vlo_' <<<"$prom") $(grep -c '^# TYPE vlo_.* counter$' <<<"$prom")"
check_match "export: 10.99.0.1's ICMP in on vlo0, exact" \
	'^vlo_address_packets_total\{address="10.99.0.1",device="vlo0",direction="in",family="ipv4",proto="icmp"\} 6$' "$prom"
check_match "export: fd00:99::1's ICMPv6 bytes out, exact" \
	'^vlo_address_bytes_total\{address="fd00:99::1",device="vlo0",direction="out",family="ipv6",proto="icmp"\} 416$' "$prom"
check_match "export: vlo1's UDP in, exact" \
	'^vlo_device_packets_total\{device="vlo1",direction="in",family="ipv4",proto="udp"\} 100$' "$prom"
# each address's series add up to its nft rule's totals
prom_sum() { # METRIC DEV ADDR DIRECTION
	awk -v m="$1" -v d="device=\"$2\"" -v a="address=\"$3\"" -v r="direction=\"$4\"" '
		index($0, m "{") == 1 && index($0, d) && index($0, a) && index($0, r) { s += $NF }
		END { print s + 0 }' <<<"$prom"
}
check_eq "export: 10.99.1.1's series sum to nft's in packets and bytes" \
	"$(oracle_values "$N" c | grep -E '^in_(packets|bytes)=' | cut -d= -f2 | xargs)" \
	"$(prom_sum vlo_address_bytes_total vlo1 10.99.1.1 in) $(prom_sum vlo_address_packets_total vlo1 10.99.1.1 in)"

DIR=$(mktemp -d)
on_exit rm -rf "$DIR"
check_ok "export --textfile DIR" vc export --textfile "$DIR"
check_eq "--textfile: DIR/vlo.prom alone (no temporary file left), mode 644" "vlo.prom 644" \
	"$(find "$DIR" -mindepth 1 -printf '%f %m\n')"
check_eq "--textfile: the same text as on standard output" "$prom" "$(cat "$DIR/vlo.prom")"
check_fail "--textfile to a missing directory fails" vc export --textfile "$DIR/none"

# --- node_exporter serves it -----------------------------------------------------

NODE_EXPORTER=$(command -v prometheus-node-exporter || true)
if [ -n "$NODE_EXPORTER" ]; then
	# not through in_ns: $! must be the exporter itself (ip netns exec
	# execs it), not a subshell whose kill would leave it running
	ip netns exec "$N" "$NODE_EXPORTER" --web.listen-address=127.0.0.1:9100 \
		--collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$DIR" >/dev/null 2>&1 &
	on_exit kill $!
	metrics() {
		in_ns python3 -S -c 'import urllib.request, sys
sys.stdout.write(urllib.request.urlopen("http://127.0.0.1:9100/metrics", timeout=5).read().decode())'
	}
	wait_for metrics || true
	served=$(metrics | grep '^vlo_' | sort)
	check_eq "node_exporter serves every vlo series with its value" \
		"$(grep '^vlo_' "$DIR/vlo.prom" | sort)" "$served"
	check_match "node_exporter: 10.99.0.1's ICMP in on vlo0 equals nft's" \
		"^vlo_address_packets_total\\{address=\"10.99.0.1\",device=\"vlo0\",direction=\"in\",family=\"ipv4\",proto=\"icmp\"\\} $(oracle_values "$N" a | sed -n 's/^in_ipv4_icmp_packets=//p')\$" \
		"$served"
	check_eq "node_exporter: no textfile error" "" \
		"$(metrics | grep '^node_textfile_scrape_error ' | grep -v ' 0$')"
else
	echo "# prometheus-node-exporter not installed: its checks skipped"
fi

# --- vloctl reset DEV ADDR ----------------------------------------------------------

taken=$(vc -j reset vlo0 10.99.0.1)
check_eq "reset DEV ADDR -j: what was taken" '{"in":{"packets":6,"bytes":504},"out":{"packets":6,"bytes":504}}' \
	"$(jq -c '{in, out}' <<<"$taken")"
check_eq "reset DEV ADDR: that address on that device only" \
	"vlo0 10.99.0.1/24,32 0 0 0 0
vlo0 fd00:99::1/64 4 416 4 416
vlo1 10.99.0.1/32 6 504 6 504" \
	"$(vc addrs | tr -s ' ' | sed -n '2,4p')"
check_ok "reset DEV: the device and its addresses" vc reset vlo1
check_eq "reset DEV: its addresses read 0" "0 0" \
	"$(vc -j addrs vlo1 | jq -c '([.[].in.packets] | add), ([.[].out.bytes] | add)' | xargs)"
rc=0
err=$(ip netns exec "$N" setpriv --reuid=65534 --regid=65534 --clear-groups "$VLOCTL" reset vlo0 fd00:99::1 2>&1) || rc=$?
check_eq "reset, not root: refused" "1 vloctl: cannot reset vlo0: permission denied: needs CAP_NET_ADMIN in its network namespace (try 'sudo vloctl reset vlo0')" "$rc $err"
check_eq "reset, not root: nothing zeroed" "4" \
	"$(vc -j addrs vlo0 | jq '.[] | select(.local == "fd00:99::1") | .in.packets')"
rc=0
err=$(vc reset vlo0 10.99.5.5 2>&1) || rc=$?
check_eq "reset of an address the device lacks" "1 vloctl: cannot reset 10.99.5.5 on vlo0: the device does not hold this address" "$rc $err"
rc=0
vc reset vlo0 nonsense >/dev/null 2>&1 || rc=$?
check_eq "reset DEV junk: usage, exit 2" 2 "$rc"
rc=0
vc addrs vlo0 vlo1 >/dev/null 2>&1 || rc=$?
check_eq "addrs with two devices: usage, exit 2" 2 "$rc"
rc=0
err=$(vc addrs lo 2>&1) || rc=$?
check_eq "addrs of a device that is not vlo" "1 vloctl: lo is not a vlo device: 'vloctl show' lists the vlo devices" "$rc $err"

# --- vloctl addrs --zero --------------------------------------------------------

# vlo2 keeps only each address's totals (addr-split off, the default)
vlo_ip -n "$N" link add vlo2 type vlo
ip -n "$N" link set vlo2 up
ip -n "$N" addr add 10.99.2.1/32 dev vlo2
oracle_add "$N" d 10.99.2.1
# from here vlo's and nft's counters start at 0 together
check_ok "addrs -Z: read-and-zero of every address" vc addrs -Z
for o in a b c d; do oracle_reset "$N" "$o"; done
# "in out" packets of every address, summed
sum_pkts() { jq -r '[.[].in.packets] + [.[].out.packets] | add // 0'; }
check_eq "addrs -Z: then every address reads 0" 0 "$(vc -j addrs | sum_pkts)"

in_ns ping -c 3 -i 0.2 -W 2 -q 10.99.0.1 >/dev/null
in_ns ping -6 -c 2 -i 0.2 -W 2 -q fd00:99::1 >/dev/null
check_eq "UDP 50 x 64 B to 10.99.1.1" "udp received 50 datagrams" \
	"$(in_ns python3 -S "$VLO_TRAFFIC" udp 10.99.1.1 5002 50 64 --src 127.0.0.1)"
check_eq "UDP 20 x 64 B to 10.99.2.1" "udp received 20 datagrams" \
	"$(in_ns python3 -S "$VLO_TRAFFIC" udp 10.99.2.1 5002 20 64 --src 127.0.0.1)"
taken=$(vc -j -s addrs --zero)
# addr_json_values' lines, from what -Z printed
taken_values() { # DEV ADDR
	jq -r --arg d "$1" --arg a "$2" '.[] | select(.ifname == $d and .local == $a) |
		(if .family == "inet" then "ipv4" else "ipv6" end) as $f |
		("in", "out") as $d | .[$d] as $c |
		"\($d)_packets=\($c.packets)", "\($d)_bytes=\($c.bytes)",
		(("icmp", "tcp", "udp", "other") as $p | select($c[$p]) |
		 "\($d)_\($f)_\($p)_packets=\($c[$p].packets)",
		 "\($d)_\($f)_\($p)_bytes=\($c[$p].bytes)")' <<<"$taken" | sort
}
check_eq "addrs -Z -j -s: one object per address, as addrs prints" \
	"vlo0 10.99.0.1 vlo0 fd00:99::1 vlo1 10.99.0.1 vlo1 10.99.1.1 vlo2 10.99.2.1" \
	"$(jq -r '.[] | .ifname, .local' <<<"$taken" | xargs)"
check_eq "addrs -Z: 10.99.0.1 on vlo0 took what its nft rule counted" \
	"$(oracle_af a ipv6)" "$(taken_values vlo0 10.99.0.1)"
check_eq "addrs -Z: 10.99.0.1 on vlo1 took the same" \
	"$(oracle_af a ipv6)" "$(taken_values vlo1 10.99.0.1)"
check_eq "addrs -Z: fd00:99::1 took what its nft rule counted" \
	"$(oracle_af b ipv4)" "$(taken_values vlo0 fd00:99::1)"
check_eq "addrs -Z: 10.99.1.1 took what its nft rule counted" \
	"$(oracle_af c ipv6)" "$(taken_values vlo1 10.99.1.1)"
check_eq "addrs -Z, addr-split off: the totals, no split" \
	"$(oracle_values "$N" d | grep -E '^(in|out)_(packets|bytes)=')" \
	"$(taken_values vlo2 10.99.2.1)"
check_eq "addrs -Z: 50 and 20 datagrams in, as sent" "50 20" \
	"$(jq -r '.[] | select(.local == "10.99.1.1" or .local == "10.99.2.1") | .in.packets' <<<"$taken" | xargs)"
check_eq "addrs -Z: a second read-and-zero takes 0" 0 "$(vc -j addrs -Z | sum_pkts)"
check_eq "addrs -Z: the devices' own counters are left (vlo2: 20 in)" 20 \
	"$(sysfs_counter vlo2 in_packets "$N")"
for o in a b c d; do oracle_reset "$N" "$o"; done

# DEV: that device's addresses only, in the table of addrs
in_ns python3 -S "$VLO_TRAFFIC" udp 10.99.2.1 5002 7 64 --src 127.0.0.1 >/dev/null
in_ns python3 -S "$VLO_TRAFFIC" udp 10.99.1.1 5002 3 64 --src 127.0.0.1 >/dev/null
check_eq "addrs -Z DEV: the table of addrs, what was taken" \
	"DEVICE ADDRESS IN PACKETS IN BYTES OUT PACKETS OUT BYTES
vlo2 10.99.2.1/32 7 644 0 0" "$(vc addrs -Z vlo2 | tr -s ' ')"
check_eq "addrs -Z DEV: another device's address keeps its count" 3 \
	"$(vc -j addrs vlo1 | jq '.[] | select(.local == "10.99.1.1") | .in.packets')"
check_eq "addrs -Z DEV: its own read 0" "vlo2 10.99.2.1/32 0 0 0 0" \
	"$(vc addrs vlo2 | tr -s ' ' | tail -n 1)"

# not root: refused, nothing printed, nothing zeroed
rc=0
out=$(ip netns exec "$N" setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$VLOCTL" addrs -Z 2>"$rates") || rc=$?
check_eq "addrs -Z, not root: refused" "1 vloctl: cannot zero the addresses: permission denied: needs CAP_NET_ADMIN in the network namespace (try 'sudo vloctl addrs --zero')" \
	"$rc $(cat "$rates")"
check_eq "addrs -Z, not root: nothing on stdout" "" "$out"
check_eq "addrs -Z, not root: nothing zeroed" 3 \
	"$(vc -j addrs vlo1 | jq '.[] | select(.local == "10.99.1.1") | .in.packets')"
rc=0
err=$(vc addrs -Z lo 2>&1) || rc=$?
check_eq "addrs -Z of a device that is not vlo" "1 vloctl: lo is not a vlo device: 'vloctl show' lists the vlo devices" "$rc $err"

# Nothing lost while traffic runs: read-and-zero in a loop while 20,000
# datagrams go to 10.99.2.1, then once more; the reads add up to what
# nft counted and what was sent.
vc addrs -Z >/dev/null
oracle_reset "$N" d
reads=$(mktemp)
on_exit rm -f "$reads"
in_ns python3 -S "$VLO_TRAFFIC" udp 10.99.2.1 5002 20000 64 --src 127.0.0.1 >"$rates" &
sender=$!
while kill -0 "$sender" 2>/dev/null; do
	vc -j addrs -Z vlo2 >>"$reads"
done
wait "$sender" || true
check_eq "addrs -Z under traffic: all 20,000 datagrams arrived" \
	"udp received 20000 datagrams" "$(cat "$rates")"
# the reads before the last one that took datagrams: the traffic ran
# across at least two of them
during=$(jq -s '[.[][] | select(.in.packets > 0)] | length' "$reads")
vc -j addrs -Z vlo2 >>"$reads"
check_eq "addrs -Z under traffic: the reads add up to nft's count, and to what was sent" \
	"$(oracle_values "$N" d | sed -n 's/^in_packets=//p') 20000" \
	"$(jq -s '[.[][].in.packets] | add' "$reads") $(jq -s '[.[][].in.packets] | add' "$reads")"
echo "# $during of $(($(jq -s length "$reads") - 1)) reads during the traffic took datagrams"
check_eq "addrs -Z under traffic: two or more reads took datagrams while it ran" 1 \
	"$((during >= 2))"
check_eq "addrs -Z under traffic: bytes too" \
	"$(oracle_values "$N" d | sed -n 's/^in_bytes=//p')" \
	"$(jq -s '[.[][].in.bytes] | add' "$reads")"

test_done
