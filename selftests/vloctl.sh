#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vloctl against known state: every command's text and JSON output, with
# counts from known pings, route get for a vlo address, a non-local address
# routed out of the vlo device and an address routed elsewhere, -n, every
# error path's exit status and message, and one run under valgrind.
# shellcheck disable=SC2016 # the $ in jq filters and sh -c scripts is theirs

source "$(dirname "$0")/lib.sh"

require_cmd jq ping setpriv unshare valgrind
[ -x "$VLOCTL" ] || skip "$VLOCTL not built (make tools)"

MOD_ERR="vloctl: vlo module not loaded: run 'sudo modprobe vlo' (or 'sudo insmod module/vlo.ko')"
USAGE="Usage: vloctl [OPTIONS] [COMMAND]"

# vc ARGS...: run vloctl; its stdout, stderr and status in OUT, ERR, RC
# (check_run checks them).
vc() { run "$VLOCTL" "$@"; }

# check_usage DESC ARGS...: exit 2, the reason, then the usage.
check_usage() {
	local desc=$1
	shift
	vc "$@"
	check_eq "$desc: exit status" 2 "$RC"
	check_eq "$desc: usage follows" "$USAGE" "$(sed -n 2p <<<"$ERR")"
	check_eq "$desc: nothing on stdout" "" "$OUT"
	REASON=$(head -n 1 <<<"$ERR")
}

# check_json DESC JSON JQ_FILTER: the JSON parses and the filter is true.
check_json() {
	if jq -e "$3" <<<"$2" >/dev/null 2>&1; then _result 1 "$1"; else
		_result 0 "$1" "jq '$3' is not true for: $2"
	fi
}

# -------------------------------------------------------------------------
# Usage errors and the module not loaded (before vlo_load).

[ "$(vlo_loaded)" = no ] || rmmod vlo

check_usage "unknown command" bogus
check_eq "unknown command: reason" "vloctl: unknown command 'bogus'" "$REASON"
check_usage "unknown option" -x show
check_eq "unknown option: reason" "vloctl: unknown option '-x'" "$REASON"
check_usage "unknown long option" --bogus
check_eq "unknown long option: reason" "vloctl: unknown option '--bogus'" "$REASON"
check_usage "reset without DEV" reset
check_eq "reset without DEV: reason" "vloctl: reset: missing DEV (every address: 'addrs --zero')" "$REASON"
check_usage "-Z outside addrs" reset -Z vlo0
check_eq "-Z outside addrs: reason" "vloctl: option -Z applies only to 'addrs'" "$REASON"
check_usage "a typo of --zero" addrs --zeor
check_eq "a typo of --zero: reason" "vloctl: unknown option '--zeor'" "$REASON"
check_usage "route without get" route 10.0.0.1
check_eq "route without get: reason" "vloctl: route: expected 'route get ADDR'" "$REASON"
check_usage "bad address" route get 10.0.0.256
check_eq "bad address: reason" \
	"vloctl: invalid address '10.0.0.256' (expected an IPv4 or IPv6 address)" "$REASON"
check_usage "extra argument" show vlo0 vlo1
check_eq "extra argument: reason" "vloctl: unexpected argument 'vlo1'" "$REASON"
check_usage "bad interval" stats -w 0
check_eq "bad interval: reason" \
	"vloctl: invalid interval '0' (expected seconds, 0.01 to 86400)" "$REASON"
check_usage "bad count" stats -c x
check_eq "bad count: reason" \
	"vloctl: invalid count 'x' (expected a whole number, 1 to 1000000000)" "$REASON"
check_usage "-c outside stats" show -c 1
check_eq "-c outside stats: reason" "vloctl: options -w and -c apply only to 'stats'" "$REASON"
check_usage "missing option argument" -n
check_eq "missing option argument: reason" "vloctl: option '-n' needs an argument" "$REASON"

