// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * The hold gate (primary). Gating mode HOLD keeps each client segment
 * carrying data or FIN at LOCAL_IN (primary.c, charged and queued by hold.c)
 * until the backup reports an rcv_nxt covering it; only then does the
 * primary's TCP see it. A lost mirror heals by a re-mirror after
 * hold_timeout_ms; a flow the backup made no progress on for
 * hold_giveup_ms goes on unprotected once the backup agrees to drop its
 * copy (sttcp_gate_giveup_step()), so clients never stall on it for long.
 */
#include <linux/ip.h>
#include <linux/slab.h>
#include <net/tcp.h>
#include "sttcp.h"
#include "hold.h"
#include "closegate.h"
#include "gate.h"

/**
 * sttcp_gate_release_covered() - release the held segments the backup now has
 * @f: flow, f->lock held
 * @out: receives them in arrival order, for sttcp_deliver_list()
 *
 * Only a release restarts the re-mirror timer: a report without progress
 * (a window update, a repeated report) must not keep postponing the
 * re-mirror of the segment the backup lacks.
 */
void sttcp_gate_release_covered(struct sttcp_flow *f, struct sk_buff_head *out)
{
	struct sk_buff *skb;
	bool released = false;

	while ((skb = skb_peek(&f->queue)) &&
	       !sttcp_after(sttcp_seg_end(ip_hdr(skb)), f->backup_rcv_nxt)) {
		sttcp_hold_unlink(f, skb);
		__skb_queue_tail(out, skb);
		released = true;
	}
	if (released)
		sttcp_hold_rearm(f);
}

/**
 * sttcp_gate_release_all() - take every held segment off a flow
 * @f: flow, f->lock held
 * @out: receives the segments, for sttcp_deliver_list()
 */
void sttcp_gate_release_all(struct sttcp_flow *f, struct sk_buff_head *out)
{
	if (!f->shadow) {
		atomic_long_sub(f->held_bytes, &f->pn->held_bytes);
		f->held_bytes = 0;
	}
	skb_queue_splice_tail_init(&f->queue, out);
	sttcp_close_drop(f);
	del_timer(&f->timer);
}

/**
 * sttcp_gate_unprotect() - the flow goes on without the backup
 * @f: flow, f->lock held
 * @out: receives the held segments, for sttcp_deliver_list()
 */
void sttcp_gate_unprotect(struct sttcp_flow *f, struct sk_buff_head *out)
{
	if (!(f->flags & STTCP_FLOW_F_UNPROTECTED)) {
		f->flags |= STTCP_FLOW_F_UNPROTECTED;
		sttcp_count(f->pn, STTCP_STAT_FLOWS_UNPROTECTED);
	}
	sttcp_gate_release_all(f, out);
}

/* Where a held segment starts, relative to the backup's rcv_nxt. */
static s32 remirror_rank(const struct sttcp_flow *f, const struct sk_buff *skb)
{
	return (s32)(ntohl(tcp_hdr(skb)->seq) - f->backup_rcv_nxt);
}

/*
 * The held segments the backup lacks, lowest sequence first, at most
 * STTCP_REMIRROR_SKBS. The one at its rcv_nxt fills its hole, and segments
 * arrive out of order (a reordering path, a client's retransmission after
 * newer data): in arrival order the queue's first segments may all be data
 * the backup has out of order, and a round's budget would never reach the hole.
 */
static int remirror_pick(const struct sttcp_flow *f, struct sk_buff **pick)
{
	struct sk_buff *skb;
	int n = 0, i;
	s32 rank;

	skb_queue_walk(&f->queue, skb) {
		if (!sttcp_after(sttcp_seg_end(ip_hdr(skb)), f->backup_rcv_nxt))
			continue;	/* the backup has all of it */
		rank = remirror_rank(f, skb);
		if (n == STTCP_REMIRROR_SKBS && rank >= remirror_rank(f, pick[n - 1]))
			continue;
		if (n < STTCP_REMIRROR_SKBS)
			n++;
		for (i = n - 1; i > 0 && remirror_rank(f, pick[i - 1]) > rank; i--)
			pick[i] = pick[i - 1];
		pick[i] = skb;
	}
	return n;
}

