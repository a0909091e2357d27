// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * What a change of state does to the connections, in process context
 * (socket locks sleep):
 *
 * TAKEOVER   every shadow flow the backup followed is prodded so that it
 *            resumes at once instead of waiting for the client's RTO: an
 *            ACK (three, so a client without SACK fast-retransmits what we
 *            lack), backoff cleared, and its own unacknowledged output
 *            retransmitted now (nothing in flight but data waiting: a
 *            window probe, as the client's last window may be lost).
 *            Shadow flows that could not be followed (handshake
 *            unfinished, options mismatch, sync lost, output diverged) are
 *            aborted and forgotten: the client gets a RST instead of a hang
 *            or a wrong byte. The socket's RST carries the backup's snd_nxt,
 *            which the client takes only if it is exactly its rcv_nxt. So an
 *            ACK goes first: out of the client's window it makes the client
 *            answer with its own ACK (within it, the RST does, as a challenge
 *            ACK); that answer meets no flow and no socket, and the stack's
 *            RST to it carries exactly the client's ack. That answer goes to
 *            the old primary's MAC until the VIP is announced: REPROD probes
 *            such clients again (probe.c). With takeover_unprotected = 1
 *            they are left to the old primary's fate instead: the socket
 *            goes silently and the client's segments are dropped until the
 *            flow times out, as if no backup had existed.
 * UNPROTECT  the peer is gone (or only the second path hears it): the
 *            primary releases what it holds and stops gating; a backup's
 *            shadow copies are out of step for good and are aborted (their
 *            output is still suppressed, so nothing reaches a client).
 * REPROD     the daemon owns the VIP and sent gratuitous ARP: the same prod
 *            again, since retransmissions the first one triggered may have
 *            gone to the dead primary's MAC; and the reset connections'
 *            clients are probed.
 * STEPDOWN   another node is primary: every flow here is aborted silently
 *            (the node is BACKUP already, its output suppressed) and the
 *            table emptied; new flows come as mirrors from the new primary.
 */
#include <linux/slab.h>
#include <net/inet_hashtables.h>
#include <net/tcp.h>
#include "sttcp.h"
#include "flow.h"
#include "hold.h"
#include "probe.h"
#include "takeover.h"
#include "events.h"
#include "gate.h"

/**
 * sttcp_flows_work_queue() - ask for a job on the flows (any context)
 * @pn: namespace state
 * @job: STTCP_WORK_*
 */
void sttcp_flows_work_queue(struct sttcp_net *pn, int job)
{
	set_bit(job, &pn->flows_work_todo);
	queue_work(system_wq, &pn->flows_work);
}

struct flow_ref {
	struct sttcp_flow_key key;
	bool resume;		/* prod; otherwise abort */
	bool forget;		/* after the abort, drop the flow from the table */
	u32 isn;		/* the primary's, and the client's next byte: */
	u32 client_nxt;		/* for a reset probe (probe.c) */
};

/* f->lock held: what @job does to @f, in @ref. Return: whether it touches it. */
static bool collect_one(struct sttcp_net *pn, struct sttcp_flow *f, int job,
			struct flow_ref *ref)
{
	bool resume = f->shadow && f->facts_known && !(f->flags & STTCP_FLOW_F_UNPROTECTED);

	if (job == STTCP_WORK_REPROD) {
		if (!resume || !(f->flags & STTCP_FLOW_F_TAKEN_OVER))
			return false;
		/* Every field: kvmalloc memory is not zeroed. */
		*ref = (struct flow_ref){ .key = f->key, .resume = true };
		return true;
	}
	if (job == STTCP_WORK_TAKEOVER && !f->shadow)
		return false;	/* a flow of this node's own (cannot happen on a backup) */
	if (job == STTCP_WORK_UNPROTECT && !f->shadow)
		return false;	/* the primary's own flows: see unprotect_own() */
	if (job == STTCP_WORK_TAKEOVER && resume)
		f->flags |= STTCP_FLOW_F_TAKEN_OVER;
	if (job != STTCP_WORK_TAKEOVER || !resume)
		f->flags |= STTCP_FLOW_F_UNPROTECTED;
	*ref = (struct flow_ref){
		.key = f->key,
		.resume = job == STTCP_WORK_TAKEOVER && resume,
		.isn = f->primary.isn,
		.client_nxt = f->backup_rcv_nxt,
	};
	if (job == STTCP_WORK_TAKEOVER && !resume) {
		if (READ_ONCE(pn->tun.takeover_unprotected))
			f->flags |= STTCP_FLOW_F_LEFT;
		else
			ref->forget = true;
	}
	return true;
}

/* Keys of the flows a job touches; the list lock cannot be held while sleeping. */
static struct flow_ref *collect(struct sttcp_net *pn, int job, int *n)
{
	struct flow_ref *refs;
	struct sttcp_flow *f;
	int max, i = 0, l;

	max = atomic_read(&pn->n_flows) + 64;
	refs = kvmalloc_array(max, sizeof(*refs), GFP_KERNEL);
	if (!refs)
		return NULL;
	spin_lock_bh(&pn->flows_lock);
	for (l = 0; l < STTCP_FLOW_LISTS; l++) {
		list_for_each_entry(f, sttcp_flow_list(pn, l), list) {
			if (i == max)
				goto full;
			spin_lock_bh(&f->lock);
			if (collect_one(pn, f, job, &refs[i]))
				i++;
			spin_unlock_bh(&f->lock);
		}
	}
full:
	spin_unlock_bh(&pn->flows_lock);
	*n = i;
	return refs;
}

#define PROD_STATES (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT | TCPF_FIN_WAIT1 | \
		     TCPF_CLOSING | TCPF_LAST_ACK)
