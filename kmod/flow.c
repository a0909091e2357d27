// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * The flow table: one entry per protected TCP connection, keyed by the
 * 4-tuple, in an RCU rhashtable (lookups on the packet path take no lock)
 * plus lists for dumps and garbage collection.
 *
 * A flow starts embryonic: a SYN costs nothing to spoof, and TCP answers
 * even a flood of them (syncookies) without keeping state. Until the
 * client completes the handshake (sttcp_flow_promote()), a flow lives on
 * a list of its own, bounded by max_embryonic with the oldest evicted, and
 * forgotten after EMBRYONIC_TIMEOUT without a segment.
 */
#include <linux/slab.h>
#include <net/inet_hashtables.h>
#include "sttcp.h"
#include "flow.h"
#include "hold.h"
#include "primary.h"
#include "gate.h"

#define GC_INTERVAL		HZ
#define SYN_STATE_TIMEOUT	(30 * HZ)
/* Longer than the SYN retransmission gaps that matter (1, 2, 4 s). */
#define EMBRYONIC_TIMEOUT	(10 * HZ)
#define SOCK_CHECK_INTERVAL	(10 * HZ)

static const struct rhashtable_params flow_params = {
	.key_len = sizeof(struct sttcp_flow_key),
	.key_offset = offsetof(struct sttcp_flow, key),
	.head_offset = offsetof(struct sttcp_flow, node),
	.automatic_shrinking = true,
};

static void gc_work_fn(struct work_struct *work);

/*
 * A cache of its own: kmalloc would round a flow up to the 256-byte (once
 * 512-byte) size class. No SLAB_HWCACHE_ALIGN, which would pad each object
 * to 256 bytes again; the per-flow lock shares lines either way.
 */
static struct kmem_cache *flow_cache;

/**
 * sttcp_flow_cache_init() - create the module-wide flow cache
 *
 * Return: 0 or -ENOMEM.
 */
int sttcp_flow_cache_init(void)
{
#if !defined(CONFIG_DEBUG_SPINLOCK) && !defined(CONFIG_DEBUG_LOCK_ALLOC)
	/* The size promise is for production kernels: lock debugging grows the locks. */
	BUILD_BUG_ON(sizeof(struct sttcp_flow) > 232);
#endif
	flow_cache = kmem_cache_create("sttcp_flow", sizeof(struct sttcp_flow), 0, 0, NULL);
	return flow_cache ? 0 : -ENOMEM;
}

/**
 * sttcp_flow_cache_destroy() - destroy the flow cache
 *
 * Every flow must be freed: call after rcu_barrier(), which waits for the
 * call_rcu() frees.
 */
void sttcp_flow_cache_destroy(void)
{
	kmem_cache_destroy(flow_cache);
}

static void flow_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(flow_cache, container_of(head, struct sttcp_flow, rcu));
}

/* pn->flows_lock held, f->list moved off pn->embryonic by the caller */
static void leave_embryonic(struct sttcp_net *pn, struct sttcp_flow *f)
{
	if (f->embryonic) {
		WRITE_ONCE(f->embryonic, false);
		WRITE_ONCE(pn->n_embryonic, pn->n_embryonic - 1);
	}
}

/* Off the table and whichever list holds it; pn->flows_lock held. */
static void unlink_locked(struct sttcp_net *pn, struct sttcp_flow *f,
			  struct list_head *to)
{
	rhashtable_remove_fast(&pn->flows, &f->node, flow_params);
	list_move_tail(&f->list, to);
	leave_embryonic(pn, f);
}

/*
 * In packet context, where a flow cannot be freed (its timer must be shut
 * down synchronously): unlinked now, freed by the gc worker soon (kick_gc()).
 */
static void retire_locked(struct sttcp_net *pn, struct sttcp_flow *f)
{
	unlink_locked(pn, f, &pn->flows_retired);
}

static void kick_gc(struct sttcp_net *pn)
{
	if (!READ_ONCE(pn->dying))
		mod_delayed_work(system_power_efficient_wq, &pn->gc_work, 0);
}

int sttcp_flow_table_init(struct sttcp_net *pn)
{
	spin_lock_init(&pn->flows_lock);
	INIT_LIST_HEAD(&pn->flow_list);
	INIT_LIST_HEAD(&pn->embryonic);
	pn->n_embryonic = 0;
	INIT_LIST_HEAD(&pn->flows_retired);
	atomic_set(&pn->n_flows, 0);
	atomic_long_set(&pn->held_bytes, 0);
	INIT_DELAYED_WORK(&pn->gc_work, gc_work_fn);
	return rhashtable_init(&pn->flows, &flow_params);
}

