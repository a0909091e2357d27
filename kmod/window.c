// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * The primary's window edge. The window the primary advertises is lowered
 * to the backup's right edge (never below an edge already advertised), so
 * the client never sends what the backup would have to drop; when the
 * backup's window grows again the primary's TCP is made to say so.
 */
#include <linux/tcp.h>
#include <net/tcp.h>
#include "sttcp.h"
#include "flow.h"
#include "window.h"

/**
 * sttcp_window_beyond() - is a client segment wholly beyond the window TCP offered?
 * @f: flow
 * @th: the segment's TCP header
 *
 * TCP drops such a segment at once, so holding or mirroring it would only
 * spend memory and the sync link on what a client chose to send. The edge is
 * known once the SYN-ACK went out.
 */
bool sttcp_window_beyond(const struct sttcp_flow *f, const struct tcphdr *th)
{
	return READ_ONCE(f->state) == STTCP_FLOW_ESTABLISHED &&
	       sttcp_after(ntohl(th->seq), READ_ONCE(f->tcp_win_end));
}

/**
 * sttcp_window_track() - note the right edge TCP itself offers
 * @f: flow
 * @th: a segment of the primary's, before sttcp_window_clamp()
 *
 * For sttcp_window_beyond(). TCP's window exceeds the scaled field by its
 * rounding (less than 1 << wscale) and never shrinks (6.1 has no
 * tcp_shrink_window), so each segment's edge is the latest. A socket's
 * output is serialised by its lock.
 */
void sttcp_window_track(struct sttcp_flow *f, const struct tcphdr *th)
{
	u8 ws = f->x.ws_primary;	/* set once, by the SYN-ACK */

	WRITE_ONCE(f->tcp_win_end,
		   ntohl(th->ack_seq) + ((u32)ntohs(th->window) << ws) + (1U << ws));
}

/**
 * sttcp_window_clamp() - lower the advertised window to the backup's right edge
 * @pn: namespace state
 * @f: flow
 * @skb: a segment of the primary's at LOCAL_OUT
 *
 * What the client sends beyond it the backup would drop while the primary
 * holds it, and the flow would wait for re-mirrors. Never below an edge
 * already advertised.
 */
void sttcp_window_clamp(struct sttcp_net *pn, struct sttcp_flow *f, struct sk_buff *skb)
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

/**
 * sttcp_window_prod() - tell the client the backup's window grew
 * @pn: namespace state
 * @f: flow
 *
 * The backup's window grew past what the primary advertised while it was
 * lowered: the primary's TCP does not know, so make it send an ACK (it
 * carries the new window through sttcp_window_clamp()). A socket busy in
 * process context is retried from the flow timer.
 */
void sttcp_window_prod(struct sttcp_net *pn, struct sttcp_flow *f)
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
