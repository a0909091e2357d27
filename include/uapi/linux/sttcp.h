/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* Copyright (c) 2026 The sttcp developers. */
/*
 * sttcp: client-transparent TCP connection failover.
 *
 * This header is the one definition of the generic netlink API, shared by
 * the kernel module (kmod/) and the userspace controller (userspace/).
 *
 * Family "sttcp", version STTCP_GENL_VERSION, multicast group "events"
 * (joining it needs CAP_NET_ADMIN in the netns' user namespace, as admin
 * requests do: flow events carry clients' addresses).
 * Every request is strict (reserved header bits zero, unknown attributes
 * rejected); every rejection carries an extack message.
 *
 * Attribute tree:
 *
 *   STTCP_CMD_SET_CONFIG (admin)        configure this netns' service
 *     STTCP_A_ROLE          u8   enum sttcp_role
 *     STTCP_A_VIP           be32 service address (network order)
 *     STTCP_A_PORTS         nest of STTCP_A_PORT (u16, host order), 1..STTCP_MAX_PORTS
 *     STTCP_A_LOCAL_ADDR    be32 sync channel local address
 *     STTCP_A_LOCAL_PORT    u16  sync channel local UDP port (host order)
 *     STTCP_A_PEER_ADDR     be32 sync channel peer address
 *     STTCP_A_PEER_PORT     u16  sync channel peer UDP port (host order)
 *     STTCP_A_GATING        u8   enum sttcp_gating (optional, default HOLD)
 *     STTCP_A_LOCAL_ADDR2   be32 second heartbeat path: local service-network address
 *     STTCP_A_PEER_ADDR2    be32 second heartbeat path: the peer's service-network address
 *                                (both or neither; same UDP ports as the sync channel)
 *     STTCP_A_HB_INTERVAL_MS u32 heartbeat interval (optional; else net.sttcp.hb_interval_ms)
 *     STTCP_A_HB_DEAD_COUNT u32  missed intervals before the peer is dead (optional;
 *                                else net.sttcp.hb_dead_count)
 *     STTCP_A_EPOCH         u32  starting epoch (optional, default 0)
 *     STTCP_A_SETTINGS      binary, at most STTCP_SETTINGS_MAX bytes: the daemon's
 *                                node settings (opaque to the kernel; sent to the peer
 *                                on every change and every STTCP_SETTINGS_PERIOD_MS)
 *     STTCP_A_UPDATE        flag: update the running configuration in place. Only
 *                                the heartbeat timers and STTCP_A_SETTINGS may differ;
 *                                flows, state and epoch are kept. Anything else that
 *                                differs is refused (-EBUSY) without a change.
 *     STTCP_A_KEY           binary, exactly STTCP_KEY_LEN bytes: the sync channel key
 *                                (optional; without it the channel is unauthenticated).
 *                                Never reported back: replies carry STTCP_A_AUTH instead.
 *                                Both nodes need the same key, or both none: a keyed node
 *                                drops unkeyed messages and vice versa (docs/security.md)
 *   STTCP_CMD_DEL_CONFIG (admin)        stop protecting; flows are released
 *   STTCP_CMD_GET_CONFIG                reply: the attributes above (but the key) +
 *                                       STTCP_A_CONFIGURED, STTCP_A_AUTH
 *                                       (STTCP_A_SETTINGS if the daemon gave any)
 *   STTCP_CMD_GET_STATS                 reply: STTCP_A_STATS nest of STTCP_STAT_* (u64;
 *                                       type 0 inside the nest is alignment padding)
 *   STTCP_CMD_RESET_STATS (admin)       zero this netns' counters
 *   STTCP_CMD_GET_FLOWS (dump)          one message per flow: STTCP_A_FLOW nest of STTCP_FLOW_A_*
 *   STTCP_CMD_GET_STATUS                reply: STTCP_A_STATE, STTCP_A_EPOCH, STTCP_A_PEER_STATE,
 *                                       STTCP_A_PEER_EPOCH, STTCP_A_PATH_SYNC_AGE_MS and
 *                                       STTCP_A_PATH_SVC_AGE_MS (ms since the last heartbeat
 *                                       on each path; absent if never heard),
 *                                       STTCP_A_HB_INTERVAL_MS, STTCP_A_HB_DEAD_COUNT, STTCP_A_VIP,
 *                                       STTCP_A_SETTINGS (own) and STTCP_A_PEER_SETTINGS (the
 *                                       peer's last, if heard) with STTCP_A_PEER_SETTINGS_AGE_MS,
 *                                       STTCP_A_AUTH (when configured) and
 *                                       STTCP_A_AUTH_FAIL_AGE_MS (ms since the last sync message
 *                                       that failed authentication; absent if none did)
 *   STTCP_CMD_SWITCHOVER (admin)        planned handover to the live backup (primary only)
 *   STTCP_CMD_TAKEOVER (admin)          become primary now, whatever the peer says (backup only)
 *   STTCP_CMD_VIP_ANNOUNCED (admin)     the daemon owns the VIP and sent gratuitous ARP: prod the
 *                                       taken-over flows again (the first prod, at takeover, may
 *                                       have made clients retransmit to the old MAC)
 *   STTCP_CMD_EVENT                     multicast on "events" only: STTCP_A_EVENT, STTCP_A_STATE,
 *                                       STTCP_A_EPOCH, STTCP_A_VIP, and for flow events the
 *                                       STTCP_A_FLOW nest (client address and port)
 *
 * Sequence numbers in a flow dump are expressed in the primary's number
 * space (the backup translates its own socket state before reporting), so
 * the dumps of both nodes compare field by field.
 */
