# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers every vlo selftest sources first:
#
#	source "$(dirname "$0")/lib.sh"
#
# The test runs under `set -e`; each check prints a TAP line ("ok N desc" /
# "not ok N desc", nested as "# ok N ..." in the suite's output) and carries
# on; test_done (the test's last line) prints the plan and exits 1 if any
# check failed. On exit, whatever happens, the test's network namespaces are
# deleted, its background jobs killed and vlo unloaded if the test loaded it.
# Exit code 4 is kselftest's "skip".

# -E: the ERR trap below also reports failures inside functions.
set -eE

KSFT_SKIP=4
VLO_REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# VLO_KO may come from the environment: a module built for another kernel.
VLO_KO=${VLO_KO:-$VLO_REPO/module/vlo.ko}
VLO_INJECT=$VLO_REPO/selftests/vlo_inject
VLOCTL=$VLO_REPO/tools/vloctl/vloctl
VLO_TRAFFIC=$VLO_REPO/selftests/vlo_traffic.py
VLO_WRITE=$VLO_REPO/selftests/vlo_write.py
VLO_VERSION=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$VLO_REPO/dkms.conf")
VLO_TEST=${0##*/}
VLO_TEST=${VLO_TEST%.sh}
# Exported for the tests' helpers in other languages.
export VLO_REPO VLO_KO VLO_INJECT VLOCTL VLO_TRAFFIC VLO_WRITE VLO_VERSION VLO_TEST

_checks=0
_failed=0
_loaded_by_us=
_skipped=
declare -A _netns=()

# --- reporting --------------------------------------------------------------

_result() { # OK DESC [DIAGNOSTIC...]
	local ok=$1 desc=$2
	shift 2
	_checks=$((_checks + 1))
	if [ "$ok" = 1 ]; then
		echo "ok $_checks $desc"
		return 0
	fi
	_failed=$((_failed + 1))
	echo "not ok $_checks $desc"
	local diag line
	for diag in "$@"; do
		while IFS= read -r line; do
			printf '#   %s\n' "$line"
		done <<<"$diag"
	done
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then _result 1 "$1"; else
		_result 0 "$1" "expected: '$2'" "actual:   '$3'"
	fi
}

# check_ne DESC UNEXPECTED ACTUAL
check_ne() {
	if [ "$2" != "$3" ]; then _result 1 "$1"; else
		_result 0 "$1" "expected anything but '$2'"
	fi
}

# check_match DESC REGEX TEXT: some line of TEXT matches the extended REGEX.
check_match() {
	if grep -Eq -- "$2" <<<"$3"; then _result 1 "$1"; else
		_result 0 "$1" "no line matches: $2" "text: '$3'"
	fi
}

# check_ok DESC CMD...: CMD succeeds. check_fail DESC CMD...: CMD fails.
check_ok() {
	local desc=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then _result 1 "$desc"; else
		_result 0 "$desc" "'$*' exited $rc: $out"
	fi
}
check_fail() {
	local desc=$1 rc=0
	shift
	"$@" >/dev/null 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then _result 1 "$desc"; else
		_result 0 "$desc" "'$*' succeeded"
	fi
}

# run CMD...: CMD's stdout, stderr and exit status in OUT, ERR and RC;
# check_run DESC RC OUT ERR then checks all three.
# Not for two at once: every call shares one file for stderr (_run_err).
run() {
	RC=0
	OUT=$("$@" 2>"$_run_err") || RC=$?
	ERR=$(<"$_run_err")
}
check_run() {
	check_eq "$1: exit status" "$2" "$RC"
	check_eq "$1: stdout" "$3" "$OUT"
	check_eq "$1: stderr" "$4" "$ERR"
}

# check_err RC DESC: the netdevsim style, `cmd; check_err $? "desc"`.
check_err() {
	if [ "$1" -eq 0 ]; then _result 1 "$2"; else
		_result 0 "$2" "exit status $1"
	fi
}

# skip REASON: the whole test is skipped (kselftest exit code 4).
skip() {
	echo "# SKIP: $*"
	_skipped=1
	_exit_rc=$KSFT_SKIP
	exit $KSFT_SKIP
}

# require_cmd CMD...: skip unless each command exists.
require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || skip "$c not installed"
	done
}

