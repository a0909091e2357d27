// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Primary role: mirror every client segment to the backup and gate.
 *
 * Gating mode HOLD keeps each client segment carrying data or FIN at
 * LOCAL_IN until the backup reports an rcv_nxt covering it; only then does
 * the primary's TCP see it. The primary therefore never acknowledges a byte
 * the backup lacks, and its TCP state stays truthful: no rewritten acks, no
 * duplicate ACKs (docs/design.md has the comparison with ack rewriting).
 * The window the primary advertises is lowered to the backup's right edge
 * (never below an edge already advertised), so the client never sends what
 * the backup would have to drop. Pure ACKs are never held. A lost mirror heals by a
 * re-mirror after hold_timeout_ms; a flow the backup made no progress on for
 * hold_giveup_ms goes on unprotected once the backup agrees to drop its copy
 * (giveup_step()), so clients never stall on it for long.
 *
 * The primary's FIN or RST waits for the backup's socket to close too
 * (hold_close()): an application that dies on the primary must not end
 * connections the backup's application still serves.
 */
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/netfilter_ipv4.h>
#include <linux/slab.h>
#include <net/inet_hashtables.h>
#include <net/tcp.h>
#include "sttcp.h"
#include "mirror.h"

/* Held skbs (GRO super-packets) and split segments re-sent per timeout. */
#define REMIRROR_SKBS 8
#define REMIRROR_SEGS 32

/**
 * sttcp_primary_drop_close() - forget a held FIN/RST of the primary's
 * @f: flow, f->lock held
 *
 * TCP retransmits a FIN by itself; a RST is sent again when the client's
 * next segment finds no socket.
 */
void sttcp_primary_drop_close(struct sttcp_flow *f)
{
	if (f->shadow)
		return;		/* close_skb shares space with its stamps there */
	kfree_skb(f->close_skb);
	f->close_skb = NULL;
	f->close_held = false;
}

/**
 * sttcp_primary_release_all() - take every held segment off a flow
 * @f: flow, f->lock held
 * @out: receives the segments, for sttcp_deliver_list()
 */
void sttcp_primary_release_all(struct sttcp_flow *f, struct sk_buff_head *out)
{
	if (!f->shadow) {
		atomic_long_sub(f->held_bytes, &f->pn->held_bytes);
		f->held_bytes = 0;
	}
	skb_queue_splice_tail_init(&f->queue, out);
	sttcp_primary_drop_close(f);
	del_timer(&f->timer);
}

/**
 * sttcp_primary_unprotect() - the flow goes on without the backup
 * @f: flow, f->lock held
 * @out: receives the held segments, for sttcp_deliver_list()
 */
void sttcp_primary_unprotect(struct sttcp_flow *f, struct sk_buff_head *out)
{
	if (!(f->flags & STTCP_FLOW_F_UNPROTECTED)) {
		f->flags |= STTCP_FLOW_F_UNPROTECTED;
		sttcp_count(f->pn, STTCP_STAT_FLOWS_UNPROTECTED);
	}
	sttcp_primary_release_all(f, out);
}

/* f->lock held: jiffies until a held close's grace ends, 0 once over (32-bit stamps). */
static unsigned long close_grace_left(const struct sttcp_flow *f)
{
	s32 left = (s32)(f->close_held_at - (u32)jiffies +
			 msecs_to_jiffies(READ_ONCE(f->pn->tun.app_close_grace_ms)));

	return left > 0 ? left : 0;
}

/* f->lock held: the timer serves the hold queue and a held close, whichever is due first. */
static void rearm_timer(struct sttcp_flow *f)
{
	unsigned long when = 0;
	bool due = false;

	if (!skb_queue_empty(&f->queue)) {
		when = jiffies + msecs_to_jiffies(READ_ONCE(f->pn->tun.hold_timeout_ms));
		due = true;
	}
	if (f->close_held && (!due || time_before(jiffies + close_grace_left(f), when))) {
		when = jiffies + close_grace_left(f);
		due = true;
	}
	if (due)
		mod_timer(&f->timer, when);
	else
		del_timer(&f->timer);
}