#ifndef _UAPI_LINUX_STTCP_H
#define _UAPI_LINUX_STTCP_H

#include <linux/types.h>

#define STTCP_GENL_NAME		"sttcp"
#define STTCP_GENL_VERSION	1
#define STTCP_GENL_MCGRP_EVENTS	"events"

#define STTCP_MAX_PORTS		16
/* Default UDP port of the sync channel. */
#define STTCP_DEFAULT_SYNC_PORT	7400
/* Node settings exchanged between the daemons through the kernels. */
#define STTCP_SETTINGS_MAX	1024
#define STTCP_SETTINGS_PERIOD_MS 2000
/* Length of the sync channel key (HMAC-SHA256). */
#define STTCP_KEY_LEN		32

enum sttcp_role {
	STTCP_ROLE_NONE,	/* not configured: the module is inert */
	STTCP_ROLE_PRIMARY,	/* owns the VIP, mirrors client segments, gates */
	STTCP_ROLE_BACKUP,	/* shadows the primary, output suppressed */
	__STTCP_ROLE_MAX,
};

#define STTCP_ROLE_MAX (__STTCP_ROLE_MAX - 1)

/*
 * What the node does right now (the configured role is where it starts).
 * Only ACTIVE owns the VIP: the daemon adds the address and sends gratuitous
 * ARP when it sees ACTIVE, and removes it on any other state.
 */
enum sttcp_state {
	STTCP_STATE_NONE,	/* not configured */
	STTCP_STATE_STARTING,	/* configured primary, listening for a newer primary first */
	STTCP_STATE_ACTIVE,	/* primary: serves clients (and protects them if a backup lives) */
	STTCP_STATE_BACKUP,	/* shadows the peer, output suppressed */
	STTCP_STATE_HANDOVER,	/* planned switchover in progress: output held back */
	__STTCP_STATE_MAX,
};

#define STTCP_STATE_MAX (__STTCP_STATE_MAX - 1)

enum sttcp_peer_state {
	STTCP_PEER_UNKNOWN,	/* never heard */
	STTCP_PEER_ALIVE,	/* heartbeats on the sync path */
	STTCP_PEER_SYNC_LOST,	/* only the second path hears it: no protection, no takeover */
	STTCP_PEER_DEAD,	/* both paths silent */
	__STTCP_PEER_MAX,
};

