// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Divergence detection (digest.h has the arithmetic). Both nodes digest
 * what their socket sends on each protected flow, at LOCAL_OUT, where an
 * skb still holds whole application writes (before segmentation); only
 * bytes sent for the first time count, retransmissions are skipped. The
 * primary sends every finished block; the backup compares each with its
 * own. On a mismatch the backup marks the flow diverged and unprotected
 * (counter, event) and tells the primary, which stops gating it: at a
 * takeover the flow is reset like every unprotected one (takeover.c), so
 * the client never reads the backup's different bytes.
 *
 * Checkpoints cover flows that rarely fill a block (request/response):
 * when the primary's socket has sent all the application wrote, at most
 * one per CP_INTERVAL without a finished block, it sends its unfinished
 * block so far; the backup compares when its own output is at that very
 * byte (its pieces are cut there), at once or later.
 *
 * The same message type, with flag RELEASE, asks the backup to let a flow go
 * that the primary gave up on (primary.c); with flag CLOSED it tells the
 * backup that an unprotected flow's connection ended.
 */
#include <linux/crc32.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <net/tcp.h>
#include "sttcp.h"
#include "divergence.h"
#include "flow.h"
#include "sync.h"
#include "mirror.h"
#include "events.h"

#define DG_MAX_BLOCKS 3	/* one skb: at most 64 KiB of payload, then a FIN */
/* A flow sending blocks needs no checkpoint: at most one per interval without a block. */
#define CP_INTERVAL msecs_to_jiffies(50)

/* CRC32C over an skb's bytes, linear or paged, as SCTP computes its checksum. */
static __wsum dg_crc_update(const void *buf, int len, __wsum crc)
{
	return (__force __wsum)__crc32c_le((__force u32)crc, buf, len);
}

static __wsum dg_crc_combine(__wsum crc, __wsum crc2, int offset, int len)
{
	return (__force __wsum)__crc32c_le_combine((__force u32)crc, (__force u32)crc2, len);
}

static const struct skb_checksum_ops dg_crc_ops = {
	.update = dg_crc_update,
	.combine = dg_crc_combine,
};

static u32 dg_crc(const struct sk_buff *skb, u32 off, u32 len, u32 crc)
{
	return (__force u32)__skb_checksum(skb, off, len, (__force __wsum)crc, &dg_crc_ops);
}

/**
 * sttcp_dg_start() - the flow's stream starts: digest it from ISN + 1
 * @f: flow, f->lock held, f->primary.isn known
 */
void sttcp_dg_start(struct sttcp_flow *f)
{
	sttcp_digest_init(&f->dg, f->primary.isn);
	f->dg_on = true;
	f->dg_closed = false;
	if (!f->shadow)
		f->dg_cp_at = jiffies - CP_INTERVAL;
}

/* What a backup's comparisons came to: counted, and at most one mismatch. */
struct tally {
	struct sttcp_dg_count n;
	bool mismatch;
};

static void tally(struct tally *t, enum sttcp_dg_verdict v)
{
	if (v == STTCP_DG_MISMATCH)
		t->mismatch = true;
}

/*
 * f->lock held: digest what a segment sends for the first time; returns the
 * number of blocks finished (at most DG_MAX_BLOCKS), the last one closed by
 * the FIN if f->dg_closed is now set. A segment beyond the next byte
 * expected (a byte never seen: cannot happen to a socket's own output, but
 * then no verdict could be trusted) stops digesting the flow. On a backup,
 * the pieces stop at a pending checkpoint, which is compared there (into
 * @t); a FIN before it means the backup's stream ends before bytes the
 * primary sent: diverged.
 */
