// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * The sync channel: one kernel UDP socket per namespace (the WireGuard /
 * VXLAN pattern). Receive runs in the socket's encap_rcv hook in softirq;
 * transmit builds the UDP/IP headers itself with udp_tunnel_xmit_skb.
 * An optional second socket on the service network carries heartbeats
 * only, so that losing the sync link alone is never taken for a dead peer.
 */
#include <linux/udp.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>
#include "sttcp.h"
#include "auth.h"
#include "sync.h"

/* Enough linear bytes for the header, SYN facts and both packet headers. */
#define PARSE_PULL (STTCP_WIRE_HDR_LEN + STTCP_WIRE_SYN_FACTS_LEN + 60 + 60)

/* From the configured peer, a known envelope, authentic: the tag is then cut off. */
static bool rx_envelope(struct sttcp_net *pn, const struct sttcp_cfg *cfg,
			struct sk_buff *skb, int path, struct sttcp_wire_env *env)
{
	u32 total = skb->len - sizeof(struct udphdr);
	int err;

	/* Only the configured peer's address may speak; the tag proves it is the peer. */
	if (ip_hdr(skb)->saddr != (path ? cfg->peer_addr2 : cfg->peer_addr)) {
		sttcp_count(pn, STTCP_STAT_RX_FOREIGN);
		return false;
	}
	if (skb->len < sizeof(struct udphdr) + STTCP_WIRE_HDR_LEN ||
	    !pskb_may_pull(skb, sizeof(struct udphdr) + STTCP_WIRE_HDR_LEN)) {
		sttcp_count(pn, STTCP_STAT_RX_MALFORMED);
		return false;
	}
	err = sttcp_wire_parse_env(skb->data + sizeof(struct udphdr), STTCP_WIRE_HDR_LEN,
				   total, env);
	if (err) {
		sttcp_count(pn, err == -EPROTONOSUPPORT ? STTCP_STAT_RX_BAD_VERSION :
			    STTCP_STAT_RX_MALFORMED);
		return false;
	}
	/* Authenticate before the body is parsed: a forgery gets no further. */
	if (!sttcp_auth_rx_check(pn, cfg, skb, sizeof(struct udphdr), env))
		return false;
	/* Drop the tag: an injected packet must end where the client's did. */
	if (env->flags & STTCP_WIRE_F_AUTH &&
	    pskb_trim_rcsum(skb, skb->len - STTCP_WIRE_TAG_LEN)) {
		sttcp_count(pn, STTCP_STAT_RX_MALFORMED);
		return false;
	}
	return true;
}

/* An authentic envelope's body, parsed strictly, then its session and counter. */
static bool rx_body(struct sttcp_net *pn, struct sk_buff *skb, u32 total,
		    const struct sttcp_wire_env *env, int path, struct sttcp_msg *m)
{
	u32 end = skb->len - sizeof(struct udphdr), pull;
	int err;

	/* Reports are small and read whole; packets only up to their headers. */
	pull = env->type == STTCP_MSG_REPORT || env->type == STTCP_MSG_SETTINGS ||
	       env->type == STTCP_MSG_DIGEST ?
		end : min_t(u32, end, PARSE_PULL);
	if (!pskb_may_pull(skb, sizeof(struct udphdr) + pull)) {
		sttcp_count(pn, STTCP_STAT_RX_MALFORMED);
		return false;
	}
	err = sttcp_wire_parse(skb->data + sizeof(struct udphdr), pull, total, m);
	if (err) {
		sttcp_count(pn, err == -EPROTONOSUPPORT ? STTCP_STAT_RX_BAD_VERSION :
			    STTCP_STAT_RX_MALFORMED);
		return false;
	}
	/* Only now, for a message that is authentic and whole: replay and session. */
	return sttcp_auth_rx_session(pn, &m->env, path);
}

/*
 * The socket's encap_rcv: a datagram that passes every check goes to the
 * handler sttcp_sync_open() was given; any other is dropped and counted.
 */
static int encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct sttcp_net *pn = rcu_dereference_sk_user_data(sk);
	const struct sttcp_cfg *cfg;
	struct sttcp_wire_env env;
	struct sttcp_msg m;
	u32 total;
	int path;

	if (!pn)
		goto drop;
	cfg = rcu_dereference(pn->cfg);
	if (!cfg)
		goto drop;
	path = pn->sock[1] && sk == pn->sock[1]->sk;
	/* The length the envelope states, the tag included. */
	total = skb->len - sizeof(struct udphdr);
	if (!rx_envelope(pn, cfg, skb, path, &env) || !rx_body(pn, skb, total, &env, path, &m))
		goto drop;
	pn->sync_rx(pn, skb, &m, path);
	return 0;
drop:
	kfree_skb(skb);
	return 0;
}

static int path_open(struct sttcp_net *pn, int path, __be32 addr, __be16 port)
{
	struct udp_port_cfg ucfg = {
		.family = AF_INET,
		.local_ip.s_addr = addr,
		.local_udp_port = port,
		.use_udp_checksums = true,
	};
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data = pn,
		.encap_type = 1,
		.encap_rcv = encap_rcv,
	};
	struct socket *sock;
	int err;

	err = dst_cache_init(&pn->dst_cache[path], GFP_KERNEL);
	if (err)
		return err;
	err = udp_sock_create4(pn->net, &ucfg, &sock);
	if (err) {
		dst_cache_destroy(&pn->dst_cache[path]);
		return err;
	}
	setup_udp_tunnel_sock(pn->net, sock, &tcfg);
	pn->sock[path] = sock;
	return 0;
}