enum sttcp_event {
	STTCP_EVENT_UNSPEC,
	STTCP_EVENT_STATE,		/* this node's state changed (STTCP_A_STATE) */
	STTCP_EVENT_TAKEOVER,		/* the backup took over (sent before STATE=ACTIVE) */
	STTCP_EVENT_PEER_ALIVE,
	STTCP_EVENT_PEER_SYNC_LOST,
	STTCP_EVENT_PEER_DEAD,
	STTCP_EVENT_SWITCHOVER_FAILED,	/* the backup did not take the handover in time */
	STTCP_EVENT_FLOW_UNPROTECTED,	/* a flow lost protection (STTCP_A_FLOW) */
	STTCP_EVENT_PEER_SETTINGS,	/* the peer's settings arrived or changed (GET_STATUS) */
	/*
	 * sync messages fail authentication: other key, or one node keyed and
	 * the other not (at most every 5 s)
	 */
	STTCP_EVENT_AUTH_FAIL,
	/*
	 * the primary's application closed a flow the backup keeps open
	 * (crashed?): switching over (STTCP_A_FLOW)
	 */
	STTCP_EVENT_APP_LOST,
	/*
	 * the backup's output on a flow differs from the primary's: the flow is
	 * unprotected, and reset at a takeover (STTCP_A_FLOW)
	 */
	STTCP_EVENT_FLOW_DIVERGED,
	__STTCP_EVENT_MAX,
};

#define STTCP_EVENT_MAX (__STTCP_EVENT_MAX - 1)

enum sttcp_gating {
	/* Hold client segments at the primary until the backup reports them. */
	STTCP_GATING_HOLD,
	/* No gating: mirror only (faster, a failover may lose unacked bytes). */
	STTCP_GATING_NONE,
	__STTCP_GATING_MAX,
};

#define STTCP_GATING_MAX (__STTCP_GATING_MAX - 1)

enum sttcp_cmd {
	STTCP_CMD_UNSPEC,
	STTCP_CMD_SET_CONFIG,
	STTCP_CMD_DEL_CONFIG,
	STTCP_CMD_GET_CONFIG,
	STTCP_CMD_GET_STATS,
	STTCP_CMD_RESET_STATS,
	STTCP_CMD_GET_FLOWS,
	STTCP_CMD_GET_STATUS,
	STTCP_CMD_SWITCHOVER,
	STTCP_CMD_TAKEOVER,
	STTCP_CMD_EVENT,
	STTCP_CMD_VIP_ANNOUNCED,
	__STTCP_CMD_MAX,
};

#define STTCP_CMD_MAX (__STTCP_CMD_MAX - 1)

enum sttcp_attr {
	STTCP_A_UNSPEC,
	STTCP_A_ROLE,		/* u8 */
	STTCP_A_VIP,		/* be32 */
	STTCP_A_PORTS,		/* nest */
	STTCP_A_PORT,		/* u16, inside STTCP_A_PORTS */
	STTCP_A_LOCAL_ADDR,	/* be32 */
	STTCP_A_LOCAL_PORT,	/* u16 */
	STTCP_A_PEER_ADDR,	/* be32 */
	STTCP_A_PEER_PORT,	/* u16 */
	STTCP_A_GATING,		/* u8 */
	STTCP_A_CONFIGURED,	/* flag, in GET_CONFIG replies */
	STTCP_A_STATS,		/* nest of STTCP_STAT_* */
	STTCP_A_FLOW,		/* nest of STTCP_FLOW_A_* */
	STTCP_A_PAD,
	STTCP_A_LOCAL_ADDR2,	/* be32 */
	STTCP_A_PEER_ADDR2,	/* be32 */
	STTCP_A_HB_INTERVAL_MS,	/* u32 */
	STTCP_A_HB_DEAD_COUNT,	/* u32 */
	STTCP_A_EPOCH,		/* u32 */
	STTCP_A_STATE,		/* u8 enum sttcp_state */
	STTCP_A_PEER_STATE,	/* u8 enum sttcp_peer_state */
	STTCP_A_PEER_EPOCH,	/* u32 */
	STTCP_A_PATH_SYNC_AGE_MS, /* u32 */
	STTCP_A_PATH_SVC_AGE_MS, /* u32 */
	STTCP_A_EVENT,		/* u8 enum sttcp_event */
	STTCP_A_SETTINGS,	/* binary, opaque: this node's settings */
	STTCP_A_PEER_SETTINGS,	/* binary, opaque: the peer's settings */
	STTCP_A_PEER_SETTINGS_AGE_MS, /* u32 */
	STTCP_A_UPDATE,		/* flag, SET_CONFIG: in place */
	STTCP_A_KEY,		/* binary, STTCP_KEY_LEN bytes; SET_CONFIG only */
	STTCP_A_AUTH,		/* u8: 1 a key is set, 0 none (replies only) */
	STTCP_A_AUTH_FAIL_AGE_MS, /* u32 */
	__STTCP_A_MAX,
};