static int output(struct sttcp_net *pn, struct sttcp_flow *f, const struct sk_buff *skb,
		  u32 seq, struct sttcp_dg_block *blk, struct tally *t)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = (const struct tcphdr *)(skb->data + iph->ihl * 4);
	u32 off = iph->ihl * 4 + th->doff * 4, skip, isn = f->primary.isn, piece, len;
	struct sttcp_dg_ring *r = f->shadow ? f->dg_ring : NULL;
	int fresh, n = 0;
	u64 t0;

	if (!f->dg_on || skb->len < off)
		return 0;
	len = skb->len - off;
	fresh = sttcp_digest_new(&f->dg, seq, len, &skip);
	if (fresh < 0) {
		f->dg_on = false;
		t->n.unverified++;
		return 0;
	}
	off += skip;
	sttcp_count_add(pn, STTCP_STAT_DIGEST_BYTES, fresh);
	t0 = local_clock();
	while (fresh > 0) {
		piece = min_t(u32, fresh, sttcp_digest_room(&f->dg, isn));
		if (r && r->cp_pending && sttcp_after(r->cp.end, f->dg.next))
			piece = min_t(u32, piece, r->cp.end - f->dg.next);
		if (sttcp_digest_add(&f->dg, isn, dg_crc(skb, off, piece, f->dg.crc), piece,
				     &blk[n]))
			n++;
		if (r && r->cp_pending && f->dg.next == r->cp.end)
			tally(t, sttcp_dg_cp_reached(r, &f->dg, isn, &t->n));
		off += piece;
		fresh -= piece;
	}
	sttcp_count_add(pn, STTCP_STAT_DIGEST_NS, local_clock() - t0);
	if (th->fin && f->dg.next == seq + len) {
		sttcp_digest_close(&f->dg, isn, &blk[n++]);
		f->dg_on = false;
		f->dg_closed = true;
		if (r && r->cp_pending && sttcp_after(r->cp.end, f->dg.next))
			t->mismatch = true;
	}
	return n;
}

/* f->lock held: blocks of one side meet the other's. */
static void compare(struct sttcp_flow *f, enum sttcp_dg_side side,
		    const struct sttcp_dg_block *blk, int n, struct tally *t)
{
	int i;

	for (i = 0; i < n && !t->mismatch; i++)
		tally(t, sttcp_dg_compare(f->dg_ring, side, &blk[i], &t->n));
}

/* f->lock held: the ring lives while a side is ahead or a checkpoint waits. */
static bool ring_get(struct sttcp_net *pn, struct sttcp_flow *f)
{
	if (!f->dg_ring)
		f->dg_ring = kzalloc(sizeof(*f->dg_ring), GFP_ATOMIC);
	if (!f->dg_ring)
		sttcp_count(pn, STTCP_STAT_SKB_ALLOC_FAIL);
	return f->dg_ring;
}

/* f->lock held: settle a backup's comparisons. Return: the flow diverged just now. */
static bool settle(struct sttcp_net *pn, struct sttcp_flow *f, const struct tally *t)
{
	struct sttcp_dg_ring *r = f->dg_ring;

	if (r && (t->mismatch || (!r->count && !r->cp_pending))) {
		kfree(r);
		f->dg_ring = NULL;
	}
	if (t->mismatch) {
		f->flags |= STTCP_FLOW_F_DIVERGED | STTCP_FLOW_F_UNPROTECTED;
		f->dg_on = false;
	}
	if (t->n.matched)
		sttcp_count_add(pn, STTCP_STAT_DIGEST_MATCHED, t->n.matched);
	if (t->n.unverified)
		sttcp_count_add(pn, STTCP_STAT_DIGEST_UNVERIFIED, t->n.unverified);
	return t->mismatch;
}

/**
 * sttcp_dg_backup_output() - compare what the backup's own socket sends
 * @pn: namespace state
 * @f: the shadow flow, f->lock held
 * @skb: the segment its socket sent, data at the IP header
 * @seq: the segment's sequence number in the primary's space
 *
 * Return: true if the flow diverged (the caller reports after unlocking
 * with sttcp_dg_diverged()).
 */
bool sttcp_dg_backup_output(struct sttcp_net *pn, struct sttcp_flow *f,
			    const struct sk_buff *skb, u32 seq)
{
	struct sttcp_dg_block blk[DG_MAX_BLOCKS];
	struct tally t = {};
	int n = output(pn, f, skb, seq, blk, &t);

	if (n && !t.mismatch) {
		if (ring_get(pn, f))
			compare(f, STTCP_DG_OWN, blk, n, &t);
		else
			t.n.unverified += n;
	}
	return settle(pn, f, &t);
}