# require_pyroute2: Debian's python3-pyroute2 is there. Found, not imported:
# importing pyroute2 whole takes 5 s under TCG (see vlo_genl.py).
require_pyroute2() {
	python3 -c 'import importlib.util as u, sys; sys.exit(u.find_spec("pyroute2") is None)' ||
		skip "python3-pyroute2 not installed"
}

# kernel_at_least MAJOR MINOR: the running kernel is MAJOR.MINOR or newer.
# For what a kernel shows differently, never for what vlo does.
kernel_at_least() {
	local maj min
	IFS=. read -r maj min _ <<<"$(uname -r)"
	min=${min%%[!0-9]*}
	[ "$maj" -gt "$1" ] || { [ "$maj" -eq "$1" ] && [ "$min" -ge "$2" ]; }
}

# The kernel log lines since the test started that tools/vm/splat-patterns
# calls a splat (a WARNING, BUG, lockdep report, leak, ...).
_dmesg_start=$(dmesg 2>/dev/null | wc -l) || _dmesg_start=0
_new_splats() {
	dmesg 2>/dev/null | tail -n +$((_dmesg_start + 1)) |
		grep -E -f <(grep -v -e '^#' -e '^$' "$VLO_REPO/tools/vm/splat-patterns") || true
}

# test_done: the last line of every test.
test_done() {
	local splats
	splats=$(_new_splats)
	if [ -z "$splats" ]; then _result 1 "no kernel splat in dmesg"; else
		mapfile -t lines <<<"$splats"
		_result 0 "no kernel splat in dmesg" "${lines[@]}"
	fi
	echo "1..$_checks"
	echo "# $VLO_TEST: $((_checks - _failed)) passed, $_failed failed"
	_exit_rc=0
	[ "$_failed" -eq 0 ] || _exit_rc=1
	exit $_exit_rc
}

# --- vlo's generic netlink family from Python ------------------------------------

# genl_serve NETNS: a `selftests/vlo_genl.py serve` in NETNS for the rest of
# the test, written to and read from through the fds it leaves in $serve_w
# and $serve_r: one Python start-up instead of one per command, each of
# which costs the VM seconds under TCG. Each command still makes its own
# socket, family lookup and requests.
genl_serve() {
	local fifo
	fifo=$(mktemp -u "/tmp/$VLO_TEST-genl.XXXXXX")
	mkfifo "$fifo.in" "$fifo.out"
	ip netns exec "$1" python3 "$VLO_REPO/selftests/vlo_genl.py" serve \
		<"$fifo.in" >"$fifo.out" &
	exec {serve_w}>"$fifo.in" {serve_r}<"$fifo.out"
	rm -f "$fifo.in" "$fifo.out"
	on_exit eval "exec $serve_w>&- $serve_r<&-"
}

# gsend W R ARGS...: vlo_genl.py ARGS (words without blanks) through the
# server on fds W and R: its output, its errors and its exit status, as if
# it had run on its own.
gsend() {
	local LC_ALL=C w=$1 r=$2 olen elen rc out='' err=''
	shift 2
	echo "$*" >&"$w"
	read -r _ olen _ elen _ rc <&"$r" ||
		{ echo "vlo_genl.py serve: no answer to '$*'" >&2; return 1; }
	[ "$olen" -eq 0 ] || IFS= read -r -d '' -N "$olen" out <&"$r"
	[ "$elen" -eq 0 ] || IFS= read -r -d '' -N "$elen" err <&"$r"
	printf '%s' "$out"
	printf '%s' "$err" >&2
	return "$rc"
}

# --- waiting ------------------------------------------------------------------

