// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Backup role: inject the primary's mirrored client segments into the local
 * stack, translate them into this socket's number space, suppress
 * everything the backup's TCP sends to clients, and report rcv_nxt.
 *
 * Suppression steals and frees (NF_STOLEN): TCP then believes the segment
 * left, so snd_nxt advances and no error path (NF_DROP's -EPERM) makes it
 * stall or probe itself to death.
 */
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/netfilter/nf_conntrack.h>
#include "sttcp.h"
#include "backup.h"
#include "divergence.h"
#include "flow.h"
#include "hold.h"
#include "mirror.h"
#include "gate.h"

#define PENDING_MAX 64

/* The device holding the VIP receives injected segments (RCU, no ref). */
static struct net_device *inject_dev(struct sttcp_net *pn, const struct sttcp_cfg *cfg)
{
	struct net_device *dev = __ip_dev_find(pn->net, cfg->vip, false);

	return dev && (dev->flags & IFF_UP) ? dev : NULL;
}

/* Feed an IPv4 packet (data at the IP header) to the receive path. */
static void inject(struct sttcp_net *pn, struct net_device *dev, struct sk_buff *skb)
{
	if (!dev) {
		sttcp_count(pn, STTCP_STAT_INJECT_ERR);
		kfree_skb(skb);
		return;
	}
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, ip_hdr(skb)->ihl * 4);
	skb_reset_mac_header(skb);
	skb->mac_len = 0;
	skb->protocol = htons(ETH_P_IP);
	skb->pkt_type = PACKET_HOST;
	/* TCP verifies the client's own checksum end to end. */
	skb->ip_summed = CHECKSUM_NONE;
	skb->dev = dev;
	skb_clear_hash(skb);
	if (netif_rx(skb) == NET_RX_DROP)
		sttcp_count(pn, STTCP_STAT_INJECT_ERR);
	else
		sttcp_count(pn, STTCP_STAT_INJECTED);
}

/* Segments of this size or less left in the window count as a shut window. */
#define SHUT_WINDOW_BYTES	(4 * 1460)
/* At most one RESEND request, and one report for duplicates, per flow per interval. */
#define RESEND_INTERVAL		(HZ / 50)

/*
 * A mirrored segment the backup's socket already has: the primary holds it
 * still, so the report that would have released it was lost. The socket
 * answers a duplicate only with a duplicate ACK, which reports nothing new
 * (sttcp_backup_out()), and the flow would wait for hold_giveup_ms and go
 * on unprotected: repeat the report now. Headers are linear (sync.c).
 */
static void report_duplicate(struct sttcp_net *pn, const struct sttcp_flow_key *key,
			     const struct iphdr *iph)
{
	struct sttcp_flow *f;
	u32 rcv_nxt = 0, win_end = 0;
	bool report = false;

	if (!sttcp_seg_needs_backup(iph))
		return;		/* pure ACKs are never held */
	f = sttcp_flow_lookup(pn, key);
	if (!f || !f->shadow)
		return;
	spin_lock_bh(&f->lock);
	if (!f->dead && f->facts_known && !(f->flags & STTCP_FLOW_F_UNPROTECTED) &&
	    !sttcp_after(sttcp_seg_end(iph), f->backup_rcv_nxt) &&
	    time_after32((u32)jiffies, f->dup_report_at + RESEND_INTERVAL)) {
		f->dup_report_at = jiffies;
		rcv_nxt = f->backup_rcv_nxt;
		win_end = f->backup_win_end;
		report = true;
	}
	spin_unlock_bh(&f->lock);
	if (report) {
		sttcp_send_report(pn, key, rcv_nxt, win_end, 0);
		sttcp_count(pn, STTCP_STAT_DUP_REPORTS);
	}
}

/*
 * A flow of this node's own from before it stepped down, not flushed yet,
 * becomes a shadow: its held segments carry device references the backup's
 * pending queue must not inherit (@stale takes them).
 */