vc -h
check_eq "-h: exit status" 0 "$RC"
check_eq "-h: usage on stdout" "$USAGE" "$(head -n 1 <<<"$OUT")"
check_eq "-h fits one screen" 1 "$(($(wc -l <<<"$OUT") < 24))"

vc --version
check_run "--version, module not loaded" 0 "vloctl $VLO_VERSION
vlo module not loaded" ""
vc -j --version
check_run "-j --version, module not loaded" 0 \
	"{\"vloctl\":\"$VLO_VERSION\",\"module\":null}" ""

for cmd in "" show routes "stats -c 1" "reset vlo0" "-j show" "addrs -Z"; do
	# shellcheck disable=SC2086 # one word per argument
	vc $cmd
	check_run "'vloctl $cmd', module not loaded" 1 "" "$MOD_ERR"
done
vc route get 127.0.0.1
check_eq "route get without the module: exit status" 0 "$RC"
check_eq "route get without the module: says so" \
	"    vlo: local address of lo (not a vlo device); packets cross lo; not accounted: vlo module not loaded (run 'sudo modprobe vlo')" \
	"$(sed -n 3p <<<"$OUT")"

# -------------------------------------------------------------------------
# Known state: in namespace t, vlt0 (vlo, up, v4 + v6, a custom table),
# vlt1 (vlo, down, no address) and veth vx0/vx1 routed elsewhere.

vlo_load
vc --version
check_run "--version" 0 "vloctl $VLO_VERSION
vlo module $VLO_VERSION" ""
vc -j --version
check_run "-j --version" 0 \
	"{\"vloctl\":\"$VLO_VERSION\",\"module\":\"$VLO_VERSION\"}" ""
