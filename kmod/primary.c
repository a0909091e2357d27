// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Primary role: the hooks that mirror every client segment to the backup
 * and put it through the gate, the flow timer and the backup's reports.
 * The mechanisms live below: the hold gate in gate.c (queue charging and
 * delivery in hold.c), the window edge in window.c, the close gate in
 * closegate.c.
 *
 * Gating mode HOLD keeps each client segment carrying data or FIN at
 * LOCAL_IN until the backup reports an rcv_nxt covering it; only then does
 * the primary's TCP see it. The primary therefore never acknowledges a byte
 * the backup lacks, and its TCP state stays truthful: no rewritten acks, no
 * duplicate ACKs (docs/design.md has the comparison with ack rewriting).
 * Pure ACKs are never held.
 */
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/netfilter_ipv4.h>
#include <linux/slab.h>
#include <net/inet_hashtables.h>
#include <net/tcp.h>
#include "sttcp.h"
#include "divergence.h"
#include "flow.h"
#include "heartbeat.h"
#include "hold.h"
#include "primary.h"
#include "events.h"
#include "mirror.h"
#include "closegate.h"
#include "gate.h"
#include "window.h"

/*
 * TCP Fast Open would have the primary accept and acknowledge a SYN's data,
 * which the backup never gets (the SYN copy carries none, and its cookie key
 * differs). Refused as a server without Fast Open refuses it: the option
 * becomes NOPs and the data is trimmed, so the SYN-ACK acknowledges the SYN
 * alone and the client sends its data again after the handshake. A segment
 * whose checksum is wrong is left for TCP to drop.
 */
static void refuse_fastopen(struct sttcp_net *pn, struct sk_buff *skb)
{
	u32 ihl = ip_hdrlen(skb), thl = tcp_hdr(skb)->doff * 4;
	struct sttcp_tcpopts o;
	struct iphdr *iph;
	struct tcphdr *th;

	sttcp_tcp_parse_opts(tcp_hdr(skb), thl, &o);
	if (o.tfo_off < 0 && skb->len == ihl + thl)
		return;
	if (nf_ip_checksum(skb, NF_INET_LOCAL_IN, ihl, IPPROTO_TCP) ||
	    skb_ensure_writable(skb, ihl + thl) || pskb_trim(skb, ihl + thl))
		return;
	iph = ip_hdr(skb);
	th = tcp_hdr(skb);
	if (o.tfo_off >= 0)
		memset((u8 *)th + o.tfo_off, TCPOPT_NOP, o.tfo_len);
	iph->tot_len = htons(ihl + thl);
	ip_send_check(iph);
	th->check = 0;
	th->check = csum_tcpudp_magic(iph->saddr, iph->daddr, thl, IPPROTO_TCP,
				      csum_partial(th, thl, 0));
	/* TCP checks the new checksum like any other. */
	skb->ip_summed = CHECKSUM_NONE;
	sttcp_count(pn, STTCP_STAT_TFO_REFUSED);
}

static unsigned int on_client_syn(struct sttcp_net *pn, struct sk_buff *skb,
				  const struct sttcp_flow_key *key)
{
	const struct tcphdr *th;
	struct sttcp_flow *f;
	u16 len = 0;
	u8 *copy;

	f = sttcp_flow_lookup(pn, key);
	if (!f)
		f = sttcp_flow_create(pn, key);
	else if (!f->shadow && READ_ONCE(f->state) == STTCP_FLOW_CLOSED)
		f = sttcp_flow_replace(pn, f);	/* the 4-tuple is reused */
	if (!f)
		return NF_ACCEPT;
	refuse_fastopen(pn, skb);
	th = tcp_hdr(skb);
	copy = sttcp_copy_syn(skb, &len);
	spin_lock_bh(&f->lock);
	if (f->state == STTCP_FLOW_SYN && !f->dead && !f->shadow) {
		/* Without a live backup the connection is served unprotected. */
		if (!sttcp_peer_alive(pn) && !(f->flags & STTCP_FLOW_F_UNPROTECTED)) {
			f->flags |= STTCP_FLOW_F_UNPROTECTED;
			sttcp_count(pn, STTCP_STAT_FLOWS_UNPROTECTED);
		}
		kfree(f->syn_copy);
		f->syn_copy = copy;
		f->syn_len = len;
		copy = NULL;
		f->client_isn = ntohl(th->seq);
		f->backup_rcv_nxt = f->client_isn + 1;
		f->last_seen = jiffies;
	}
	spin_unlock_bh(&f->lock);
	kfree(copy);
	return NF_ACCEPT;
}

