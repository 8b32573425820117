#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The accounting controls: the on/off switch, reset, refusal of bad and
# unprivileged writes with counters left intact, and exact totals with
# senders on two CPUs at once.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oracle.sh"

vlo_load numdevs=0
ns_add t
N=$(ns t)
in_ns() { ip netns exec "$N" "$@"; }
D=/sys/class/net/vlo0/vlo
cnt() { in_ns cat "$D/$1"; }
ping4() { in_ns ping -c "$1" -i 0.2 -W 2 -q 10.99.0.1 >/dev/null; }

ip -n "$N" link add vlo0 type vlo
ip -n "$N" link set vlo0 up
ip -n "$N" addr add 10.99.0.1/24 dev vlo0
oracle_add "$N" oracle 10.99.0.1

check_eq "file modes" "accounting 644 reset 200 in_packets 444 out_ipv6_udp_bytes 444" \
	"$(in_ns sh -c "cd $D && stat -c '%n %a' accounting reset in_packets out_ipv6_udp_bytes" | xargs)"
check_eq "accounting on by default" 1 "$(cnt accounting)"

# --- on / off / reset ------------------------------------------------------

ping4 2
check_eq "counting while on" "4 4" "$(cnt in_packets) $(cnt out_packets)"
in_ns sh -c "echo 0 > $D/accounting"
check_eq "switch reads back 0" 0 "$(cnt accounting)"
ping4 3
check_eq "counters frozen while off" "4 4" "$(cnt in_packets) $(cnt out_packets)"
in_ns sh -c "echo 1 > $D/accounting"
ping4 1
check_eq "counting resumes when on again" "6 6" "$(cnt in_packets) $(cnt out_packets)"
in_ns sh -c "echo 1 > $D/reset"
check_eq "reset zeroes every counter" "" "$(acct_values "$N" vlo0 | grep -v '=0$')"
ping4 1
check_eq "counting after reset starts from zero" "2 168 2 168" \
	"$(cnt in_packets) $(cnt in_bytes) $(cnt out_packets) $(cnt out_bytes)"

# --- bad writes: EINVAL, nothing changes -----------------------------------

before=$(acct_values "$N" vlo0)
garbage=$(head -c 4096 /dev/urandom | base64 -w 0 | head -c 4096)
for f in accounting reset; do
	for v in 2 -1 abc $'\n' " 1" 1x 0x1 "1 1" 10 "$garbage" $'\x01\xff'; do
		check_eq "$f: write of $(printf %q "${v:0:12}") refused with EINVAL" EINVAL \
			"$(in_ns python3 "$VLO_WRITE" "$D/$f" "$v")"
	done
done
check_eq "a zero-length write is a no-op" ok "$(in_ns python3 "$VLO_WRITE" "$D/accounting" "")"
check_eq "reset: '0' refused with EINVAL" EINVAL "$(in_ns python3 "$VLO_WRITE" "$D/reset" 0)"
check_eq "bad writes left the switch on" 1 "$(cnt accounting)"
check_eq "bad writes left the counters intact" "$before" "$(acct_values "$N" vlo0)"
check_eq "counter files are read-only" EACCES \
	"$(in_ns python3 "$VLO_WRITE" "$D/in_packets" 0 2>&1)"

# --- unprivileged writes: refused, nothing changes -------------------------

check_eq "non-root user cannot switch accounting off" EACCES \
	"$(in_ns setpriv --reuid=nobody --regid=nogroup --clear-groups \
		python3 "$VLO_WRITE" "$D/accounting" 0)"
check_eq "non-root user cannot reset" EACCES \
	"$(in_ns setpriv --reuid=nobody --regid=nogroup --clear-groups \
		python3 "$VLO_WRITE" "$D/reset" 1)"
check_eq "root without CAP_NET_ADMIN cannot switch accounting off" EPERM \
	"$(in_ns setpriv --bounding-set=-net_admin --inh-caps=-net_admin \
		python3 "$VLO_WRITE" "$D/accounting" 0)"
check_eq "root without CAP_NET_ADMIN cannot reset" EPERM \
	"$(in_ns setpriv --bounding-set=-net_admin --inh-caps=-net_admin \
		python3 "$VLO_WRITE" "$D/reset" 1)"
check_eq "non-root user can read counters" "$(cnt in_packets)" \
	"$(in_ns setpriv --reuid=nobody --regid=nogroup --clear-groups cat "$D/in_packets")"
check_eq "refused writes left the switch on" 1 "$(cnt accounting)"
check_eq "refused writes left the counters intact" "$before" "$(acct_values "$N" vlo0)"

# --- two senders on two CPUs -----------------------------------------------

ncpu=$(nproc)
if [ "$ncpu" -lt 2 ]; then
	echo "# concurrency checks skipped: they need 2 CPUs, this machine has $ncpu"
else
	in_ns sh -c "echo 1 > $D/reset"
	oracle_reset "$N" oracle
	in_ns taskset -c 0 python3 "$VLO_TRAFFIC" udp 10.99.0.1 6000 20000 64 --src 127.0.0.1 >/dev/null &
	a=$!
	in_ns taskset -c 1 python3 "$VLO_TRAFFIC" udp 10.99.0.1 6001 20000 64 --src 127.0.0.1 >/dev/null &
	b=$!
	in_ns taskset -c 0 ping -f -c 3000 -q 10.99.0.1 >/dev/null &
	c=$!
	in_ns taskset -c 1 ping -f -c 3000 -q 10.99.0.1 >/dev/null &
	d=$!
	# reads while the counters move must never go backwards
	prev=0 monotonic=yes
	while kill -0 "$a" 2>/dev/null || kill -0 "$b" 2>/dev/null; do
		cur=$(cnt in_packets)
		[ "$cur" -ge "$prev" ] || monotonic=no
		prev=$cur
	done
	wait "$a" && ra=0 || ra=$?
	wait "$b" && rb=0 || rb=$?
	wait "$c" "$d" || true
	check_eq "both UDP senders delivered everything" "0 0" "$ra $rb"
	check_eq "two CPUs: 40000 UDP datagrams counted exactly" "40000 3680000" \
		"$(cnt in_ipv4_udp_packets) $(cnt in_ipv4_udp_bytes)"
	check_eq "two CPUs: ping floods counted exactly" "12000 12000" \
		"$(cnt in_ipv4_icmp_packets) $(cnt out_ipv4_icmp_packets)"
	oracle_check "two CPUs: every counter equals nft's" "$N" vlo0 oracle
	check_eq "counters never went backwards while read" yes "$monotonic"
fi

test_done