OUT=$(echo 9.9.9 >/tmp/vloctl-version &&
	unshare -m sh -c 'mount --bind /tmp/vloctl-version /sys/module/vlo/version &&
		"$VLOCTL" --version' 2>&1) || true
check_eq "--version warns when the versions differ" "vloctl $VLO_VERSION
vlo module 9.9.9
vloctl: warning: vloctl $VLO_VERSION and the loaded vlo module 9.9.9 differ; install matching versions" "$OUT"

ns_add t
NS=$(ns t)
ip -n "$NS" link add vlt0 type vlo
ip -n "$NS" link add vlt1 type vlo
ip -n "$NS" addr add 10.99.0.1/24 dev vlt0
ip -n "$NS" addr add fd99::1/64 dev vlt0
ip -n "$NS" link set vlt0 up
ip -n "$NS" route add 10.100.0.0/16 dev vlt0 table 100
ip -n "$NS" -6 route add fd98::/64 dev vlt0 table 100
ip -n "$NS" link add vx0 type veth peer name vx1
ip -n "$NS" addr add 192.0.2.1/24 dev vx0
ip -n "$NS" link set vx0 up
ip -n "$NS" link set vx1 up

IDX0=$(ip -n "$NS" -j link show vlt0 | jq '.[0].ifindex')
IDX1=$(ip -n "$NS" -j link show vlt1 | jq '.[0].ifindex')
MAC0=$(ip -n "$NS" -j link show vlt0 | jq -r '.[0].address')
MAC1=$(ip -n "$NS" -j link show vlt1 | jq -r '.[0].address')
# An up vlo device has a link-local address, as a dummy does (ip's answer)
LL0=$(ip -n "$NS" -j addr show vlt0 | jq -r '.[0].addr_info[] | select(.scope == "link") | .local')

# One ping to another address of the subnet: it leaves through vlt0 and is
# dropped in vlt0's xmit (no reply), so out counts it and in does not.
ip netns exec "$NS" ping -c 1 -W 1 -q 10.99.0.2 >/dev/null 2>&1 || true
# 3 pings of the v4 address and 2 of the v6 one: they cross lo; vlt0
# accounts 2N packets each way (84 bytes each for v4, 104 for v6).
ip netns exec "$NS" ping -c 3 -i 0.2 -q 10.99.0.1 >/dev/null
ip netns exec "$NS" ping -c 2 -i 0.2 -q fd99::1 >/dev/null

IN_P=10 IN_B=$((6 * 84 + 4 * 104)) OUT_P=11 OUT_B=$((7 * 84 + 4 * 104))
check_eq "sysfs in_packets (oracle)" $IN_P "$(sysfs_counter vlt0 in_packets "$NS")"
check_eq "sysfs out_packets (oracle)" $OUT_P "$(sysfs_counter vlt0 out_packets "$NS")"

# -------------------------------------------------------------------------
# show

row() { printf '    %-14s %10s %10s\n' "$@"; }
frames() { # DEV: the frame table as ip -s link counts it
	local s d
	s=$(ip -n "$NS" -j -s link show "$1" | jq -c '.[0].stats64')
	printf '    %-14s %10s %10s %10s %10s\n' "device frames" packets bytes errors dropped
	for d in rx tx; do
		# shellcheck disable=SC2046,SC2183 # four numbers, one per word
		printf '    %-14s %10s %10s %10s %10s\n' "  $d" \
			$(jq -r ".$d | \"\\(.packets) \\(.bytes) \\(.errors) \\(.dropped)\"" <<<"$s")
	done
}
SHOW0="$IDX0: vlt0: <NOARP,UP,LOWER_UP> mtu 65536 state UNKNOWN
    link/ether $MAC0
    vlo accounting on carry off addr-split off
    inet 10.99.0.1/24 scope global
    inet6 fd99::1/64 scope global
    inet6 $LL0/64 scope link
$(frames vlt0)
$(row "accounting on" packets bytes)
$(row "  in" $IN_P $IN_B)
$(row "  out" $OUT_P $OUT_B)"
SHOW1="$IDX1: vlt1: <NOARP> mtu 65536 state DOWN
    link/ether $MAC1
    vlo accounting on carry off addr-split off
$(frames vlt1)
$(row "accounting on" packets bytes)
$(row "  in" 0 0)
$(row "  out" 0 0)"

vc -n "$NS" show vlt0
check_run "show vlt0" 0 "$SHOW0" ""
vc -n "$NS"
check_run "show, both devices" 0 "$SHOW0
$SHOW1" ""
check_eq "the ping out of vlt0 was dropped in its xmit" "0 0 1" \
	"$(ip -n "$NS" -j -s link show vlt0 | jq -r '.[0].stats64 | "\(.tx.packets) \(.rx.packets) \(.tx.dropped)"')"

split() { # DIR ICMP4_P ICMP4_B ICMP6_P ICMP6_B
	local f p
	for f in ipv4 ipv6; do
		for p in icmp tcp udp other; do
			if [ $p = icmp ] && [ $f = ipv4 ]; then
				row "    $f $p" "$2" "$3"
			elif [ $p = icmp ]; then
				row "    $f $p" "$4" "$5"
			else
				row "    $f $p" 0 0
			fi
		done
	done
}
vc -n "$NS" -s show vlt0
check_run "show -s vlt0" 0 "$IDX0: vlt0: <NOARP,UP,LOWER_UP> mtu 65536 state UNKNOWN
    link/ether $MAC0
    vlo accounting on carry off addr-split off
    inet 10.99.0.1/24 scope global
    inet6 fd99::1/64 scope global
    inet6 $LL0/64 scope link
$(frames vlt0)
$(row "accounting on" packets bytes)
$(row "  in" $IN_P $IN_B)
$(split in 6 504 4 416)
$(row "  out" $OUT_P $OUT_B)
$(split out 7 588 4 416)" ""

vc -n "$NS" -j show
check_eq "show -j: exit status" 0 "$RC"
check_json "show -j: two devices, in order" "$OUT" \
	"[.[].ifname] == [\"vlt0\", \"vlt1\"] and [.[].ifindex] == [$IDX0, $IDX1]"
check_json "show -j: link" "$OUT" \
	'.[0] | .flags == ["NOARP", "UP", "LOWER_UP"] and .mtu == 65536 and
	 .operstate == "UNKNOWN" and .link_type == "ether" and
	 .address == "'"$MAC0"'"'
check_json "show -j: linkinfo as ip -j -d link's" "$OUT" \
	'.[0].linkinfo == {"info_kind": "vlo",
	   "info_data": {"accounting": true, "carry": false, "addr_split": false}}'
