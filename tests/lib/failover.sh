# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Guest-side failover topology: a client and two nodes, A and B, in network namespaces of one
# kernel. Either node may be primary; each can be crashed and restarted on its own.
#
#   client cl-$$     eth0 10.0.0.10 ─┐
#   node A a<N>-$$   eth0 10.0.0.1  ─┼─ br-svc (root ns): service network, second heartbeat path
#   node B b<N>-$$   eth0 10.0.0.2  ─┘
#                    sync0 192.168.77.1/.2 ─ br-sync (root ns), mtu 9000: the sync link
#
# The VIP is never configured by the test: sttcpd on each node holds it on its sttcp0 dummy and
# adds it to eth0 (plus gratuitous ARP) only while its kernel state is "active".
# Node A runs tcp_timestamps=1 and B =2, so the two nodes' TS offsets differ.
# Source after tests/lib/vm.sh.

VIP=10.0.0.100
PORT=5000
STTCPCTL=${STTCP_ROOT:-.}/build/cmake/userspace/sttcpctl
STTCPD=${STTCP_ROOT:-.}/build/cmake/userspace/sttcpd
SERVER=${STTCP_ROOT:-.}/build/cmake/tools/sttcp-server
CLIENT=${STTCP_ROOT:-.}/build/cmake/tools/sttcp-client
declare -A NODE_NS NODE_IP NODE_SYNC NODE_MAC NODE_TS
NODE_IP=([A]=10.0.0.1 [B]=10.0.0.2)
NODE_SYNC=([A]=192.168.77.1 [B]=192.168.77.2)
NODE_MAC=([A]=02:00:00:00:00:01 [B]=02:00:00:00:00:02)
NODE_TS=([A]=1 [B]=2)
MAC_CL=02:00:00:00:00:10
FO_PORTS=$PORT
FO_DIR=

other() { [ "$1" = A ] && echo B || echo A; }

# fo_up DIR: bridges and the client (no nodes yet). Logs go to DIR.
fo_up() {
	FO_DIR=$1
	_fo_n=$((${_fo_n:-0} + 1))
	CL=cl$_fo_n-$$ BRS=bs$_fo_n-$$ BRY=by$_fo_n-$$
	modprobe -a bridge veth dummy sch_netem || return 1
	sysctl -qw net.core.netdev_max_backlog=10000
	ip link add "$BRS" type bridge && ip link set "$BRS" up || return 1
	cleanup_push "ip link del '$BRS'"
	ip link add "$BRY" type bridge && ip link set "$BRY" mtu 9000 up || return 1
	cleanup_push "ip link del '$BRY'"
	netns_create "$CL" || return 1
	ip link add "v$CL" type veth peer name eth0 netns "$CL" || return 1
	ip link set "v$CL" master "$BRS" up
	ip -n "$CL" link set eth0 address "$MAC_CL" up
	ip -n "$CL" addr add 10.0.0.10/24 dev eth0
}

# node_up A|B ROLE [EXTRA STTCPD ARGS...]: a fresh namespace for the node, links, the
# deterministic server and sttcpd. Does not wait for any state (see node_state).
node_up() {
	local n=$1 role=$2 ns peer
	shift 2
	_fo_n=$((_fo_n + 1))
	ns=${n,,}$_fo_n-$$
	peer=$(other "$n")
	NODE_NS[$n]=$ns
	netns_create "$ns" || return 1
	ip link add "v$ns" type veth peer name eth0 netns "$ns" || return 1
	ip link set "v$ns" master "$BRS" up
	ip -n "$ns" link set eth0 address "${NODE_MAC[$n]}" up
	ip -n "$ns" addr add "${NODE_IP[$n]}/24" dev eth0
	ip link add "y$ns" mtu 9000 type veth peer name sync0 netns "$ns" || return 1
	ip link set "y$ns" master "$BRY" up
	ip -n "$ns" link set sync0 mtu 9000 up
	ip -n "$ns" addr add "${NODE_SYNC[$n]}/24" dev sync0
	ip netns exec "$ns" sysctl -qw net.ipv4.tcp_timestamps="${NODE_TS[$n]}"
	# The backup reports rcv_nxt from its (suppressed) ACKs: make it ACK every segment.
	ip -n "$ns" route replace 10.0.0.0/24 dev eth0 quickack 1
	"$STTCPD" -n "$ns" --role "$role" --vip "$VIP" --port "$FO_PORTS" --dev eth0 \
		--local "${NODE_SYNC[$n]}" --peer "${NODE_SYNC[$peer]}" \
		--local2 "${NODE_IP[$n]}" --peer2 "${NODE_IP[$peer]}" "$@" \
		>>"$FO_DIR/sttcpd-$n.log" 2>&1 &
	disown # killed by node_crash/node_gone: no "Killed" job report from bash
	wait_for --timeout 10 node_configured "$n"
}