/**
 * sttcp_sync_open() - open the sync socket(s) of a configuration
 * @pn: namespace state
 * @cfg: the configuration (addresses and port)
 * @rx: takes each message that passed every check, in softirq, and
 *	consumes its skb (data at the UDP header, the tag cut off)
 *
 * Return: 0 or a negative errno (the address is not local, the port in use).
 */
int sttcp_sync_open(struct sttcp_net *pn, const struct sttcp_cfg *cfg, sttcp_sync_rx_t rx)
{
	int err;

	pn->sync_rx = rx;	/* before the socket publishes pn */
	err = path_open(pn, 0, cfg->local_addr, cfg->local_port);
	if (err || !cfg->local_addr2)
		return err;
	err = path_open(pn, 1, cfg->local_addr2, cfg->local_port);
	if (err)
		sttcp_sync_close(pn);
	return err;
}

void sttcp_sync_close(struct sttcp_net *pn)
{
	int path;

	for (path = 0; path < STTCP_PATHS; path++) {
		if (!pn->sock[path])
			continue;
		udp_tunnel_sock_release(pn->sock[path]);	/* includes synchronize_rcu() */
		pn->sock[path] = NULL;
		dst_cache_destroy(&pn->dst_cache[path]);
	}
}

/**
 * sttcp_sync_alloc() - allocate a sync message with room for its headers
 * @pn: namespace state
 * @body_len: bytes after the sttcp header
 *
 * Return: skb whose data starts at the (unwritten) sttcp header, or NULL.
 */
struct sk_buff *sttcp_sync_alloc(struct sttcp_net *pn, u32 body_len)
{
	u32 room = LL_MAX_HEADER + sizeof(struct iphdr) + sizeof(struct udphdr);
	struct sk_buff *skb;

	/*
	 * The length field is 16 bits and a datagram ends at 65507 bytes: only
	 * a mirrored segment can be longer (an unsplit one from a loopback
	 * client, MTU 64 KiB). Its flow is given up like one whose mirrors
	 * are lost, never sent with a wrapped length.
	 */
	if (STTCP_WIRE_HDR_LEN + body_len + STTCP_WIRE_TAG_LEN > STTCP_WIRE_MAX_LEN) {
		sttcp_count(pn, STTCP_STAT_MIRROR_TX_ERR);
		return NULL;
	}
	/* Tailroom for the tag: whether it is needed is known only at send time. */
	skb = alloc_skb(room + STTCP_WIRE_HDR_LEN + body_len + STTCP_WIRE_TAG_LEN, GFP_ATOMIC);
	if (!skb) {
		sttcp_count(pn, STTCP_STAT_SKB_ALLOC_FAIL);
		return NULL;
	}
	skb_reserve(skb, room);
	skb_put(skb, STTCP_WIRE_HDR_LEN + body_len);
	return skb;
}

/**
 * sttcp_sync_send() - stamp the envelope and send a message to the peer
 * @pn: namespace state
 * @skb: from sttcp_sync_alloc(), body filled in; always consumed
 * @type: enum sttcp_wire_type
 */
void sttcp_sync_send(struct sttcp_net *pn, struct sk_buff *skb, u8 type)
{
	sttcp_sync_send_path(pn, skb, type, 0);
}

/**
 * sttcp_sync_send_path() - send a message on one path
 * @pn: namespace state
 * @skb: from sttcp_sync_alloc(), body filled in; always consumed
 * @type: enum sttcp_wire_type
 * @path: 0 for the sync link, 1 for the second heartbeat path
 */
void sttcp_sync_send_path(struct sttcp_net *pn, struct sk_buff *skb, u8 type, int path)
{
	const struct sttcp_cfg *cfg;
	__be32 saddr, daddr, local;
	struct socket *sock;
	struct rtable *rt;

	rcu_read_lock();
	cfg = rcu_dereference(pn->cfg);
	sock = READ_ONCE(pn->sock[path]);
	if (!cfg || !sock)
		goto err;
	daddr = path ? cfg->peer_addr2 : cfg->peer_addr;
	local = path ? cfg->local_addr2 : cfg->local_addr;
	/*
	 * dst_cache is per-cpu; and from taking the counter to the queue, a
	 * softirq on this CPU must not send a burst of later counters first
	 * (the receiver's replay window would find this one too old).
	 */
	local_bh_disable();
	sttcp_auth_tx(pn, cfg, skb, type, path);
	rt = (struct rtable *)dst_cache_get_ip4(&pn->dst_cache[path], &saddr);
	if (!rt) {
		struct flowi4 fl4 = {
			.daddr = daddr,
			.saddr = local,
			.flowi4_proto = IPPROTO_UDP,
			.fl4_sport = cfg->local_port,
			.fl4_dport = cfg->peer_port,
		};

		rt = ip_route_output_key(pn->net, &fl4);
		if (IS_ERR(rt)) {
			local_bh_enable();
			goto err;
		}
		saddr = fl4.saddr;
		dst_cache_set_ip4(&pn->dst_cache[path], &rt->dst, saddr);
	}
	/* A big mirrored segment may exceed a small sync MTU: let IP fragment. */
	skb->ignore_df = 1;
	skb->dev = NULL;	/* iptunnel_xmit only counts stats on tunnel devices */
	udp_tunnel_xmit_skb(rt, sock->sk, skb, saddr, daddr, 0,
			    ip4_dst_hoplimit(&rt->dst), 0, cfg->local_port,
			    cfg->peer_port, false, false);
	local_bh_enable();
	rcu_read_unlock();
	return;
err:
	rcu_read_unlock();
	sttcp_count(pn, STTCP_STAT_MIRROR_TX_ERR);
	kfree_skb(skb);
}