static void shadow_from_own(struct sttcp_flow *f, struct sk_buff_head *stale)
{
	sttcp_gate_release_all(f, stale);
	kfree(f->syn_copy);
	f->syn_copy = NULL;	/* the same pointer as dg_ring */
	WRITE_ONCE(f->state, STTCP_FLOW_CLOSED);
	WRITE_ONCE(f->shadow, true);
}

/* The 4-tuple is reused by a new connection: the shadow starts over. */
static void shadow_restart(struct sttcp_flow *f)
{
	WRITE_ONCE(f->state, STTCP_FLOW_SYN);
	f->facts_known = false;
	f->flags = 0;
	f->fin_in = false;
	f->fin_out = false;
	f->clamp_pending = false;
	f->dg_on = false;
	f->dg_closed = false;
	kfree(f->dg_ring);
	f->dg_ring = NULL;
	/* The primary's fields shared this space. */
	f->clamp_wanted = 0;
	f->ack_given = 0;
	f->client_tsval = 0;
	f->client_tsecr = 0;
}

/*
 * A SYN message: the flow's shadow begins, or begins again. Return: whether
 * to inject the SYN; a repeat (the primary missed our report) is kept out
 * and the report repeated.
 */
static bool rx_syn(struct sttcp_net *pn, const struct sk_buff *skb, const struct sttcp_msg *m)
{
	const u8 *pkt = skb->data + sizeof(struct udphdr) + m->pkt_off;
	const struct tcphdr *th = (const struct tcphdr *)(pkt + m->pkt_ihl);
	struct sk_buff_head stale;
	u32 rcv_nxt, win_end;
	struct sttcp_flow *f;
	bool start, known;

	sttcp_count(pn, STTCP_STAT_SYN_RX);
	f = sttcp_flow_lookup(pn, &m->key);
	if (!f)
		f = sttcp_flow_create(pn, &m->key);
	if (!f)
		return false;
	__skb_queue_head_init(&stale);
	spin_lock_bh(&f->lock);
	if (!f->shadow && !f->dead)
		shadow_from_own(f, &stale);
	if (f->state == STTCP_FLOW_CLOSED && !f->dead)
		shadow_restart(f);
	start = f->state == STTCP_FLOW_SYN;
	if (start) {
		f->primary = m->syn;
		f->client_isn = ntohl(th->seq);
		f->last_seen = jiffies;
	}
	rcv_nxt = f->backup_rcv_nxt;
	win_end = f->backup_win_end;
	known = f->facts_known;
	spin_unlock_bh(&f->lock);
	sttcp_drop_held_list(&stale);
	if (!start && known)
		sttcp_send_report(pn, &m->key, rcv_nxt, win_end, 0);
	return start;
}

/* A MIRROR message: for a backup; after a takeover, only for flows taken over. */
static bool rx_mirror_wanted(struct sttcp_net *pn, const struct sttcp_msg *m)
{
	struct sttcp_flow *f;

	if (sttcp_state(pn) == STTCP_STATE_BACKUP) {
		sttcp_count(pn, STTCP_STAT_MIRROR_RX);
		return true;
	}
	/* Forwarded by the old primary: only for flows taken over from it. */
	f = sttcp_flow_lookup(pn, &m->key);
	if (!f || !f->shadow || !(READ_ONCE(f->flags) & STTCP_FLOW_F_TAKEN_OVER)) {
		sttcp_count(pn, STTCP_STAT_UNKNOWN_FLOW);
		return false;
	}
	sttcp_count(pn, STTCP_STAT_STRAY_RX);
	return true;
}

/**
 * sttcp_backup_rx_packet() - a MIRROR or SYN message arrived
 * @pn: namespace state
 * @skb: the UDP packet, data at the UDP header; consumed
 * @m: its parse result
 */
