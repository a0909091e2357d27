// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * The close gate (primary): the primary's application closing a flow that
 * the backup's keeps open is taken for a crash: its FIN or RST must not
 * reach the client while the backup could carry the connection on. The
 * newest one waits until the backup's socket closes too
 * (STTCP_REPORT_CLOSED); after app_close_grace_ms without that, every
 * connection is handed to the backup (sttcp_app_lost(), from the flow timer).
 */
#include <net/inet_connection_sock.h>
#include <net/tcp.h>
#include "sttcp.h"
#include "hold.h"
#include "closegate.h"

/**
 * sttcp_close_hold() - keep the primary's FIN or RST until the backup closes too
 * @pn: namespace state
 * @f: the flow
 * @skb: the FIN or RST at LOCAL_OUT
 *
 * Return: true if @skb is kept (stolen from the hook).
 */
bool sttcp_close_hold(struct sttcp_net *pn, struct sttcp_flow *f, struct sk_buff *skb)
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
		sttcp_hold_rearm(f);
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

/**
 * sttcp_close_send() - a held FIN/RST goes on its way
 * @pn: namespace state
 * @skb: the close taken from the flow, or NULL
 *
 * It passes the LOCAL_OUT hook again, which now lets it through.
 */
void sttcp_close_send(struct sttcp_net *pn, struct sk_buff *skb)
{
	if (!skb)
		return;
	sttcp_count(pn, STTCP_STAT_CLOSE_AGREED);
	restart_close_timer(skb->sk);
	ip_local_out(pn->net, skb->sk, skb);
}

/**
 * sttcp_close_drop() - forget a held FIN/RST of the primary's
 * @f: flow, f->lock held
 *
 * TCP retransmits a FIN by itself; a RST is sent again when the client's
 * next segment finds no socket.
 */
void sttcp_close_drop(struct sttcp_flow *f)
{
	if (f->shadow)
		return;		/* close_skb shares space with its stamps there */
	kfree_skb(f->close_skb);
	f->close_skb = NULL;
	f->close_held = false;
}
