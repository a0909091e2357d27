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
declare -A NODE_NS NODE_IP NODE_SYNC NODE_MAC NODE_TS NODE_SERVER
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
	# tcp_diag: ss without it falls back to /proc/net/tcp, which has no byte counts (the guest
	# kernel cannot autoload modules from the chroot).
	modprobe -a bridge veth dummy sch_netem tcp_diag || return 1
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

# node_net A|B: a fresh namespace for the node and its links (no sttcpd yet); sets NODE_NS.
node_net() {
	local n=$1 ns
	_fo_n=$((_fo_n + 1))
	ns=${n,,}$_fo_n-$$
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
}

# node_up A|B ROLE [EXTRA STTCPD ARGS...]: node_net, then sttcpd configured by flags. Waits until
# the kernel is configured, not for any state (see node_is).
node_up() {
	local n=$1 role=$2 ns peer
	shift 2
	peer=$(other "$n")
	node_net "$n" || return 1
	ns=${NODE_NS[$n]}
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
	NODE_SERVER[$n]=$! # ip netns exec becomes the server (exec): the same pid
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

# pair_up PRIMARY [EXTRA STTCPD ARGS...]: both nodes (each given the extra args), PRIMARY active
# with a live backup, servers running, VIP reachable.
pair_up() {
	local p=$1 b
	shift
	b=$(other "$p")
	node_up "$b" backup "$@" && node_up "$p" primary "$@" || return 1
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

# node_isolate A|B / node_reconnect A|B: both its links down (a pulled cable; everything in it
# keeps running), and up again.
node_isolate() { ip link set "v${NODE_NS[$1]}" down && ip link set "y${NODE_NS[$1]}" down; }
node_reconnect() { ip link set "v${NODE_NS[$1]}" up && ip link set "y${NODE_NS[$1]}" up; }

# node_app_kill A|B: SIGKILL the node's server (the last node_servers started) and wait until it
# is gone; its kernel and sttcpd carry on.
node_app_kill() {
	local pid=${NODE_SERVER[$1]:-}
	[ -n "$pid" ] && kill -9 "$pid" || { echo "no server to kill on $1"; return 1; }
	wait_for --timeout 5 --interval 0.05 eval "! kill -0 $pid 2>/dev/null"
}

# node_gone A|B: remove a crashed node's namespace (the machine is replaced or rebooted).
node_gone() {
	local ns=${NODE_NS[$1]}
	ip netns pids "$ns" 2>/dev/null | xargs -r kill -9
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

# fo_down: fo_reset, and the client and bridges of the last fo_up go too (fo_up leaves them to the
# exit cleanup, so a long series of trials, as the soak runs, would pile them up).
fo_down() {
	fo_reset
	ip netns pids "$CL" 2>/dev/null | xargs -r kill -9
	ip netns del "$CL" 2>/dev/null
	ip link del "$BRS" 2>/dev/null
	ip link del "$BRY" 2>/dev/null
	return 0
}

# vip_owners: the nodes that have the VIP on eth0 (answer ARP for it).
vip_owners() {
	local n
	for n in A B; do
		[ -n "${NODE_NS[$n]:-}" ] && ip netns list | grep -q "^${NODE_NS[$n]}\b" &&
			ip -n "${NODE_NS[$n]}" -4 addr show dev eth0 2>/dev/null | grep -q " $VIP/" && echo "$n"
	done
}

# ---- helpers for suites driving client traffic through the pair ------------------------------
# They use the caller's CONNS and BYTES (connections and bytes each way) and RUN (run directory).

# step DESC LOG CMD...: one TAP line for CMD, run in this shell (scenarios keep state in variables
# and the cleanup stack, which a subshell would lose); its output goes to LOG, the last line of
# which is shown on success and the last lines on failure.
step() {
	local desc=$1 log=$2
	shift 2
	if "$@" >>"$log" 2>&1; then
		tap_ok "$desc"
		tail -n 1 "$log" | sed 's/^/# /'
		return 0
	fi
	tap_fail "$desc" "$(grep -v Killed "$log" | tail -n 5)"
	return 1
}

# client_start DIR [CONNS [BYTES]]: verified echo connections through the VIP; sets CLIENT_PID.
# CLIENT_TIMEOUT (default 90 s) is the client's whole run, scaled on a slow kernel like the rest.
client_start() {
	ip netns exec "$CL" "$CLIENT" --connect "$VIP:$PORT" --conns "${2:-$CONNS}" --bytes "${3:-$BYTES}" \
		--seed $RANDOM --mode echo --timeline "$1/timeline.csv" \
		--timeout "$(scaled "${CLIENT_TIMEOUT:-90}")" \
		>"$1/client.json" 2>"$1/client.err" &
	CLIENT_PID=$!
}

# client_ok DIR N: the client exited 0 having verified every byte of N connections.
client_ok() {
	local dir=$1 n=$2 rc=0
	wait "$CLIENT_PID" || rc=$?
	python3 - "$dir/client.json" "$n" "$rc" <<'EOF'
import json, sys
path, n, rc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
try:
    d = json.load(open(path))
except Exception as e:
    sys.exit(f"client report unreadable ({e}); client exit {rc}")
bad = [c for c in d["connections"] if not c["verified"] or c["error"]]
for c in bad[:5]:
    print(f"conn {c['i']}: verified={c['verified']} error={c['error']}")
if rc or d["ok"] != n or d["failed"] or bad:
    sys.exit(f"client exit {rc}: {d['ok']}/{n} ok, {d['failed']} failed")
EOF
}

# stalls DIR: append each connection's longest stall (ms) to $RUN/stalls.txt; print the max.
stalls() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = [c["max_stall_ms"] for c in d["connections"]]
open(sys.argv[2], "a").write("".join(f"{x}\n" for x in s))
print(f"{max(s):.0f}")' "$1/client.json" "$RUN/stalls.txt"
}

stat_is() { [ "$(node_stat "$1" "$2")" = "$3" ]; }

# progressed DIR FRACTION: the connections together have received FRACTION of their bytes back.
# awk, not python: polled every 50 ms, and under load a python start-up per poll let fast
# transfers finish before a fault could strike.
progressed() {
	awk -F, -v frac="$2" -v conns="$CONNS" -v size="$BYTES" '
		$1 ~ /^[0-9]+$/ { rx[$1] = $3 }
		END { for (c in rx) sum += rx[c]; exit !(sum >= frac * size * conns) }' "$1/timeline.csv" 2>/dev/null
}

# app_received A|B: bytes the node's kernel has received on the service's established sockets.
app_received() {
	ip netns exec "${NODE_NS[$1]}" ss -Htni state established "( sport = :$PORT )" |
		grep -o 'bytes_received:[0-9]*' | awk -F: '{ s += $2 } END { printf "%d", s }'
}

# app_progressed A|B PERCENT: the node's kernel has received at least PERCENT % of all the client's
# bytes (CONNS x BYTES). An application kill is timed by this, not by the client's progress: the
# echoed bytes the client still has to read can be megabytes per connection in socket buffers, so
# a kill timed by the client may find the application done.
app_progressed() {
	local got
	got=$(app_received "$1") && [ -n "$got" ] && ((got * 100 >= $2 * CONNS * BYTES))
}

# app_state A|B: what the node's kernel has received and how many connections its server finished
# (its log's "end" lines), for the record of an application kill.
app_state() {
	echo "$1's kernel had received $(app_received "$1") bytes, its server finished" \
		"$(grep -c '"end"' "$FO_DIR/server-$1.log") connections"
}

# A random moment of the transfer: between 10 % and 70 % of all bytes received.
rand_fraction() { awk -v s=$RANDOM 'BEGIN { srand(s); printf "%.2f", 0.1 + rand() * 0.6 }'; }