void sttcp_backup_rx_packet(struct sttcp_net *pn, struct sk_buff *skb,
			    const struct sttcp_msg *m)
{
	const struct sttcp_cfg *cfg = rcu_dereference(pn->cfg);
	bool wanted;

	if (m->key.vaddr != cfg->vip || !sttcp_cfg_match_port(cfg, m->key.vport)) {
		sttcp_count(pn, STTCP_STAT_RX_MALFORMED);
		goto drop;
	}
	wanted = m->type == STTCP_MSG_SYN ? rx_syn(pn, skb, m) : rx_mirror_wanted(pn, m);
	if (!wanted)
		goto drop;
	__skb_pull(skb, sizeof(struct udphdr) + m->pkt_off);
	if (skb->len != m->pkt_len) {
		sttcp_count(pn, STTCP_STAT_RX_MALFORMED);
		goto drop;
	}
	if (m->type == STTCP_MSG_MIRROR && sttcp_state(pn) == STTCP_STATE_BACKUP)
		report_duplicate(pn, &m->key, (const struct iphdr *)skb->data);
	skb_scrub_packet(skb, false);
	skb_orphan(skb);
	inject(pn, inject_dev(pn, cfg), skb);
	return;
drop:
	kfree_skb(skb);
}

/*
 * A client segment of a flow this backup does not follow reached it from
 * the wire: the client still sends to this node's MAC, as after a planned
 * switchover until the new primary's gratuitous ARP arrives. The new
 * primary may own the flow (it took it over from here): send it there
 * rather than make the client wait for its retransmission timer. Any host
 * on the service LAN can send such segments, and each becomes an
 * authenticated message on the sync link: only shortly after this node
 * became a backup (clients' ARP caches move within the gratuitous ARPs'
 * second), and at a bounded rate.
 */
static bool stray_relay_allowed(struct sttcp_net *pn)
{
	return time_before(jiffies, READ_ONCE(pn->state_since) + STRAY_RELAY_WINDOW) &&
	       __ratelimit(&pn->stray_rs);
}

static unsigned int stray(struct sttcp_net *pn, const struct sttcp_cfg *cfg,
			  struct sk_buff *skb)
{
	if (skb->dev != inject_dev(pn, cfg) && READ_ONCE(pn->peer) == STTCP_PEER_ALIVE &&
	    sttcp_serving(READ_ONCE(pn->peer_state)) && stray_relay_allowed(pn)) {
		sttcp_mirror(pn, skb, NULL);
		sttcp_count(pn, STTCP_STAT_STRAY_FWD);
	} else {
		sttcp_count(pn, STTCP_STAT_UNKNOWN_FLOW);
	}
	return NF_DROP;
}

static void update_client_state(struct sttcp_flow *f, const struct tcphdr *th,
				const struct sttcp_tcpopts *o)
{
	f->client_win = ntohs(th->window);
	if (o->ts_off >= 0) {
		if (!f->client_tsval || !sttcp_before(o->tsval, f->client_tsval))
			f->client_tsval = o->tsval;
		if (!f->client_tsecr || sttcp_after(o->tsecr, f->client_tsecr))
			f->client_tsecr = o->tsecr;
	}
	if (th->fin)
		f->fin_in = true;
	if (th->rst)
		sttcp_flow_mark_closed(f);
}

/*
 * A re-mirrored (held) segment still carries the ack and TSval it had when
 * the client first sent it, while the backup has since processed newer pure
 * ACKs. Linux would drop it as a "too old" ack (RFC 5961, with a challenge
 * ACK) or by PAWS. Acks are cumulative and the backup's TSval echoes never
 * leave the host, so raising both to the newest already seen changes nothing
 * but the drop.
 */
static void refresh_stale(struct sttcp_flow *f, struct tcphdr *th,
			  const struct sttcp_tcpopts *o,
			  const struct sttcp_xlate_in_result *res, bool partial)
{
	if (res->has_ack) {
		u32 ack = ntohl(th->ack_seq);

		if (sttcp_before(ack, f->ack_given))
			sttcp_tcp_patch32(th, offsetof(struct tcphdr, ack_seq),
					  f->ack_given, partial);
		else
			f->ack_given = ack;
	}
	if (o->ts_off >= 0 && sttcp_before(o->tsval, f->client_tsval))
		sttcp_tcp_patch32(th, o->ts_off, f->client_tsval, partial);
}