#define STTCP_A_MAX (__STTCP_A_MAX - 1)

/* Per-netns counters, all u64. Names in userspace drop the prefix. */
enum sttcp_stat {
	STTCP_STAT_UNSPEC,
	STTCP_STAT_FLOWS_CREATED,
	STTCP_STAT_FLOWS_FREED,
	STTCP_STAT_FLOWS_ACTIVE,
	STTCP_STAT_FLOWS_UNPROTECTED,	/* flows that lost protection */
	STTCP_STAT_FLOW_TABLE_FULL,	/* new flows not tracked: table full */
	STTCP_STAT_MIRROR_TX,		/* client segments sent to the backup */
	STTCP_STAT_MIRROR_TX_ERR,
	STTCP_STAT_MIRROR_RX,		/* mirrored segments received (backup) */
	STTCP_STAT_INJECTED,		/* segments injected into the backup's stack */
	STTCP_STAT_INJECT_ERR,
	STTCP_STAT_SYN_TX,		/* SYN + handshake facts sent (primary) */
	STTCP_STAT_SYN_RX,
	STTCP_STAT_REPORT_TX,		/* rcv_nxt reports sent (backup) */
	STTCP_STAT_REPORT_RX,
	STTCP_STAT_SUPPRESSED,		/* backup segments stolen before the wire */
	STTCP_STAT_HELD,		/* client segments held for the backup (primary) */
	STTCP_STAT_RELEASED,		/* held segments released by a report */
	STTCP_STAT_HOLD_REMIRROR,	/* held segments mirrored again after a timeout */
	/*
	 * segments dropped: the hold queue full (hold_max_segs), or the flow's
	 * or the namespace's held memory at its bound (hold_flow_max_bytes,
	 * hold_max_bytes)
	 */
	STTCP_STAT_HOLD_OVERFLOW,
	STTCP_STAT_HOLD_GIVEUP,		/* flows released unprotected: backup silent */
	STTCP_STAT_GATE_VIOLATIONS,	/* invariant: primary acked beyond the backup */
	STTCP_STAT_ACK_CLAMPED,		/* inbound acks clamped to the backup's snd_nxt */
	STTCP_STAT_ACK_REPLAYED,	/* synthetic acks injected after a clamp */
	STTCP_STAT_PENDING_QUEUED,	/* segments queued until handshake facts */
	STTCP_STAT_OPT_MISMATCH,	/* options differ between nodes: unprotected */
	STTCP_STAT_UNKNOWN_FLOW,	/* mirrored segment for a flow not known */
	STTCP_STAT_RX_MALFORMED,	/* sync messages failing validation */
	STTCP_STAT_RX_BAD_VERSION,
	STTCP_STAT_RX_WRONG_ROLE,	/* message not meant for our role */
	STTCP_STAT_SKB_ALLOC_FAIL,
	STTCP_STAT_RX_FOREIGN,		/* sync messages from a source other than the peer */
	STTCP_STAT_NL_REJECTED,		/* netlink requests refused (bad attributes) */
	STTCP_STAT_WIN_CLAMPED,		/* primary windows lowered to the backup's edge */
	STTCP_STAT_WIN_UPDATES,		/* primary ACKs prodded: the backup's window grew */
	STTCP_STAT_HB_TX,		/* heartbeats sent (both paths) */
	STTCP_STAT_HB_RX,		/* heartbeats received (both paths) */
	STTCP_STAT_HB_GAP_MAX_MS,	/* longest silence on the sync path (gauge, ms) */
	STTCP_STAT_HB_LATE,		/* heartbeat timer ran late (starved): silence not judged */
	STTCP_STAT_PEER_LOST,		/* peer declared dead (both paths silent) */
	STTCP_STAT_SYNC_LOST,		/* sync path silent, second path alive */
	STTCP_STAT_TAKEOVERS,		/* this node took over as primary */
	STTCP_STAT_STEPDOWNS,		/* this node yielded to a newer primary */
	STTCP_STAT_SWITCHOVERS,		/* planned handovers completed (old primary side) */
	STTCP_STAT_FLOWS_TAKEN_OVER,	/* flows resumed at takeover */
	STTCP_STAT_FLOWS_PRODDED,	/* sockets kicked at takeover (ack + loss probe) */
	STTCP_STAT_FLOWS_ABORTED,	/* sockets aborted: could not be carried on */
	STTCP_STAT_XLATE_OUT,		/* segments translated on the way out after takeover */
	/* client segments that reached a backup, sent to the primary */
	STTCP_STAT_STRAY_FWD,
	STTCP_STAT_STRAY_RX,		/* such segments injected for flows this node took over */
	STTCP_STAT_SETTINGS_TX,		/* settings messages sent to the peer */
	STTCP_STAT_SETTINGS_RX,		/* settings messages received */
	STTCP_STAT_RX_AUTH_FAIL,	/* sync messages with a wrong tag (forged, other key) */
	/*
	 * sync messages without a tag while we have a key, or with one while
	 * we have none
	 */
	STTCP_STAT_RX_AUTH_MODE,
	STTCP_STAT_RX_REPLAY,		/* sync messages with a counter seen before or too old */
	/*
	 * sync messages for another session of ours (old, or from a peer that
	 * does not know us yet)
	 */
	STTCP_STAT_RX_STALE,
	STTCP_STAT_PEER_RESTARTS,	/* a new peer session addressed us: session renewed */
	/*
	 * primary FIN/RST kept from the client: the backup's application had
	 * not closed that flow yet
	 */
	STTCP_STAT_CLOSE_HELD,
	STTCP_STAT_CLOSE_AGREED,	/* held FIN/RST sent once the backup closed too */
	/*
	 * switchovers started: the primary's application closed alone for
	 * app_close_grace_ms
	 */
	STTCP_STAT_APP_LOST,
	STTCP_STAT_FLOWS_DIVERGED,	/* flows whose outputs differ between the nodes */
	STTCP_STAT_DIGEST_TX,		/* output digest blocks sent (primary) */
	STTCP_STAT_DIGEST_RX,		/* output digest blocks received (backup) */
	STTCP_STAT_DIGEST_MATCHED,	/* blocks compared equal (backup) */
	/*
	 * blocks never compared: a digest lost or duplicated, a side too far
	 * ahead, a gap
	 */
	STTCP_STAT_DIGEST_UNVERIFIED,
	/*
	 * unprotected flows left silent at a takeover
	 * (net.sttcp.takeover_unprotected = 1)
	 */
	STTCP_STAT_FLOWS_LEFT,
	/*
	 * backup reports repeated for a re-mirrored segment it had (the first
	 * report was lost)
	 */
	STTCP_STAT_DUP_REPORTS,
	/* primary: requests to the backup to let a given-up flow go */
	STTCP_STAT_RELEASE_TX,
	STTCP_STAT_RELEASE_RX,		/* backup: such requests received */
	/*
	 * primary: flows given up without the backup's agreement (it never
	 * answered)
	 */
	STTCP_STAT_RELEASE_UNCONFIRMED,
	/*
	 * TCP packets to or from the service whose header does not fit (data
	 * offset below 5 or beyond the packet): passed on untouched, for TCP
	 * to drop
	 */
	STTCP_STAT_CLIENT_MALFORMED,
	/*
	 * held client segments dropped because their device went down (the
	 * client retransmits them)
	 */
	STTCP_STAT_HOLD_DEV_DOWN,
	/*
	 * client SYNs whose Fast Open option or data the primary removed (the
	 * backup could not have them); the client sends the data again
	 */
	STTCP_STAT_TFO_REFUSED,
	/*
	 * client segments wholly beyond the window the primary's TCP offered:
	 * left to TCP, which drops them, neither held nor mirrored
	 */
	STTCP_STAT_HOLD_OUT_OF_WINDOW,
	/*
	 * flows whose client has not completed the handshake yet (gauge,
	 * bounded by net.sttcp.max_embryonic)
	 */
	STTCP_STAT_FLOWS_EMBRYONIC,
	/*
	 * such flows forgotten to make room for a newer one (a SYN flood, or
	 * max_embryonic too low); their connections go on unprotected
	 */
	STTCP_STAT_EMBRYONIC_EVICTED,
	/*
	 * primary: unprotected flows whose connection ended, told to the
	 * backup (whose copy no longer sees the client's segments)
	 */
	STTCP_STAT_CLOSED_TX,
	STTCP_STAT_CLOSED_RX,		/* backup: such messages received */
	/*
	 * probes sent, after the VIP moved, to the clients of connections a
	 * takeover reset: their answer draws the RST they accept
	 */
	STTCP_STAT_RESET_PROBES,
	/*
	 * output bytes digested (CRC32C) to compare the nodes' streams, and
	 * the CPU time it took in ns: what divergence detection costs
	 */
	STTCP_STAT_DIGEST_BYTES,
	STTCP_STAT_DIGEST_NS,
	__STTCP_STAT_MAX,
};

