# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Host-side helpers shared by scripts/*: project root, kernel choice, messages.
# Sourced, not run. Callers have `set -euo pipefail`.

STTCP_ROOT=${STTCP_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

die() { echo "${0##*/}: $*" >&2; exit 2; }
note() { echo "${0##*/}: $*" >&2; }

# The guest kernel: the newest version that has both an image to boot and headers to build against.
# Never hard-coded: Debian bumps the ABI number with every kernel update. KVER in the environment wins.
sttcp_kver() {
	if [ -n "${KVER:-}" ]; then
		echo "$KVER"
		return
	fi
	local v best=
	# shellcheck disable=SC2012 # kernel version names (no blanks), sorted by version
	for v in $(ls /lib/modules 2>/dev/null | sort -V); do
		[ -f "/boot/vmlinuz-$v" ] && [ -d "/lib/modules/$v/build" ] && best=$v
	done
	[ -n "$best" ] || die "no kernel with both /boot/vmlinuz-V and /lib/modules/V/build (run scripts/setup)"
	echo "$best"
}
