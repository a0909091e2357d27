/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Sync channel wire format (UDP payload), version 2. All fields big endian.
 * Every message is an envelope: a 32-byte header, a body that depends on the
 * type, and, when the nodes share a key, a 16-byte tag (HMAC-SHA256 of
 * header and body, truncated). The envelope is handled once for all types
 * at the send/receive boundary (sync.c, auth.c, session.c).
 *
 *  0               1               2               3
 *  0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7
 * +---------------+---------------+-------------------------------+
 * |    version    |     type      |  length of the whole message  |
 * +---------------+---------------+-------------------------------+
 * |     flags     |                 reserved (0)                  |
 * +---------------+-----------------------------------------------+
 * |           sender: session id of the sender (64 bits)          |
 * +                                                               +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |   receiver: the receiver's session id as the sender knows it  |
 * +                  (0 while it knows none yet)                  +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |        counter (per sender session and path, from 1)          |
 * +                                                               +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                     body (depends on type)                    |
 * +---------------------------------------------------------------+
 * |        tag (16 bytes, only with flag AUTH): HMAC-SHA256       |
 * |        over everything before it, first 128 bits              |
 *
 * flags: AUTH (0x01) the tag is present; PATH2 (0x02) sent on the second
 * heartbeat path. Both are covered by the tag, so a message cannot be moved
 * to the other path nor stripped of its tag.
 *
 * MIRROR  body: one client IPv4/TCP segment, exactly as the primary got it
 *               (checksum complete, no fragments).
 * SYN     body: handshake facts of the primary's SYN-ACK, then the client's
 *               SYN as an IPv4/TCP packet:
 * +---------------------------------------------------------------+
 * |                 ISN of the primary (SYN-ACK seq)              |
 * +---------------------------------------------------------------+
 * |                 TSval of the primary's SYN-ACK                |
 * +-------------------------------+---------------+---------------+
 * |         MSS (primary)         |    wscale     |  option bits  |
 * +-------------------------------+---------------+---------------+
 * |                client SYN (IPv4 header, TCP header)  ...      |
 *
 * REPORT  body: a count, then that many entries (backup -> primary):
 * +---------------+-----------------------------------------------+
 * |     count     |                 reserved (0)                  |
 * +---------------+-----------------------------------------------+
 * |  client address | VIP | client port | VIP port | rcv_nxt |
 * |  right edge of the receive window | flags (1 byte) |
 * |  reserved (3 bytes)                                   24 bytes each
 *
 * HEARTBEAT body (both ways, on the sync path and the second path), 20 bytes:
 * +---------------------------------------------------------------+
 * |                 epoch (generation of the primary)             |
 * +---------------+---------------+-------------------------------+
 * | state (sender)|     flags     |          reserved (0)         |
 * +---------------+---------------+-------------------------------+
 * |          sender's TCP timestamp clock (ms, raw)               |
 * +---------------------------------------------------------------+
 * |      echo: the last clock value received from the peer        |
 * +---------------------------------------------------------------+
 * |                         reserved (0)                          |
 * +---------------------------------------------------------------+
 *
 * SETTINGS body (both ways, sync path only): the sending daemon's node
 * settings, opaque to the kernel (the daemons compare them), at most
 * STTCP_WIRE_SETTINGS_MAX bytes:
 * +-------------------------------+-------------------------------+
 * |       length of the blob      |          reserved (0)         |
 * +-------------------------------+-------------------------------+
 * |                     blob (length bytes) ...                   |
 *
 * DIGEST body (primary -> backup, sync path only), 28 bytes: one finished
 * block of the digest of the primary's output on a flow, or with flag
 * CHECKPOINT (0x01) the unfinished block so far (digest.h), or with flag
 * RELEASE (0x02) no block (start, end and digest 0): the primary gave the
 * flow up, the backup must let its copy go and answer with an UNPROTECTED
 * report; or with flag CLOSED (0x04) no block either: an unprotected flow's
 * connection ended on the primary, the backup's copy (which no longer sees
 * the client's segments) closes too:
 * +---------------------------------------------------------------+
 * |     client address | VIP | client port | VIP port (12 bytes)  |
 * +---------------------------------------------------------------+
 * |      start: sequence number of the block's first byte         |
 * +---------------------------------------------------------------+
 * |      end: just past its last byte (end - start <= 65536)      |
 * +---------------------------------------------------------------+
 * |                            digest                             |
 * +---------------+-----------------------------------------------+
 * |     flags     |                 reserved (0)                  |
 * +---------------+-----------------------------------------------+
 *
 * Every body starts 4-byte aligned, so an embedded IP header does too.
 * The parser checks every length before reading; anything inconsistent
 * is rejected as a whole.
 */
#ifndef _STTCP_WIRE_H
#define _STTCP_WIRE_H

#include "pure.h"
#include "digest.h"

#define STTCP_WIRE_VERSION	2
#define STTCP_WIRE_HDR_LEN	32
#define STTCP_WIRE_TAG_LEN	16
#define STTCP_WIRE_SYN_FACTS_LEN 12
#define STTCP_WIRE_REPORT_LEN	24
#define STTCP_WIRE_MAX_REPORTS	64
#define STTCP_WIRE_HB_LEN	20
#define STTCP_WIRE_SETTINGS_HDR_LEN 4
#define STTCP_WIRE_DIGEST_LEN	28
/* = STTCP_SETTINGS_MAX of the uapi header (checked in settings.c) */
#define STTCP_WIRE_SETTINGS_MAX	1024
/* UDP payload limit; a mirrored segment never comes close. */
#define STTCP_WIRE_MAX_LEN	65507

