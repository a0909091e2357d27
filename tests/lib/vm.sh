# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Helpers for test scripts, inside a guest (scripts/vm) or in network namespaces on a host:
# TAP lines, checks, polling, namespaces cleaned up on exit, kselftest exit codes. Source it:
#   . "$STTCP_ROOT/tests/lib/vm.sh"   (or a path relative to the script)
# TAP numbering lives in this shell: emit TAP lines from the main shell, not from subshells/pipelines.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

_tap_n=0 _tap_pass=0 _tap_fail=0 _tap_skip=0

tap_ok() { # DESC
	_tap_n=$((_tap_n + 1)) _tap_pass=$((_tap_pass + 1))
	echo "ok $_tap_n - $*"
}

tap_fail() { # DESC [DIAGNOSTIC LINE...]
	_tap_n=$((_tap_n + 1)) _tap_fail=$((_tap_fail + 1))
	echo "not ok $_tap_n - $1"
	shift
	[ $# -eq 0 ] || printf '# %s\n' "$@"
}

tap_skip() { # DESC REASON
	_tap_n=$((_tap_n + 1)) _tap_skip=$((_tap_skip + 1))
	echo "ok $_tap_n - $1 # SKIP ${2:-}"
}

# check [-m DESC] CMD...: one TAP line for CMD; on failure its last 20 output lines as # comments.
# Returns CMD's status: under set -e write "check ... || :".
check() {
	local desc='' out rc=0
	if [ "${1:-}" = -m ]; then desc=$2; shift 2; fi
	[ -n "$desc" ] || desc="$*"
	out=$("$@" 2>&1) || rc=$?
	if [ $rc = 0 ]; then
		tap_ok "$desc"
	else
		tap_fail "$desc" "exit $rc: $*"
		[ -z "$out" ] || tail -n 20 <<<"$out" | sed 's/^/# /'
	fi
	return $rc
}

# wait_for [--timeout SEC] [--interval SEC] CMD...: polls CMD (quietly) until it succeeds.
# Returns 0 once it does, 1 after SEC seconds (default 10, fractions allowed; interval default 0.1).
# SEC is multiplied by STTCP_TIMEOUT_SCALE when set (slow debug kernels: scripts/test --debug-kernel).
wait_for() {
	local timeout=10 interval=0.1 deadline now
	while [ $# -gt 0 ]; do
		case $1 in
		--timeout) timeout=$2; shift 2 ;;
		--interval) interval=$2; shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	# EPOCHREALTIME (bash 5) in microseconds: no fork per poll.
	deadline=$(( ${EPOCHREALTIME//[.,]/} + $(awk -v t="$timeout" -v s="${STTCP_TIMEOUT_SCALE:-1}" \
		'BEGIN { printf "%d", t * s * 1000000 }') ))
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		now=${EPOCHREALTIME//[.,]/}
		[ "$now" -lt "$deadline" ] || return 1
		sleep "$interval"
	done
}

# Cleanup stack, run in reverse order on exit (also on failure and on SIGINT/SIGTERM).
_cleanups=()
cleanup_push() { # SHELL-COMMAND
	_cleanups+=("$1")
	if [ ${#_cleanups[@]} -eq 1 ]; then
		trap _cleanup_run EXIT
		trap 'exit 130' INT TERM
	fi
}
_cleanup_run() {
	local i
	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do eval "${_cleanups[i]}" >/dev/null 2>&1 || true; done
	_cleanups=()
}

# netns_create NAME...: new namespaces with lo up, deleted (their processes killed) on exit.
# Pick unique names (e.g. "cli-$$") when tests may run side by side on one kernel.
netns_create() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns" || return 1
		cleanup_push "ip netns pids '$ns' | xargs -r kill -9; ip netns del '$ns'"
		ip -n "$ns" link set lo up
		sttcp_scale_timers "$ns" || return 1
	done
}

# slow_kernel: true on a debug kernel run (STTCP_TIMEOUT_SCALE > 1). Such a guest runs every path
# an order of magnitude slower; suites cut their traffic volume (never their connection counts or
# checks) so that a run still fits in hours.
slow_kernel() { awk -v s="${STTCP_TIMEOUT_SCALE:-1}" 'BEGIN { exit !(s > 1) }'; }

# scaled N [MAX]: N times STTCP_TIMEOUT_SCALE (1 unless set), as an integer, at most MAX.
scaled() {
	awk -v n="$1" -v s="${STTCP_TIMEOUT_SCALE:-1}" -v max="${2:-}" \
		'BEGIN { v = int(n * s); if (max != "" && v > max + 0) v = max; printf "%d", v }'
}

# sttcp_scale_timers NS: on a slow kernel, the module's own timers in NS (when sttcp is loaded) get
# the harness's scale too: the gate's re-mirror and give-up, the application-close grace and the
# peer-death count. Unscaled, healthy but slow flows are given up as unprotected and heartbeats
# late by a second look like a dead peer. Both nodes scale alike: their settings still agree.
sttcp_scale_timers() {
	local ns=$1 k v max
	slow_kernel || return 0
	ip netns exec "$ns" test -d /proc/sys/net/sttcp || return 0
	for k in hold_timeout_ms hold_giveup_ms app_close_grace_ms hb_dead_count; do
		# Capped at the sysctls' maxima.
		max=100000
		[ $k != hb_dead_count ] || max=100
		v=$(scaled "$(ip netns exec "$ns" sysctl -n "net.sttcp.$k")" $max) || return 1
		ip netns exec "$ns" sysctl -qw "net.sttcp.$k=$v" || return 1
	done
}

# kmod_load KO [PARAM=VALUE...]: insmod an out-of-tree module after modprobing what it depends on
# (insmod alone does not resolve dependencies such as udp_tunnel).
kmod_load() {
	local ko=$1 deps
	shift
	deps=$(modinfo -F depends "$ko") || return 1
	# shellcheck disable=SC2086 # one word per module
	[ -z "$deps" ] || modprobe -a ${deps//,/ } || return 1
	insmod "$ko" "$@"
}

# kernel_clean: fails, printing the first lines, if the kernel log has a warning, an oops, a
# refcount error, a device whose references were leaked or slab corruption found by slub_debug
# ("BUG kmalloc-32 (Not tainted): Right Redzone overwritten").
kernel_clean() {
	local bad
	bad=$(dmesg | grep -E 'WARNING:|BUG:|BUG [^ ]+ \(.*\): |Oops|general protection|refcount_t:|unregister_netdevice: waiting' |
		head -n 5)
	[ -z "$bad" ] || { echo "$bad"; return 1; }
}

# kmod_unload_balanced: after rmmod sttcp, every flow object the module created was freed
# (its last "unloaded" line).
kmod_unload_balanced() {
	local line created freed
	line=$(dmesg | grep "sttcp: unloaded" | tail -n 1)
	created=$(sed -n 's/.*created \([0-9]*\) freed.*/\1/p' <<<"$line")
	freed=$(sed -n 's/.*freed \([0-9]*\).*/\1/p' <<<"$line")
	[ -n "$created" ] && [ "$created" -gt 0 ] && [ "$created" = "$freed" ] || { echo "${line:-no unload line}"; return 1; }
	echo "flows created $created, freed $freed"
}

# skip_all REASON: nothing in this script can run here (kselftest: exit 4).
skip_all() {
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

# require CMD...: skip_all unless every CMD is installed.
require() {
	local c
	for c in "$@"; do command -v "$c" >/dev/null || skip_all "$c not installed"; done
}

# tap_done: print the plan and exit with the kselftest code (fail > pass > all skipped).
tap_done() {
	echo "1..$_tap_n"
	[ $_tap_fail -eq 0 ] || exit $KSFT_FAIL
	[ $_tap_pass -gt 0 ] || [ $_tap_skip -eq 0 ] || exit $KSFT_SKIP
	exit $KSFT_PASS
}
