// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Generic netlink family "sttcp": configuration, counters, flow dumps,
 * failover commands and events.
 * The API (commands, attributes, semantics) is documented in
 * include/uapi/linux/sttcp.h. Every refusal carries an extack message.
 */
#include <crypto/algapi.h>
#include <linux/inetdevice.h>
#include <net/genetlink.h>
#include <net/inet_hashtables.h>
#include <net/tcp.h>
#include "sttcp.h"
#include "auth.h"
#include "config.h"
#include "flow.h"
#include "heartbeat.h"
#include "netlink.h"
#include "settings.h"
#include "takeover.h"
#include "events.h"

static struct genl_family sttcp_family;

static const struct nla_policy sttcp_policy[STTCP_A_MAX + 1] = {
	[STTCP_A_ROLE] = NLA_POLICY_RANGE(NLA_U8, STTCP_ROLE_PRIMARY, STTCP_ROLE_BACKUP),
	[STTCP_A_VIP] = { .type = NLA_BE32 },
	[STTCP_A_PORTS] = { .type = NLA_NESTED },
	[STTCP_A_LOCAL_ADDR] = { .type = NLA_BE32 },
	[STTCP_A_LOCAL_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[STTCP_A_PEER_ADDR] = { .type = NLA_BE32 },
	[STTCP_A_PEER_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[STTCP_A_GATING] = NLA_POLICY_MAX(NLA_U8, STTCP_GATING_MAX),
	[STTCP_A_CONFIGURED] = { .type = NLA_REJECT },
	[STTCP_A_STATS] = { .type = NLA_REJECT },
	[STTCP_A_FLOW] = { .type = NLA_REJECT },
	[STTCP_A_LOCAL_ADDR2] = { .type = NLA_BE32 },
	[STTCP_A_PEER_ADDR2] = { .type = NLA_BE32 },
	[STTCP_A_HB_INTERVAL_MS] = NLA_POLICY_RANGE(NLA_U32, 1, 10000),
	[STTCP_A_HB_DEAD_COUNT] = NLA_POLICY_RANGE(NLA_U32, 2, 100),
	[STTCP_A_EPOCH] = { .type = NLA_U32 },
	[STTCP_A_STATE] = { .type = NLA_REJECT },
	[STTCP_A_PEER_STATE] = { .type = NLA_REJECT },
	[STTCP_A_PEER_EPOCH] = { .type = NLA_REJECT },
	[STTCP_A_PATH_SYNC_AGE_MS] = { .type = NLA_REJECT },
	[STTCP_A_PATH_SVC_AGE_MS] = { .type = NLA_REJECT },
	[STTCP_A_EVENT] = { .type = NLA_REJECT },
	[STTCP_A_SETTINGS] = { .type = NLA_BINARY, .len = STTCP_SETTINGS_MAX },
	[STTCP_A_PEER_SETTINGS] = { .type = NLA_REJECT },
	[STTCP_A_PEER_SETTINGS_AGE_MS] = { .type = NLA_REJECT },
	[STTCP_A_UPDATE] = { .type = NLA_FLAG },
	[STTCP_A_KEY] = NLA_POLICY_EXACT_LEN(STTCP_KEY_LEN),
	[STTCP_A_AUTH] = { .type = NLA_REJECT },
	[STTCP_A_AUTH_FAIL_AGE_MS] = { .type = NLA_REJECT },
};

/* Flow events name clients' addresses and ports: as admin-only as the flow dump. */
static const struct genl_multicast_group sttcp_mcgrps[] = {
	{ .name = STTCP_GENL_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN, },
};

static int rejected(struct sttcp_net *pn)
{
	sttcp_count(pn, STTCP_STAT_NL_REJECTED);
	return -EINVAL;
}

/* NL_SET_ERR_MSG_ATTR() keeps a pointer to a string literal: a macro. */
#define reject(pn, extack, attr, msg) ({			\
	NL_SET_ERR_MSG_ATTR(extack, attr, msg);			\
	rejected(pn);						\
})

