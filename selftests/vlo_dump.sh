#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A generic netlink dump of 100,000 addresses (100 vlo devices x 1,000)
# pages across many netlink messages and returns every address exactly
# once, in (ifindex, family, address) order, the same set the kernel's own
# RTM_GETADDR dump holds. While other addresses come and go, every address
# that stays is still there exactly once and the dump is flagged
# NLM_F_DUMP_INTR (vloctl warns); a quiet dump is not. vlo_dump.py then
# changes the addresses between two parts of a dump, at a cursor it knows:
# vlo's dump keeps its order and its stable addresses and is flagged
# interrupted, and so is the kernel's own IPv4 address dump for the same
# change. VLO_DUMP_DEVS and VLO_DUMP_PER_DEV set the size.

source "$(dirname "$0")/lib.sh"

require_cmd python3
require_cmd jq
require_cmd chrt
[ -x "$VLOCTL" ] || skip "$VLOCTL not built (make tools)"
[ -e "$VLO_REPO/tools/ip/link_vlo.so" ] || skip "link_vlo.so not built (make tools)"

DEVS=${VLO_DUMP_DEVS:-100}
PER=${VLO_DUMP_PER_DEV:-1000}
TOTAL=$((DEVS * PER))
if [ "$DEVS" -gt 150 ] || [ "$PER" -gt 65536 ]; then
	echo "VLO_DUMP_DEVS at most 150, VLO_DUMP_PER_DEV at most 65536" >&2
	exit 1
fi

vlo_load numdevs=0

# changes between two parts, at a known cursor: 4 devices x 250 addresses
# in a namespace of their own are dozens of parts, and quick to check; the
# dump carries each address's split (addr-split on)
ns_add s
awk 'BEGIN {
	for (i = 0; i < 4; i++) {
		printf "link add vs%d type vlo addr-split on\nlink set vs%d up\n", i, i
		for (j = 0; j < 250; j++)
			printf "addr add 10.%d.0.%d/32 dev vs%d\n", 100 + i, j, i
	}
}' | IP_LIB_DIR=$VLO_REPO/tools/ip ip -n "$(ns s)" -batch -
res=$(ip netns exec "$(ns s)" python3 "$VLO_REPO/selftests/vlo_dump.py" step)
echo "# $res"
field() { jq -r ".$1" <<<"$res"; }
check_ne "the dump came in many parts" 1 "$(field vlo_quiet_parts)"
check_eq "a part-by-part dump: in order, each once" true "$(field vlo_quiet_once_in_order)"
check_eq "vlo's dump holds the kernel's RTM_GETADDR set" true "$(field rtnl_quiet_same_set)"
check_eq "quiet: vlo's dump not flagged" false "$(field vlo_quiet_intr)"
check_eq "quiet: the kernel's dump not flagged" false "$(field rtnl_quiet_intr)"
check_eq "changed after part 1: every stable address once" true "$(field vlo_changed_stable_once)"
check_eq "changed after part 1: the dump still in order" true "$(field vlo_changed_in_order)"
check_eq "changed after part 1: vlo's dump flagged interrupted" true "$(field vlo_changed_intr)"
check_eq "... as the kernel's own address dump is" true "$(field rtnl_changed_intr)"

ns_add d
D=$(ns d)

# vdI holds 10.(100+I).0.0 and up: one ip process, one message per change
batch=$(mktemp)
out=$(mktemp)
on_exit rm -f "$batch" "$out"
awk -v devs="$DEVS" -v per="$PER" 'BEGIN {
	for (i = 0; i < devs; i++) {
		printf "link add vd%d type vlo\nlink set vd%d up\n", i, i
		for (j = 0; j < per; j++)
			printf "addr add 10.%d.%d.%d/32 dev vd%d\n", 100 + i, j / 256, j % 256, i
	}
	print "link add vchurn type vlo"
	print "link set vchurn up"
}' >"$batch"
# After each IPv4 address it adds, the kernel queues a worker that walks
# every address it holds (check_lifetime): half of this batch's time under
# TCG at 100,000 addresses. As a realtime task the batch runs ahead of that
# worker, so its walks coalesce into a few (the addresses do not expire).
chrt -f 1 ip -n "$D" -batch "$batch"

# SUMMARY < vloctl -j addrs: "N UNIQUE ORDERED" over the addresses that
# stay (all but vchurn's and 10.99.x.1), ORDERED 1 if the whole dump is
# strictly in (ifindex, family, address) order; an address's inet_pton
# bytes sort as the address does within its family
summary() {
	python3 -S -c '
import json, socket, sys
d = json.load(sys.stdin)
af = {"inet": socket.AF_INET, "inet6": socket.AF_INET6}
k = [(a["ifindex"], a["family"], socket.inet_pton(af[a["family"]], a["local"])) for a in d]
s = [x for x, a in zip(k, d) if a["ifname"] != "vchurn" and not a["local"].startswith("10.99.")]
print(len(s), len(set(s)), int(all(x < y for x, y in zip(k, k[1:]))))'
}

"$VLOCTL" -n "$D" -j addrs >"$out" 2>"$batch"
check_eq "a quiet dump: all $TOTAL addresses, each once, in order" \
	"$TOTAL $TOTAL 1" "$(summary <"$out")"
check_eq "a quiet dump is not flagged interrupted" "" "$(cat "$batch")"
check_eq "vloctl addrs prints every address too" "$((TOTAL + 1))" \
	"$("$VLOCTL" -n "$D" addrs | wc -l)"

# churn: addresses come and go on vchurn and beside the stable ones
churning=$(mktemp)
on_exit rm -f "$churning"
churn() {
	local k=0
	while [ -e "$churning" ]; do
		ip -n "$D" addr add "10.250.0.$((k % 200 + 1))/32" dev vchurn || true
		ip -n "$D" addr add "10.99.$((k % 7)).1/32" dev "vd$((k % DEVS))" || true
		ip -n "$D" addr del "10.99.$((k % 7)).1/32" dev "vd$((k % DEVS))" || true
		[ $((k % 50)) -ne 49 ] || ip -n "$D" addr flush dev vchurn
		k=$((k + 1))
	done
}
churn >/dev/null 2>&1 &
churner=$!
"$VLOCTL" -n "$D" -j addrs >"$out" 2>"$batch"
# the churn stops once the dump is in; no ip process may outlive the loop:
# a late change would flag the next dump
rm "$churning"
wait "$churner"
check_eq "a dump under churn: every stable address once, the whole dump in order" \
	"$TOTAL $TOTAL 1" "$(summary <"$out")"
check_match "a dump under churn is flagged interrupted" \
	"changed during the dump" "$(cat "$batch")"
check_eq "a quiet dump after the churn is not flagged" "" \
	"$("$VLOCTL" -n "$D" -j addrs 2>&1 >/dev/null)"

# The devices go one at a time, each under its own RTNL hold: a namespace
# that dies holding 100,000 addresses unregisters them all under one, and
# on the debug kernel (KASAN, lockdep) that lasted over four minutes, with
# rmmod and the kernel's addrconf worker reported as hung tasks
awk -v devs="$DEVS" 'BEGIN {
	for (i = 0; i < devs; i++)
		printf "link del vd%d\n", i
	print "link del vchurn"
}' | ip -n "$D" -batch -

test_done
