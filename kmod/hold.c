// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Client segments the primary holds for the backup (the gate is in
 * primary.c): where they go when they leave the queue, whether to the local
 * stack or dropped, and what happens to them when their device goes away.
 * Each holds a reference to its input device and is charged by truesize to
 * its flow and its namespace (hold_flow_max_bytes, hold_max_bytes).
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include "sttcp.h"
#include "flow.h"
#include "hold.h"
#include "closegate.h"

/**
 * sttcp_deliver_list() - hand held client segments to the local TCP stack
 * @pn: namespace state
 * @list: segments, each holding a device reference; emptied
 */
void sttcp_deliver_list(struct sttcp_net *pn, struct sk_buff_head *list)
{
	int (*okfn)(struct net *net, struct sock *sk, struct sk_buff *skb) =
		READ_ONCE(pn->local_in_okfn);
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(list))) {
		struct net_device *dev = skb->dev;

		/* Held segments were routed at LOCAL_IN and set okfn first. */
		if (WARN_ON_ONCE(!okfn || !skb_dst(skb))) {
			kfree_skb(skb);
			dev_put(dev);
			continue;
		}

		/* Continue where the LOCAL_IN hook stopped it, as nf_reinject does. */
		local_bh_disable();
		rcu_read_lock();
		okfn(pn->net, NULL, skb);
		rcu_read_unlock();
		local_bh_enable();
		dev_put(dev);
		sttcp_count(pn, STTCP_STAT_RELEASED);
	}
}

/**
 * sttcp_drop_held_list() - free held client segments nobody can receive
 * @list: segments taken off a primary flow, each holding a device
 *	reference; emptied
 */
void sttcp_drop_held_list(struct sk_buff_head *list)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(list))) {
		struct net_device *dev = skb->dev;

		kfree_skb(skb);
		dev_put(dev);
	}
}

/**
 * sttcp_hold_unlink() - take one segment off a primary flow's hold queue
 * @f: the flow, f->lock held
 * @skb: a segment in its queue
 *
 * Its memory leaves the flow's and the namespace's budgets too.
 */
void sttcp_hold_unlink(struct sttcp_flow *f, struct sk_buff *skb)
{
	__skb_unlink(skb, &f->queue);
	f->held_bytes -= skb->truesize;
	atomic_long_sub(skb->truesize, &f->pn->held_bytes);
}

/*
 * Held segments hold their input device (dev_hold): unregistering it would
 * wait for the give-up (up to 2 x hold_giveup_ms), then see them delivered
 * to a stack whose device is gone. When it goes down they are dropped, as
 * nf_queue drops its packets: the client retransmits them.
 */
static void unlink_held_from(struct sttcp_flow *f, const struct net_device *dev,
			     struct sk_buff_head *gone)
{
	struct sk_buff *skb, *tmp;

	spin_lock_bh(&f->lock);
	/* A shadow's queue holds injected segments, with no reference. */
	if (!f->shadow) {
		skb_queue_walk_safe(&f->queue, skb, tmp) {
			if (skb->dev != dev)
				continue;
			sttcp_hold_unlink(f, skb);
			__skb_queue_tail(gone, skb);
		}
	}
	spin_unlock_bh(&f->lock);
}

static void drop_held_from(struct sttcp_net *pn, const struct net_device *dev)
{
	struct sk_buff_head gone;
	struct sttcp_flow *f;
	int l;

	__skb_queue_head_init(&gone);
	spin_lock_bh(&pn->flows_lock);
	for (l = 0; l < STTCP_FLOW_LISTS; l++)
		list_for_each_entry(f, sttcp_flow_list(pn, l), list)
			unlink_held_from(f, dev, &gone);
	spin_unlock_bh(&pn->flows_lock);
	sttcp_count_add(pn, STTCP_STAT_HOLD_DEV_DOWN, skb_queue_len(&gone));
	sttcp_drop_held_list(&gone);
}

static int netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct sttcp_net *pn = sttcp_pernet(dev_net(dev));

	if ((event == NETDEV_DOWN || event == NETDEV_UNREGISTER) &&
	    atomic_read(&pn->n_flows))
		drop_held_from(pn, dev);
	return NOTIFY_DONE;
}

static struct notifier_block netdev_notifier = {
	.notifier_call = netdev_event,
};

/**
 * sttcp_hold_notifier_register() - drop held segments of devices going down
 *
 * Return: 0 or a negative errno.
 */
int sttcp_hold_notifier_register(void)
{
	return register_netdevice_notifier(&netdev_notifier);
}

/**
 * sttcp_hold_notifier_unregister() - undo sttcp_hold_notifier_register()
 */
void sttcp_hold_notifier_unregister(void)
{
	unregister_netdevice_notifier(&netdev_notifier);
}

/**
 * sttcp_hold_charge() - may a segment wait in its flow's queue?
 * @pn: namespace state
 * @f: flow, f->lock held
 * @skb: the client segment
 *
 * Charges its truesize to the flow and the namespace if so.
 *
 * Return: true if it may.
 */
bool sttcp_hold_charge(struct sttcp_net *pn, struct sttcp_flow *f, struct sk_buff *skb)
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

/**
 * sttcp_hold_rearm() - arm the flow timer for what is due first
 * @f: flow, f->lock held
 *
 * The timer serves the hold queue (hold_timeout_ms) and a held close
 * (its grace), whichever is due first; with neither it stops.
 */
void sttcp_hold_rearm(struct sttcp_flow *f)
{
	unsigned long when = 0;
	bool due = false;

	if (!skb_queue_empty(&f->queue)) {
		when = jiffies + msecs_to_jiffies(READ_ONCE(f->pn->tun.hold_timeout_ms));
		due = true;
	}
	if (f->close_held && (!due || time_before(jiffies + sttcp_close_grace_left(f), when))) {
		when = jiffies + sttcp_close_grace_left(f);
		due = true;
	}
	if (due)
		mod_timer(&f->timer, when);
	else
		del_timer(&f->timer);
}