static int parse_ports(struct sttcp_net *pn, const struct nlattr *nest,
		       struct sttcp_cfg *cfg, struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem, i;

	nla_for_each_nested(a, nest, rem) {
		__be16 port;

		if (nla_type(a) != STTCP_A_PORT || nla_len(a) != sizeof(u16))
			return reject(pn, extack, a,
				      "ports: expected STTCP_A_PORT (u16) entries only");
		if (!nla_get_u16(a))
			return reject(pn, extack, a, "ports: port 0 is not a service port");
		if (cfg->n_ports == STTCP_MAX_PORTS)
			return reject(pn, extack, a, "ports: too many (at most 16)");
		port = htons(nla_get_u16(a));
		for (i = 0; i < cfg->n_ports; i++)
			if (cfg->ports[i] == port)
				return reject(pn, extack, a, "ports: duplicate port");
		cfg->ports[cfg->n_ports++] = port;
	}
	if (rem)
		return reject(pn, extack, nest, "ports: trailing garbage in the nest");
	if (!cfg->n_ports)
		return reject(pn, extack, nest, "ports: at least one port is required");
	return 0;
}

static bool usable_unicast(__be32 a)
{
	return a && !ipv4_is_multicast(a) && !ipv4_is_lbcast(a) && !ipv4_is_zeronet(a);
}

/* The same storage as net.sttcp.hb_*: netlink is a way to set the sysctls. */
static void set_timers(struct sttcp_net *pn, struct nlattr **tb)
{
	if (tb[STTCP_A_HB_INTERVAL_MS])
		WRITE_ONCE(pn->tun.hb_interval_ms, nla_get_u32(tb[STTCP_A_HB_INTERVAL_MS]));
	if (tb[STTCP_A_HB_DEAD_COUNT])
		WRITE_ONCE(pn->tun.hb_dead_count, nla_get_u32(tb[STTCP_A_HB_DEAD_COUNT]));
}

/*
 * SET_CONFIG with STTCP_A_UPDATE (a daemon's reload): flows, state and epoch
 * stay; only the timers and the settings change. Serialised with
 * configuration changes by the genetlink mutex.
 */
static int update_config(struct sttcp_net *pn, struct genl_info *info,
			 const struct sttcp_cfg *req)
{
	struct nlattr **tb = info->attrs;
	const struct sttcp_cfg *cur = rcu_dereference_protected(pn->cfg, true);
	int err = 0;

	if (!cur)
		return reject(pn, info->extack, tb[STTCP_A_UPDATE],
			      "update: not configured (send SET_CONFIG without STTCP_A_UPDATE first)");
	if (!sttcp_cfg_same_service(cur, req)) {
		reject(pn, info->extack, tb[STTCP_A_UPDATE],
		       "update: only the heartbeat timers and the settings change in place; role, addresses, ports and gating need a new configuration, which releases the flows");
		return -EBUSY;
	}
	if (!tb[STTCP_A_KEY] != !cur->has_key) {
		reject(pn, info->extack, tb[STTCP_A_KEY] ?: tb[STTCP_A_UPDATE],
		       "update: adding or removing the sync key needs a new configuration on both nodes");
		return -EBUSY;
	}
	if (tb[STTCP_A_KEY]) {
		u8 key[STTCP_KEY_LEN], id[16];

		nla_memcpy(key, tb[STTCP_A_KEY], sizeof(key));
		err = sttcp_auth_key_id(key, id);
		memzero_explicit(key, sizeof(key));
		if (err)
			return reject(pn, info->extack, tb[STTCP_A_KEY],
				      "update: cannot check the key");
		if (crypto_memneq(id, cur->key_id, sizeof(id))) {
			reject(pn, info->extack, tb[STTCP_A_KEY],
			       "update: a new sync key needs a new configuration on both nodes");
			return -EBUSY;
		}
	}
	set_timers(pn, tb);
	if (tb[STTCP_A_SETTINGS])
		err = sttcp_settings_set(pn, nla_data(tb[STTCP_A_SETTINGS]),
					 nla_len(tb[STTCP_A_SETTINGS]));
	if (err)
		sttcp_count(pn, STTCP_STAT_NL_REJECTED);
	return err;
}