/* envelope flags */
#define STTCP_WIRE_F_AUTH	0x01	/* a tag follows the body */
#define STTCP_WIRE_F_PATH2	0x02	/* sent on the second heartbeat path */

/* Counters at or above this are never sent, so never accepted (no wrap). */
#define STTCP_WIRE_COUNTER_MAX	BIT_ULL(62)

enum sttcp_wire_type {
	STTCP_MSG_MIRROR = 1,
	STTCP_MSG_SYN = 2,
	STTCP_MSG_REPORT = 3,
	STTCP_MSG_HEARTBEAT = 4,
	STTCP_MSG_SETTINGS = 5,
	STTCP_MSG_DIGEST = 6,
	__STTCP_MSG_MAX,
};

/* SYN facts option bits */
#define STTCP_OPT_SACK		0x01
#define STTCP_OPT_TS		0x02
#define STTCP_OPT_WSCALE	0x04

/* REPORT entry flags */
#define STTCP_REPORT_UNPROTECTED 0x01	/* backup cannot follow this flow */
#define STTCP_REPORT_RESEND	0x02	/* backup reopened its window: re-mirror now */
#define STTCP_REPORT_CLOSED	0x04	/* backup's socket sent FIN or RST */
#define STTCP_REPORT_DIVERGED	0x08	/* with UNPROTECTED: the outputs differ */

/* DIGEST flags */
#define STTCP_DIGEST_CHECKPOINT	0x01	/* an unfinished block, up to end */
#define STTCP_DIGEST_RELEASE	0x02	/* no block: the primary gave the flow up */
#define STTCP_DIGEST_CLOSED	0x04	/* no block: an unprotected flow's connection ended */

/* HEARTBEAT flags */
#define STTCP_HB_HANDOVER	0x01	/* planned switchover: take over now */
#define STTCP_HB_SECOND_PATH	0x02	/* sent on the second path */

struct sttcp_heartbeat {
	u32 epoch;
	u8 state;		/* enum sttcp_state of the sender */
	u8 flags;
	u32 clock;
	u32 echo;
};

struct sttcp_flow_key {
	__be32 caddr;
	__be32 vaddr;
	__be16 cport;
	__be16 vport;
};

struct sttcp_syn_facts {
	u32 isn;
	u32 tsval;
	u16 mss;
	u8 wscale;
	u8 opts;
};

struct sttcp_report {
	struct sttcp_flow_key key;
	u32 rcv_nxt;
	u32 win_end;		/* rcv_nxt + the window the backup advertised */
	u8 flags;
};

/* The envelope (header) of every message. */
struct sttcp_wire_env {
	u8 type;
	u8 flags;		/* STTCP_WIRE_F_* */
	u32 len;		/* whole message, tag included */
	u64 sender;		/* session id of the sender, never 0 */
	u64 receiver;		/* receiver's session id; 0: unknown to the sender */
	u64 counter;		/* 1 .. STTCP_WIRE_COUNTER_MAX - 1 */
};

/* A parsed message. Offsets are from the start of the message. */
struct sttcp_msg {
	u8 type;
	u32 len;		/* whole message, tag included */
	struct sttcp_wire_env env;
	/* MIRROR and SYN: the embedded IPv4 packet */
	u32 pkt_off;
	u32 pkt_len;
	u32 pkt_ihl;		/* IP header length in bytes */
	u32 pkt_thl;		/* TCP header length in bytes */
	struct sttcp_flow_key key;	/* from the embedded packet */
	struct sttcp_syn_facts syn;
	/* REPORT */
	u32 n_reports;
	u32 reports_off;
	/* HEARTBEAT */
	struct sttcp_heartbeat hb;
	/* SETTINGS: the blob */
	u32 settings_off;
	u32 settings_len;
	/* DIGEST (and key) */
	struct sttcp_dg_block dg;
	u8 dg_flags;
};

int sttcp_wire_parse_env(const u8 *buf, u32 avail, u32 total, struct sttcp_wire_env *e);
int sttcp_wire_parse(const u8 *buf, u32 avail, u32 total, struct sttcp_msg *m);
void sttcp_wire_get_report(const u8 *buf, const struct sttcp_msg *m, u32 i,
			   struct sttcp_report *r);
void sttcp_wire_put_env(u8 *buf, const struct sttcp_wire_env *e);
void sttcp_wire_put_syn_facts(u8 *buf, const struct sttcp_syn_facts *f);
void sttcp_wire_put_report_count(u8 *buf, u8 count);
void sttcp_wire_put_report(u8 *buf, const struct sttcp_report *r);
void sttcp_wire_put_heartbeat(u8 *buf, const struct sttcp_heartbeat *hb);
int sttcp_wire_parse_settings(const u8 *buf, u32 avail, u32 total, struct sttcp_msg *m);
void sttcp_wire_put_settings(u8 *buf, const u8 *blob, u16 len);
void sttcp_wire_put_digest(u8 *buf, const struct sttcp_flow_key *key,
			   const struct sttcp_dg_block *blk, u8 flags);

#endif /* _STTCP_WIRE_H */