void sttcp_flow_table_destroy(struct sttcp_net *pn)
{
	cancel_delayed_work_sync(&pn->gc_work);
	sttcp_flow_flush(pn);
	rhashtable_destroy(&pn->flows);
}

/**
 * sttcp_flow_lookup() - find a flow; caller holds rcu_read_lock()
 * @pn: namespace state
 * @key: 4-tuple, fully initialised
 *
 * Return: the flow or NULL. It stays valid until rcu_read_unlock().
 */
struct sttcp_flow *sttcp_flow_lookup(struct sttcp_net *pn, const struct sttcp_flow_key *key)
{
	return rhashtable_lookup(&pn->flows, key, flow_params);
}

/**
 * sttcp_flow_create() - insert a new flow, or return the existing one
 * @pn: namespace state
 * @key: 4-tuple
 *
 * Called under rcu_read_lock() from packet context. The flow is embryonic;
 * with max_embryonic such flows already, the oldest is evicted.
 * Return: the flow, or NULL when the table is full or memory is short
 * (counted; the connection then simply goes unprotected).
 */
struct sttcp_flow *sttcp_flow_create(struct sttcp_net *pn, const struct sttcp_flow_key *key)
{
	struct sttcp_flow *f, *old;
	bool evicted;

	if (atomic_inc_return(&pn->n_flows) > READ_ONCE(pn->tun.max_flows)) {
		atomic_dec(&pn->n_flows);
		sttcp_count(pn, STTCP_STAT_FLOW_TABLE_FULL);
		return NULL;
	}
	f = kmem_cache_zalloc(flow_cache, GFP_ATOMIC);
	if (!f) {
		atomic_dec(&pn->n_flows);
		sttcp_count(pn, STTCP_STAT_FLOW_TABLE_FULL);
		return NULL;
	}
	f->key = *key;
	f->pn = pn;
	spin_lock_init(&f->lock);
	skb_queue_head_init(&f->queue);
	timer_setup(&f->timer, sttcp_flow_hold_timer, 0);
	f->state = STTCP_FLOW_SYN;
	f->last_seen = jiffies;

	spin_lock_bh(&pn->flows_lock);
	if (READ_ONCE(pn->dying)) {
		old = NULL;
		goto fail;
	}
	old = rhashtable_lookup_get_insert_fast(&pn->flows, &f->node, flow_params);
	if (old) {
		if (IS_ERR(old))
			old = NULL;
		goto fail;
	}
	evicted = pn->n_embryonic >= READ_ONCE(pn->tun.max_embryonic);
	if (evicted)
		retire_locked(pn, list_first_entry(&pn->embryonic, struct sttcp_flow, list));
	list_add_tail(&f->list, &pn->embryonic);
	WRITE_ONCE(f->embryonic, true);
	WRITE_ONCE(pn->n_embryonic, pn->n_embryonic + 1);
	spin_unlock_bh(&pn->flows_lock);
	if (evicted) {
		sttcp_count(pn, STTCP_STAT_EMBRYONIC_EVICTED);
		kick_gc(pn);
	}
	sttcp_count(pn, STTCP_STAT_FLOWS_CREATED);
	atomic64_inc(&sttcp_objs_created);
	return f;

fail:
	spin_unlock_bh(&pn->flows_lock);
	atomic_dec(&pn->n_flows);
	kmem_cache_free(flow_cache, f);
	return old;
}

/*
 * Free a flow already unlinked from table and list. Held segments are
 * handed to the local stack (never silently lost) unless the namespace is
 * going away, in which case nothing could receive them. A shadow flow's
 * queue holds injected segments waiting for the handshake facts: they were
 * stopped before routing and cannot continue from LOCAL_IN; the primary
 * still has them.
 */