/**
 * sttcp_gate_remirror_collect() - pick what to send the backup again
 * @f: flow, f->lock held
 * @rm: filled with clones and the SYN copy if the backup never confirmed the flow
 *
 * Sent by sttcp_gate_remirror_send() after f->lock is dropped.
 */
void sttcp_gate_remirror_collect(struct sttcp_flow *f, struct sttcp_remirror *rm)
{
	struct sk_buff *pick[STTCP_REMIRROR_SKBS];
	int i, n;

	rm->n = 0;
	rm->syn = NULL;
	rm->flt = (struct sttcp_mirror_filter){ .backup_rcv_nxt = f->backup_rcv_nxt,
						 .budget = STTCP_REMIRROR_SEGS };
	n = remirror_pick(f, pick);
	for (i = 0; i < n; i++) {
		rm->skbs[rm->n] = skb_clone(pick[i], GFP_ATOMIC);
		if (rm->skbs[rm->n])
			rm->n++;
	}
	if (!(f->flags & STTCP_FLOW_F_REPORTED) && f->syn_copy) {
		rm->syn = kmemdup(f->syn_copy, f->syn_len, GFP_ATOMIC);
		rm->syn_len = f->syn_len;
		rm->facts = f->primary;
	}
}

/**
 * sttcp_gate_remirror_send() - send what sttcp_gate_remirror_collect() picked
 * @pn: namespace state
 * @rm: consumed
 */
void sttcp_gate_remirror_send(struct sttcp_net *pn, struct sttcp_remirror *rm)
{
	int i;

	if (rm->syn) {
		sttcp_mirror_syn(pn, rm->syn, rm->syn_len, &rm->facts);
		kfree(rm->syn);
	}
	for (i = 0; i < rm->n; i++) {
		sttcp_mirror(pn, rm->skbs[i], &rm->flt);
		consume_skb(rm->skbs[i]);
	}
}

/**
 * sttcp_gate_giveup_step() - may a flow the backup does not follow go on without it?
 * @pn: namespace state
 * @f: flow, f->lock held, segments held
 *
 * The backup made no progress on the flow for
 * hold_giveup_ms. The primary may then go on without it, but only once the
 * backup has agreed to let the flow go (its UNPROTECTED report releases
 * everything, sttcp_primary_rx_report()): a backup that kept its stale copy
 * would resume it at a takeover, behind what the client has, and the
 * connection would hang instead of being reset. Asked again every
 * hold_timeout_ms; a backup that never answers for another hold_giveup_ms is
 * given up on (counted), as is one no longer heard or configured at all.
 *
 * Return: whether to wait, ask the backup to let go, or give up now.
 */
enum sttcp_giveup_step sttcp_gate_giveup_step(struct sttcp_net *pn, struct sttcp_flow *f)
{
	unsigned long giveup = msecs_to_jiffies(READ_ONCE(pn->tun.hold_giveup_ms));

	if (!rcu_access_pointer(pn->cfg) || !sttcp_peer_alive(pn)) {
		if (!f->releasing)
			sttcp_count(pn, STTCP_STAT_HOLD_GIVEUP);
		return STTCP_GIVEUP_NOW;
	}
	if (!f->releasing) {
		if (!time_after32((u32)jiffies, f->hold_since + giveup))
			return STTCP_GIVEUP_NOT_YET;
		f->releasing = true;
		f->release_at = jiffies;
		sttcp_count(pn, STTCP_STAT_HOLD_GIVEUP);
	}
	if (time_after32((u32)jiffies, f->release_at + giveup)) {
		sttcp_count(pn, STTCP_STAT_RELEASE_UNCONFIRMED);
		return STTCP_GIVEUP_NOW;
	}
	return STTCP_GIVEUP_ASK;
}