/*
 * The client's handshake ACK, or any later segment before the server sent
 * data: it acknowledges the SYN-ACK, which a client spoofing its address
 * never saw. TCP checks it again (or its syncookie); this only decides
 * when the flow stops being embryonic.
 */
static bool acks_synack(struct sttcp_flow *f, const struct tcphdr *th)
{
	bool ok;

	spin_lock_bh(&f->lock);
	ok = f->state == STTCP_FLOW_ESTABLISHED && !f->shadow &&
	     ntohl(th->ack_seq) == f->primary.isn + 1;
	spin_unlock_bh(&f->lock);
	return ok;
}

/*
 * An unprotected flow's FIN or RST, either way: the flow leaves once its
 * connection ended, here and (told so) on the backup, which no longer sees
 * the client's segments.
 */
static void unprotected_close(struct sttcp_net *pn, struct sttcp_flow *f,
			      const struct tcphdr *th, bool from_client)
{
	bool closed;

	spin_lock_bh(&f->lock);
	closed = sttcp_flow_note_close(f, th, from_client);
	spin_unlock_bh(&f->lock);
	if (closed)
		sttcp_send_closed(pn, &f->key);
}

/*
 * Under f->lock: keep a client segment carrying data or FIN until the backup
 * has it (gating HOLD), or let it pass.
 * Return: NF_STOLEN (held), NF_ACCEPT or NF_DROP (no room: the client resends).
 */
static unsigned int hold_segment(struct sttcp_net *pn, struct sttcp_flow *f,
				 struct sk_buff *skb, const struct nf_hook_state *st)
{
	/*
	 * shadow again, under the lock: a node stepping down turns its own flow
	 * into a shadow in softirq (backup.c), and a held segment's device
	 * reference must not land in a shadow's queue.
	 */
	if (f->dead || f->shadow || f->flags & STTCP_FLOW_F_UNPROTECTED)
		return NF_ACCEPT;
	/*
	 * What the backup has passes, unless segments wait before it: TCP must
	 * see them in arrival order. A retransmission of covered data carries a
	 * newer TSval and, ahead of them, would make TCP drop every held one
	 * as old (PAWS), each then lost until the client's next timeout.
	 */
	if (!sttcp_after(sttcp_seg_end(ip_hdr(skb)), f->backup_rcv_nxt) &&
	    skb_queue_empty(&f->queue))
		return NF_ACCEPT;
	/* The route and device must outlive the hook while the segment waits. */
	skb_dst_force(skb);
	if (!skb_dst(skb))
		return NF_ACCEPT;
	if (!sttcp_hold_charge(pn, f, skb)) {
		sttcp_count(pn, STTCP_STAT_HOLD_OVERFLOW);
		return NF_DROP;
	}
	if (unlikely(!pn->local_in_okfn))
		WRITE_ONCE(pn->local_in_okfn, st->okfn);
	dev_hold(skb->dev);
	if (skb_queue_empty(&f->queue)) {
		f->hold_since = jiffies;
		mod_timer(&f->timer, jiffies +
			  msecs_to_jiffies(READ_ONCE(pn->tun.hold_timeout_ms)));
	}
	__skb_queue_tail(&f->queue, skb);
	sttcp_count(pn, STTCP_STAT_HELD);
	return NF_STOLEN;
}