/*
 * A packet looped back on this node (a local health check to the VIP) already
 * holds its conntrack entry from LOCAL_OUT: drop that reference before the
 * packet is marked untracked, or the entry leaks and the namespace never
 * finishes its cleanup.
 */
static void untrack(struct sk_buff *skb)
{
	nf_reset_ct(skb);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
}

/* An ack clamped to the backup's snd_nxt is replayed once it sends that far. */
static void note_clamp(struct sttcp_net *pn, struct sttcp_flow *f,
		       const struct sttcp_xlate_in_result *res)
{
	if (res->clamped) {
		if (!f->clamp_pending || sttcp_after(res->wanted_ack, f->clamp_wanted))
			f->clamp_wanted = res->wanted_ack;
		f->clamp_pending = true;
		sttcp_count(pn, STTCP_STAT_ACK_CLAMPED);
	} else if (res->has_ack && f->clamp_pending &&
		   !sttcp_after(f->clamp_wanted, res->wanted_ack)) {
		f->clamp_pending = false;
	}
}

/*
 * Under f->lock: the client's segment in the backup's numbers (design.md,
 * "Translation"). Return: false if it must be dropped (no memory to write it).
 */
static bool in_translate(struct sttcp_net *pn, struct sttcp_flow *f, struct sk_buff *skb,
			 u32 ihl, u32 thl)
{
	struct tcphdr *th = (struct tcphdr *)(skb->data + ihl);
	struct sttcp_xlate_in_result res;
	struct sttcp_tcpopts o;
	bool partial;

	if (sttcp_tcp_parse_opts(th, thl, &o))
		o.ts_off = -1;
	update_client_state(f, th, &o);
	if (READ_ONCE(pn->tun.debug_no_translate))
		return true;
	if (skb_ensure_writable(skb, ihl + thl))
		return false;
	th = (struct tcphdr *)(skb->data + ihl);
	partial = skb->ip_summed == CHECKSUM_PARTIAL;
	sttcp_xlate_in(th, thl, &f->x, true, f->snd_nxt_b, partial, &res);
	refresh_stale(f, th, &o, &res, partial);
	note_clamp(pn, f, &res);
	return true;
}

unsigned int sttcp_backup_in(struct sttcp_net *pn, const struct sttcp_cfg *cfg,
			     struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	u32 ihl = iph->ihl * 4, thl;
	struct sttcp_flow_key key;
	bool promote = false;
	struct sttcp_flow *f;
	struct tcphdr *th;

	/* Conntrack only ever sees one direction here; keep it out entirely. */
	untrack(skb);
	th = (struct tcphdr *)(skb->data + ihl);
	thl = th->doff * 4;
	if (thl < sizeof(*th) || !pskb_may_pull(skb, ihl + thl))
		return NF_DROP;
	iph = ip_hdr(skb);
	th = (struct tcphdr *)(skb->data + ihl);
	key = (struct sttcp_flow_key){ .caddr = iph->saddr, .vaddr = iph->daddr,
				       .cport = th->source, .vport = th->dest };
	f = sttcp_flow_lookup(pn, &key);
	if (!f || !f->shadow) {
		/* !shadow: this node's own flow from before it stepped down. */
		if (th->syn && !th->ack)
			return NF_ACCEPT;
		return stray(pn, cfg, skb);
	}

	spin_lock_bh(&f->lock);
	if (f->dead || f->flags & STTCP_FLOW_F_UNPROTECTED) {
		/* It leaves when its connection ends, like any flow. */
		if (!f->dead)
			sttcp_flow_note_close(f, th, true);
		/* Being reset at a takeover (takeover.c): the stack answers with a RST. */
		if (sttcp_state(pn) != STTCP_STATE_BACKUP && !(f->flags & STTCP_FLOW_F_LEFT))
			goto accept;
		goto drop;
	}
	f->last_seen = jiffies;
	f->segs_in++;
	if (th->syn && !th->ack)
		goto accept;
	if (!f->facts_known) {
		/* The backup's SYN-ACK (and with it the deltas) is not out yet. */
		if (skb_queue_len(&f->queue) >= PENDING_MAX)
			goto drop;
		__skb_queue_tail(&f->queue, skb);
		spin_unlock_bh(&f->lock);
		sttcp_count(pn, STTCP_STAT_PENDING_QUEUED);
		return NF_STOLEN;
	}
	/* The client's handshake ACK (primary.c: acks_synack()), in the primary's numbers. */
	if (th->ack && ntohl(th->ack_seq) == f->primary.isn + 1)
		promote = READ_ONCE(f->embryonic);
	if (!in_translate(pn, f, skb, ihl, thl))
		goto drop;
accept:
	spin_unlock_bh(&f->lock);
	if (promote)
		sttcp_flow_promote(f);
	return NF_ACCEPT;
drop:
	spin_unlock_bh(&f->lock);
	return NF_DROP;
}

