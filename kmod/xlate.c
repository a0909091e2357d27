// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Sequence, SACK, timestamp and window translation on a TCP header, with
 * incremental checksum updates. Pure code: shared with the unit tests.
 */
#include "xlate.h"

#define TCPOPT_EOL_	0
#define TCPOPT_NOP_	1
#define TCPOPT_MSS_	2
#define TCPOPT_WS_	3
#define TCPOPT_SACKOK_	4
#define TCPOPT_SACK_	5
#define TCPOPT_TS_	8
#define TCPOPT_FASTOPEN_	34
#define TCPOPT_EXP_	254	/* with the Fast Open magic 0xF989: its draft form */

/**
 * sttcp_tcp_hdr_len() - check the lengths of a TCP segment a peer chose
 * @ip_len: the IP packet's length in bytes (tot_len, at most what is present)
 * @ihl: its IP header length in bytes
 * @doff: the TCP header's data offset field
 *
 * As tcp_error() does before conntrack reads an option: the IP header must
 * be whole, and the TCP header (options included) at least its fixed part
 * and within the IP payload. Every length or offset derived from the header
 * later relies on this.
 * Return: the TCP header length in bytes, or 0 if the segment is malformed.
 */
u32 sttcp_tcp_hdr_len(u32 ip_len, u32 ihl, u8 doff)
{
	u32 thl = doff * 4u;

	if (ihl < sizeof(struct iphdr) || ihl > ip_len)
		return 0;
	if (thl < sizeof(struct tcphdr) || thl > ip_len - ihl)
		return 0;
	return thl;
}

/**
 * sttcp_tcp_parse_opts() - locate the options translation cares about
 * @th: TCP header
 * @thl: its length in bytes (doff * 4), all readable
 * @o: result; offsets are from @th
 *
 * Return: 0, or -EBADMSG if an option overruns the header (what was found
 * before the bad option is still reported).
 */
int sttcp_tcp_parse_opts(const struct tcphdr *th, u32 thl, struct sttcp_tcpopts *o)
{
	const u8 *p = (const u8 *)th;
	u32 off = sizeof(struct tcphdr);

	o->ts_off = -1;
	o->sack_off = -1;
	o->sack_blocks = 0;
	o->tfo_off = -1;
	o->tfo_len = 0;
	o->wscale = STTCP_NO_WSCALE;
	o->mss = 0;
	o->sack_ok = false;
	o->tsval = 0;
	o->tsecr = 0;

	while (off < thl) {
		u8 kind = p[off], len;

		if (kind == TCPOPT_EOL_)
			return 0;
		if (kind == TCPOPT_NOP_) {
			off++;
			continue;
		}
		if (off + 1 >= thl)
			return -EBADMSG;
		len = p[off + 1];
		if (len < 2 || off + len > thl)
			return -EBADMSG;
		switch (kind) {
		case TCPOPT_MSS_:
			if (len == 4)
				o->mss = ((u16)p[off + 2] << 8) | p[off + 3];
			break;
		case TCPOPT_WS_:
			if (len == 3)
				o->wscale = p[off + 2] > 14 ? 14 : p[off + 2];
			break;
		case TCPOPT_SACKOK_:
			if (len == 2)
				o->sack_ok = true;
			break;
		case TCPOPT_SACK_:
			if (len >= 10 && (len - 2) % 8 == 0) {
				o->sack_off = off + 2;
				o->sack_blocks = (len - 2) / 8;
			}
			break;
		case TCPOPT_TS_:
			if (len == 10) {
				o->ts_off = off + 2;
				o->tsval = sttcp_get_be32(p + off + 2);
				o->tsecr = sttcp_get_be32(p + off + 6);
			}
			break;
		case TCPOPT_EXP_:
			if (len < 4 || p[off + 2] != 0xf9 || p[off + 3] != 0x89)
				break;
			fallthrough;
		case TCPOPT_FASTOPEN_:
			o->tfo_off = off;
			o->tfo_len = len;
			break;
		}
		off += len;
	}
	return 0;
}

/**
 * sttcp_tcp_patch32() - write a 32-bit header field, keeping th->check right
 * @th: writable TCP header
 * @off: field offset from @th (any alignment)
 * @val: new value (host order)
 * @partial: skb is CHECKSUM_PARTIAL (leave th->check alone)
 *
 * Options need not be aligned (a TS option without NOP padding puts TSval
 * at an odd offset), so odd offsets re-sum the 5 bytes from the even byte
 * before the field: the one's-complement lanes then match the checksum's.
 * With CHECKSUM_PARTIAL the field holds only the pseudo-header sum, which
 * no header rewrite changes.
 */