/* Release, in arrival order, the held segments the backup now has. */
static void release_covered(struct sttcp_flow *f, struct sk_buff_head *out)
{
	struct sk_buff *skb;

	while ((skb = skb_peek(&f->queue)) &&
	       !sttcp_after(sttcp_seg_end(ip_hdr(skb)), f->backup_rcv_nxt)) {
		sttcp_hold_unlink(f, skb);
		__skb_queue_tail(out, skb);
	}
	rearm_timer(f);
}

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
 * A segment wholly beyond the window TCP offered: TCP drops it at once, so
 * holding or mirroring it would only spend memory and the sync link on what
 * a client chose to send. The edge is known once the SYN-ACK went out.
 */
static bool beyond_window(const struct sttcp_flow *f, const struct tcphdr *th)
{
	return READ_ONCE(f->state) == STTCP_FLOW_ESTABLISHED &&
	       sttcp_after(ntohl(th->seq), READ_ONCE(f->tcp_win_end));
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

/* f->lock held: may @skb wait in the flow's queue? Charges it if so. */
static bool hold_charge(struct sttcp_net *pn, struct sttcp_flow *f, struct sk_buff *skb)
{
	if (skb_queue_len(&f->queue) >= READ_ONCE(pn->tun.hold_max_segs) ||
	    f->held_bytes + skb->truesize > (u32)READ_ONCE(pn->tun.hold_flow_max_bytes) ||
	    atomic_long_read(&pn->held_bytes) + skb->truesize >
	    READ_ONCE(pn->tun.hold_max_bytes))
		return false;
	f->held_bytes += skb->truesize;
	atomic_long_add(skb->truesize, &pn->held_bytes);
	return true;
}

unsigned int sttcp_primary_in(struct sttcp_net *pn, const struct sttcp_cfg *cfg,
			      struct sk_buff *skb, const struct nf_hook_state *st)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct sttcp_flow_key key;
	struct sttcp_flow *f;
	bool hold;
	u32 end;

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
	if (beyond_window(f, th)) {
		sttcp_count(pn, STTCP_STAT_HOLD_OUT_OF_WINDOW);
		return NF_ACCEPT;
	}
	if (READ_ONCE(f->embryonic) && th->ack && acks_synack(f, th))
		sttcp_flow_promote(f);
	WRITE_ONCE(f->last_seen, jiffies);
	sttcp_mirror(pn, skb, NULL);

	hold = cfg->gating == STTCP_GATING_HOLD && !READ_ONCE(pn->tun.debug_no_gate) &&
	       sttcp_seg_needs_backup(ip_hdr(skb));
	end = sttcp_seg_end(ip_hdr(skb));

	spin_lock_bh(&f->lock);
	f->segs_in++;
	sttcp_flow_note_close(f, th, true);
	/*
	 * shadow again, under the lock: a node stepping down turns its own flow
	 * into a shadow in softirq (backup.c), and a held segment's device
	 * reference must not land in a shadow's queue.
	 */
	if (!hold || f->dead || f->shadow || f->flags & STTCP_FLOW_F_UNPROTECTED ||
	    !sttcp_after(end, f->backup_rcv_nxt))
		goto accept;
	/* The route and device must outlive the hook while the segment waits. */
	skb_dst_force(skb);
	if (!skb_dst(skb))
		goto accept;
	if (!hold_charge(pn, f, skb)) {
		spin_unlock_bh(&f->lock);
		sttcp_count(pn, STTCP_STAT_HOLD_OVERFLOW);
		return NF_DROP;		/* the client retransmits it */
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
	spin_unlock_bh(&f->lock);
	sttcp_count(pn, STTCP_STAT_HELD);
	return NF_STOLEN;

accept:
	spin_unlock_bh(&f->lock);
	return NF_ACCEPT;
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

/*
 * The right edge TCP itself offers, before clamp_window() lowers it, for
 * beyond_window(). TCP's window exceeds the scaled field by its rounding
 * (less than 1 << wscale) and never shrinks (6.1 has no tcp_shrink_window),
 * so each segment's edge is the latest. A socket's output is serialised by
 * its lock.
 */
static void track_tcp_window(struct sttcp_flow *f, const struct tcphdr *th)
{
	u8 ws = f->x.ws_primary;	/* set once, by the SYN-ACK */

	WRITE_ONCE(f->tcp_win_end,
		   ntohl(th->ack_seq) + ((u32)ntohs(th->window) << ws) + (1U << ws));
}

/*
 * Lower the advertised window to the backup's right edge: what the client
 * sends beyond it the backup would drop while the primary holds it, and the
 * flow would wait for re-mirrors. Never below an edge already advertised.
 */
static void clamp_window(struct sttcp_net *pn, struct sttcp_flow *f, struct sk_buff *skb)
{
	u32 thoff = skb_transport_offset(skb);
	struct tcphdr *th = tcp_hdr(skb);
	u32 ack = ntohl(th->ack_seq);
	bool clamped = false;
	u32 edge, limit, win;
	__be16 old;
	u8 ws;

	spin_lock_bh(&f->lock);
	if (f->dead || f->shadow)	/* its fields now the backup's */
		goto unlock;
	ws = f->x.ws_primary;
	edge = ack + ((u32)ntohs(th->window) << ws);
	limit = f->backup_win_end;
	if (!f->win_known || sttcp_after(f->adv_win_end, limit))
		limit = f->adv_win_end;
	if (f->win_known && sttcp_after(edge, limit)) {
		if (skb_ensure_writable(skb, thoff + sizeof(*th)))
			goto unlock;
		th = tcp_hdr(skb);
		win = sttcp_after(limit, ack) ? DIV_ROUND_UP(limit - ack, 1U << ws) : 0;
		old = th->window;
		th->window = htons(win);
		inet_proto_csum_replace2(&th->check, skb, old, th->window, false);
		edge = ack + (win << ws);
		f->win_clamped = true;
		clamped = true;
	}
	if (sttcp_after(edge, f->adv_win_end))
		f->adv_win_end = edge;
unlock:
	spin_unlock_bh(&f->lock);
	if (clamped)
		sttcp_count(pn, STTCP_STAT_WIN_CLAMPED);
}

/*
 * The backup's window grew past what the primary advertised while it was
 * lowered: the primary's TCP does not know, so make it send an ACK (it
 * carries the new window through clamp_window()). A socket busy in process
 * context is retried from the flow timer.
 */
static void prod_window_update(struct sttcp_net *pn, struct sttcp_flow *f)
{
	bool retry = false;
	struct sock *sk;

	sk = sttcp_flow_sock(pn, &f->key);
	if (!sk)
		return;
	if (sk_fullsock(sk)) {
		struct tcp_sock *tp = tcp_sk(sk);

		bh_lock_sock(sk);
		if (sock_owned_by_user(sk)) {
			retry = true;
		} else if (sk->sk_state != TCP_CLOSE) {
			/* tcp_mstamp_refresh() is not exported. */
			tp->tcp_clock_cache = tcp_clock_ns();
			tp->tcp_mstamp = div_u64(tp->tcp_clock_cache, NSEC_PER_USEC);
			__tcp_send_ack(sk, tp->rcv_nxt);
			sttcp_count(pn, STTCP_STAT_WIN_UPDATES);
		}
		bh_unlock_sock(sk);
	}
	sock_gen_put(sk);
	if (retry) {
		spin_lock_bh(&f->lock);
		f->prod_pending = true;
		if (!f->dead && !timer_pending(&f->timer))
			mod_timer(&f->timer, jiffies + 1);
		spin_unlock_bh(&f->lock);
	}
}

/*
 * The primary's application closing a flow that the backup's keeps open is
 * taken for a crash: its FIN or RST must not reach the client while the
 * backup could carry the connection on. The newest one waits until the
 * backup's socket closes too (STTCP_REPORT_CLOSED); after app_close_grace_ms
 * without that, every connection is handed to the backup (sttcp_app_lost()).
 *
 * Return: true if @skb is kept.
 */
static bool hold_close(struct sttcp_net *pn, struct sttcp_flow *f, struct sk_buff *skb)
{
	struct sk_buff *older = NULL;
	bool held = false;

	if (!READ_ONCE(pn->tun.app_close_grace_ms) ||
	    sttcp_state(pn) != STTCP_STATE_ACTIVE || !sttcp_peer_alive(pn))
		return false;
	/* TCP attaches its route without a reference; the skb outlives the hook. */
	skb_dst_force(skb);
	if (!skb_dst(skb))
		return false;
	spin_lock_bh(&f->lock);
	if (f->dead || f->shadow || f->peer_closed || f->state != STTCP_FLOW_ESTABLISHED ||
	    !(f->flags & STTCP_FLOW_F_REPORTED) || f->flags & STTCP_FLOW_F_UNPROTECTED)
		goto unlock;
	older = f->close_skb;
	f->close_skb = skb;
	if (!f->close_held) {
		f->close_held = true;
		f->close_held_at = jiffies;
		rearm_timer(f);
	}
	held = true;
unlock:
	spin_unlock_bh(&f->lock);
	/* A retransmission replaces it: the newest carries the newest ack and window. */
	consume_skb(older);
	if (held)
		sttcp_count(pn, STTCP_STAT_CLOSE_HELD);
	return held;
}

/*
 * A FIN held longer than its RTO: TCP's own retransmission would follow
 * right behind the released copy, cross the client's ACK and meet a socket
 * closed by that ACK; the client's answer to the duplicate would then draw
 * a RST after a clean close. The timer starts again from the release.
 */
static void restart_close_timer(struct sock *sk)
{
	struct inet_connection_sock *icsk;

	if (!sttcp_sk_is_tcp(sk))
		return;		/* a RST of the stack's own control socket */
	icsk = inet_csk(sk);
	local_bh_disable();
	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk) && (icsk->icsk_pending == ICSK_TIME_RETRANS ||
					icsk->icsk_pending == ICSK_TIME_LOSS_PROBE))
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, icsk->icsk_rto, TCP_RTO_MAX);
	bh_unlock_sock(sk);
	local_bh_enable();
}