struct synthetic_ack {
	u32 seq, ack;		/* ack in the primary's space */
	u32 tsval, tsecr;
	u16 win;
	bool ts;
};

/*
 * An ack the backup could not take yet (it was beyond its snd_nxt) is due
 * now: inject a pure ACK as the client would have sent it. It is built in
 * the primary's space and translated (and clamped again) by the normal
 * inbound path. seq is the backup's rcv_nxt, so it is always in window.
 */
static void inject_synthetic_ack(struct sttcp_net *pn, const struct sttcp_cfg *cfg,
				 const struct sttcp_flow_key *key,
				 const struct synthetic_ack *a)
{
	u32 thl = sizeof(struct tcphdr) + (a->ts ? 12 : 0);
	u32 len = sizeof(struct iphdr) + thl;
	struct sk_buff *skb;
	struct tcphdr *th;
	struct iphdr *iph;

	skb = alloc_skb(LL_MAX_HEADER + len, GFP_ATOMIC);
	if (!skb) {
		sttcp_count(pn, STTCP_STAT_SKB_ALLOC_FAIL);
		return;
	}
	skb_reserve(skb, LL_MAX_HEADER);
	iph = skb_put_zero(skb, len);
	th = (struct tcphdr *)(iph + 1);
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons(len);
	iph->frag_off = htons(IP_DF);
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = key->caddr;
	iph->daddr = key->vaddr;
	ip_send_check(iph);
	th->source = key->cport;
	th->dest = key->vport;
	th->seq = htonl(a->seq);
	th->ack_seq = htonl(a->ack);
	th->doff = thl / 4;
	th->ack = 1;
	th->window = htons(a->win);
	if (a->ts) {
		u8 *opt = (u8 *)(th + 1);

		opt[0] = 1;	/* NOP */
		opt[1] = 1;
		opt[2] = 8;	/* TS */
		opt[3] = 10;
		sttcp_put_be32(opt + 4, a->tsval);
		sttcp_put_be32(opt + 8, a->tsecr);
	}
	th->check = csum_tcpudp_magic(iph->saddr, iph->daddr, thl, IPPROTO_TCP,
				      csum_partial(th, thl, 0));
	sttcp_count(pn, STTCP_STAT_ACK_REPLAYED);
	inject(pn, inject_dev(pn, cfg), skb);
}

/*
 * A pure window update after the backup's window was (nearly) shut: the
 * mirrored segments that arrived meanwhile were dropped. Rate-limited, as a
 * re-mirror storm would itself overflow the backup's receive backlog.
 */
static bool window_reopened(const struct sttcp_flow *f, u32 ack, u32 win_end)
{
	return sttcp_after(win_end, f->backup_win_end) &&
	       !sttcp_after(f->backup_win_end, ack + SHUT_WINDOW_BYTES) &&
	       time_after32((u32)jiffies, f->resend_at + RESEND_INTERVAL);
}