#define STTCP_STAT_MAX (__STTCP_STAT_MAX - 1)

enum sttcp_flow_state {
	STTCP_FLOW_SYN,		/* primary: SYN seen; backup: waiting for its SYN-ACK */
	STTCP_FLOW_ESTABLISHED,	/* handshake facts known on this node */
	STTCP_FLOW_CLOSING,	/* FIN seen in either direction */
	STTCP_FLOW_CLOSED,	/* both FINs or a RST seen; lingers, then freed */
	__STTCP_FLOW_STATE_MAX,
};

/* STTCP_FLOW_A_FLAGS bits */
#define STTCP_FLOW_F_UNPROTECTED	(1U << 0)
#define STTCP_FLOW_F_REPORTED		(1U << 1)	/* backup reported at least once */
#define STTCP_FLOW_F_SOCK		(1U << 2)	/* socket fields present */
#define STTCP_FLOW_F_TS			(1U << 3)	/* timestamps negotiated */
#define STTCP_FLOW_F_SACK		(1U << 4)	/* SACK negotiated */
#define STTCP_FLOW_F_TAKEN_OVER		(1U << 5)	/* served by this node after a takeover */
#define STTCP_FLOW_F_DIVERGED		(1U << 6)	/* outputs differ: never taken over */
#define STTCP_FLOW_F_LEFT		(1U << 7)	/* unprotected, left silent at a takeover */
#define STTCP_FLOW_F_EMBRYONIC		(1U << 8)	/* the client's handshake not complete */

