// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Node settings exchange. Each daemon hands its node's settings (sysctls,
 * MTU, ports, timers: text it builds and compares itself) to the kernel in
 * SET_CONFIG; the kernel sends them to the peer on every change and then
 * every STTCP_SETTINGS_PERIOD_MS on the sync path, keeps the peer's last
 * copy for GET_STATUS and raises STTCP_EVENT_PEER_SETTINGS when it changes.
 * The kernel never looks inside: a mismatch is the daemons' business.
 */
#include <linux/slab.h>
#include <net/genetlink.h>
#include "sttcp.h"
#include "settings.h"
#include "sync.h"
#include "events.h"

struct sttcp_settings {
	struct rcu_head rcu;
	u16 len;
	u8 data[];
};

static struct sttcp_settings *settings_new(const u8 *data, u32 len, gfp_t gfp)
{
	struct sttcp_settings *s = kmalloc(struct_size(s, data, len), gfp);

	if (!s)
		return NULL;
	s->len = len;
	memcpy(s->data, data, len);
	return s;
}

/* pn->settings_lock held (or the namespace is going away). */
static void settings_replace(struct sttcp_settings __rcu **slot, struct sttcp_settings *s,
			     struct sttcp_net *pn)
{
	struct sttcp_settings *old;

	old = rcu_replace_pointer(*slot, s, lockdep_is_held(&pn->settings_lock));
	if (old)
		kfree_rcu(old, rcu);
}

/**
 * sttcp_settings_init() - set up a namespace's settings state
 * @pn: namespace state
 */
void sttcp_settings_init(struct sttcp_net *pn)
{
	BUILD_BUG_ON(STTCP_WIRE_SETTINGS_MAX != STTCP_SETTINGS_MAX);
	spin_lock_init(&pn->settings_lock);
}

/**
 * sttcp_settings_set() - replace this node's settings and send them soon
 * @pn: namespace state
 * @data: the blob
 * @len: its length, at most STTCP_SETTINGS_MAX (checked by the policy)
 *
 * Process context. Return: 0 or -ENOMEM.
 */
int sttcp_settings_set(struct sttcp_net *pn, const u8 *data, u32 len)
{
	struct sttcp_settings *s = settings_new(data, len, GFP_KERNEL);

	if (!s)
		return -ENOMEM;
	spin_lock_bh(&pn->settings_lock);
	settings_replace(&pn->settings, s, pn);
	/* The next heartbeat tick sends them. */
	WRITE_ONCE(pn->settings_next, jiffies);
	spin_unlock_bh(&pn->settings_lock);
	return 0;
}

/**
 * sttcp_settings_clear() - forget both nodes' settings (unconfigure)
 * @pn: namespace state
 */
void sttcp_settings_clear(struct sttcp_net *pn)
{
	spin_lock_bh(&pn->settings_lock);
	settings_replace(&pn->settings, NULL, pn);
	settings_replace(&pn->peer_settings, NULL, pn);
	spin_unlock_bh(&pn->settings_lock);
}

/**
 * sttcp_settings_tick() - send this node's settings when due
 * @pn: namespace state
 *
 * Called from the heartbeat timer (softirq).
 */
void sttcp_settings_tick(struct sttcp_net *pn)
{
	const struct sttcp_settings *s;
	struct sk_buff *skb;

	if (time_before(jiffies, READ_ONCE(pn->settings_next)))
		return;
	WRITE_ONCE(pn->settings_next, jiffies + msecs_to_jiffies(STTCP_SETTINGS_PERIOD_MS));
	rcu_read_lock();
	s = rcu_dereference(pn->settings);
	if (!s)
		goto out;
	skb = sttcp_sync_alloc(pn, STTCP_WIRE_SETTINGS_HDR_LEN + s->len);
	if (!skb)
		goto out;
	sttcp_wire_put_settings(skb->data + STTCP_WIRE_HDR_LEN, s->data, s->len);
	sttcp_sync_send(pn, skb, STTCP_MSG_SETTINGS);
	sttcp_count(pn, STTCP_STAT_SETTINGS_TX);
out:
	rcu_read_unlock();
}

/**
 * sttcp_settings_rx() - the peer's settings arrived
 * @pn: namespace state
 * @buf: the whole message, parsed by sttcp_wire_parse()
 * @m: its parse result
 *
 * Softirq. An unchanged copy only refreshes its age; a new or changed one
 * replaces the stored copy and raises STTCP_EVENT_PEER_SETTINGS.
 */
void sttcp_settings_rx(struct sttcp_net *pn, const u8 *buf, const struct sttcp_msg *m)
{
	const u8 *blob = buf + m->settings_off;
	struct sttcp_settings *old, *s;
	bool changed;

	sttcp_count(pn, STTCP_STAT_SETTINGS_RX);
	spin_lock(&pn->settings_lock);
	WRITE_ONCE(pn->peer_settings_at, jiffies);
	old = rcu_dereference_protected(pn->peer_settings, lockdep_is_held(&pn->settings_lock));
	changed = !old || old->len != m->settings_len || memcmp(old->data, blob, old->len);
	if (changed) {
		s = settings_new(blob, m->settings_len, GFP_ATOMIC);
		if (s)
			settings_replace(&pn->peer_settings, s, pn);
		else
			sttcp_count(pn, STTCP_STAT_SKB_ALLOC_FAIL);
		changed = s;
	}
	spin_unlock(&pn->settings_lock);
	if (changed)
		sttcp_event(pn, STTCP_EVENT_PEER_SETTINGS, NULL);
}

/**
 * sttcp_settings_put() - add both nodes' settings to a netlink message
 * @msg: the reply
 * @pn: namespace state
 * @peer: also the peer's copy and its age
 *
 * Return: 0 or -EMSGSIZE.
 */
int sttcp_settings_put(struct sk_buff *msg, struct sttcp_net *pn, bool peer)
{
	const struct sttcp_settings *s;
	int err = 0;

	rcu_read_lock();
	s = rcu_dereference(pn->settings);
	if (s && nla_put(msg, STTCP_A_SETTINGS, s->len, s->data))
		err = -EMSGSIZE;
	s = peer ? rcu_dereference(pn->peer_settings) : NULL;
	if (!err && s &&
	    (nla_put(msg, STTCP_A_PEER_SETTINGS, s->len, s->data) ||
	     nla_put_u32(msg, STTCP_A_PEER_SETTINGS_AGE_MS,
			 jiffies_to_msecs(jiffies - READ_ONCE(pn->peer_settings_at)))))
		err = -EMSGSIZE;
	rcu_read_unlock();
	return err;
}