/**
 * sttcp_dg_diverged() - count, announce and report a diverged flow
 * @pn: namespace state
 * @key: the flow
 * @rcv_nxt: the backup's last reported rcv_nxt, repeated in the report
 * @win_end: its window's right edge, likewise
 *
 * Outside the flow's lock (sends a message). The flow can no longer be
 * taken over: the primary stops gating it and says so too.
 */
void sttcp_dg_diverged(struct sttcp_net *pn, const struct sttcp_flow_key *key, u32 rcv_nxt,
		       u32 win_end)
{
	sttcp_count(pn, STTCP_STAT_FLOWS_DIVERGED);
	sttcp_count(pn, STTCP_STAT_FLOWS_UNPROTECTED);
	sttcp_event(pn, STTCP_EVENT_FLOW_DIVERGED, key);
	sttcp_send_report(pn, key, rcv_nxt, win_end,
			  STTCP_REPORT_UNPROTECTED | STTCP_REPORT_DIVERGED);
}

static void send_digest(struct sttcp_net *pn, const struct sttcp_flow_key *key,
			const struct sttcp_dg_block *blk, u8 flags, enum sttcp_stat counter)
{
	struct sk_buff *skb = sttcp_sync_alloc(pn, STTCP_WIRE_DIGEST_LEN);

	if (!skb)
		return;
	sttcp_wire_put_digest(skb->data + STTCP_WIRE_HDR_LEN, key, blk, flags);
	sttcp_sync_send(pn, skb, STTCP_MSG_DIGEST);
	sttcp_count(pn, counter);
}

/* f->lock held: everything written is sent, in an unfinished block, not too often. */
static bool checkpoint_due(const struct sttcp_flow *f, const struct sk_buff *skb)
{
	const struct sock *sk = skb->sk;

	return f->dg_on && sttcp_sk_is_tcp(sk) &&
	       f->dg.next == READ_ONCE(tcp_sk(sk)->write_seq) &&
	       sttcp_digest_offset(&f->dg, f->primary.isn) % STTCP_DG_BLOCK &&
	       time_after32((u32)jiffies, f->dg_cp_at + CP_INTERVAL);
}

/**
 * sttcp_dg_primary_output() - the primary digests a segment and sends blocks
 * @pn: namespace state
 * @f: the primary's flow (lock not held)
 * @skb: the segment at LOCAL_OUT, data at the IP header
 */
void sttcp_dg_primary_output(struct sttcp_net *pn, struct sttcp_flow *f,
			     const struct sk_buff *skb)
{
	const struct tcphdr *th = (const struct tcphdr *)(skb->data + ip_hdr(skb)->ihl * 4);
	struct sttcp_dg_block blk[DG_MAX_BLOCKS], cp;
	struct tally t = {};
	bool have_cp = false;
	int i, n = 0;

	spin_lock_bh(&f->lock);
	if (!f->dead) {
		n = output(pn, f, skb, ntohl(th->seq), blk, &t);
		if (n)
			f->dg_cp_at = jiffies;
		/* The last block is compared as a checkpoint (digest.h). */
		if (n && f->dg_closed) {
			cp = blk[--n];
			have_cp = true;
		} else if (checkpoint_due(f, skb)) {
			sttcp_digest_peek(&f->dg, f->primary.isn, &cp);
			f->dg_cp_at = jiffies;
			have_cp = true;
		}
	}
	spin_unlock_bh(&f->lock);
	if (t.n.unverified)
		sttcp_count_add(pn, STTCP_STAT_DIGEST_UNVERIFIED, t.n.unverified);
	for (i = 0; i < n; i++)
		send_digest(pn, &f->key, &blk[i], 0, STTCP_STAT_DIGEST_TX);
	if (have_cp)
		send_digest(pn, &f->key, &cp, STTCP_DIGEST_CHECKPOINT, STTCP_STAT_DIGEST_TX);
}

/**
 * sttcp_send_release() - ask the backup to let a given-up flow go
 * @pn: namespace state
 * @key: the flow
 *
 * A DIGEST message with flag RELEASE and no block (primary.c has why).
 */
void sttcp_send_release(struct sttcp_net *pn, const struct sttcp_flow_key *key)
{
	static const struct sttcp_dg_block none;

	send_digest(pn, key, &none, STTCP_DIGEST_RELEASE, STTCP_STAT_RELEASE_TX);
}

