// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * libFuzzer target: what the hooks do with a client's TCP header before TCP
 * has looked at it, on untrusted bytes (data at the IP header, as at
 * LOCAL_IN and PRE_ROUTING after the IP layer's own checks). The header
 * lengths are validated as kmod/hooks.c does (sttcp_tcp_hdr_len()), then
 * only the validated bytes are copied into a buffer of exactly that size,
 * so ASan reports any read or write beyond them by what follows: option
 * parsing, the inbound and outbound translation (deltas taken from the
 * input), the SYN copy's checksum write (mirror.c) and the Fast Open NOPs
 * (primary.c). Aborts if an option found lies outside the header.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xlate.h"

static u32 take32(const uint8_t *data, size_t size, size_t at)
{
	u32 v = 0;
	size_t i;

	for (i = 0; i < 4; i++)
		v = v << 8 | (at + i < size ? data[at + i] : 0);
	return v;
}

static void handle(u8 *pkt, u32 ihl, u32 thl, const uint8_t *data, size_t size)
{
	struct tcphdr *th = (struct tcphdr *)(pkt + ihl);
	struct sttcp_xlate_in_result res;
	struct sttcp_tcpopts o;
	struct sttcp_xlate x = {
		.seq_delta = take32(data, size, size - 12),
		.ts_delta = take32(data, size, size - 8),
		.ws_primary = data[size - 4] % 15,
		.ws_backup = data[size - 3] % 15,
	};

	sttcp_tcp_parse_opts(th, thl, &o);
	if (o.ts_off >= 0 && (u32)o.ts_off + 8 > thl)
		abort();
	if (o.sack_off >= 0 && (u32)o.sack_off + 8u * o.sack_blocks > thl)
		abort();
	if (o.tfo_off >= 0) {
		if ((u32)o.tfo_off + o.tfo_len > thl)
			abort();
		memset((u8 *)th + o.tfo_off, 1, o.tfo_len);	/* refuse_fastopen() */
	}
	sttcp_xlate_in(th, thl, &x, data[size - 2] & 1, take32(data, size, size - 16),
		       data[size - 1] & 1, &res);
	sttcp_xlate_out(th, thl, &x, data[size - 1] & 2);
	th->check = 0;					/* sttcp_copy_syn() */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u32 ihl, ip_len, thl, tot_len;
	u8 *pkt;

	/* What ip_rcv_core() leaves: a whole fixed IP header. */
	if (size < sizeof(struct iphdr) || size > 65535)
		return 0;
	ihl = (data[0] & 0x0f) * 4;
	tot_len = (u32)data[2] << 8 | data[3];
	ip_len = tot_len < size ? tot_len : (u32)size;
	/* hooks.c tcp_header(): the fixed TCP header present, then the lengths. */
	if (ihl < sizeof(struct iphdr) || ihl + sizeof(struct tcphdr) > size)
		return 0;
	thl = sttcp_tcp_hdr_len(ip_len, ihl, data[ihl + 12] >> 4);
	if (!thl)
		return 0;
	if (ihl + thl > ip_len)
		abort();
	pkt = malloc(ihl + thl);
	if (!pkt)
		return 0;
	memcpy(pkt, data, ihl + thl);
	handle(pkt, ihl, thl, data, size);
	free(pkt);
	return 0;
}