# wait_for [-t SECONDS] CMD...: poll CMD until it succeeds; 1 on timeout
# (default 20 s: TCG is slow). Use instead of sleep.
wait_for() {
	local timeout=20
	if [ "$1" = -t ]; then
		timeout=$2
		shift 2
	fi
	local deadline=$((SECONDS + timeout))
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

# --- the module -----------------------------------------------------------------

# vlo_loaded: prints yes or no.
vlo_loaded() {
	if [ -d /sys/module/vlo ]; then echo yes; else echo no; fi
}

# vlo_load [PARAM=VALUE...]: insmod the tree's module/vlo.ko.
# shellcheck disable=SC2120 # the parameters are optional
vlo_load() {
	[ -e "$VLO_KO" ] || skip "$VLO_KO not built (make module)"
	if [ "$(vlo_loaded)" = yes ]; then
		echo "# vlo was already loaded: unloading it first"
		rmmod vlo
	fi
	insmod "$VLO_KO" "$@"
	_loaded_by_us=1
}

vlo_unload() {
	rmmod vlo
	_loaded_by_us=
}

# sysfs_counter DEV NAME [NETNS]: /sys/class/net/DEV/vlo/NAME
sysfs_counter() {
	if [ -n "${3:-}" ]; then
		ip netns exec "$3" cat "/sys/class/net/$1/vlo/$2"
	else
		cat "/sys/class/net/$1/vlo/$2"
	fi
}

# nft_counter FAMILY TABLE NAME packets|bytes [NETNS]: a named nft counter.
nft_counter() {
	local cmd=(nft -j list counter "$1" "$2" "$3")
	[ -z "${5:-}" ] || cmd=(ip netns exec "$5" "${cmd[@]}")
	"${cmd[@]}" | jq -e --arg f "$4" '.nftables[] | select(.counter) | .counter[$f]'
}

# --- network namespaces ------------------------------------------------------------

# ns_add NAME...: create network namespaces private to this test, with lo up.
# ns NAME: prints the real name to use with ip -n / ip netns exec.
ns_add() {
	local n real
	for n in "$@"; do
		real=$VLO_TEST-$n-$$
		ip netns add "$real"
		_netns[$n]=$real
		ip -n "$real" link set lo up
	done
}

ns() {
	[ -n "${_netns[$1]:-}" ] || { echo "lib.sh: no netns '$1' (ns_add it)" >&2; return 1; }
	echo "${_netns[$1]}"
}

# ns_del NAME...
ns_del() {
	local n
	for n in "$@"; do
		ip netns del "$(ns "$n")"
		unset "_netns[$n]"
	done
}

# --- cleanup ---------------------------------------------------------------------

# on_exit CMD...: run CMD when the test exits, however it exits, before the
# namespaces are deleted (last registered, first run). Use this rather than a
# trap of the test's own: lib.sh's EXIT trap does the rest of the cleanup.
_on_exit=()
on_exit() {
	local cmd
	printf -v cmd '%q ' "$@"
	_on_exit=("$cmd" "${_on_exit[@]}")
}

# run's stderr file, one per test: a mktemp, a cat and an rm in every call
# cost the VM a third of a second each time (issue #20).
_run_err=$(mktemp)
on_exit rm -f "$_run_err"

_cleanup() {
	# The test's exit status; known for sure when test_done, skip or a
	# failed command (the ERR trap) ended it, even if a trap of the test's
	# own ran commands before this one.
	local rc=${_exit_rc:-$?} n cmd
	set +e
	for cmd in "${_on_exit[@]}"; do
		eval "$cmd"
	done
	# shellcheck disable=SC2046 # one pid per word
	kill $(jobs -p) 2>/dev/null
	wait 2>/dev/null
	for n in "${!_netns[@]}"; do
		# What still runs there (a daemon a test started) would outlive
		# the test holding the kselftest runner's output pipe, so that
		# the run never ends: stop it with the namespace.
		ip netns pids "${_netns[$n]}" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "${_netns[$n]}" 2>/dev/null
	done
	if [ -n "$_loaded_by_us" ] && [ "$(vlo_loaded)" = yes ]; then
		rmmod vlo 2>/dev/null || echo "# cleanup: rmmod vlo failed"
	fi
	# A failed check fails the test even if it never reached test_done,
	# and a command that happened to exit 4 under set -e is no skip.
	if { [ "$rc" -eq 0 ] && [ "$_failed" -ne 0 ]; } ||
		{ [ "$rc" -eq $KSFT_SKIP ] && [ -z "$_skipped" ]; }; then
		rc=1
	fi
	exit "$rc"
}
trap _cleanup EXIT
# Under set -e the first failed command ends the test: say which, and keep
# its status (later failures, in a test's own EXIT trap, do not count).
_on_err() {
	local rc=$? line=$1
	[[ $- == *e* ]] && [ -z "${_exit_rc:-}" ] || return 0
	_exit_rc=$rc
	echo "# error: line $line: \"$BASH_COMMAND\" failed (exit $rc)"
}
trap '_on_err $LINENO' ERR

[ "$EUID" -eq 0 ] || skip "needs root"
echo "vlo-selftest: $VLO_TEST starts" >/dev/kmsg 2>/dev/null || true