unsigned int sttcp_primary_in(struct sttcp_net *pn, const struct sttcp_cfg *cfg,
			      struct sk_buff *skb, const struct nf_hook_state *st)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct sttcp_flow_key key;
	struct sttcp_flow *f;
	unsigned int verdict;
	bool hold;

	key = (struct sttcp_flow_key){ .caddr = iph->saddr, .vaddr = iph->daddr,
				       .cport = th->source, .vport = th->dest };

	if (th->syn && !th->ack)
		return on_client_syn(pn, skb, &key);
	f = sttcp_flow_lookup(pn, &key);
	if (!f || f->shadow)
		return NF_ACCEPT;
	if (READ_ONCE(f->flags) & STTCP_FLOW_F_UNPROTECTED) {
		/* Neither mirrored nor held. */
		WRITE_ONCE(f->last_seen, jiffies);
		if (th->fin || th->rst)
			unprotected_close(pn, f, th, true);
		return NF_ACCEPT;
	}
	if (sttcp_window_beyond(f, th)) {
		sttcp_count(pn, STTCP_STAT_HOLD_OUT_OF_WINDOW);
		return NF_ACCEPT;
	}
	if (READ_ONCE(f->embryonic) && th->ack && acks_synack(f, th))
		sttcp_flow_promote(f);
	WRITE_ONCE(f->last_seen, jiffies);
	sttcp_mirror(pn, skb, NULL);

	hold = cfg->gating == STTCP_GATING_HOLD && !READ_ONCE(pn->tun.debug_no_gate) &&
	       sttcp_seg_needs_backup(ip_hdr(skb));
	spin_lock_bh(&f->lock);
	f->segs_in++;
	sttcp_flow_note_close(f, th, true);
	verdict = hold ? hold_segment(pn, f, skb, st) : NF_ACCEPT;
	spin_unlock_bh(&f->lock);
	return verdict;
}

static void on_synack(struct sttcp_net *pn, struct sttcp_flow *f, struct sk_buff *skb)
{
	const struct tcphdr *th = tcp_hdr(skb);
	struct sttcp_syn_facts facts;
	struct sttcp_tcpopts o;
	u8 *syn = NULL;
	u16 len = 0;

	sttcp_tcp_parse_opts(th, th->doff * 4, &o);
	facts = (struct sttcp_syn_facts){
		.isn = ntohl(th->seq),
		.tsval = o.tsval,
		.mss = o.mss,
		.wscale = o.wscale == STTCP_NO_WSCALE ? 0 : o.wscale,
		.opts = (o.sack_ok ? STTCP_OPT_SACK : 0) |
			(o.ts_off >= 0 ? STTCP_OPT_TS : 0) |
			(o.wscale != STTCP_NO_WSCALE ? STTCP_OPT_WSCALE : 0),
	};

	spin_lock_bh(&f->lock);
	if (!f->dead && !f->shadow && f->syn_copy && !(f->flags & STTCP_FLOW_F_UNPROTECTED)) {
		f->primary = facts;
		f->x.ws_primary = facts.wscale;
		f->flags |= (o.sack_ok ? STTCP_FLOW_F_SACK : 0) |
			    (o.ts_off >= 0 ? STTCP_FLOW_F_TS : 0);
		if (f->state == STTCP_FLOW_SYN) {
			WRITE_ONCE(f->state, STTCP_FLOW_ESTABLISHED);
			sttcp_dg_start(f);
		}
		/* A SYN-ACK's window is never scaled. */
		f->adv_win_end = ntohl(th->ack_seq) + ntohs(th->window);
		/*
		 * The window TCP will take data in may exceed the SYN-ACK's
		 * 16-bit field: nothing is beyond it until the first ACK says.
		 */
		WRITE_ONCE(f->tcp_win_end, f->adv_win_end + (1U << 30));
		syn = kmemdup(f->syn_copy, f->syn_len, GFP_ATOMIC);
		len = f->syn_len;
	}
	spin_unlock_bh(&f->lock);
	if (syn) {
		sttcp_mirror_syn(pn, syn, len, &facts);
		kfree(syn);
	}
}