/* The backup's SYN-ACK: its ISN and TSval give the flow's deltas. */
static bool learn_synack(struct sttcp_flow *f, const struct tcphdr *th,
			 const struct sttcp_tcpopts *o)
{
	u8 opts = (o->sack_ok ? STTCP_OPT_SACK : 0) |
		  (o->ts_off >= 0 ? STTCP_OPT_TS : 0) |
		  (o->wscale != STTCP_NO_WSCALE ? STTCP_OPT_WSCALE : 0);
	u32 isn = ntohl(th->seq);

	f->x.seq_delta = isn - f->primary.isn;
	f->x.ts_delta = o->ts_off >= 0 ? o->tsval - f->primary.tsval : 0;
	f->x.ws_primary = f->primary.wscale;
	f->x.ws_backup = o->wscale == STTCP_NO_WSCALE ? 0 : o->wscale;
	f->snd_nxt_b = isn + 1;
	f->ack_given = isn + 1;
	/* Rate-limit stamps start long ago: jiffies begins 5 minutes before wrapping. */
	f->resend_at = (u32)jiffies - RESEND_INTERVAL - 1;
	f->dup_report_at = (u32)jiffies - RESEND_INTERVAL - 1;
	f->backup_rcv_nxt = ntohl(th->ack_seq);
	f->backup_win_end = f->backup_rcv_nxt + ntohs(th->window);	/* never scaled */
	f->flags |= STTCP_FLOW_F_REPORTED | (o->sack_ok ? STTCP_FLOW_F_SACK : 0) |
		    (o->ts_off >= 0 ? STTCP_FLOW_F_TS : 0);
	f->facts_known = true;
	WRITE_ONCE(f->state, STTCP_FLOW_ESTABLISHED);
	/* Options the client would see change after takeover cannot be hidden. */
	if (opts != f->primary.opts)
		return false;
	sttcp_dg_start(f);
	return true;
}

/* After a takeover: the client sees the primary's numbers, as it always did. */
static unsigned int translate_out(struct sttcp_net *pn, struct sk_buff *skb,
				  const struct sttcp_xlate *x)
{
	u32 ihl = ip_hdr(skb)->ihl * 4, thl;
	struct tcphdr *th;

	untrack(skb);
	th = (struct tcphdr *)(skb->data + ihl);
	thl = th->doff * 4;
	if (skb_ensure_writable(skb, ihl + thl))
		return NF_DROP;		/* TCP retransmits it */
	th = (struct tcphdr *)(skb->data + ihl);
	sttcp_xlate_out(th, thl, x, skb->ip_summed == CHECKSUM_PARTIAL);
	sttcp_count(pn, STTCP_STAT_XLATE_OUT);
	return NF_ACCEPT;
}

/* What sttcp_backup_out() decided under the flow's lock, done after it. */
struct out_acts {
	struct sk_buff_head pending;	/* client segments that waited for the facts */
	struct synthetic_ack ack;	/* replay: the clamped ack, due now */
	struct sttcp_xlate x;		/* xlate: the deltas to show the client */
	u32 report_rcv_nxt;		/* report: what the backup has */
	u32 report_win_end;
	u32 dg_rcv_nxt;			/* diverged: where it was found */
	u32 dg_win_end;
	u8 report_flags;		/* STTCP_REPORT_* */
	bool report;
	bool unprotected;		/* the flow just lost its protection */
	bool mismatch;			/* the SYN options differ from the primary's */
	bool replay;
	bool diverged;
	bool xlate;
};

/* The socket's SYN-ACK: the deltas are known, the segments that waited go in. */
static void out_synack(struct sttcp_flow *f, const struct tcphdr *th,
		       const struct sttcp_tcpopts *o, struct out_acts *act)
{
	if (f->facts_known)
		return;		/* a retransmitted SYN-ACK */
	act->mismatch = !learn_synack(f, th, o);
	if (act->mismatch) {
		f->flags |= STTCP_FLOW_F_UNPROTECTED;
		act->unprotected = true;
	}
	skb_queue_splice_tail_init(&f->queue, &act->pending);
	act->report = true;
}

/* The socket's ack and window: report progress, or ask for what it dropped. */
static void out_ack(struct sttcp_flow *f, const struct tcphdr *th, u32 payload,
		    struct out_acts *act)
{
	u32 ack = ntohl(th->ack_seq);
	u32 win_end = ack + ((u32)ntohs(th->window) << f->x.ws_backup);