/* A held FIN/RST goes on its way (past this hook again, which now lets it pass). */
static void send_close(struct sttcp_net *pn, struct sk_buff *skb)
{
	if (!skb)
		return;
	sttcp_count(pn, STTCP_STAT_CLOSE_AGREED);
	restart_close_timer(skb->sk);
	ip_local_out(pn->net, skb->sk, skb);
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
		track_tcp_window(f, th);
	if (cfg->gating == STTCP_GATING_HOLD && th->ack &&
	    !(READ_ONCE(f->flags) & STTCP_FLOW_F_UNPROTECTED)) {
		/* The gate's invariant, checked on every segment the client will see. */
		if (sttcp_after(ntohl(th->ack_seq), READ_ONCE(f->backup_rcv_nxt)))
			sttcp_count(pn, STTCP_STAT_GATE_VIOLATIONS);
		if (!READ_ONCE(pn->tun.debug_no_gate))
			clamp_window(pn, f, skb);
	}
	if (th->fin || th->rst) {
		if (hold_close(pn, f, skb))
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

struct remirror {
	struct sk_buff *skbs[REMIRROR_SKBS];
	int n;
	struct sttcp_mirror_filter flt;
	u8 *syn;
	u16 syn_len;
	struct sttcp_syn_facts facts;
};

/* Under f->lock: pick what to send again (clones; sent after unlocking). */
static void remirror_collect(struct sttcp_flow *f, struct remirror *rm)
{
	struct sk_buff *skb;

	rm->n = 0;
	rm->syn = NULL;
	rm->flt = (struct sttcp_mirror_filter){ .backup_rcv_nxt = f->backup_rcv_nxt,
						 .budget = REMIRROR_SEGS };
	skb_queue_walk(&f->queue, skb) {
		if (rm->n == REMIRROR_SKBS)
			break;
		rm->skbs[rm->n] = skb_clone(skb, GFP_ATOMIC);
		if (rm->skbs[rm->n])
			rm->n++;
	}
	if (!(f->flags & STTCP_FLOW_F_REPORTED) && f->syn_copy) {
		rm->syn = kmemdup(f->syn_copy, f->syn_len, GFP_ATOMIC);
		rm->syn_len = f->syn_len;
		rm->facts = f->primary;
	}
}

static void remirror_send(struct sttcp_net *pn, struct remirror *rm)
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

enum giveup_step { GIVEUP_NOT_YET, GIVEUP_ASK, GIVEUP_NOW };

/*
 * f->lock held, segments held: the backup made no progress on the flow for
 * hold_giveup_ms. The primary may then go on without it, but only once the
 * backup has agreed to let the flow go (its UNPROTECTED report releases
 * everything, sttcp_primary_rx_report()): a backup that kept its stale copy
 * would resume it at a takeover, behind what the client has, and the
 * connection would hang instead of being reset. Asked again every
 * hold_timeout_ms; a backup that never answers for another hold_giveup_ms is
 * given up on (counted), as is one no longer heard or configured at all.
 */
static enum giveup_step giveup_step(struct sttcp_net *pn, struct sttcp_flow *f)
{
	unsigned long giveup = msecs_to_jiffies(READ_ONCE(pn->tun.hold_giveup_ms));

	if (!rcu_access_pointer(pn->cfg) || !sttcp_peer_alive(pn)) {
		if (!f->releasing)
			sttcp_count(pn, STTCP_STAT_HOLD_GIVEUP);
		return GIVEUP_NOW;
	}
	if (!f->releasing) {
		if (!time_after32((u32)jiffies, f->hold_since + giveup))
			return GIVEUP_NOT_YET;
		f->releasing = true;
		f->release_at = jiffies;
		sttcp_count(pn, STTCP_STAT_HOLD_GIVEUP);
	}
	if (time_after32((u32)jiffies, f->release_at + giveup)) {
		sttcp_count(pn, STTCP_STAT_RELEASE_UNCONFIRMED);
		return GIVEUP_NOW;
	}
	return GIVEUP_ASK;
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
	struct remirror rm = { .n = 0 };
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
	if (f->close_held && !close_grace_left(f)) {
		app_lost = true;
		/* Asked again after another grace period if the handover fails. */
		f->close_held_at = jiffies;
		rearm_timer(f);
	}
	if (skb_queue_empty(&f->queue))
		goto unlock;
	switch (giveup_step(pn, f)) {
	case GIVEUP_NOW:
		sttcp_primary_unprotect(f, &out);
		goto unlock;
	case GIVEUP_ASK:
		release = true;
		rearm_timer(f);
		goto unlock;
	case GIVEUP_NOT_YET:
		break;
	}
	remirror_collect(f, &rm);
	rearm_timer(f);
unlock:
	app_lost = app_lost && f->close_held;	/* not if given up just now */
	spin_unlock_bh(&f->lock);
	remirror_send(pn, &rm);
	if (release)
		sttcp_send_release(pn, &f->key);
	if (app_lost && !sttcp_app_lost(pn, &f->key)) {
		/* Nobody to hand over to: the client gets the close after all. */
		spin_lock_bh(&f->lock);
		if (!f->dead && f->close_held) {
			close = f->close_skb;
			f->close_skb = NULL;
			f->close_held = false;
			sttcp_primary_unprotect(f, &out);
		}
		spin_unlock_bh(&f->lock);
	}
	send_close(pn, close);
	rcu_read_unlock();
	sttcp_deliver_list(pn, &out);
	if (prod)
		prod_window_update(pn, f);
}

/**
 * sttcp_primary_rx_report() - the backup reports how far it has received
 * @pn: namespace state
 * @r: the report entry
 */
void sttcp_primary_rx_report(struct sttcp_net *pn, const struct sttcp_report *r)
{
	struct sttcp_flow *f = sttcp_flow_lookup(pn, &r->key);
	struct remirror rm = { .n = 0 };
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
		sttcp_primary_unprotect(f, &out);
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
	release_covered(f, &out);
	/* Segments the backup dropped while its window was shut: send them now. */
	if (r->flags & STTCP_REPORT_RESEND && !skb_queue_empty(&f->queue))
		remirror_collect(f, &rm);
unlock:
	spin_unlock_bh(&f->lock);
	remirror_send(pn, &rm);
	sttcp_deliver_list(pn, &out);
	send_close(pn, close);
	if (prod)
		prod_window_update(pn, f);
	if (diverged) {
		/* The backup counted and announced it too. */
		sttcp_count(pn, STTCP_STAT_FLOWS_DIVERGED);
		sttcp_event(pn, STTCP_EVENT_FLOW_DIVERGED, &r->key);
	}
}