/* The attributes every configuration needs, read into @cfg. */
static int config_required(struct sttcp_net *pn, struct nlattr **tb, struct sttcp_cfg *cfg,
			   struct netlink_ext_ack *extack)
{
	if (!tb[STTCP_A_ROLE])
		return reject(pn, extack, NULL, "missing role (STTCP_A_ROLE)");
	if (!tb[STTCP_A_VIP])
		return reject(pn, extack, NULL, "missing service address (STTCP_A_VIP)");
	if (!tb[STTCP_A_PORTS])
		return reject(pn, extack, NULL, "missing service ports (STTCP_A_PORTS)");
	if (!tb[STTCP_A_LOCAL_ADDR])
		return reject(pn, extack, NULL, "missing sync local address (STTCP_A_LOCAL_ADDR)");
	if (!tb[STTCP_A_PEER_ADDR])
		return reject(pn, extack, NULL, "missing sync peer address (STTCP_A_PEER_ADDR)");

	cfg->role = nla_get_u8(tb[STTCP_A_ROLE]);
	cfg->vip = nla_get_be32(tb[STTCP_A_VIP]);
	cfg->local_addr = nla_get_be32(tb[STTCP_A_LOCAL_ADDR]);
	cfg->peer_addr = nla_get_be32(tb[STTCP_A_PEER_ADDR]);
	cfg->local_port = htons(tb[STTCP_A_LOCAL_PORT] ?
				nla_get_u16(tb[STTCP_A_LOCAL_PORT]) : STTCP_DEFAULT_SYNC_PORT);
	cfg->peer_port = htons(tb[STTCP_A_PEER_PORT] ?
			       nla_get_u16(tb[STTCP_A_PEER_PORT]) : STTCP_DEFAULT_SYNC_PORT);
	cfg->gating = tb[STTCP_A_GATING] ? nla_get_u8(tb[STTCP_A_GATING]) : STTCP_GATING_HOLD;
	if (tb[STTCP_A_EPOCH])
		cfg->epoch = nla_get_u32(tb[STTCP_A_EPOCH]);
	return 0;
}

/* The service and sync addresses: unicast, and each used for one thing. */
static int config_addresses(struct sttcp_net *pn, struct nlattr **tb,
			    const struct sttcp_cfg *cfg, struct netlink_ext_ack *extack)
{
	if (!usable_unicast(cfg->vip))
		return reject(pn, extack, tb[STTCP_A_VIP],
			      "service address must be a unicast address");
	if (!usable_unicast(cfg->local_addr))
		return reject(pn, extack, tb[STTCP_A_LOCAL_ADDR],
			      "sync local address must be unicast");
	if (!usable_unicast(cfg->peer_addr))
		return reject(pn, extack, tb[STTCP_A_PEER_ADDR],
			      "sync peer address must be unicast");
	if (cfg->peer_addr == cfg->local_addr)
		return reject(pn, extack, tb[STTCP_A_PEER_ADDR],
			      "sync peer address equals the local one");
	if (cfg->vip == cfg->local_addr || cfg->vip == cfg->peer_addr)
		return reject(pn, extack, tb[STTCP_A_VIP],
			      "the service address cannot also be a sync address");
	return 0;
}