void sttcp_tcp_patch32(struct tcphdr *th, u32 off, u32 val, bool partial)
{
	u8 *p = (u8 *)th + off;

	if (!(off & 1)) {
		__be32 old = (__force __be32)__get_unaligned_cpu32(p);
		__be32 new = cpu_to_be32(val);

		__put_unaligned_cpu32((__force u32)new, p);
		if (!partial)
			csum_replace4(&th->check, old, new);
	} else {
		__wsum before = csum_partial(p - 1, 5, 0);
		__wsum after;

		sttcp_put_be32(p, val);
		after = csum_partial(p - 1, 5, 0);
		if (!partial)
			th->check = csum_fold(csum_add(csum_sub(~csum_unfold(th->check),
								before), after));
	}
}

/**
 * sttcp_win_rescale() - re-express a window field in another window scale
 * @win: window field as sent with scale @from_ws
 * @from_ws: sender's shift
 * @to_ws: shift the receiver applies
 *
 * Rounds up so the right edge never moves left (no window shrinking).
 * Return: the new 16-bit field.
 */
u16 sttcp_win_rescale(u16 win, u8 from_ws, u8 to_ws)
{
	u64 bytes = (u64)win << from_ws;
	u64 field = (bytes + (1ULL << to_ws) - 1) >> to_ws;

	return field > 0xffff ? 0xffff : (u16)field;
}

/**
 * sttcp_xlate_in() - translate a client segment for the backup's socket
 * @th: writable TCP header
 * @thl: header length (doff * 4)
 * @x: the flow's deltas
 * @limit_valid: clamp the ack to @ack_limit
 * @ack_limit: the backup's snd_nxt: an ack beyond it would make the backup
 *	drop the segment with its payload (tcp_ack: "ack of unsent data")
 * @partial: skb is CHECKSUM_PARTIAL (leave th->check alone)
 * @res: what happened
 */
void sttcp_xlate_in(struct tcphdr *th, u32 thl, const struct sttcp_xlate *x,
		    bool limit_valid, u32 ack_limit, bool partial,
		    struct sttcp_xlate_in_result *res)
{
	struct sttcp_tcpopts o;
	u32 i;

	res->clamped = false;
	res->has_ack = th->ack;
	res->wanted_ack = 0;
	res->bad_opts = false;

	if (th->ack) {
		u32 ack = ntohl(th->ack_seq) + x->seq_delta;

		res->wanted_ack = ack;
		if (limit_valid && sttcp_after(ack, ack_limit)) {
			ack = ack_limit;
			res->clamped = true;
		}
		sttcp_tcp_patch32(th, offsetof(struct tcphdr, ack_seq), ack, partial);
	}

	if (sttcp_tcp_parse_opts(th, thl, &o)) {
		res->bad_opts = true;
		return;
	}
	for (i = 0; i < 2u * o.sack_blocks; i++) {
		u32 off = o.sack_off + 4 * i;

		sttcp_tcp_patch32(th, off, sttcp_get_be32((u8 *)th + off) + x->seq_delta,
				  partial);
	}
	/* TSecr 0 means "no echo"; translating it would invent one. */
	if (o.ts_off >= 0 && o.tsecr)
		sttcp_tcp_patch32(th, o.ts_off + 4, o.tsecr + x->ts_delta, partial);
}

/**
 * sttcp_xlate_out() - express a backup segment in the primary's number space
 * @th: writable TCP header
 * @thl: header length (doff * 4)
 * @x: the flow's deltas
 * @partial: skb is CHECKSUM_PARTIAL (leave th->check alone)
 *
 * Return: 0, or -EBADMSG if the options were malformed (seq still done).
 */
int sttcp_xlate_out(struct tcphdr *th, u32 thl, const struct sttcp_xlate *x,
		    bool partial)
{
	struct sttcp_tcpopts o;

	sttcp_tcp_patch32(th, offsetof(struct tcphdr, seq), ntohl(th->seq) - x->seq_delta,
			  partial);
	/* A SYN's window is never scaled (RFC 7323 2.2). */
	if (!th->syn && x->ws_backup != x->ws_primary) {
		__be16 old = th->window;

		th->window = htons(sttcp_win_rescale(ntohs(old), x->ws_backup,
						     x->ws_primary));
		if (!partial)
			csum_replace2(&th->check, old, th->window);
	}
	if (sttcp_tcp_parse_opts(th, thl, &o))
		return -EBADMSG;
	if (o.ts_off >= 0)
		sttcp_tcp_patch32(th, o.ts_off, o.tsval - x->ts_delta, partial);
	return 0;
}
