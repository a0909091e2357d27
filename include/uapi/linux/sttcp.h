/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* Copyright (c) 2026 The sttcp developers. */
/*
 * sttcp: client-transparent TCP connection failover.
 *
 * This header is the one definition of the generic netlink API, shared by
 * the kernel module (kmod/) and the userspace controller (userspace/).
 *
 * Family "sttcp", version STTCP_GENL_VERSION, multicast group "events".
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
 *   STTCP_CMD_DEL_CONFIG (admin)        stop protecting; flows are released
 *   STTCP_CMD_GET_CONFIG                reply: the attributes above + STTCP_A_CONFIGURED
 *   STTCP_CMD_GET_STATS                 reply: STTCP_A_STATS nest of STTCP_STAT_* (u64;
 *                                       type 0 inside the nest is alignment padding)
 *   STTCP_CMD_RESET_STATS (admin)       zero this netns' counters
 *   STTCP_CMD_GET_FLOWS (dump)          one message per flow: STTCP_A_FLOW nest of STTCP_FLOW_A_*
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

enum sttcp_role {
	STTCP_ROLE_NONE,	/* not configured: the module is inert */
	STTCP_ROLE_PRIMARY,	/* owns the VIP, mirrors client segments, gates */
	STTCP_ROLE_BACKUP,	/* shadows the primary, output suppressed */
	__STTCP_ROLE_MAX,
};
#define STTCP_ROLE_MAX (__STTCP_ROLE_MAX - 1)

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
	STTCP_STAT_HOLD_OVERFLOW,	/* segments dropped: hold queue full */
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