/* The second heartbeat path, if any: both addresses, other than the others. */
static int config_second_path(struct sttcp_net *pn, struct nlattr **tb, struct sttcp_cfg *cfg,
			      struct netlink_ext_ack *extack)
{
	if (!tb[STTCP_A_LOCAL_ADDR2] != !tb[STTCP_A_PEER_ADDR2])
		return reject(pn, extack, tb[STTCP_A_LOCAL_ADDR2] ?: tb[STTCP_A_PEER_ADDR2],
			      "second heartbeat path: give both local and peer addresses, or neither");
	if (!tb[STTCP_A_LOCAL_ADDR2])
		return 0;
	cfg->local_addr2 = nla_get_be32(tb[STTCP_A_LOCAL_ADDR2]);
	cfg->peer_addr2 = nla_get_be32(tb[STTCP_A_PEER_ADDR2]);
	if (!usable_unicast(cfg->local_addr2) || !usable_unicast(cfg->peer_addr2))
		return reject(pn, extack, tb[STTCP_A_LOCAL_ADDR2],
			      "second heartbeat path addresses must be unicast");
	if (cfg->local_addr2 == cfg->local_addr || cfg->peer_addr2 == cfg->peer_addr ||
	    cfg->local_addr2 == cfg->peer_addr2)
		return reject(pn, extack, tb[STTCP_A_LOCAL_ADDR2],
			      "second heartbeat path must use other addresses than the sync link");
	if (cfg->local_addr2 == cfg->vip || cfg->peer_addr2 == cfg->vip)
		return reject(pn, extack, tb[STTCP_A_LOCAL_ADDR2],
			      "second heartbeat path cannot use the service address (it moves)");
	return 0;
}

/* The service address must be local: on an ARP device, or a dummy one on a backup. */
static int config_vip_local(struct sttcp_net *pn, struct nlattr **tb,
			    const struct sttcp_cfg *cfg, struct netlink_ext_ack *extack)
{
	bool vip_local;

	rcu_read_lock();
	vip_local = __ip_dev_find(pn->net, cfg->vip, false);
	rcu_read_unlock();
	if (!vip_local && cfg->role == STTCP_ROLE_BACKUP)
		return reject(pn, extack, tb[STTCP_A_VIP],
			      "service address is not local: a backup holds it on a non-ARP (dummy) device");
	if (!vip_local)
		return reject(pn, extack, tb[STTCP_A_VIP],
			      "service address is not local: add it to an interface first");
	return 0;
}

static int cmd_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct sttcp_net *pn = sttcp_pernet(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **tb = info->attrs;
	struct sttcp_cfg cfg = {};
	int err;

	err = config_required(pn, tb, &cfg, extack) ?:
	      config_addresses(pn, tb, &cfg, extack) ?:
	      parse_ports(pn, tb[STTCP_A_PORTS], &cfg, extack) ?:
	      config_second_path(pn, tb, &cfg, extack);
	if (err)
		return err;
	if (tb[STTCP_A_UPDATE])
		return update_config(pn, info, &cfg);
	set_timers(pn, tb);
	err = config_vip_local(pn, tb, &cfg, extack);
	if (err)
		return err;

	if (tb[STTCP_A_KEY]) {
		cfg.has_key = true;
		nla_memcpy(cfg.key, tb[STTCP_A_KEY], sizeof(cfg.key));
	}
	err = sttcp_configure(pn, &cfg, extack);
	if (!err && tb[STTCP_A_SETTINGS])
		err = sttcp_settings_set(pn, nla_data(tb[STTCP_A_SETTINGS]),
					 nla_len(tb[STTCP_A_SETTINGS]));
	memzero_explicit(cfg.key, sizeof(cfg.key));
	if (err)
		sttcp_count(pn, STTCP_STAT_NL_REJECTED);
	return err;
}

static int cmd_del_config(struct sk_buff *skb, struct genl_info *info)
{
	sttcp_unconfigure(sttcp_pernet(genl_info_net(info)));
	return 0;
}

