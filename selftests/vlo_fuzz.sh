#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A netlink fuzzer: seeded, structure-aware random messages (vlo_fuzz.c) to
# the "vlo" generic netlink family and to RTM_NEWLINK/RTM_SETLINK with
# IFLA_INFO_DATA for kind vlo, as an unprivileged user (nobody), as the root
# of a user namespace that does not own the network namespace, and as root,
# while a carry device carries pings and its addresses churn. Every message
# gets an answer (or, if netlink drops it unparsed, none), a refused message
# changes nothing, unprivileged ones change nothing at all; then the module
# unloads and dmesg is clean.
#
#   VLO_FUZZ_SEED=N    repeat a run (the seed is printed)
#   VLO_FUZZ_COUNT=N   messages in all (100000): a quarter as nobody, a
#                      quarter as the user namespace's root, half as root

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/carry_lib.sh"

require_cmd ping jq setpriv unshare

SEED=${VLO_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
COUNT=${VLO_FUZZ_COUNT:-100000}
FUZZ=$VLO_REPO/selftests/vlo_fuzz
[ -x "$FUZZ" ] || skip "$FUZZ not built (make -C selftests)"
echo "# seed $SEED (VLO_FUZZ_SEED=$SEED repeats this run), $COUNT messages"

vlo_load numdevs=0
ns_add f
N=$(ns f)

# --- a carry device with traffic and churning addresses --------------------------

ip -n "$N" link add vlo-c type vlo
carry vlo-c 1
ip -n "$N" addr add 10.88.0.1/32 dev vlo-c
ip -n "$N" addr add fd88::1/128 dev vlo-c nodad
ip -n "$N" link set vlo-c up
IDX=$(ip -n "$N" -j link show vlo-c | jq '.[0].ifindex')
c0=$(frames vlo-c)
ping_q 2 10.88.0.1
check_eq "the pings cross vlo-c" "4 4" "$(delta vlo-c "$c0")"

ip netns exec "$N" ping -q -i 0.05 10.88.0.1 >/dev/null 2>&1 &
ping4=$!
ip netns exec "$N" ping -q -i 0.1 fd88::1 >/dev/null 2>&1 &
ping6=$!
# addresses come and go on vlo-c, a change every millisecond or so
churn_log=$(mktemp)
on_exit rm -f "$churn_log"
ip netns exec "$N" "$FUZZ" churn "$IDX" 1000 >"$churn_log" &
churner=$!

# --- the fuzz ----------------------------------------------------------------------------

# fuzz LABEL CMD...: CMD (vlo_fuzz under some identity) in the namespace
fuzz() {
	local label=$1 t0=$SECONDS
	shift
	run in_ns "$@"
	while IFS= read -r line; do echo "# $line"; done <<<"$OUT"
	[ -z "$ERR" ] || while IFS= read -r line; do echo "# stderr: $line"; done <<<"$ERR"
	check_eq "$label: every message answered, nothing changed that was refused" 0 "$RC"
	echo "# $label: $((SECONDS - t0)) s"
}

# The checks can fail: root's accepted changes, judged as an unprivileged
# user's, are failures.
run in_ns "$FUZZ" unpriv 400 "$SEED" "$IDX"
check_match "the fuzzer reports a change an unprivileged run accepts" \
	"^FAIL: unprivileged .* accepted" "$OUT"
check_eq "... and fails" 1 "$RC"

part=$((COUNT / 4))
fuzz "nobody" setpriv --reuid=nobody --regid=nogroup --clear-groups \
	"$FUZZ" unpriv "$part" "$SEED" "$IDX"
fuzz "user namespace root" unshare -U -r "$FUZZ" unpriv "$part" \
	$((SEED + 1)) "$IDX"
fuzz "root" "$FUZZ" root $((COUNT - 2 * part)) $((SEED + 2)) "$IDX" \
	vlo-f0 vlo-f1 vlo-f2 vlo-f3

# --- afterwards -------------------------------------------------------------------------

check_eq "the pings ran throughout" "$ping4 $ping6" \
	"$(kill -0 $ping4 && echo $ping4) $(kill -0 $ping6 && echo $ping6)"
check_ok "the address churn ran throughout" kill -0 $churner
kill $churner $ping4 $ping6
wait $churner $ping4 $ping6 2>/dev/null || true
echo "# $(cat "$churn_log")"
check_match "the churn's changes all went through" "^churn: [1-9][0-9]* changes, 0 refused$" \
	"$(cat "$churn_log")"
check_ok "vlo-c still answers" in_ns ping -c 1 -W 5 -q 10.88.0.1

ns_del f
check_ok "the module unloads" timeout 300 rmmod vlo
check_eq "vlo is gone" no "$(vlo_loaded)"
_loaded_by_us=

test_done
