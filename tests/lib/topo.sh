# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Guest-side topology for sttcp tests: one kernel, three hosts in network namespaces.
#
#   client (cl-$$)            primary (pr-$$)                 backup (bk-$$)
#   eth0 10.0.0.10 ──┐        eth0 10.0.0.1 + VIP 10.0.0.100  eth0 10.0.0.2 (arp_ignore)
#                    └─ br0 (root ns) ─┘                      dummy0 VIP 10.0.0.100/32
#                             sync 192.168.77.1 ══ veth ══ sync 192.168.77.2 (mtu 9000)
#
# Source after tests/lib/vm.sh. Knobs (environment, read by topo_up):
#   PR_TS, BK_TS, CL_TS   net.ipv4.tcp_timestamps per host (1 = random offset, 2 = none)
#   CL_SACK               client net.ipv4.tcp_sack
#   BK_RMEM               backup net.ipv4.tcp_rmem (a larger max gives another window scale)
#   SYNC_DELAY_MS         netem delay on both ends of the sync link (0 = none)

VIP=10.0.0.100
PORT=5000
STTCPCTL=${STTCP_ROOT:-.}/build/cmake/userspace/sttcpctl
SERVER=${STTCP_ROOT:-.}/build/cmake/tools/sttcp-server
# shellcheck disable=SC2034 # used by the suites that source this file
CLIENT=${STTCP_ROOT:-.}/build/cmake/tools/sttcp-client
MAC_PR=02:00:00:00:00:01 MAC_BK=02:00:00:00:00:02 MAC_CL=02:00:00:00:00:10

_topo_n=0
topo_up() {
	# Fresh names each time: a deleted namespace's devices disappear asynchronously.
	_topo_n=$((_topo_n + 1))
	CL=cl$_topo_n-$$ PR=pr$_topo_n-$$ BK=bk$_topo_n-$$ BR=br$_topo_n-$$
	modprobe -a bridge veth dummy sch_netem || return 1
	# Mirrored segments cross the backlog twice on the backup (veth, then injection): the
	# default 1000 overflows under TCG's slow softirqs. Recommended on backup hosts too.
	sysctl -qw net.core.netdev_max_backlog=10000
	netns_create "$CL" "$PR" "$BK" || return 1
	ip link add "$BR" type bridge && ip link set "$BR" up || return 1
	cleanup_push "ip link del '$BR'"
	local ns mac addr
	for ns in "$CL:$MAC_CL:10.0.0.10/24" "$PR:$MAC_PR:10.0.0.1/24" "$BK:$MAC_BK:10.0.0.2/24"; do
		IFS=: read -r ns m1 m2 m3 m4 m5 m6 addr <<<"$ns"
		mac=$m1:$m2:$m3:$m4:$m5:$m6
		ip link add "v$ns" type veth peer name eth0 netns "$ns" || return 1
		ip link set "v$ns" master "$BR" up
		ip -n "$ns" link set eth0 address "$mac" up
		ip -n "$ns" addr add "$addr" dev eth0
	done
	ip -n "$PR" addr add "$VIP/24" dev eth0
	# The backup holds the VIP where ARP never announces it.
	ip -n "$BK" link add dummy0 type dummy && ip -n "$BK" link set dummy0 up
	ip -n "$BK" addr add "$VIP/32" dev dummy0
	ip netns exec "$BK" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		net.ipv4.conf.dummy0.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0
	# The backup reports rcv_nxt from its (suppressed) ACKs: make it ACK every segment.
	ip -n "$BK" route replace 10.0.0.0/24 dev eth0 quickack 1
	ip link add "s$PR" netns "$PR" type veth peer name sync0 netns "$BK" || return 1
	ip -n "$PR" link set "s$PR" name sync0
	ip -n "$PR" link set sync0 mtu 9000 up && ip -n "$BK" link set sync0 mtu 9000 up
	ip -n "$PR" addr add 192.168.77.1/24 dev sync0 && ip -n "$BK" addr add 192.168.77.2/24 dev sync0
	if [ "${SYNC_DELAY_MS:-0}" != 0 ]; then
		ip netns exec "$PR" tc qdisc add dev sync0 root netem delay "${SYNC_DELAY_MS}ms" || return 1
		ip netns exec "$BK" tc qdisc add dev sync0 root netem delay "${SYNC_DELAY_MS}ms" || return 1
	fi
	ip netns exec "$PR" sysctl -qw net.ipv4.tcp_timestamps="${PR_TS:-1}"
	ip netns exec "$BK" sysctl -qw net.ipv4.tcp_timestamps="${BK_TS:-1}"
	ip netns exec "$CL" sysctl -qw net.ipv4.tcp_timestamps="${CL_TS:-1}" net.ipv4.tcp_sack="${CL_SACK:-1}"
	[ -z "${BK_RMEM:-}" ] || ip netns exec "$BK" sysctl -qw net.ipv4.tcp_rmem="$BK_RMEM"
	wait_for --timeout 10 ip netns exec "$CL" ping -c1 -W1 "$VIP" >/dev/null
}

# sttcp_up [gating]: configure both nodes. Failure detection is not under test here: a 3 s
# detection time (longer on a slow kernel) keeps a host starving the guest's vCPUs from faking a
# dead peer.
# shellcheck disable=SC2120 # the gating argument is optional
sttcp_up() {
	local dead
	dead=$(scaled 60 100)
	"$STTCPCTL" -n "$BK" set role backup vip "$VIP" ports "$PORT" local 192.168.77.2 peer 192.168.77.1 \
		gating "${1:-hold}" hb-dead-count "$dead" &&
	"$STTCPCTL" -n "$PR" set role primary vip "$VIP" ports "$PORT" local 192.168.77.1 peer 192.168.77.2 \
		gating "${1:-hold}" hb-dead-count "$dead" &&
	# New connections are protected only once the primary hears the backup.
	wait_for --timeout 10 peer_heard "$PR"
}

peer_heard() { [ "$(stat "$1" hb_rx)" -gt 0 ]; }

# servers_up DIR: the deterministic echo server on both nodes, logs in DIR/{pr,bk}.log.
servers_up() {
	local dir=$1 ns
	for ns in "$PR" "$BK"; do
		ip netns exec "$ns" "$SERVER" --listen "$VIP:$PORT" --mode "${SERVER_MODE:-echo}" \
			--log "$dir/${ns%%[0-9]*}.log" &
		cleanup_push "kill $! 2>/dev/null"
	done
	wait_for --timeout 10 grep -q listening "$dir/pr.log" && wait_for --timeout 10 grep -q listening "$dir/bk.log"
}

# stat NS NAME: one sttcp counter of a node.
stat() {
	"$STTCPCTL" -n "$1" -j stats | python3 -c "import json,sys; print(json.load(sys.stdin)['$2'])"
}

# nstat_val NS NAME: one kernel SNMP counter of a node (0 if absent).
nstat_val() {
	ip netns exec "$1" nstat -az "$2" | awk -v n="$2" '$1 == n { print $2; f=1 } END { if (!f) print 0 }'
}

# topo_diag DIR: what a failed scenario needs to be understood, saved into DIR.
topo_diag() {
	local ns
	for ns in "$PR" "$BK" "$CL"; do
		ip netns exec "$ns" nstat -az >"$1/nstat-${ns%%[0-9]*}.txt" 2>&1
		ip netns exec "$ns" ss -tnie >"$1/ss-${ns%%[0-9]*}.txt" 2>&1
	done
}
