// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Netfilter hooks. They only classify packets of the protected service and
 * hand them to the role's code; everything else passes untouched.
 *
 *   LOCAL_IN    CONFIRM-2  primary: mirror client segments, hold for the gate
 *   PRE_ROUTING RAW-1      backup: translate client segments (after defrag)
 *   LOCAL_OUT   RAW-10     primary: learn SYN-ACK facts; backup: suppress
 *
 * Which code runs follows the node's state, not its configured role. After
 * a takeover the flows it followed as a backup ("shadow" flows) keep the
 * backup's translation for life, now without suppression, while new flows
 * are this node's own and go through the primary's code.
 */
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/netfilter_ipv4.h>
#include <net/ip.h>
#include "sttcp.h"
#include "backup.h"
#include "flow.h"
#include "hooks.h"
#include "primary.h"

/*
 * The TCP header of a packet to or from the VIP, options included, linear
 * and validated (sttcp_tcp_hdr_len()) before anything reads a length or an
 * offset from it; NULL for other packets. Malformed ones are counted and
 * left alone: TCP drops them. Raw IP_HDRINCL sockets reach LOCAL_OUT with
 * whatever header they wrote, so every hook takes this path.
 */
static struct tcphdr *tcp_header(struct sttcp_net *pn, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	u32 ihl = iph->ihl * 4, ip_len, thl;

	if (iph->protocol != IPPROTO_TCP || ip_is_fragment(iph))
		return NULL;
	ip_len = min_t(u32, ntohs(iph->tot_len), skb->len);
	if (ihl < sizeof(*iph) || !pskb_may_pull(skb, ihl + sizeof(struct tcphdr)))
		goto malformed;
	thl = sttcp_tcp_hdr_len(ip_len, ihl, ((struct tcphdr *)(skb->data + ihl))->doff);
	if (!thl || !pskb_may_pull(skb, ihl + thl))
		goto malformed;
	return (struct tcphdr *)(skb->data + ihl);

malformed:
	sttcp_count(pn, STTCP_STAT_CLIENT_MALFORMED);
	return NULL;
}

static bool is_shadow(struct sttcp_net *pn, __be32 caddr, __be16 cport,
		      __be32 vaddr, __be16 vport)
{
	struct sttcp_flow_key key = { .caddr = caddr, .vaddr = vaddr,
				      .cport = cport, .vport = vport };
	struct sttcp_flow *f = sttcp_flow_lookup(pn, &key);

	return f && f->shadow;
}

static unsigned int hook_local_in(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *st)
{
	struct sttcp_net *pn = priv;
	const struct sttcp_cfg *cfg = rcu_dereference(pn->cfg);
	struct tcphdr *th;

	if (!cfg || !sttcp_serving(sttcp_state(pn)) || ip_hdr(skb)->daddr != cfg->vip)
		return NF_ACCEPT;
	th = tcp_header(pn, skb);
	if (!th || !sttcp_cfg_match_port(cfg, th->dest))
		return NF_ACCEPT;
	return sttcp_primary_in(pn, cfg, skb, st);
}

static unsigned int hook_pre_routing(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *st)
{
	struct sttcp_net *pn = priv;
	const struct sttcp_cfg *cfg = rcu_dereference(pn->cfg);
	u8 state = sttcp_state(pn);
	struct tcphdr *th;

	if (!cfg || state == STTCP_STATE_NONE || ip_hdr(skb)->daddr != cfg->vip)
		return NF_ACCEPT;
	th = tcp_header(pn, skb);
	if (!th || !sttcp_cfg_match_port(cfg, th->dest))
		return NF_ACCEPT;
	if (state != STTCP_STATE_BACKUP && !is_shadow(pn, ip_hdr(skb)->saddr, th->source,
						      ip_hdr(skb)->daddr, th->dest))
		return NF_ACCEPT;
	return sttcp_backup_in(pn, cfg, skb);
}

static unsigned int hook_local_out(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *st)
{
	struct sttcp_net *pn = priv;
	const struct sttcp_cfg *cfg = rcu_dereference(pn->cfg);
	struct tcphdr *th;

	if (!cfg || ip_hdr(skb)->saddr != cfg->vip)
		return NF_ACCEPT;
	th = tcp_header(pn, skb);
	if (!th || !sttcp_cfg_match_port(cfg, th->source))
		return NF_ACCEPT;
	switch (sttcp_state(pn)) {
	case STTCP_STATE_BACKUP:
		return sttcp_backup_out(pn, cfg, skb, true);
	case STTCP_STATE_STARTING:
	case STTCP_STATE_ACTIVE:
	case STTCP_STATE_HANDOVER:
		if (is_shadow(pn, ip_hdr(skb)->daddr, th->dest, ip_hdr(skb)->saddr, th->source))
			return sttcp_backup_out(pn, cfg, skb, false);
		return sttcp_primary_out(pn, cfg, skb);
	default:
		return NF_ACCEPT;
	}
}

static const struct nf_hook_ops hook_templates[] = {
	{
		.hook = hook_local_in,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_CONNTRACK_CONFIRM - 2,
	},
	{
		.hook = hook_pre_routing,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_RAW - 1,
	},
	{
		.hook = hook_local_out,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_RAW - 10,
	},
};

int sttcp_hooks_register(struct sttcp_net *pn)
{
	size_t i;
	int err;

	if (pn->hooks_registered)
		return 0;
	BUILD_BUG_ON(ARRAY_SIZE(hook_templates) != ARRAY_SIZE(pn->hook_ops));
	for (i = 0; i < ARRAY_SIZE(hook_templates); i++) {
		pn->hook_ops[i] = hook_templates[i];
		pn->hook_ops[i].priv = pn;
	}
	err = nf_register_net_hooks(pn->net, pn->hook_ops, ARRAY_SIZE(pn->hook_ops));
	if (!err)
		pn->hooks_registered = true;
	return err;
}

void sttcp_hooks_unregister(struct sttcp_net *pn)
{
	if (!pn->hooks_registered)
		return;
	nf_unregister_net_hooks(pn->net, pn->hook_ops, ARRAY_SIZE(pn->hook_ops));
	pn->hooks_registered = false;
}