check_json "show -j: addr_info" "$OUT" \
	'.[0].addr_info == [
	   {"family": "inet", "local": "10.99.0.1", "prefixlen": 24, "scope": "global"},
	   {"family": "inet6", "local": "fd99::1", "prefixlen": 64, "scope": "global"},
	   {"family": "inet6", "local": "'"$LL0"'", "prefixlen": 64, "scope": "link"}]
	 and .[1].addr_info == []'
check_json "show -j: accounting" "$OUT" \
	".[0].accounting == {\"enabled\": true,
	   \"in\": {\"packets\": $IN_P, \"bytes\": $IN_B},
	   \"out\": {\"packets\": $OUT_P, \"bytes\": $OUT_B}}"
for dev in vlt0 vlt1; do
	check_eq "show -j: stats64 of $dev is ip -j -s link's" \
		"$(ip -n "$NS" -j -s link show $dev | jq -cS '.[0].stats64')" \
		"$(jq -cS ".[] | select(.ifname == \"$dev\") | .stats64" <<<"$OUT")"
done

vc -n "$NS" -p -s show vlt0
check_eq "show -p -s: exit status" 0 "$RC"
check_eq "show -p: indented" '    {' "$(sed -n 2p <<<"$OUT")"
check_json "show -p -s: split" "$OUT" \
	'.[0].accounting | .in.ipv4.icmp == {"packets": 6, "bytes": 504} and
	 .in.ipv6.icmp == {"packets": 4, "bytes": 416} and
	 .out.ipv4.icmp == {"packets": 7, "bytes": 588} and
	 .out.ipv6.icmp == {"packets": 4, "bytes": 416} and
	 (. as $a | all("in", "out"; . as $d |
	   ([$a[$d].ipv4[], $a[$d].ipv6[]] | map(.packets) | add) == $a[$d].packets))'
mismatch=
for d in in out; do
	for f in ipv4 ipv6; do
		for p in icmp tcp udp other; do
			for x in packets bytes; do
				want=$(sysfs_counter vlt0 "${d}_${f}_${p}_$x" "$NS")
				got=$(jq ".[0].accounting.$d.$f.$p.$x" <<<"$OUT")
				[ "$want" = "$got" ] || mismatch+=" ${d}_${f}_${p}_$x=$got/$want"
			done
		done
	done
done
check_eq "show -s -j: every counter is sysfs's" "" "$mismatch"

# -------------------------------------------------------------------------
# routes: the lines ip route prints for vlt0, in every table, both families

IP_ROUTES=$({ ip -n "$NS" -4 route show table all
	ip -n "$NS" -6 route show table all; } | sed 's/ *$//' |
	grep -E ' dev vlt0( |$)')
vc -n "$NS" routes
check_run "routes" 0 "$IP_ROUTES" ""
check_match "routes: the custom table" '^10\.100\.0\.0/16 dev vlt0 table 100 scope link$' "$OUT"
check_match "routes: the custom table, v6" '^fd98::/64 dev vlt0 table 100 metric 1024 pref medium$' "$OUT"
# Table names come from rt_tables (and rt_tables.d), as ip route's do; a
# private mount namespace gives table 100 a name.
f=$(mktemp)
printf '255\tlocal\n254\tmain\n# a comment\n100\tvlotest\n' >"$f"
named() { # CMD...: run with that rt_tables
	unshare -m sh -c 'mount --bind "$1" /etc/iproute2/rt_tables && shift && "$@"' \
		sh "$f" "$@"
}
check_eq "routes: rt_tables names table 100 as ip route does" \
	"$(named ip -n "$NS" route show table all | grep '^10\.100\.' | sed 's/ *$//')" \
	"$(named "$VLOCTL" -n "$NS" routes vlt0 | grep '^10\.100\.')"
