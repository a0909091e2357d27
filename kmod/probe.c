// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Reset probes: the connections a takeover could not carry on (takeover.c
 * aborts and forgets them) must end with a RST the client accepts, also for
 * a client that only reads and so never sends the segment the stack would
 * answer. The backup's own RST carries its sequence numbers, which on a
 * diverged flow lag the client's rcv_nxt by megabytes, and it goes out
 * before the VIP has moved.
 *
 * So once the VIP is announced (the daemon's VIP_ANNOUNCED), each such
 * client gets one byte that lies below its window: it ends at the primary's
 * ISN, acknowledged since the handshake. TCP answers a segment outside its
 * window with an ACK of its own (RFC 9293 3.10.7.4; for data at once, for a
 * pure ACK at most every tcp_invalid_ratelimit); that answer meets neither
 * flow nor socket here, and the stack's RST to it carries exactly the
 * client's ack, which the client accepts (RFC 5961). A client that got its
 * RST already answers the probe with a RST of its own, which the stack
 * ignores. Probes go at the announcement and twice more in case one is
 * lost.
 */
#include <linux/slab.h>
#include <net/ip.h>
#include <net/route.h>
#include "sttcp.h"
#include "probe.h"

static const unsigned int probe_delay_ms[] = { 1000, 2000 };

struct sttcp_probes {
	int n;
	int round;		/* probes sent to each so far */
	struct sttcp_probe p[];
};

/**
 * sttcp_probes_init() - per-namespace state of the reset probes
 * @pn: namespace state
 */
void sttcp_probes_init(struct sttcp_net *pn)
{
	mutex_init(&pn->probe_lock);
	INIT_DELAYED_WORK(&pn->probe_work, sttcp_probe_work);
}

/**
 * sttcp_probes_alloc() - room for @n probes
 * @n: connections to probe
 *
 * Process context. Return: the set (fill ->p[0..n-1]) or NULL.
 */
struct sttcp_probes *sttcp_probes_alloc(int n)
{
	struct sttcp_probes *set = kvzalloc(struct_size(set, p, n), GFP_KERNEL);

	if (set)
		set->n = n;
	return set;
}

/**
 * sttcp_probes_at() - the @i-th entry of a set, to fill
 * @set: from sttcp_probes_alloc()
 * @i: 0 to its n - 1
 *
 * Return: the entry.
 */
struct sttcp_probe *sttcp_probes_at(struct sttcp_probes *set, int i)
{
	return &set->p[i];
}

/**
 * sttcp_probes_set() - the connections the next announcement probes
 * @pn: namespace state
 * @set: from sttcp_probes_alloc(), or NULL for none; owned from now on
 *
 * Process context. Replaces (and stops) any set before.
 */
void sttcp_probes_set(struct sttcp_net *pn, struct sttcp_probes *set)
{
	struct sttcp_probes *old;

	cancel_delayed_work_sync(&pn->probe_work);
	mutex_lock(&pn->probe_lock);
	old = pn->probes;
	pn->probes = set;
	mutex_unlock(&pn->probe_lock);
	kvfree(old);
}

/**
 * sttcp_probes_start() - the VIP is announced: probe now, then again
 * @pn: namespace state
 */
void sttcp_probes_start(struct sttcp_net *pn)
{
	mutex_lock(&pn->probe_lock);
	if (pn->probes)
		pn->probes->round = 0;
	mutex_unlock(&pn->probe_lock);
	mod_delayed_work(system_wq, &pn->probe_work, 0);
}

static void send_probe(struct sttcp_net *pn, const struct sttcp_probe *p)
{
	u32 thl = sizeof(struct tcphdr) + 1, len = sizeof(struct iphdr) + thl;
	struct flowi4 fl4 = {};
	struct sk_buff *skb;
	struct tcphdr *th;
	struct iphdr *iph;
	struct rtable *rt;

	rt = ip_route_output_ports(pn->net, &fl4, NULL, p->key.caddr, p->key.vaddr,
				   p->key.cport, p->key.vport, IPPROTO_TCP, 0, 0);
	if (IS_ERR(rt))
		return;
	skb = alloc_skb(LL_MAX_HEADER + len, GFP_KERNEL);
	if (!skb) {
		ip_rt_put(rt);
		sttcp_count(pn, STTCP_STAT_SKB_ALLOC_FAIL);
		return;
	}
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, len);
	th = (struct tcphdr *)(iph + 1);
	skb_set_transport_header(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons(len);
	iph->frag_off = htons(IP_DF);
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_TCP;
	iph->saddr = p->key.vaddr;
	iph->daddr = p->key.caddr;
	th->source = p->key.vport;
	th->dest = p->key.cport;
	th->seq = htonl(p->isn - 1);
	th->ack_seq = htonl(p->ack);
	th->doff = sizeof(*th) / 4;
	th->ack = 1;
	th->window = htons(1024);
	th->check = csum_tcpudp_magic(iph->saddr, iph->daddr, thl, IPPROTO_TCP,
				      csum_partial(th, thl, 0));
	skb->protocol = htons(ETH_P_IP);
	skb_dst_set(skb, &rt->dst);
	if (ip_local_out(pn->net, NULL, skb) == 0)
		sttcp_count(pn, STTCP_STAT_RESET_PROBES);
}

/**
 * sttcp_probe_work() - send one round of probes (work item)
 * @work: sttcp_net.probe_work
 */
void sttcp_probe_work(struct work_struct *work)
{
	struct sttcp_net *pn = container_of(to_delayed_work(work), struct sttcp_net,
					    probe_work);
	struct sttcp_probes *set;
	int i;

	mutex_lock(&pn->probe_lock);
	set = pn->probes;
	if (!set || sttcp_state(pn) != STTCP_STATE_ACTIVE)
		goto unlock;
	for (i = 0; i < set->n; i++)
		send_probe(pn, &set->p[i]);
	if (set->round < ARRAY_SIZE(probe_delay_ms))
		queue_delayed_work(system_wq, &pn->probe_work,
				   msecs_to_jiffies(probe_delay_ms[set->round]));
	set->round++;
unlock:
	mutex_unlock(&pn->probe_lock);
}