unsigned int sttcp_primary_out(struct sttcp_net *pn, const struct sttcp_cfg *cfg,
			       struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = (const struct tcphdr *)(skb->data + iph->ihl * 4);
	struct sttcp_flow_key key = { .caddr = iph->daddr, .vaddr = iph->saddr,
				      .cport = th->dest, .vport = th->source };
	struct sttcp_flow *f;

	f = sttcp_flow_lookup(pn, &key);
	if (!f)
		return NF_ACCEPT;
	if (!pskb_may_pull(skb, iph->ihl * 4 + th->doff * 4))
		return NF_ACCEPT;
	skb_set_transport_header(skb, iph->ihl * 4);
	th = tcp_hdr(skb);
	/* Handing over: the backup is about to send this; the client must get it once. */
	if (sttcp_state(pn) == STTCP_STATE_HANDOVER &&
	    !(READ_ONCE(f->flags) & STTCP_FLOW_F_UNPROTECTED)) {
		sttcp_count(pn, STTCP_STAT_SUPPRESSED);
		consume_skb(skb);
		return NF_STOLEN;
	}
	if (th->syn && th->ack) {
		on_synack(pn, f, skb);
		return NF_ACCEPT;
	}
	/* Data or FIN: the backup compares its own output with this. */
	if (th->fin || skb->len > ip_hdrlen(skb) + th->doff * 4) {
		/* Only an established socket sends them: the handshake is done. */
		if (READ_ONCE(f->embryonic))
			sttcp_flow_promote(f);
		if (!(READ_ONCE(f->flags) & STTCP_FLOW_F_UNPROTECTED))
			sttcp_dg_primary_output(pn, f, skb);
	}
	if (th->ack && !(READ_ONCE(f->flags) & STTCP_FLOW_F_UNPROTECTED))
		sttcp_window_track(f, th);
	if (cfg->gating == STTCP_GATING_HOLD && th->ack &&
	    !(READ_ONCE(f->flags) & STTCP_FLOW_F_UNPROTECTED)) {
		/* The gate's invariant, checked on every segment the client will see. */
		if (sttcp_after(ntohl(th->ack_seq), READ_ONCE(f->backup_rcv_nxt)))
			sttcp_count(pn, STTCP_STAT_GATE_VIOLATIONS);
		if (!READ_ONCE(pn->tun.debug_no_gate))
			sttcp_window_clamp(pn, f, skb);
	}
	if (th->fin || th->rst) {
		if (sttcp_close_hold(pn, f, skb))
			return NF_STOLEN;
		if (READ_ONCE(f->flags) & STTCP_FLOW_F_UNPROTECTED) {
			unprotected_close(pn, f, th, false);
			return NF_ACCEPT;
		}
		spin_lock_bh(&f->lock);
		sttcp_flow_note_close(f, th, false);
		spin_unlock_bh(&f->lock);
	}
	return NF_ACCEPT;
}

/**
 * sttcp_flow_hold_timer() - held segments waited too long for a report
 * @t: the flow's timer
 *
 * Re-mirrors the held segments the backup lacks (a mirror or report was
 * lost, or the backup dropped it) and the SYN if the backup never confirmed
 * the flow; gives the flow up, releasing everything unprotected, when the
 * backup made no progress for too long. A FIN/RST of the primary's held
 * for app_close_grace_ms hands every connection to the backup.
 */
void sttcp_flow_hold_timer(struct timer_list *t)
{
	struct sttcp_flow *f = from_timer(f, t, timer);
	struct sttcp_net *pn = f->pn;
	struct sttcp_remirror rm = { .n = 0 };
	struct sk_buff *close = NULL;
	struct sk_buff_head out;
	bool prod = false, app_lost = false, release = false;

	__skb_queue_head_init(&out);
	rcu_read_lock();
	spin_lock_bh(&f->lock);
	if (f->dead || f->shadow)	/* turned into a shadow after it was armed */
		goto unlock;
	prod = f->prod_pending;
	f->prod_pending = false;
	if (f->close_held && !sttcp_close_grace_left(f)) {
		app_lost = true;
		/* Asked again after another grace period if the handover fails. */
		f->close_held_at = jiffies;
		sttcp_hold_rearm(f);
	}
	if (skb_queue_empty(&f->queue))
		goto unlock;
	switch (sttcp_gate_giveup_step(pn, f)) {
	case STTCP_GIVEUP_NOW:
		sttcp_gate_unprotect(f, &out);
		goto unlock;
	case STTCP_GIVEUP_ASK:
		release = true;
		sttcp_hold_rearm(f);
		goto unlock;
	case STTCP_GIVEUP_NOT_YET:
		break;
	}
	sttcp_gate_remirror_collect(f, &rm);
	sttcp_hold_rearm(f);
unlock:
	app_lost = app_lost && f->close_held;	/* not if given up just now */
	spin_unlock_bh(&f->lock);
	sttcp_gate_remirror_send(pn, &rm);
	if (release)
		sttcp_send_release(pn, &f->key);
	if (app_lost && !sttcp_app_lost(pn, &f->key)) {
		/* Nobody to hand over to: the client gets the close after all. */
		spin_lock_bh(&f->lock);
		if (!f->dead && f->close_held) {
			close = f->close_skb;
			f->close_skb = NULL;
			f->close_held = false;
			sttcp_gate_unprotect(f, &out);
		}
		spin_unlock_bh(&f->lock);
	}
	sttcp_close_send(pn, close);
	rcu_read_unlock();
	sttcp_deliver_list(pn, &out);
	if (prod)
		sttcp_window_prod(pn, f);
}

