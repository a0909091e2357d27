/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Per-flow translation between the primary's and the backup's number spaces.
 *
 *   seq_delta = ISN_backup - ISN_primary      (mod 2^32)
 *   ts_delta  = TSval_backup - TSval_primary  (of the two SYN-ACKs, mod 2^32)
 *
 * Inbound (client -> backup socket): ack, SACK blocks += seq_delta,
 * TSecr += ts_delta, ack clamped to what the backup has sent.
 * Outbound (backup socket -> primary space): seq -= seq_delta,
 * TSval -= ts_delta, window re-expressed in the primary's window scale.
 * Client sequence numbers, the client's TSval and window never change.
 */
#ifndef _STTCP_XLATE_H
#define _STTCP_XLATE_H

#include "pure.h"

#define STTCP_NO_WSCALE 0xff

struct sttcp_tcpopts {
	int ts_off;		/* TSval offset from the TCP header, -1: none */
	int sack_off;		/* first SACK block offset, -1: none */
	int tfo_off;		/* Fast Open option (kind 34 or 254/0xF989), -1: none */
	u8 tfo_len;		/* its length, kind and length bytes included */
	u8 sack_blocks;
	u8 wscale;		/* STTCP_NO_WSCALE if absent */
	u16 mss;		/* 0 if absent */
	bool sack_ok;
	u32 tsval;
	u32 tsecr;
};

struct sttcp_xlate {
	u32 seq_delta;
	u32 ts_delta;
	u8 ws_primary;
	u8 ws_backup;
};

struct sttcp_xlate_in_result {
	bool clamped;		/* the ack was lowered to the limit */
	bool has_ack;
	u32 wanted_ack;		/* translated ack before clamping */
	bool bad_opts;		/* options malformed: left untouched */
};

u32 sttcp_tcp_hdr_len(u32 ip_len, u32 ihl, u8 doff);
int sttcp_tcp_parse_opts(const struct tcphdr *th, u32 thl, struct sttcp_tcpopts *o);
void sttcp_tcp_patch32(struct tcphdr *th, u32 off, u32 val, bool partial);
u16 sttcp_win_rescale(u16 win, u8 from_ws, u8 to_ws);
void sttcp_xlate_in(struct tcphdr *th, u32 thl, const struct sttcp_xlate *x,
		    bool limit_valid, u32 ack_limit, bool partial,
		    struct sttcp_xlate_in_result *res);
int sttcp_xlate_out(struct tcphdr *th, u32 thl, const struct sttcp_xlate *x,
		    bool partial);

#endif /* _STTCP_XLATE_H */