static void flow_free(struct sttcp_flow *f, bool deliver)
{
	struct sttcp_net *pn = f->pn;
	struct sk_buff_head q;

	__skb_queue_head_init(&q);
	spin_lock_bh(&f->lock);
	WRITE_ONCE(f->dead, true);
	sttcp_gate_release_all(f, &q);
	spin_unlock_bh(&f->lock);
	timer_shutdown_sync(&f->timer);
	if (f->shadow)
		__skb_queue_purge(&q);
	else if (deliver)
		sttcp_deliver_list(pn, &q);
	else
		sttcp_drop_held_list(&q);
	/* syn_copy on a primary's flow, dg_ring on a shadow: the same pointer. */
	kfree(f->syn_copy);
	atomic_dec(&pn->n_flows);
	sttcp_count(pn, STTCP_STAT_FLOWS_FREED);
	atomic64_inc(&sttcp_objs_freed);
	/* f->rcu overlays f->list, unused since the unlink. */
	call_rcu(&f->rcu, flow_free_rcu);
}

/**
 * sttcp_flow_flush() - remove every flow of a namespace
 * @pn: namespace state
 *
 * Process context. Held segments are delivered unless the netns is dying.
 */
void sttcp_flow_flush(struct sttcp_net *pn)
{
	struct sttcp_flow *f, *tmp;
	int l;
	LIST_HEAD(gone);

	spin_lock_bh(&pn->flows_lock);
	for (l = 0; l < STTCP_FLOW_LISTS; l++)
		list_for_each_entry_safe(f, tmp, sttcp_flow_list(pn, l), list)
			unlink_locked(pn, f, &gone);
	list_splice_tail_init(&pn->flows_retired, &gone);
	spin_unlock_bh(&pn->flows_lock);

	list_for_each_entry_safe(f, tmp, &gone, list) {
		list_del(&f->list);
		flow_free(f, !READ_ONCE(pn->dying));
	}
}

/**
 * sttcp_flow_remove() - forget one flow now
 * @pn: namespace state
 * @key: its 4-tuple
 *
 * Process context. What the client sends on it afterwards meets the local
 * stack as any unknown connection does.
 */
void sttcp_flow_remove(struct sttcp_net *pn, const struct sttcp_flow_key *key)
{
	struct sttcp_flow *f;
	LIST_HEAD(gone);

	rcu_read_lock();
	spin_lock_bh(&pn->flows_lock);
	f = rhashtable_lookup_fast(&pn->flows, key, flow_params);
	if (f)
		unlink_locked(pn, f, &gone);
	spin_unlock_bh(&pn->flows_lock);
	rcu_read_unlock();
	if (f) {
		list_del(&f->list);
		flow_free(f, true);
	}
}

/**
 * sttcp_flow_replace() - a new connection reuses the 4-tuple of a flow
 * @pn: namespace state
 * @old: the flow of the connection before, found under rcu_read_lock()
 *
 * Packet context, where a flow cannot be freed (its timer must be shut down
 * synchronously): @old leaves the table now, so that lookups find the new
 * flow, and the gc worker frees it soon.
 * Return: the new flow, or NULL as from sttcp_flow_create().
 */
struct sttcp_flow *sttcp_flow_replace(struct sttcp_net *pn, struct sttcp_flow *old)
{
	spin_lock_bh(&pn->flows_lock);
	/* Every unlink happens under flows_lock: gone from the table, gc was first. */
	if (rhashtable_lookup_fast(&pn->flows, &old->key, flow_params) == old)
		retire_locked(pn, old);
	spin_unlock_bh(&pn->flows_lock);
	kick_gc(pn);
	return sttcp_flow_create(pn, &old->key);
}

/**
 * sttcp_flow_promote() - the client completed the handshake
 * @f: flow, found under rcu_read_lock(); neither f->lock nor flows_lock held
 *
 * The flow leaves the embryonic list for good: from now on only the idle
 * and closed timeouts end it.
 */
void sttcp_flow_promote(struct sttcp_flow *f)
{
	struct sttcp_net *pn = f->pn;

	spin_lock_bh(&pn->flows_lock);
	/* Not embryonic any more: promoted already, or unlinked. */
	if (f->embryonic) {
		list_move_tail(&f->list, &pn->flow_list);
		leave_embryonic(pn, f);
	}
	spin_unlock_bh(&pn->flows_lock);
}

/*
 * An unprotected flow that serves a client here (the primary's own, or one
 * taken over) may have missed its connection's end: it goes with its
 * socket. Checked at most every SOCK_CHECK_INTERVAL while idle. Not a
 * backup's copy: its socket is not the client's connection, which may go
 * on at the primary and need its reset after a takeover (probe.c).
 */