enum sttcp_flow_attr {
	STTCP_FLOW_A_UNSPEC,
	STTCP_FLOW_A_CLIENT_ADDR,	/* be32 */
	STTCP_FLOW_A_CLIENT_PORT,	/* u16 host order */
	STTCP_FLOW_A_VIP,		/* be32 */
	STTCP_FLOW_A_VPORT,		/* u16 host order */
	STTCP_FLOW_A_STATE,		/* u8 enum sttcp_flow_state */
	STTCP_FLOW_A_FLAGS,		/* u32 STTCP_FLOW_F_* */
	STTCP_FLOW_A_SEQ_DELTA,		/* u32: ISN_backup - ISN_primary */
	STTCP_FLOW_A_TS_DELTA,		/* u32: TSval_backup - TSval_primary */
	STTCP_FLOW_A_WSCALE_PRIMARY,	/* u8 */
	STTCP_FLOW_A_WSCALE_BACKUP,	/* u8 */
	STTCP_FLOW_A_BACKUP_RCV_NXT,	/* u32: last rcv_nxt the backup reported */
	STTCP_FLOW_A_HELD_SEGS,		/* u32: segments held now (primary) */
	STTCP_FLOW_A_SND_UNA,		/* u32, primary space, socket state */
	STTCP_FLOW_A_SND_NXT,		/* u32, primary space, socket state */
	STTCP_FLOW_A_RCV_NXT,		/* u32, client space, socket state */
	STTCP_FLOW_A_SOCK_STATE,	/* u8 TCP_* state of the socket */
	STTCP_FLOW_A_SEGS_IN,		/* u64 client segments seen */
	STTCP_FLOW_A_PAD,
	__STTCP_FLOW_A_MAX,
};

#define STTCP_FLOW_A_MAX (__STTCP_FLOW_A_MAX - 1)

#endif /* _UAPI_LINUX_STTCP_H */