	if (sttcp_after(ack, f->backup_rcv_nxt)) {
		f->backup_rcv_nxt = ack;
		act->report = true;
	} else if (!payload && !th->fin && window_reopened(f, ack, win_end)) {
		/* What arrived while the window was shut was dropped: ask again. */
		act->report_flags |= STTCP_REPORT_RESEND;
		act->report = true;
		f->resend_at = jiffies;
	} else if (sttcp_after(win_end, f->backup_win_end)) {
		/* The primary's advertised window follows ours. */
		act->report = true;
	}
	if (sttcp_after(win_end, f->backup_win_end))
		f->backup_win_end = win_end;
}

/*
 * The socket moved snd_nxt past an ack that was clamped away: inject it now.
 * It echoes the socket's own ts_recent: PAWS accepts that and it changes
 * nothing. The client's newest TSval would become ts_recent (seq is rcv_nxt)
 * and make PAWS reject older segments still to be mirrored.
 */
static void out_replay(struct sttcp_flow *f, const struct sock *sk, struct out_acts *act)
{
	u32 ack_b = sttcp_after(f->clamp_wanted, f->snd_nxt_b) ? f->snd_nxt_b : f->clamp_wanted;

	if (!sttcp_sk_is_tcp(sk))
		return;
	act->replay = true;
	act->ack = (struct synthetic_ack){
		.seq = f->backup_rcv_nxt,
		.ack = ack_b - f->x.seq_delta,
		.tsval = READ_ONCE(tcp_sk(sk)->rx_opt.ts_recent),
		.tsecr = f->client_tsecr,
		.win = f->client_win,
		.ts = f->flags & STTCP_FLOW_F_TS,
	};
}

/* A segment of an established shadow: digest, track, report, replay. */
static void out_segment(struct sttcp_net *pn, struct sttcp_flow *f, struct sk_buff *skb,
			const struct tcphdr *th, u32 payload, bool suppress,
			struct out_acts *act)
{
	u32 end = ntohl(th->seq) + payload + th->fin;
	bool replay = false;

	if (suppress && (payload || th->fin) &&
	    sttcp_dg_backup_output(pn, f, skb, ntohl(th->seq) - f->x.seq_delta)) {
		act->diverged = true;
		act->dg_rcv_nxt = f->backup_rcv_nxt;
		act->dg_win_end = f->backup_win_end;
	}
	if (sttcp_after(end, f->snd_nxt_b)) {
		f->snd_nxt_b = end;
		replay = f->clamp_pending;
	}
	if (th->ack)
		out_ack(f, th, payload, act);
	sttcp_flow_note_close(f, th, false);
	if (th->fin || th->rst) {
		/*
		 * The primary keeps its own close from the client until ours
		 * (closegate.c): said on every retransmission, as reports get lost.
		 */
		act->report_flags |= STTCP_REPORT_CLOSED;
		act->report = true;
	}
	if (replay)
		out_replay(f, skb->sk, act);
}

/* Under f->lock: what to do with the backup socket's segment. */
static void out_decide(struct sttcp_net *pn, struct sttcp_flow *f, struct sk_buff *skb,
		       const struct tcphdr *th, u32 payload, bool suppress,
		       struct out_acts *act)
{
	struct sttcp_tcpopts o;

	/*
	 * An aborted flow's RST still reaches the client in its numbers; one
	 * left to the old primary's fate goes silently.
	 */
	act->xlate = f->facts_known && !f->dead && !(f->flags & STTCP_FLOW_F_LEFT);
	act->x = f->x;
	if (f->dead)
		return;
	if (f->flags & STTCP_FLOW_F_UNPROTECTED) {
		/* A left flow's own (silent) abort does not end its connection. */
		if (!(f->flags & STTCP_FLOW_F_LEFT))
			sttcp_flow_note_close(f, th, false);
		return;
	}
	if (th->syn && th->ack) {
		sttcp_tcp_parse_opts(th, th->doff * 4, &o);
		out_synack(f, th, &o, act);
	} else if (th->rst && !f->facts_known) {
		/* The backup refused the connection (no listener?). */
		f->flags |= STTCP_FLOW_F_UNPROTECTED;
		act->unprotected = true;
		act->report = true;
		__skb_queue_purge(&f->queue);
	} else if (f->facts_known) {
		out_segment(pn, f, skb, th, payload, suppress, act);
	}
	act->report_rcv_nxt = f->backup_rcv_nxt;
	act->report_win_end = f->backup_win_end;
}