static bool sock_gone(struct sttcp_net *pn, struct sttcp_flow *f, unsigned long now)
{
	u8 flags = READ_ONCE(f->flags);
	struct sock *sk;

	if (!(flags & STTCP_FLOW_F_UNPROTECTED) ||
	    (f->shadow && !(flags & STTCP_FLOW_F_TAKEN_OVER)) ||
	    !time_after32(now, READ_ONCE(f->last_seen) + SOCK_CHECK_INTERVAL))
		return false;
	sk = sttcp_flow_sock(pn, &f->key);
	if (!sk)
		return true;
	sock_gen_put(sk);
	WRITE_ONCE(f->last_seen, now);
	return false;
}

/* pn->flows_lock held */
static bool flow_expired(struct sttcp_net *pn, struct sttcp_flow *f, unsigned long now)
{
	u32 seen = READ_ONCE(f->last_seen);

	if (READ_ONCE(f->state) == STTCP_FLOW_CLOSED &&
	    time_after32(now, READ_ONCE(f->closed_at) +
			 msecs_to_jiffies(READ_ONCE(pn->tun.closed_linger_ms))))
		return true;
	if (f->embryonic && time_after32(now, seen + EMBRYONIC_TIMEOUT))
		return true;
	if (sock_gone(pn, f, now))
		return true;
	if (READ_ONCE(f->state) == STTCP_FLOW_SYN &&
	    time_after32(now, seen + SYN_STATE_TIMEOUT))
		return true;
	return time_after32(now, seen + READ_ONCE(pn->tun.flow_idle_timeout_s) * HZ);
}

/* Periodic, process context: the only place flows are freed while running. */
static void gc_work_fn(struct work_struct *work)
{
	struct sttcp_net *pn = container_of(to_delayed_work(work), struct sttcp_net,
					    gc_work);
	unsigned long now = jiffies;
	struct sttcp_flow *f, *tmp;
	int l;
	LIST_HEAD(gone);

	spin_lock_bh(&pn->flows_lock);
	for (l = 0; l < STTCP_FLOW_LISTS; l++)
		list_for_each_entry_safe(f, tmp, sttcp_flow_list(pn, l), list)
			if (flow_expired(pn, f, now))
				unlink_locked(pn, f, &gone);
	list_splice_tail_init(&pn->flows_retired, &gone);
	spin_unlock_bh(&pn->flows_lock);

	list_for_each_entry_safe(f, tmp, &gone, list) {
		list_del(&f->list);
		flow_free(f, true);
	}
	if (!READ_ONCE(pn->dying))
		queue_delayed_work(system_power_efficient_wq, &pn->gc_work, GC_INTERVAL);
}

/**
 * sttcp_flow_sock() - the local socket of a flow, with a reference
 * @pn: namespace state
 * @key: the flow's 4-tuple
 *
 * Return: a full, request or timewait socket (release with sock_gen_put()),
 * or NULL.
 */
struct sock *sttcp_flow_sock(struct sttcp_net *pn, const struct sttcp_flow_key *key)
{
	struct net *net = pn->net;
	struct sock *sk;

	rcu_read_lock();
	sk = __inet_lookup_established(net, net->ipv4.tcp_death_row.hashinfo,
				       key->caddr, key->cport, key->vaddr,
				       ntohs(key->vport), 0, 0);
	rcu_read_unlock();
	return sk;
}

/**
 * sttcp_flow_note_close() - a segment passed: note its FIN or RST
 * @f: flow, f->lock held
 * @th: the segment's TCP header
 * @from_client: its direction
 *
 * The flow closes at a RST, or once both directions sent a FIN, whatever
 * its protection.
 * Return: true if the flow closed just now.
 */
bool sttcp_flow_note_close(struct sttcp_flow *f, const struct tcphdr *th, bool from_client)
{
	if (from_client)
		f->fin_in |= th->fin;
	else
		f->fin_out |= th->fin;
	if (f->state == STTCP_FLOW_CLOSED || !(th->rst || (f->fin_in && f->fin_out)))
		return false;
	sttcp_flow_mark_closed(f);
	return true;
}

/**
 * sttcp_flow_mark_closed() - the connection ended; free it after a linger
 * @f: flow, f->lock held
 */
void sttcp_flow_mark_closed(struct sttcp_flow *f)
{
	if (f->state == STTCP_FLOW_CLOSED)
		return;
	f->closed_at = jiffies;
	WRITE_ONCE(f->state, STTCP_FLOW_CLOSED);
}