check_match "routes: ... vlotest" '^10\.100\.0\.0/16 dev vlt0 table vlotest scope link$' \
	"$(named "$VLOCTL" -n "$NS" routes vlt0)"
rm -f "$f"
check_match "routes: the local route" \
	'^local 10\.99\.0\.1 dev vlt0 table local proto kernel scope host src 10\.99\.0\.1$' "$OUT"
check_match "routes: the local route, v6" \
	'^local fd99::1 dev vlt0 table local proto kernel metric 0 pref medium$' "$OUT"
vc -n "$NS" routes vlt0
check_run "routes vlt0" 0 "$IP_ROUTES" ""
vc -n "$NS" routes vlt1
check_run "routes vlt1 (down, no address)" 0 "" ""

IP_JSON=$({ ip -n "$NS" -4 -j route show table all
	ip -n "$NS" -6 -j route show table all; } |
	jq -s -c '[.[][] | select(.dev == "vlt0")]')
vc -n "$NS" -j routes
check_eq "routes -j: exit status" 0 "$RC"
check_json "routes -j: ip -j route's objects, key for key" "$OUT" \
	". as \$me | $IP_JSON as \$ip | length == (\$ip | length) and
	 ([range(length)] | all(. as \$i | \$ip[\$i] | to_entries |
	   all(.value == \$me[\$i][.key])))"
check_json "routes -j: stable keys" "$OUT" \
	'all(has("family") and has("type") and has("dst") and has("table") and
	     has("protocol") and has("scope") and has("flags"))'
check_json "routes -j: the custom table" "$OUT" \
	'any(.dst == "10.100.0.0/16" and .table == "100" and .dev == "vlt0")'

# -------------------------------------------------------------------------
# route get: a vlo address, a non-local address routed out of the vlo
# device, an address routed elsewhere. Before any ip rule, IPv4's local
# table is merged into main and vloctl must still name the local table.

vc -n "$NS" route get 10.99.0.1
GET_LOCAL="local 10.99.0.1 dev lo table local src 10.99.0.1
    fib: local 10.99.0.1 dev vlt0 table local proto kernel scope host src 10.99.0.1
    vlo: local address of vlt0; packets cross lo; accounted on vlt0 (in and out)"
check_run "route get, a vlo address" 0 "$GET_LOCAL" ""
vc -n "$NS" -j route get 10.99.0.1
check_json "route get -j, a vlo address" "$OUT" \
	'length == 1 and .[0].type == "local" and .[0].dev == "lo" and
	 .[0].table == "local" and .[0].fib.dev == "vlt0" and
	 .[0].vlo == {"module_loaded": true, "local": true, "vrf": null, "owner": "vlt0", "carried_by": null,
	   "in": "vlt0", "out": "vlt0", "summary":
	   "local address of vlt0; packets cross lo; accounted on vlt0 (in and out)"}'

vc -n "$NS" route get fd99::1
check_run "route get, a vlo v6 address" 0 "local fd99::1 dev lo table local proto kernel src fd99::1 metric 0 pref medium
    fib: local fd99::1 dev vlt0 table local proto kernel metric 0 pref medium
    vlo: local address of vlt0; packets cross lo; accounted on vlt0 (in and out)" ""

vc -n "$NS" route get 10.99.0.2
check_run "route get, the subnet out of vlt0" 0 "10.99.0.2 dev vlt0 src 10.99.0.1
    fib: 10.99.0.0/24 dev vlt0 proto kernel scope link src 10.99.0.1
    vlo: not a local address, routed out of vlt0: packets cross vlt0's xmit, loop back and are dropped; accounted on vlt0 (out only: the source 10.99.0.1 is vlt0's)" ""
