// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Events to the "events" multicast group of the genl family, and the status
 * attributes they share with the GET_STATUS reply. Every layer reports
 * through here; the family and its commands (netlink.c) sit on top and hand
 * the family over once it is registered.
 */
#include <net/genetlink.h>
#include "sttcp.h"
#include "events.h"

static const struct genl_family *events_family;

/**
 * sttcp_events_start() - events may be sent from now on
 * @family: the registered family
 */
void sttcp_events_start(const struct genl_family *family)
{
	WRITE_ONCE(events_family, family);
}

/**
 * sttcp_status_put() - the node's status attributes, for a reply or an event
 * @msg: the message being built
 * @pn: namespace state
 *
 * Return: 0 or -EMSGSIZE.
 */
int sttcp_status_put(struct sk_buff *msg, struct sttcp_net *pn)
{
	unsigned long now = jiffies;
	u32 age[STTCP_PATHS];
	bool heard[STTCP_PATHS];
	u32 epoch, peer_epoch, auth_fail_age;
	bool auth_failed, configured;
	u8 state, peer, auth = 0;
	__be32 vip = 0;
	int path;

	rcu_read_lock();
	configured = rcu_dereference(pn->cfg);
	if (configured) {
		vip = rcu_dereference(pn->cfg)->vip;
		auth = !!rcu_dereference(pn->cfg)->tfm;
	}
	rcu_read_unlock();
	auth_failed = READ_ONCE(pn->auth_failed);
	auth_fail_age = jiffies_to_msecs(now - READ_ONCE(pn->auth_fail_at));
	spin_lock_bh(&pn->hb_lock);
	state = pn->state;
	epoch = pn->epoch;
	peer = pn->peer;
	peer_epoch = pn->peer_epoch;
	for (path = 0; path < STTCP_PATHS; path++) {
		heard[path] = pn->peer_heard[path];
		age[path] = jiffies_to_msecs(now - pn->peer_rx[path]);
	}
	spin_unlock_bh(&pn->hb_lock);

	if (nla_put_u8(msg, STTCP_A_STATE, state) ||
	    nla_put_u32(msg, STTCP_A_EPOCH, epoch) ||
	    nla_put_u8(msg, STTCP_A_PEER_STATE, peer) ||
	    nla_put_u32(msg, STTCP_A_PEER_EPOCH, peer_epoch) ||
	    nla_put_u32(msg, STTCP_A_HB_INTERVAL_MS, READ_ONCE(pn->tun.hb_interval_ms)) ||
	    nla_put_u32(msg, STTCP_A_HB_DEAD_COUNT, READ_ONCE(pn->tun.hb_dead_count)) ||
	    (vip && nla_put_be32(msg, STTCP_A_VIP, vip)) ||
	    (heard[0] && nla_put_u32(msg, STTCP_A_PATH_SYNC_AGE_MS, age[0])) ||
	    (heard[1] && nla_put_u32(msg, STTCP_A_PATH_SVC_AGE_MS, age[1])) ||
	    (configured && nla_put_u8(msg, STTCP_A_AUTH, auth)) ||
	    (auth_failed && nla_put_u32(msg, STTCP_A_AUTH_FAIL_AGE_MS, auth_fail_age)))
		return -EMSGSIZE;
	return 0;
}

/**
 * sttcp_event() - tell listeners of the "events" group what happened
 * @pn: namespace state
 * @ev: the event
 * @key: the flow, for flow events; NULL otherwise
 *
 * Any context. Without listeners this costs one allocation; a failure is
 * not an error (the daemon re-reads the status on start).
 */
void sttcp_event(struct sttcp_net *pn, enum sttcp_event ev,
		 const struct sttcp_flow_key *key)
{
	const struct genl_family *family = READ_ONCE(events_family);
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	if (!family || !genl_has_listeners(family, pn->net, 0))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, family, 0, STTCP_CMD_EVENT);
	if (!hdr)
		goto fail;
	if (nla_put_u8(msg, STTCP_A_EVENT, ev) || sttcp_status_put(msg, pn))
		goto fail;
	if (key) {
		nest = nla_nest_start(msg, STTCP_A_FLOW);
		if (!nest ||
		    nla_put_be32(msg, STTCP_FLOW_A_CLIENT_ADDR, key->caddr) ||
		    nla_put_u16(msg, STTCP_FLOW_A_CLIENT_PORT, ntohs(key->cport)) ||
		    nla_put_be32(msg, STTCP_FLOW_A_VIP, key->vaddr) ||
		    nla_put_u16(msg, STTCP_FLOW_A_VPORT, ntohs(key->vport)))
			goto fail;
		nla_nest_end(msg, nest);
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(family, pn->net, msg, 0, 0, GFP_ATOMIC);
	return;
fail:
	nlmsg_free(msg);
}
