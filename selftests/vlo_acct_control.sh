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
			"$(in_ns python3 -S "$VLO_WRITE" "$D/$f" "$v")"
	done
done
check_eq "a zero-length write is a no-op" ok "$(in_ns python3 -S "$VLO_WRITE" "$D/accounting" "")"
check_eq "reset: '0' refused with EINVAL" EINVAL "$(in_ns python3 -S "$VLO_WRITE" "$D/reset" 0)"
check_eq "bad writes left the switch on" 1 "$(cnt accounting)"
check_eq "bad writes left the counters intact" "$before" "$(acct_values "$N" vlo0)"
check_eq "counter files are read-only" EACCES \
	"$(in_ns python3 -S "$VLO_WRITE" "$D/in_packets" 0 2>&1)"

# --- unprivileged writes: refused, nothing changes -------------------------

check_eq "non-root user cannot switch accounting off" EACCES \
	"$(in_ns setpriv --reuid=nobody --regid=nogroup --clear-groups \
		python3 -S "$VLO_WRITE" "$D/accounting" 0)"
check_eq "non-root user cannot reset" EACCES \
	"$(in_ns setpriv --reuid=nobody --regid=nogroup --clear-groups \
		python3 -S "$VLO_WRITE" "$D/reset" 1)"
check_eq "root without CAP_NET_ADMIN cannot switch accounting off" EPERM \
	"$(in_ns setpriv --bounding-set=-net_admin --inh-caps=-net_admin \
		python3 -S "$VLO_WRITE" "$D/accounting" 0)"
check_eq "root without CAP_NET_ADMIN cannot reset" EPERM \
	"$(in_ns setpriv --bounding-set=-net_admin --inh-caps=-net_admin \
		python3 -S "$VLO_WRITE" "$D/reset" 1)"
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
	in_ns taskset -c 0 python3 -S "$VLO_TRAFFIC" udp 10.99.0.1 6000 20000 64 --src 127.0.0.1 >/dev/null &
	a=$!
	in_ns taskset -c 1 python3 -S "$VLO_TRAFFIC" udp 10.99.0.1 6001 20000 64 --src 127.0.0.1 >/dev/null &
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

# --- each CPU counts in its own memory -----------------------------------------

# A counted packet writes only its CPU's counters: the device's block and
# its address's, both per CPU. A debug read shows it: a kprobe on
# vlo_acct_read() finds the device's block (vlo_priv.acct) and its one
# address's (vlo_addr.tot, through vlo_priv.addrs), at the offsets pahole
# reads from the module, and each CPU's copy (__per_cpu_offset); a second
# one reads the UDP-in cell and the address's in-total of CPU 0 and of CPU
# 1. UDP pinned to CPU 0, then to CPU 1, must move only that CPU's copies.
# What this shows: the counters a packet writes are the sending CPU's own;
# not that nothing else shared is written (counters.c's vlo_count() says what
# the path reads and writes).
T=/sys/kernel/tracing
[ -e $T/kprobe_events ] || mount -t tracefs nodev $T 2>/dev/null || true
off() { # STRUCT MEMBER: its offset in the module, from pahole
	pahole -C "$1" "$VLO_KO" 2>/dev/null |
		awk -v m="$2" '$0 ~ "[ *]" m "[ ;]" { sub(/.*\/\* */, ""); print $1; exit }'
}
ACCT=$(off vlo_priv acct)
ADDRS=$(off vlo_priv addrs)
DEVNODE=$(off vlo_addr dev_node)
TOT=$(off vlo_addr tot)
if [ "$(nproc)" -lt 2 ] || [ -z "$ACCT" ] || [ -z "$ADDRS" ] ||
	[ -z "$DEVNODE" ] || [ -z "$TOT" ] || [ ! -e $T/kprobe_events ]; then
	echo "# two CPUs, pahole, the module's debug info and kprobe events needed: per-CPU blocks not read"
else
	# shellcheck disable=SC2317 # run on exit
	percpu_cleanup() {
		local e
		for e in vlo_pcpu_where vlo_pcpu_read; do
			echo 0 >"$T/events/kprobes/$e/enable" 2>/dev/null
			echo "-:$e" >>"$T/kprobe_events" 2>/dev/null
		done
	}
	on_exit percpu_cleanup
	probe() { # NAME ARGS: one hit of a kprobe on vlo_acct_read, its fields
		echo "p:$1 vlo:vlo_acct_read $2" >>$T/kprobe_events
		echo >$T/trace
		echo 1 >"$T/events/kprobes/$1/enable"
		cnt in_packets >/dev/null
		echo 0 >"$T/events/kprobes/$1/enable"
		sed -n "s/.* $1: ([^)]*) //p" $T/trace | head -n 1
		echo "-:$1" >>$T/kprobe_events
	}
	field() { sed -n "s/.*\b$1=\(0x[0-9a-f]*\|[0-9]*\).*/\1/p" <<<"$2"; }
	ip -n "$N" addr flush dev vlo0
	ip -n "$N" addr add 10.99.0.1/32 dev vlo0
	where=$(probe vlo_pcpu_where "acct=+$ACCT(%di):x64 tot=+$((TOT - DEVNODE))(+$ADDRS(%di)):x64 cpu0=@__per_cpu_offset:x64 cpu1=@__per_cpu_offset+8:x64")
	echo "# $where"
	# the UDP-in cell of IPv4: cell 2 of 16 bytes (packets, bytes); the
	# address's in-packets: the first of its four totals
	args=""
	for c in 0 1; do
		base=$(field "cpu$c" "$where")
		args+=" dev$c=@0x$(printf %x $((base + $(field acct "$where") + 2 * 16))):x64"
		args+=" addr$c=@0x$(printf %x $((base + $(field tot "$where")))):x64"
	done
	read_cpus() { # "dev0 addr0 dev1 addr1"
		local r
		r=$(probe vlo_pcpu_read "$args")
		echo "$(field dev0 "$r") $(field addr0 "$r") $(field dev1 "$r") $(field addr1 "$r")"
	}
	u0=$(cnt in_ipv4_udp_packets)
	read -r d0 a0 d1 a1 <<<"$(read_cpus)"
	in_ns taskset -c 0 python3 -S "$VLO_TRAFFIC" udp 10.99.0.1 6002 300 64 --src 127.0.0.1 >/dev/null
	read -r e0 b0 e1 b1 <<<"$(read_cpus)"
	in_ns taskset -c 1 python3 -S "$VLO_TRAFFIC" udp 10.99.0.1 6003 200 64 --src 127.0.0.1 >/dev/null
	read -r f0 c0 f1 c1 <<<"$(read_cpus)"
	check_eq "300 datagrams on CPU 0: CPU 0's device and address blocks +300, CPU 1's +0" \
		"300 300 0 0" "$((e0 - d0)) $((b0 - a0)) $((e1 - d1)) $((b1 - a1))"
	check_eq "200 datagrams on CPU 1: CPU 1's +200, CPU 0's +0" \
		"0 0 200 200" "$((f0 - e0)) $((c0 - b0)) $((f1 - e1)) $((c1 - b1))"
	check_eq "... and the sums read 500" 500 \
		"$(($(cnt in_ipv4_udp_packets) - u0))"
fi

test_done