static struct sk_buff *reply_new(struct genl_info *info, u8 cmd, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &sttcp_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int put_config(struct sk_buff *msg, const struct sttcp_cfg *cfg)
{
	struct nlattr *ports;
	int i;

	if (!cfg)
		return 0;
	if (nla_put_flag(msg, STTCP_A_CONFIGURED) ||
	    nla_put_u8(msg, STTCP_A_ROLE, cfg->role) ||
	    nla_put_be32(msg, STTCP_A_VIP, cfg->vip) ||
	    nla_put_be32(msg, STTCP_A_LOCAL_ADDR, cfg->local_addr) ||
	    nla_put_u16(msg, STTCP_A_LOCAL_PORT, ntohs(cfg->local_port)) ||
	    nla_put_be32(msg, STTCP_A_PEER_ADDR, cfg->peer_addr) ||
	    nla_put_u16(msg, STTCP_A_PEER_PORT, ntohs(cfg->peer_port)) ||
	    nla_put_u8(msg, STTCP_A_GATING, cfg->gating) ||
	    nla_put_u8(msg, STTCP_A_AUTH, !!cfg->tfm))	/* never the key itself */
		return -EMSGSIZE;
	if (cfg->local_addr2 &&
	    (nla_put_be32(msg, STTCP_A_LOCAL_ADDR2, cfg->local_addr2) ||
	     nla_put_be32(msg, STTCP_A_PEER_ADDR2, cfg->peer_addr2)))
		return -EMSGSIZE;
	ports = nla_nest_start(msg, STTCP_A_PORTS);
	if (!ports)
		return -EMSGSIZE;
	for (i = 0; i < cfg->n_ports; i++)
		if (nla_put_u16(msg, STTCP_A_PORT, ntohs(cfg->ports[i])))
			return -EMSGSIZE;
	nla_nest_end(msg, ports);
	return 0;
}

static int cmd_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct sttcp_net *pn = sttcp_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = reply_new(info, STTCP_CMD_GET_CONFIG, &hdr);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	err = put_config(msg, rcu_dereference(pn->cfg));
	rcu_read_unlock();
	if (!err)
		err = sttcp_settings_put(msg, pn, false);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int cmd_get_status(struct sk_buff *skb, struct genl_info *info)
{
	struct sttcp_net *pn = sttcp_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;

	msg = reply_new(info, STTCP_CMD_GET_STATUS, &hdr);
	if (!msg)
		return -ENOMEM;
	if (sttcp_status_put(msg, pn) || sttcp_settings_put(msg, pn, true)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int cmd_switchover(struct sk_buff *skb, struct genl_info *info)
{
	struct sttcp_net *pn = sttcp_pernet(genl_info_net(info));
	int err = sttcp_switchover(pn, info->extack);

	if (err)
		sttcp_count(pn, STTCP_STAT_NL_REJECTED);
	return err;
}

static int cmd_takeover(struct sk_buff *skb, struct genl_info *info)
{
	struct sttcp_net *pn = sttcp_pernet(genl_info_net(info));
	int err = sttcp_takeover_cmd(pn, info->extack);

	if (err)
		sttcp_count(pn, STTCP_STAT_NL_REJECTED);
	return err;
}

static int cmd_vip_announced(struct sk_buff *skb, struct genl_info *info)
{
	struct sttcp_net *pn = sttcp_pernet(genl_info_net(info));

	if (sttcp_state(pn) != STTCP_STATE_ACTIVE) {
		sttcp_count(pn, STTCP_STAT_NL_REJECTED);
		NL_SET_ERR_MSG(info->extack, "vip announced: this node is not active");
		return -EINVAL;
	}
	sttcp_flows_work_queue(pn, STTCP_WORK_REPROD);
	return 0;
}

static int cmd_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct sttcp_net *pn = sttcp_pernet(genl_info_net(info));
	u64 v[__STTCP_STAT_MAX];
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;
	int i;

	msg = reply_new(info, STTCP_CMD_GET_STATS, &hdr);
	if (!msg)
		return -ENOMEM;
	sttcp_stats_read(pn, v);
	nest = nla_nest_start(msg, STTCP_A_STATS);
	if (!nest)
		goto nospace;
	for (i = 1; i < __STTCP_STAT_MAX; i++)
		if (nla_put_u64_64bit(msg, i, v[i], STTCP_STAT_UNSPEC))
			goto nospace;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int cmd_reset_stats(struct sk_buff *skb, struct genl_info *info)
{
	sttcp_stats_reset(sttcp_pernet(genl_info_net(info)));
	return 0;
}

struct flow_snapshot {
	struct sttcp_flow_key key;
	u8 state, flags;
	struct sttcp_xlate x;
	u32 backup_rcv_nxt, held;
	u64 segs_in;
	bool shadow;
	bool embryonic;
};

/* Socket state of the flow, in the primary's number space. */
static int put_sock_state(struct sk_buff *msg, struct sttcp_net *pn,
			  const struct flow_snapshot *s, u32 *flags)
{
	u32 delta = s->shadow ? s->x.seq_delta : 0;
	struct sock *sk;
	int err = 0;

	sk = sttcp_flow_sock(pn, &s->key);
	if (!sk)
		return 0;
	if (sk_fullsock(sk)) {
		const struct tcp_sock *tp = tcp_sk(sk);

		*flags |= STTCP_FLOW_F_SOCK;
		if (nla_put_u32(msg, STTCP_FLOW_A_SND_UNA, READ_ONCE(tp->snd_una) - delta) ||
		    nla_put_u32(msg, STTCP_FLOW_A_SND_NXT, READ_ONCE(tp->snd_nxt) - delta) ||
		    nla_put_u32(msg, STTCP_FLOW_A_RCV_NXT, READ_ONCE(tp->rcv_nxt)))
			err = -EMSGSIZE;
	}
	if (!err && nla_put_u8(msg, STTCP_FLOW_A_SOCK_STATE, READ_ONCE(sk->sk_state)))
		err = -EMSGSIZE;
	sock_gen_put(sk);
	return err;
}

static int put_flow(struct sk_buff *msg, struct netlink_callback *cb,
		    struct sttcp_net *pn, const struct flow_snapshot *s)
{
	struct nlattr *nest;
	u32 flags = s->flags | (s->embryonic ? STTCP_FLOW_F_EMBRYONIC : 0);
	void *hdr;

	hdr = genlmsg_put(msg, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &sttcp_family, NLM_F_MULTI, STTCP_CMD_GET_FLOWS);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(msg, STTCP_A_FLOW);
	if (!nest)
		goto cancel;
	if (put_sock_state(msg, pn, s, &flags) ||
	    nla_put_be32(msg, STTCP_FLOW_A_CLIENT_ADDR, s->key.caddr) ||
	    nla_put_u16(msg, STTCP_FLOW_A_CLIENT_PORT, ntohs(s->key.cport)) ||
	    nla_put_be32(msg, STTCP_FLOW_A_VIP, s->key.vaddr) ||
	    nla_put_u16(msg, STTCP_FLOW_A_VPORT, ntohs(s->key.vport)) ||
	    nla_put_u8(msg, STTCP_FLOW_A_STATE, s->state) ||
	    nla_put_u32(msg, STTCP_FLOW_A_FLAGS, flags) ||
	    nla_put_u32(msg, STTCP_FLOW_A_SEQ_DELTA, s->x.seq_delta) ||
	    nla_put_u32(msg, STTCP_FLOW_A_TS_DELTA, s->x.ts_delta) ||
	    nla_put_u8(msg, STTCP_FLOW_A_WSCALE_PRIMARY, s->x.ws_primary) ||
	    nla_put_u8(msg, STTCP_FLOW_A_WSCALE_BACKUP, s->x.ws_backup) ||
	    nla_put_u32(msg, STTCP_FLOW_A_BACKUP_RCV_NXT, s->backup_rcv_nxt) ||
	    nla_put_u32(msg, STTCP_FLOW_A_HELD_SEGS, s->held) ||
	    nla_put_u64_64bit(msg, STTCP_FLOW_A_SEGS_IN, s->segs_in, STTCP_FLOW_A_PAD))
		goto cancel;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;
cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

static void snapshot(struct sttcp_flow *f, struct flow_snapshot *s)
{
	spin_lock_bh(&f->lock);
	s->key = f->key;
	s->state = f->state;
	s->flags = f->flags;
	s->embryonic = f->embryonic;	/* flows_lock held */
	s->x = f->x;
	s->backup_rcv_nxt = f->backup_rcv_nxt;
	s->held = skb_queue_len(&f->queue);
	s->segs_in = f->segs_in;
	s->shadow = f->shadow;
	spin_unlock_bh(&f->lock);
}

/*
 * Where a flow dump stands between its parts (in cb->ctx, zeroed at the
 * start): it resumes after the last flow sent, found by its key, so a dump
 * costs O(n) however many parts it takes. Flows come and go meanwhile: one
 * freed or promoted since is replaced by the position it had, and a flow
 * promoted or freed in between may be missed or repeated.
 */
struct dump_pos {
	struct sttcp_flow_key key;	/* the last flow sent */
	int list;			/* its list: sttcp_flow_list() */
	long sent;			/* flows of that list sent so far */
	bool started;
};

/* flows_lock held: the entry to continue after, in list pos->list. */
static struct sttcp_flow *dump_resume(struct sttcp_net *pn, const struct dump_pos *pos)
{
	struct list_head *head = sttcp_flow_list(pn, pos->list);
	struct sttcp_flow *f;
	long n = 0;

	rcu_read_lock();
	f = sttcp_flow_lookup(pn, &pos->key);
	rcu_read_unlock();
	/* In the table is on a list, and every unlink takes flows_lock. */
	if (f && (f->embryonic ? 0 : 1) == pos->list)
		return f;
	list_for_each_entry(f, head, list)
		if (++n == pos->sent)
			return f;
	/* Fewer left than were sent: continue after the last (or the head). */
	return list_entry(head->prev, struct sttcp_flow, list);
}

static int cmd_dump_flows(struct sk_buff *msg, struct netlink_callback *cb)
{
	struct sttcp_net *pn = sttcp_pernet(sock_net(cb->skb->sk));
	struct dump_pos *pos = (struct dump_pos *)cb->ctx;
	struct flow_snapshot s;
	struct sttcp_flow *f;
	int l;

	BUILD_BUG_ON(sizeof(*pos) > sizeof(cb->ctx));
	spin_lock_bh(&pn->flows_lock);
	for (l = pos->started ? pos->list : 0; l < STTCP_FLOW_LISTS; l++) {
		if (pos->started && l == pos->list)
			f = dump_resume(pn, pos);
		else
			f = list_entry(sttcp_flow_list(pn, l), struct sttcp_flow, list);
		list_for_each_entry_continue(f, sttcp_flow_list(pn, l), list) {
			snapshot(f, &s);
			if (put_flow(msg, cb, pn, &s))
				goto full;
			if (!pos->started || pos->list != l)
				pos->sent = 0;
			*pos = (struct dump_pos){ .key = f->key, .list = l,
						  .sent = pos->sent + 1, .started = true };
		}
	}
full:
	spin_unlock_bh(&pn->flows_lock);
	return msg->len;
}

static const struct genl_small_ops sttcp_ops[] = {
	{
		.cmd = STTCP_CMD_SET_CONFIG,
		.doit = cmd_set_config,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = STTCP_CMD_DEL_CONFIG,
		.doit = cmd_del_config,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = STTCP_CMD_GET_CONFIG,
		.doit = cmd_get_config,
	},
	{
		.cmd = STTCP_CMD_GET_STATS,
		.doit = cmd_get_stats,
	},
	{
		.cmd = STTCP_CMD_RESET_STATS,
		.doit = cmd_reset_stats,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = STTCP_CMD_GET_FLOWS,
		.dumpit = cmd_dump_flows,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = STTCP_CMD_GET_STATUS,
		.doit = cmd_get_status,
	},
	{
		.cmd = STTCP_CMD_SWITCHOVER,
		.doit = cmd_switchover,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = STTCP_CMD_TAKEOVER,
		.doit = cmd_takeover,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = STTCP_CMD_VIP_ANNOUNCED,
		.doit = cmd_vip_announced,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family sttcp_family __ro_after_init = {
	.name = STTCP_GENL_NAME,
	.version = STTCP_GENL_VERSION,
	.maxattr = STTCP_A_MAX,
	.policy = sttcp_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = sttcp_ops,
	.n_small_ops = ARRAY_SIZE(sttcp_ops),
	.mcgrps = sttcp_mcgrps,
	.n_mcgrps = ARRAY_SIZE(sttcp_mcgrps),
};

int sttcp_genl_register(void)
{
	int err = genl_register_family(&sttcp_family);

	if (!err)
		sttcp_events_start(&sttcp_family);
	return err;
}

void sttcp_genl_unregister(void)
{
	genl_unregister_family(&sttcp_family);
}
