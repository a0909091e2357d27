# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Host-side helpers for suites (tests/suites/*): guests in the background, vde hubs. Also brings the
# TAP helpers of vm.sh. Source it:  . "$(dirname "$0")/../lib/host.sh"

STTCP_ROOT=${STTCP_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export STTCP_ROOT
. "$STTCP_ROOT/tests/lib/vm.sh"
VM=$STTCP_ROOT/scripts/vm

# The kernel the guests boot (same choice as scripts/vm).
# Not followed by shellcheck: sourced in a subshell for sttcp_kver alone; its STTCP_ROOT assignment
# (a no-op: STTCP_ROOT is set) would be reported as lost in every suite (SC2031).
# shellcheck source=/dev/null
guest_kver() { (. "$STTCP_ROOT/scripts/lib/common.sh" && sttcp_kver); }

declare -A _vm_pids=()

# vm_start NAME [scripts/vm OPTIONS] -- CMD...: boot a guest in the background. Its output (the
# guest's stdout and stderr, and scripts/vm's messages) goes to build/vm/NAME/host.log; the guest's
# own stdout is also in build/vm/NAME/stdout, written as it goes (poll it for readiness markers).
# The guest is killed on exit if still running; collect its status with vm_wait NAME.
vm_start() {
	local name=$1
	shift
	mkdir -p "$STTCP_ROOT/build/vm/$name"
	# Stale results of a previous run must not satisfy anyone polling these files.
	rm -f "$STTCP_ROOT/build/vm/$name"/{stdout,stderr,rc,qemu.pid}
	"$VM" --name "$name" "$@" >"$STTCP_ROOT/build/vm/$name/host.log" 2>&1 </dev/null &
	_vm_pids[$name]=$!
	cleanup_push "kill ${_vm_pids[$name]}; wait ${_vm_pids[$name]}"
}

# vm_wait NAME: wait for the guest, return its status; on failure show the tail of its log as # lines.
vm_wait() {
	local name=$1 rc=0
	wait "${_vm_pids[$name]}" || rc=$?
	if [ $rc != 0 ]; then
		echo "# guest $name exited $rc; last lines of build/vm/$name/host.log:"
		tail -n 30 "$STTCP_ROOT/build/vm/$name/host.log" | sed 's/^/#   /'
	fi
	return $rc
}

# vm_crash NAME: kill the guest's QEMU outright, like a power cut (its scripts/vm then exits 125).
vm_crash() {
	local pidf=$STTCP_ROOT/build/vm/$1/qemu.pid
	wait_for --timeout 30 test -s "$pidf" || return 1
	kill -9 "$(cat "$pidf")"
}

# hub_start DIR: a vde hub stopped on exit.
hub_start() {
	"$VM" hub start "$1" || return 1
	cleanup_push "'$VM' hub stop '$1'"
}