#define PROD_ACKS 3

static void prod(struct sttcp_net *pn, struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	int i;

	lock_sock(sk);
	if ((1 << sk->sk_state) & PROD_STATES) {
		/* tcp_mstamp_refresh() is not exported. */
		tp->tcp_clock_cache = tcp_clock_ns();
		tp->tcp_mstamp = div_u64(tp->tcp_clock_cache, NSEC_PER_USEC);
		/* Timeouts grown while suppressed say nothing about the client. */
		icsk->icsk_backoff = 0;
		icsk->icsk_rto = __tcp_set_rto(tp);
		tcp_bound_rto(sk);
		for (i = 0; i < PROD_ACKS; i++)
			__tcp_send_ack(sk, tp->rcv_nxt);
		/*
		 * What it sent while suppressed never reached the client: go back
		 * to snd_una now (the RTO path). Only unsent data: the window it
		 * knows is closed, or too small to send in. The client's window
		 * updates may have gone to the dead primary, and the loss probe
		 * would send nothing and then clear the timer, leaving both sides
		 * waiting for ever. A window probe (the persist timer, now) sends
		 * what fits, or else a segment below the window the client must
		 * answer with its current one.
		 */
		icsk->icsk_probes_out = 0;
		if (tp->packets_out)
			inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, 0, TCP_RTO_MAX);
		else if (tcp_send_head(sk))
			inet_csk_reset_xmit_timer(sk, ICSK_TIME_PROBE0, 0, TCP_RTO_MAX);
		sttcp_count(pn, STTCP_STAT_FLOWS_PRODDED);
	}
	release_sock(sk);
}

/* Reset a connection the client must not continue with this node (see above). */
static void reset(struct sttcp_net *pn, struct sock *sk, bool elicit)
{
	if (elicit && sk_fullsock(sk)) {
		lock_sock(sk);
		if ((1 << sk->sk_state) & PROD_STATES)
			__tcp_send_ack(sk, tcp_sk(sk)->rcv_nxt);
		release_sock(sk);
	}
	tcp_abort(sk, ECONNABORTED);
	sttcp_count(pn, STTCP_STAT_FLOWS_ABORTED);
}