# node_servers A|B [SERVER ARGS...]: start the deterministic server (default: echo on VIP:PORT).
node_servers() {
	local n=$1
	shift
	[ $# -gt 0 ] || set -- --listen "$VIP:$PORT" --mode echo
	ip netns exec "${NODE_NS[$n]}" "$SERVER" "$@" --log "$FO_DIR/server-$n.log" >/dev/null 2>&1 &
	disown
	wait_for --timeout 10 grep -q listening "$FO_DIR/server-$n.log"
}

node_configured() { "$STTCPCTL" -n "${NODE_NS[$1]}" -j show | grep -q '"configured":true'; }

# node_status A|B FIELD: one field of `sttcpctl -j status` (state, epoch, peer, ...).
node_status() {
	"$STTCPCTL" -n "${NODE_NS[$1]}" -j status 2>/dev/null |
		python3 -c "import json,sys; print(json.load(sys.stdin).get('$2', ''))"
}

node_is() { [ "$(node_status "$1" state)" = "$2" ]; }
peer_is() { [ "$(node_status "$1" peer)" = "$2" ]; }

# node_stat A|B NAME: one sttcp counter.
node_stat() {
	"$STTCPCTL" -n "${NODE_NS[$1]}" -j stats | python3 -c "import json,sys; print(json.load(sys.stdin)['$2'])"
}

# pair_up PRIMARY: both nodes, PRIMARY active with a live backup, servers running, VIP reachable.
pair_up() {
	local p=$1 b
	b=$(other "$p")
	node_up "$b" backup && node_up "$p" primary || return 1
	wait_for --timeout 10 node_is "$p" active && wait_for --timeout 10 peer_is "$p" alive &&
		wait_for --timeout 10 peer_is "$b" alive || return 1
	node_servers "$p" "${SERVER_ARGS[@]}" && node_servers "$b" "${SERVER_ARGS[@]}" || return 1
	wait_for --timeout 10 ip netns exec "$CL" ping -c1 -W1 "$VIP"
}

# node_crash A|B: cut its links first (nothing it sends afterwards leaves), then SIGKILL
# everything in it (server, sttcpd). Its kernel state stays, isolated, as after a power cut.
node_crash() {
	local ns=${NODE_NS[$1]}
	ip link set "v$ns" down
	ip link set "y$ns" down
	ip netns pids "$ns" | xargs -r kill -9
}

# node_gone A|B: remove a crashed node's namespace (the machine is replaced or rebooted).
node_gone() {
	local ns=${NODE_NS[$1]}
	ip netns pids "$ns" | xargs -r kill -9
	ip netns del "$ns" 2>/dev/null
}

# sync_cut A|B: the node's sync link goes down (both nodes stay alive).
sync_cut() { ip link set "y${NODE_NS[$1]}" down; }

# fo_reset: tear the nodes down (between trials).
fo_reset() {
	local n
	for n in A B; do [ -z "${NODE_NS[$n]:-}" ] || node_gone "$n"; done
	NODE_NS=()
	ip -n "$CL" neigh flush all 2>/dev/null
}

# vip_owners: the nodes that have the VIP on eth0 (answer ARP for it).
vip_owners() {
	local n
	for n in A B; do
		[ -n "${NODE_NS[$n]:-}" ] && ip netns list | grep -q "^${NODE_NS[$n]}\b" &&
			ip -n "${NODE_NS[$n]}" -4 addr show dev eth0 2>/dev/null | grep -q " $VIP/" && echo "$n"
	done
}