/**
 * sttcp_primary_rx_report() - the backup reports how far it has received
 * @pn: namespace state
 * @r: the report entry
 */
void sttcp_primary_rx_report(struct sttcp_net *pn, const struct sttcp_report *r)
{
	struct sttcp_flow *f = sttcp_flow_lookup(pn, &r->key);
	struct sttcp_remirror rm = { .n = 0 };
	struct sk_buff *close = NULL;
	struct sk_buff_head out;
	bool prod = false, diverged = false;

	/* A shadow's fields would be taken for a primary's (a stray report). */
	if (!f || f->shadow)
		return;
	__skb_queue_head_init(&out);
	spin_lock_bh(&f->lock);
	if (f->dead || f->shadow)	/* again under the lock: see sttcp_primary_in() */
		goto unlock;
	if (r->flags & STTCP_REPORT_CLOSED) {
		/* Both applications closed: the primary's FIN/RST may go now. */
		f->peer_closed = true;
		close = f->close_skb;
		f->close_skb = NULL;
		f->close_held = false;
	}
	if (r->flags & STTCP_REPORT_UNPROTECTED) {
		if (r->flags & STTCP_REPORT_DIVERGED && !(f->flags & STTCP_FLOW_F_DIVERGED)) {
			f->flags |= STTCP_FLOW_F_DIVERGED;
			diverged = true;
		}
		sttcp_gate_unprotect(f, &out);
		goto unlock;
	}
	if (!(f->flags & STTCP_FLOW_F_REPORTED) ||
	    sttcp_after(r->rcv_nxt, f->backup_rcv_nxt)) {
		/*
		 * The backup has the SYN: it is never sent again. (A report in
		 * SYN state is a late one, for a connection before on this 4-tuple.)
		 */
		if (f->state != STTCP_FLOW_SYN) {
			kfree(f->syn_copy);
			f->syn_copy = NULL;
		}
		f->flags |= STTCP_FLOW_F_REPORTED;
		/* An rcv_nxt beyond anything the client sent would open the gate. */
		if (sttcp_after(r->rcv_nxt, f->backup_rcv_nxt))
			WRITE_ONCE(f->backup_rcv_nxt, r->rcv_nxt);
		f->hold_since = jiffies;
		/* Progress: the backup still follows (it stops reporting once it let go). */
		f->releasing = false;
	}
	if (!f->win_known || sttcp_after(r->win_end, f->backup_win_end)) {
		f->backup_win_end = r->win_end;
		f->win_known = true;
		/* As tcp_cleanup_rbuf(): update once the usable window can double. */
		if (f->win_clamped &&
		    (s64)(s32)(r->win_end - f->backup_rcv_nxt) >=
		    2 * max_t(s64, 0, (s32)(f->adv_win_end - f->backup_rcv_nxt))) {
			f->win_clamped = false;
			prod = true;
		}
	}
	sttcp_gate_release_covered(f, &out);
	/* Segments the backup dropped while its window was shut: send them now. */
	if (r->flags & STTCP_REPORT_RESEND && !skb_queue_empty(&f->queue))
		sttcp_gate_remirror_collect(f, &rm);
unlock:
	spin_unlock_bh(&f->lock);
	sttcp_gate_remirror_send(pn, &rm);
	sttcp_deliver_list(pn, &out);
	sttcp_close_send(pn, close);
	if (prod)
		sttcp_window_prod(pn, f);
	if (diverged) {
		/* The backup counted and announced it too. */
		sttcp_count(pn, STTCP_STAT_FLOWS_DIVERGED);
		sttcp_event(pn, STTCP_EVENT_FLOW_DIVERGED, &r->key);
	}
}
