// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Client segments into sync messages (primary), and the backup's report of
 * how far it got.
 *
 * Segments reach LOCAL_IN as GRO/TSO super-packets and, from veth or lo,
 * with CHECKSUM_PARTIAL (only the pseudo-header sum in th->check). The
 * backup must get ordinary segments with a complete checksum, so GSO
 * packets are split in software and partial checksums finished in the copy.
 */
#include <linux/ip.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include "sttcp.h"
#include "sync.h"
#include "mirror.h"

static void mirror_one(struct sttcp_net *pn, const struct sk_buff *skb, u8 type,
		       const struct sttcp_syn_facts *facts)
{
	u32 facts_len = facts ? STTCP_WIRE_SYN_FACTS_LEN : 0;
	u32 len = skb->len;
	struct sk_buff *nskb;
	u8 *pkt;

	nskb = sttcp_sync_alloc(pn, facts_len + len);
	if (!nskb)
		return;
	if (facts)
		sttcp_wire_put_syn_facts(nskb->data + STTCP_WIRE_HDR_LEN, facts);
	pkt = nskb->data + STTCP_WIRE_HDR_LEN + facts_len;
	if (skb_copy_bits(skb, 0, pkt, len)) {
		kfree_skb(nskb);
		sttcp_count(pn, STTCP_STAT_MIRROR_TX_ERR);
		return;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		int start = skb_checksum_start_offset(skb);

		if (start > 0 && start + skb->csum_offset + 2 <= len) {
			__wsum sum = csum_partial(pkt + start, len - start, 0);

			*(__sum16 *)(pkt + start + skb->csum_offset) = csum_fold(sum);
		}
	}
	sttcp_sync_send(pn, nskb, type);
	sttcp_count(pn, type == STTCP_MSG_SYN ? STTCP_STAT_SYN_TX : STTCP_STAT_MIRROR_TX);
}

/* Does this (split) segment still carry something the backup lacks? */
static bool wanted(const struct sk_buff *seg, const struct sttcp_mirror_filter *flt)
{
	return !flt || sttcp_after(sttcp_seg_end(ip_hdr(seg)), flt->backup_rcv_nxt);
}

static void mirror_filtered(struct sttcp_net *pn, const struct sk_buff *seg,
			    struct sttcp_mirror_filter *flt)
{
	if (flt) {
		if (!flt->budget || !wanted(seg, flt))
			return;
		flt->budget--;
		sttcp_count(pn, STTCP_STAT_HOLD_REMIRROR);
	}
	mirror_one(pn, seg, STTCP_MSG_MIRROR, NULL);
}

/**
 * sttcp_mirror() - send a copy of a client segment to the backup
 * @pn: namespace state
 * @skb: the segment, data at the IP header; not modified
 * @flt: NULL to send everything; for a re-mirror, only the (split)
 *	segments ending beyond the backup's rcv_nxt, at most flt->budget
 */
void sttcp_mirror(struct sttcp_net *pn, struct sk_buff *skb,
		  struct sttcp_mirror_filter *flt)
{
	struct sk_buff *clone, *segs, *seg, *next;

	if (!skb_is_gso(skb)) {
		mirror_filtered(pn, skb, flt);
		return;
	}
	/* Segmenting writes headers: work on a clone with a private head. */
	clone = skb_clone(skb, GFP_ATOMIC);
	if (!clone || skb_cow_head(clone, 0)) {
		kfree_skb(clone);
		sttcp_count(pn, STTCP_STAT_MIRROR_TX_ERR);
		return;
	}
	segs = __skb_gso_segment(clone, 0, false);
	if (IS_ERR_OR_NULL(segs)) {
		kfree_skb(clone);
		sttcp_count(pn, STTCP_STAT_MIRROR_TX_ERR);
		return;
	}
	consume_skb(clone);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		skb_reset_network_header(seg);
		mirror_filtered(pn, seg, flt);
		consume_skb(seg);
	}
}

/**
 * sttcp_mirror_syn() - send the client's SYN with the primary's SYN-ACK facts
 * @pn: namespace state
 * @syn: the SYN's IP and TCP headers, checksums complete
 * @len: their length
 * @facts: the primary's handshake facts
 */
void sttcp_mirror_syn(struct sttcp_net *pn, const u8 *syn, u32 len,
		      const struct sttcp_syn_facts *facts)
{
	struct sk_buff *nskb;

	nskb = sttcp_sync_alloc(pn, STTCP_WIRE_SYN_FACTS_LEN + len);
	if (!nskb)
		return;
	sttcp_wire_put_syn_facts(nskb->data + STTCP_WIRE_HDR_LEN, facts);
	memcpy(nskb->data + STTCP_WIRE_HDR_LEN + STTCP_WIRE_SYN_FACTS_LEN, syn, len);
	sttcp_sync_send(pn, nskb, STTCP_MSG_SYN);
	sttcp_count(pn, STTCP_STAT_SYN_TX);
}

/**
 * sttcp_copy_syn() - keep the headers of a client SYN for sttcp_mirror_syn()
 * @skb: the SYN, data at the IP header, its IP and TCP headers (options
 *	included) linear and their lengths validated by the hook
 * @len: out: length of the copy
 *
 * Payload (TCP Fast Open data) is left out; lengths and both checksums are
 * recomputed so the copy is a valid packet whatever the skb's csum state.
 * Return: kmalloc'ed copy or NULL.
 */
u8 *sttcp_copy_syn(const struct sk_buff *skb, u16 *len)
{
	const struct iphdr *iph = ip_hdr(skb);
	u32 ihl = iph->ihl * 4, thl = tcp_hdr(skb)->doff * 4;
	struct iphdr *ciph;
	struct tcphdr *cth;
	u8 *copy;

	copy = kmemdup(skb->data, ihl + thl, GFP_ATOMIC);
	if (!copy)
		return NULL;
	ciph = (struct iphdr *)copy;
	cth = (struct tcphdr *)(copy + ihl);
	ciph->tot_len = htons(ihl + thl);
	ip_send_check(ciph);
	cth->check = 0;
	cth->check = csum_tcpudp_magic(ciph->saddr, ciph->daddr, thl, IPPROTO_TCP,
				       csum_partial(cth, thl, 0));
	*len = ihl + thl;
	return copy;
}

/**
 * sttcp_send_report() - the backup tells the primary how far it got
 * @pn: namespace state
 * @key: the flow
 * @rcv_nxt: its socket's rcv_nxt, in the client's space
 * @win_end: the right edge of the window it advertised
 * @flags: STTCP_REPORT_*
 */
void sttcp_send_report(struct sttcp_net *pn, const struct sttcp_flow_key *key,
		       u32 rcv_nxt, u32 win_end, u8 flags)
{
	struct sttcp_report r = { .key = *key, .rcv_nxt = rcv_nxt, .win_end = win_end,
				  .flags = flags };
	struct sk_buff *skb = sttcp_sync_alloc(pn, 4 + STTCP_WIRE_REPORT_LEN);

	if (!skb)
		return;
	sttcp_wire_put_report_count(skb->data + STTCP_WIRE_HDR_LEN, 1);
	sttcp_wire_put_report(skb->data + STTCP_WIRE_HDR_LEN + 4, &r);
	sttcp_sync_send(pn, skb, STTCP_MSG_REPORT);
	sttcp_count(pn, STTCP_STAT_REPORT_TX);
}