vc -n "$NS" -j route get 10.99.0.2
check_json "route get -j, the subnet out of vlt0" "$OUT" \
	'.[0].vlo | .local == false and .owner == null and .in == null and .out == "vlt0"'

ip -n "$NS" rule add to 10.100.0.0/16 lookup 100 pref 100
vc -n "$NS" route get 10.100.7.7
check_run "route get, a custom-table route out of vlt0" 0 "10.100.7.7 dev vlt0 table 100 src 10.99.0.1
    fib: 10.100.0.0/16 dev vlt0 table 100 scope link
    vlo: not a local address, routed out of vlt0: packets cross vlt0's xmit, loop back and are dropped; accounted on vlt0 (out only: the source 10.99.0.1 is vlt0's)" ""
vc -n "$NS" route get 10.99.0.1
check_run "route get, a vlo address, with ip rules" 0 "$GET_LOCAL" ""

vc -n "$NS" route get 192.0.2.2
check_run "route get, routed elsewhere" 0 "192.0.2.2 dev vx0 src 192.0.2.1
    fib: 192.0.2.0/24 dev vx0 proto kernel scope link src 192.0.2.1
    vlo: routed via vx0; not accounted by vlo (neither 192.0.2.2 nor the source 192.0.2.1 is a vlo address)" ""
vc -n "$NS" -j route get 192.0.2.2
check_json "route get -j, routed elsewhere" "$OUT" \
	'.[0] | .dev == "vx0" and .vlo.in == null and .vlo.out == null'

vc -n "$NS" route get 203.0.113.1
check_run "route get, no route" 1 "" "vloctl: no route to 203.0.113.1: Network is unreachable"

# What route get claimed holds: a ping routed out of vlt0 counts out only.
ip netns exec "$NS" ping -c 1 -W 1 -q 10.100.7.7 >/dev/null 2>&1 || true
check_eq "a ping routed out of vlt0: in unchanged" $IN_P "$(sysfs_counter vlt0 in_packets "$NS")"
check_eq "a ping routed out of vlt0: out one more" $((OUT_P + 1)) \
	"$(sysfs_counter vlt0 out_packets "$NS")"
OUT_P=$((OUT_P + 1)) OUT_B=$((OUT_B + 84))

# -------------------------------------------------------------------------
# stats

vc -n "$NS" stats -w 0.2 -c 2 vlt0
check_run "stats -c 2, idle" 0 "$(printf '%-15s %10s %10s %10s %10s\n' interface "in pkt/s" "in bit/s" "out pkt/s" "out bit/s"
	printf '%-15s %10s %10s %10s %10s\n' vlt0 0 0 0 0 vlt0 0 0 0 0)" ""

vc -n "$NS" stats -w 0.2 -c 1
check_eq "stats, both devices: exit status" 0 "$RC"
check_eq "stats, both devices: one line each" "interface vlt0 vlt1" \
	"$(awk 'NF { printf "%s%s", sep, $1; sep = " " }' <<<"$OUT")"

# Known traffic inside one sample: the "[" is printed after the first
# reading, so a ping after it lands in the first sample.
f=$(mktemp)
"$VLOCTL" -n "$NS" -j stats -w 6 -c 1 vlt0 >"$f" &
pid=$!
wait_for grep -q '^\[' "$f"
ip netns exec "$NS" ping -c 2 -i 0.2 -q 10.99.0.1 >/dev/null
rc=0
wait $pid || rc=$?
check_eq "stats -j with traffic: exit status" 0 "$rc"
check_json "stats -j with traffic: counts the 2 pings" "$(cat "$f")" \
	'length == 1 and .[0].interval >= 6 and (.[0].devices | length) == 1 and
	 .[0].devices[0].ifname == "vlt0" and
	 .[0].devices[0].in.packets == 4 and .[0].devices[0].in.bytes == 336 and
	 .[0].devices[0].out.packets == 4 and .[0].devices[0].out.bytes == 336'