/* After the lock: tell the primary, count, inject what waited. */
static void out_flush(struct sttcp_net *pn, const struct sttcp_cfg *cfg,
		      const struct sttcp_flow_key *key, bool suppress, struct out_acts *act)
{
	struct net_device *dev;
	struct sk_buff *p;

	if (act->report && suppress)
		sttcp_send_report(pn, key, act->report_rcv_nxt, act->report_win_end,
				  act->unprotected ? STTCP_REPORT_UNPROTECTED :
				  act->report_flags);
	if (act->diverged)
		sttcp_dg_diverged(pn, key, act->dg_rcv_nxt, act->dg_win_end);
	if (act->mismatch)
		sttcp_count(pn, STTCP_STAT_OPT_MISMATCH);
	if (act->unprotected)
		sttcp_count(pn, STTCP_STAT_FLOWS_UNPROTECTED);
	if (!skb_queue_empty(&act->pending)) {
		dev = inject_dev(pn, cfg);
		while ((p = __skb_dequeue(&act->pending)))
			inject(pn, dev, p);
	}
	if (act->replay)
		inject_synthetic_ack(pn, cfg, key, &act->ack);
}

/**
 * sttcp_backup_out() - a segment of a shadow flow leaves the local stack
 * @pn: namespace state
 * @cfg: configuration
 * @skb: the segment (data at the IP header)
 * @suppress: BACKUP state: learn from it, report, and steal it. Otherwise
 *	(after a takeover) learn from it and send it on, translated.
 *
 * Return: netfilter verdict.
 */
unsigned int sttcp_backup_out(struct sttcp_net *pn, const struct sttcp_cfg *cfg,
			      struct sk_buff *skb, bool suppress)
{
	const struct iphdr *iph = ip_hdr(skb);
	u32 ihl = iph->ihl * 4, payload;
	struct out_acts act = {};
	const struct tcphdr *th;
	struct sttcp_flow_key key;
	struct sttcp_flow *f;

	th = (const struct tcphdr *)(skb->data + ihl);
	if (!pskb_may_pull(skb, ihl + th->doff * 4))
		goto steal;
	iph = ip_hdr(skb);
	th = (const struct tcphdr *)(skb->data + ihl);
	key = (struct sttcp_flow_key){ .caddr = iph->daddr, .vaddr = iph->saddr,
				       .cport = th->dest, .vport = th->source };
	f = sttcp_flow_lookup(pn, &key);
	if (!f || !f->shadow)
		goto steal;	/* !shadow: this node's own from before it stepped down */
	payload = ntohs(iph->tot_len) - ihl - th->doff * 4;

	__skb_queue_head_init(&act.pending);
	spin_lock_bh(&f->lock);
	out_decide(pn, f, skb, th, payload, suppress, &act);
	spin_unlock_bh(&f->lock);

	/* Only an established socket sends data or a FIN: the handshake is done. */
	if ((payload || th->fin) && READ_ONCE(f->embryonic))
		sttcp_flow_promote(f);
	out_flush(pn, cfg, &key, suppress, &act);
	if (!suppress && act.xlate)
		return READ_ONCE(pn->tun.debug_no_translate) ? NF_ACCEPT :
		       translate_out(pn, skb, &act.x);
	/* A handshake the backup never finished cannot be shown to the client. */
steal:
	sttcp_count(pn, STTCP_STAT_SUPPRESSED);
	consume_skb(skb);
	return NF_STOLEN;
}