/**
 * sttcp_send_closed() - an unprotected flow's connection ended (primary)
 * @pn: namespace state
 * @key: the flow
 *
 * The backup's copy gets no mirrored segment once unprotected, so it would
 * not see the end: a DIGEST message with flag CLOSED and no block says it.
 */
void sttcp_send_closed(struct sttcp_net *pn, const struct sttcp_flow_key *key)
{
	static const struct sttcp_dg_block none;

	send_digest(pn, key, &none, STTCP_DIGEST_CLOSED, STTCP_STAT_CLOSED_TX);
}

static void rx_closed(struct sttcp_net *pn, struct sttcp_flow *f)
{
	sttcp_count(pn, STTCP_STAT_CLOSED_RX);
	if (!f || !f->shadow)
		return;
	spin_lock_bh(&f->lock);
	if (!f->dead)
		sttcp_flow_mark_closed(f);
	spin_unlock_bh(&f->lock);
}

/*
 * The primary gave the flow up: the copy here is behind for good and must
 * never be resumed; at a takeover it is reset like every unprotected flow.
 * Answered every time, for a flow not known here too (nothing to resume),
 * since the primary holds the client's segments until it hears the answer.
 */
static void rx_release(struct sttcp_net *pn, struct sttcp_flow *f,
		       const struct sttcp_flow_key *key)
{
	u32 rcv_nxt = 0, win_end = 0;
	bool newly = false;

	sttcp_count(pn, STTCP_STAT_RELEASE_RX);
	if (f && f->shadow) {
		spin_lock_bh(&f->lock);
		if (!f->dead && !(f->flags & STTCP_FLOW_F_UNPROTECTED)) {
			f->flags |= STTCP_FLOW_F_UNPROTECTED;
			newly = true;
		}
		rcv_nxt = f->backup_rcv_nxt;
		win_end = f->backup_win_end;
		spin_unlock_bh(&f->lock);
	}
	if (newly) {
		sttcp_count(pn, STTCP_STAT_FLOWS_UNPROTECTED);
		sttcp_event(pn, STTCP_EVENT_FLOW_UNPROTECTED, key);
	}
	sttcp_send_report(pn, key, rcv_nxt, win_end, STTCP_REPORT_UNPROTECTED);
}

/**
 * sttcp_backup_rx_digest() - a DIGEST message arrived (backup)
 * @pn: namespace state
 * @m: its parse result
 */
void sttcp_backup_rx_digest(struct sttcp_net *pn, const struct sttcp_msg *m)
{
	struct sttcp_flow *f = sttcp_flow_lookup(pn, &m->key);
	u32 rcv_nxt = 0, win_end = 0;
	struct tally t = {};
	bool bad = false;

	if (m->dg_flags & STTCP_DIGEST_RELEASE) {
		rx_release(pn, f, &m->key);
		return;
	}
	if (m->dg_flags & STTCP_DIGEST_CLOSED) {
		rx_closed(pn, f);
		return;
	}
	sttcp_count(pn, STTCP_STAT_DIGEST_RX);
	if (!f || !f->shadow) {
		sttcp_count(pn, STTCP_STAT_UNKNOWN_FLOW);
		return;
	}
	spin_lock_bh(&f->lock);
	if (f->dead || f->flags & STTCP_FLOW_F_UNPROTECTED || !f->facts_known ||
	    !ring_get(pn, f)) {
		t.n.unverified++;
	} else if (m->dg_flags & STTCP_DIGEST_CHECKPOINT) {
		/* Only a running or closed digest knows where it stands. */
		if (f->dg_on || f->dg_closed)
			tally(&t, sttcp_dg_checkpoint(f->dg_ring, &f->dg, f->dg_closed,
						      f->primary.isn, &m->dg, &t.n));
		else
			t.n.unverified++;
	} else {
		compare(f, STTCP_DG_PRIMARY, &m->dg, 1, &t);
	}
	bad = settle(pn, f, &t);
	rcv_nxt = f->backup_rcv_nxt;
	win_end = f->backup_win_end;
	spin_unlock_bh(&f->lock);
	if (bad)
		sttcp_dg_diverged(pn, &m->key, rcv_nxt, win_end);
}