# (the interval is printed to the millisecond: allow that much)
check_json "stats -j: rates are counts over the interval" "$(cat "$f")" \
	'.[0] as $s | $s.devices[0].in |
	 ((.packets_per_sec * $s.interval - .packets) | fabs) < 0.001 * .packets + 0.01 and
	 ((.bits_per_sec * $s.interval - 8 * .bytes) | fabs) < 0.001 * 8 * .bytes + 0.01'
IN_P=$((IN_P + 4)) IN_B=$((IN_B + 336)) OUT_P=$((OUT_P + 4)) OUT_B=$((OUT_B + 336))

# Without -c: runs until SIGINT, then closes its JSON and exits 0.
"$VLOCTL" -n "$NS" -j stats -w 0.2 vlt0 >"$f" &
pid=$!
wait_for grep -q '"interval"' "$f"
kill -INT $pid
rc=0
wait $pid || rc=$?
check_eq "stats until SIGINT: exit status" 0 "$rc"
check_json "stats until SIGINT: one JSON document" "$(cat "$f")" \
	'type == "array" and length >= 1'
rm -f "$f"

vc -n "$NS" stats nosuch
check_run "stats, missing device" 1 "" \
	"vloctl: device \"nosuch\" does not exist: create it with 'ip link add nosuch type vlo'"

# -------------------------------------------------------------------------
# accounting switched off: every command says so

ip netns exec "$NS" sh -c 'echo 0 >/sys/class/net/vlt0/vlo/accounting'
OFF="accounting is off on vlt0: 'echo 1 > /sys/class/net/vlt0/vlo/accounting'"
vc -n "$NS" route get 10.99.0.1
check_eq "route get, accounting off" \
	"    vlo: local address of vlt0; packets cross lo; accounted on vlt0 (in and out); but $OFF" \
	"$(sed -n 3p <<<"$OUT")"
vc -n "$NS" show vlt0
check_match "show, accounting off" '^    accounting off +packets +bytes$' "$OUT"
check_match "show, accounting off: the settings line" '^    vlo accounting off carry off addr-split off$' "$OUT"
vc -n "$NS" -j show vlt0
check_json "show -j, accounting off" "$OUT" \
	'.[0].accounting.enabled == false and .[0].linkinfo.info_data.accounting == false'
vc -n "$NS" stats -w 0.1 -c 1 vlt0
check_eq "stats, accounting off: a note" "vloctl: note: $OFF" "$ERR"
ip netns exec "$NS" sh -c 'echo 1 >/sys/class/net/vlt0/vlo/accounting'

# -------------------------------------------------------------------------
# reset

vc -n "$NS" -j show vlt0
check_json "before reset: counters" "$OUT" \
	".[0].accounting.in == {\"packets\": $IN_P, \"bytes\": $IN_B} and
	 .[0].accounting.out == {\"packets\": $OUT_P, \"bytes\": $OUT_B}"
vc -n "$NS" reset vlt0
check_run "reset vlt0" 0 "" ""
vc -n "$NS" -s -j show vlt0
check_json "after reset: every counter is 0" "$OUT" \
	'[.[0].accounting | .. | numbers] | length == 36 and all(. == 0)'

vc reset vlo0
check_run "reset vlo0 as root" 0 "" ""
RC=0
ERR=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$VLOCTL" reset vlo0 2>&1) || RC=$?
check_eq "reset, not root: exit status" 1 "$RC"
check_eq "reset, not root: message" "vloctl: cannot reset vlo0: permission denied: needs CAP_NET_ADMIN in its network namespace (try 'sudo vloctl reset vlo0')" "$ERR"
RC=0
ERR=$(setpriv --bounding-set=-net_admin "$VLOCTL" reset vlo0 2>&1) || RC=$?
check_eq "reset, root without CAP_NET_ADMIN: exit status" 1 "$RC"
check_eq "reset, root without CAP_NET_ADMIN: message" "vloctl: cannot reset vlo0: permission denied: needs CAP_NET_ADMIN in its network namespace (try 'sudo vloctl reset vlo0')" "$ERR"

# -------------------------------------------------------------------------
# One consistent snapshot per device under a ping flood: in each of N reads,
# every total is the sum of its split (vloctl reads the counters over
# rtnetlink, one RTM_GETSTATS per device, not 38 sysfs files one by one).

SPLIT_SUMS='.[0].accounting as $a | all("in", "out"; . as $d |
	([$a[$d].ipv4[], $a[$d].ipv6[]] | map(.packets) | add) == $a[$d].packets and
	([$a[$d].ipv4[], $a[$d].ipv6[]] | map(.bytes) | add) == $a[$d].bytes)'