/* The connections a takeover reset, to be probed once the VIP moved (probe.c). */
static void set_probes(struct sttcp_net *pn, const struct flow_ref *refs, int n)
{
	struct sttcp_probes *set = NULL;
	int i, k = 0;

	for (i = 0; i < n; i++)
		k += refs[i].forget;
	if (k) {
		set = sttcp_probes_alloc(k);
		if (!set)
			sttcp_count(pn, STTCP_STAT_SKB_ALLOC_FAIL);
	}
	for (i = 0, k = 0; set && i < n; i++) {
		if (refs[i].forget)
			*sttcp_probes_at(set, k++) = (struct sttcp_probe){
				.key = refs[i].key,
				.isn = refs[i].isn,
				.ack = refs[i].client_nxt,
			};
	}
	sttcp_probes_set(pn, set);
}

static void run_job(struct sttcp_net *pn, int job)
{
	struct flow_ref *refs;
	int i, n = 0;

	refs = collect(pn, job, &n);
	if (!refs) {
		sttcp_count(pn, STTCP_STAT_SKB_ALLOC_FAIL);
		return;
	}
	for (i = 0; i < n; i++) {
		struct sock *sk = sttcp_flow_sock(pn, &refs[i].key);

		if (refs[i].resume) {
			if (job == STTCP_WORK_TAKEOVER)
				sttcp_count(pn, STTCP_STAT_FLOWS_TAKEN_OVER);
		} else if (job != STTCP_WORK_STEPDOWN) {
			/* A node stepping down serves nothing: no event per flow. */
			sttcp_event(pn, STTCP_EVENT_FLOW_UNPROTECTED, &refs[i].key);
			if (job == STTCP_WORK_TAKEOVER && !refs[i].forget)
				sttcp_count(pn, STTCP_STAT_FLOWS_LEFT);
		}
		if (sk) {
			if (refs[i].resume && sk_fullsock(sk))
				prod(pn, sk);
			else if (!refs[i].resume && sk->sk_state != TCP_TIME_WAIT)
				reset(pn, sk, refs[i].forget);
			sock_gen_put(sk);
		}
		if (refs[i].forget)
			sttcp_flow_remove(pn, &refs[i].key);
	}
	if (job == STTCP_WORK_TAKEOVER)
		set_probes(pn, refs, n);
	kvfree(refs);
}

/* The primary's own flows lose the gate: release held segments now. */
static void unprotect_own(struct sttcp_net *pn)
{
	struct sk_buff_head out;
	struct sttcp_flow *f;
	int l;

	__skb_queue_head_init(&out);
	spin_lock_bh(&pn->flows_lock);
	for (l = 0; l < STTCP_FLOW_LISTS; l++) {
		list_for_each_entry(f, sttcp_flow_list(pn, l), list) {
			spin_lock_bh(&f->lock);
			if (!f->shadow && !f->dead)
				sttcp_gate_unprotect(f, &out);
			spin_unlock_bh(&f->lock);
		}
	}
	spin_unlock_bh(&pn->flows_lock);
	sttcp_deliver_list(pn, &out);
}

void sttcp_flows_work(struct work_struct *work)
{
	struct sttcp_net *pn = container_of(work, struct sttcp_net, flows_work);

	if (test_and_clear_bit(STTCP_WORK_STEPDOWN, &pn->flows_work_todo)) {
		clear_bit(STTCP_WORK_TAKEOVER, &pn->flows_work_todo);
		clear_bit(STTCP_WORK_UNPROTECT, &pn->flows_work_todo);
		run_job(pn, STTCP_WORK_STEPDOWN);
		sttcp_flow_flush(pn);
		sttcp_probes_set(pn, NULL);
		return;
	}
	if (test_and_clear_bit(STTCP_WORK_UNPROTECT, &pn->flows_work_todo)) {
		if (sttcp_serving(sttcp_state(pn)))
			unprotect_own(pn);
		else
			run_job(pn, STTCP_WORK_UNPROTECT);
	}
	if (test_and_clear_bit(STTCP_WORK_TAKEOVER, &pn->flows_work_todo))
		run_job(pn, STTCP_WORK_TAKEOVER);
	if (test_and_clear_bit(STTCP_WORK_REPROD, &pn->flows_work_todo)) {
		run_job(pn, STTCP_WORK_REPROD);
		sttcp_probes_start(pn);
	}
}