ip netns exec "$NS" ping -f -q -w 120 10.99.0.1 >/dev/null 2>&1 &
flood=$!
wait_for sh -c "[ \$(ip netns exec $NS cat /sys/class/net/vlt0/vlo/in_packets) -gt 100 ]" ||
	true	# the check below says if the flood never got going
N=10 consistent=0 first='' last=''
for _ in $(seq $N); do
	vc -n "$NS" -j -s show vlt0
	jq -e "$SPLIT_SUMS" <<<"$OUT" >/dev/null && consistent=$((consistent + 1))
	last=$(jq '.[0].accounting.in.packets' <<<"$OUT")
	first=${first:-$last}
done
kill "$flood" 2>/dev/null || true
wait "$flood" 2>/dev/null || true
check_eq "ping -f: totals == sum of the split in every read" "$N of $N" "$consistent of $N"
check_eq "ping -f: the counters moved during the reads" 1 "$((last > first))"

# -------------------------------------------------------------------------
# Devices that cannot be used, -n, and the init namespace left alone.

vc -n "$NS" show vx0
check_run "show, a veth" 1 "" "vloctl: vx0 is not a vlo device (its kind is veth): 'vloctl show' lists the vlo devices"
vc -n "$NS" routes lo
check_run "routes, lo" 1 "" "vloctl: lo is not a vlo device: 'vloctl show' lists the vlo devices"
vc -n "$NS" reset nosuch
check_run "reset, missing device" 1 "" \
	"vloctl: device \"nosuch\" does not exist: create it with 'ip link add nosuch type vlo'"
vc show vlt0
check_run "vlt0 is not in the init namespace" 1 "" \
	"vloctl: device \"vlt0\" does not exist: create it with 'ip link add vlt0 type vlo'"
vc -n "vloctl-no-such-ns" show
check_run "-n, missing namespace" 1 "" \
	"vloctl: network namespace \"vloctl-no-such-ns\" not found: see 'ip netns list'"
vc -j show
check_json "the init namespace: only vlo0" "$OUT" '[.[].ifname] == ["vlo0"]'
check_fail "-n left the init namespace's /sys alone" test -e /sys/class/net/vlt0

# -------------------------------------------------------------------------
# Names JSON must escape: a quote, a backslash, and a byte that is not
# UTF-8 (the output stays valid UTF-8: such a byte becomes U+FFFD).

ip -n "$NS" link add 'q"\x' type vlo
ip -n "$NS" link add $'v\xff' type vlo
vc -n "$NS" -j show
check_json "show -j: odd names escaped" "$OUT" \
	'[.[].ifname] == ["vlt0", "vlt1", "q\"\\x", "v\ufffd"]'
vc -n "$NS" show 'q"\x'
check_eq "show, odd name: exit status" 0 "$RC"
ip -n "$NS" link del 'q"\x'
ip -n "$NS" link del $'v\xff'

# -------------------------------------------------------------------------
# Memory errors: the busiest paths once under valgrind.

for args in "-s show" "-j routes" "route get 10.99.0.1" "stats -w 0.1 -c 2"; do
	# shellcheck disable=SC2086 # one word per argument
	check_ok "valgrind: vloctl -n NS $args" valgrind -q --error-exitcode=99 \
		--leak-check=full --errors-for-leak-kinds=all \
		"$VLOCTL" -n "$NS" $args
done

test_done
