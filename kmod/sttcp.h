/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_H
#define _STTCP_H

#include <linux/ip.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/ratelimit.h>
#include <linux/tcp.h>
#include <linux/netfilter.h>
#include <linux/rhashtable.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <net/dst_cache.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <linux/sttcp.h>

#include "session.h"
#include "wire.h"
#include "digest.h"
#include "xlate.h"

struct crypto_shash;

/* Tunables, one copy per netns, exposed as net.sttcp.* sysctls. */
struct sttcp_tunables {
	int hold_timeout_ms;	/* re-mirror held segments after this */
	int hold_giveup_ms;	/* backup silent this long: flow unprotected */
	int hold_max_segs;	/* per-flow hold queue bound */
	int hold_flow_max_bytes;	/* per-flow bound of held memory (truesize) */
	int hold_max_bytes;	/* the namespace's bound of held memory */
	int flow_idle_timeout_s;
	int closed_linger_ms;	/* keep a closed flow for late retransmits */
	int max_flows;
	int max_embryonic;	/* flows before the client's handshake ACK */
	int debug_no_translate;	/* negative controls for the test suite */
	int debug_no_gate;
	int hb_interval_ms;	/* heartbeat period, both paths */
	int hb_dead_count;	/* silent intervals before a path is dead */
	int app_close_grace_ms;	/* primary FIN/RST wait for the backup's; 0: off */
	int takeover_unprotected;	/* 0: reset such flows at a takeover; 1: leave them */
};

/* Stray client segments relayed to the peer after stepping down (backup.c). */
#define STRAY_RELAY_WINDOW	(10 * HZ)
#define STRAY_RELAY_PER_SEC	2000

/* Immutable once published; replaced as a whole under RCU. */
struct sttcp_cfg {
	enum sttcp_role role;
	enum sttcp_gating gating;
	__be32 vip;
	__be32 local_addr;
	__be32 peer_addr;
	__be32 local_addr2;	/* second heartbeat path, 0 if none */
	__be32 peer_addr2;
	__be16 local_port;
	__be16 peer_port;
	u8 n_ports;
	__be16 ports[STTCP_MAX_PORTS];
	u32 epoch;		/* to start with */
	bool has_key;
	u8 key[STTCP_KEY_LEN];	/* only until sttcp_auth_setup() keyed the tfm */
	struct crypto_shash *tfm;	/* hmac(sha256) with the key; NULL: no key */
	u8 key_id[16];		/* HMAC of a constant: tells keys apart, reveals none */
	struct rcu_head rcu;
};

/* Is @port one of the protected service's ports? */
static inline bool sttcp_cfg_match_port(const struct sttcp_cfg *cfg, __be16 port)
{
	u8 i;

	for (i = 0; i < cfg->n_ports; i++)
		if (cfg->ports[i] == port)
			return true;
	return false;
}

#define STTCP_PATHS	2	/* 0: sync link, 1: second heartbeat path */

/* flows_work jobs */
enum {
	STTCP_WORK_TAKEOVER,	/* prod every shadow flow, abort those that cannot go on */
	STTCP_WORK_UNPROTECT,	/* the peer is gone: stop gating / drop stale shadows */
	STTCP_WORK_STEPDOWN,	/* another node is primary: silently drop every flow */
	STTCP_WORK_REPROD,	/* the VIP is announced now: prod taken-over flows again */
};

struct sttcp_stats {
	u64 v[__STTCP_STAT_MAX];
};

struct sttcp_net;
struct sttcp_msg;
/* Takes a checked sync message (sttcp_sync_open()); consumes the skb. */
typedef void (*sttcp_sync_rx_t)(struct sttcp_net *pn, struct sk_buff *skb,
				const struct sttcp_msg *m, int path);

struct sttcp_net {
	struct net *net;
	struct sttcp_cfg __rcu *cfg;
	struct sttcp_tunables tun;
	struct ctl_table_header *sysctl_hdr;
	struct sttcp_stats __percpu *stats;

	/* Sync channel (path 0) and second heartbeat path (1); NULL while unused. */
	struct socket *sock[STTCP_PATHS];
	struct dst_cache dst_cache[STTCP_PATHS];
	sttcp_sync_rx_t sync_rx;	/* where checked messages go */
	atomic64_t tx_counter[STTCP_PATHS];
	spinlock_t sess_lock;		/* sess (writers; tx reads ids locklessly) */
	struct sttcp_session sess;
	unsigned long auth_fail_at;	/* jiffies of the last message failing auth */
	unsigned long auth_event_at;	/* of the last AUTH_FAIL event */
	bool auth_failed;		/* auth_fail_at is valid */
	bool hooks_registered;
	struct nf_hook_ops hook_ops[3];

	/* Flow table */
	struct rhashtable flows;
	spinlock_t flows_lock;		/* the lists, n_embryonic, f->embryonic */
	struct list_head flow_list;
	/* Flows whose client has not completed the handshake, oldest first. */
	struct list_head embryonic;
	int n_embryonic;
	struct list_head flows_retired;	/* unlinked in packet context, freed by gc */
	atomic_t n_flows;
	atomic_long_t held_bytes;	/* truesize of every segment held (primary) */
	struct delayed_work gc_work;
	bool dying;

	/* Failover (heartbeat.c). state is read locklessly on the packet path. */
	u8 state;			/* enum sttcp_state */
	spinlock_t hb_lock;		/* everything below */
	u32 epoch;
	u8 peer;			/* enum sttcp_peer_state */
	u8 peer_state;			/* the state the peer last announced */
	u32 peer_epoch;
	u32 peer_clock;			/* echoed back in our heartbeats */
	unsigned long peer_rx[STTCP_PATHS];	/* jiffies of the last heartbeat */
	bool peer_heard[STTCP_PATHS];
	unsigned long state_since;	/* STARTING and HANDOVER time out */
	struct ratelimit_state stray_rs;	/* stray segments relayed to the peer */
	unsigned long hb_due;		/* when the heartbeat timer should run */
	u32 hb_gap_max_ms;
	struct timer_list hb_timer;
	struct work_struct flows_work;	/* prod/abort sockets in process context */
	unsigned long flows_work_todo;	/* STTCP_WORK_* bits */

	/* Node settings (settings.c): own and the peer's last, opaque */
	spinlock_t settings_lock;	/* writers of both pointers */
	struct sttcp_settings __rcu *settings;
	struct sttcp_settings __rcu *peer_settings;
	unsigned long settings_next;	/* jiffies: send ours then */
	unsigned long peer_settings_at;	/* jiffies: the peer's last arrived */

	/* Connections reset at the last takeover, probed once the VIP moved (probe.c) */
	struct mutex probe_lock;	/* probes */
	struct sttcp_probes *probes;
	struct delayed_work probe_work;

	/* ip_local_deliver_finish, captured from LOCAL_IN, to release held segments */
	int (*local_in_okfn)(struct net *net, struct sock *sk, struct sk_buff *skb);
};

/*
 * One per protected connection: kept at or below 224 bytes (18 per 4 KiB
 * slab page of the sttcp_flow cache) so that 100k flows cost < 256 bytes
 * each including the hash bucket. Members are ordered to leave no holes;
 * BUILD_BUG_ON in flow.c keeps it that way.
 */
struct sttcp_flow {
	struct rhash_head node;
	union {
		/* sttcp_net.flow_list or .embryonic, while linked */
		struct list_head list;
		struct rcu_head rcu;	/* once unlinked: the deferred free */
	};
	struct sttcp_flow_key key;
	u8 state;			/* enum sttcp_flow_state */
	u8 flags;			/* STTCP_FLOW_F_* (low byte) */
	u16 syn_len;
	struct sttcp_net *pn;
	spinlock_t lock;		/* everything below */
	/* dead and shadow are also read without the lock: whole bytes. */
	bool dead;
	bool shadow;			/* created as a backup copy: translated for life */
	u16 client_win;			/* backup: latest client window, for synthetic acks */
	struct timer_list timer;	/* hold timeouts (primary) */
	struct sk_buff_head queue;	/* primary: held; backup: pending facts */
	/* A flow is a primary's own or a shadow for life: role fields share space. */
	union {
		u8 *syn_copy;			/* primary: client SYN, for (re)sending */
		struct sttcp_dg_ring *dg_ring;	/* backup: digest blocks waiting */
	};
	struct sttcp_syn_facts primary;	/* facts from the primary's SYN-ACK */
	struct sttcp_xlate x;
	u32 client_isn;
	u32 backup_rcv_nxt;		/* primary: gate; backup: last reported */
	union {
		u32 snd_nxt_b;		/* backup: highest seq it sent (own space) */
		u32 close_held_at;	/* primary: jiffies of the first held FIN/RST */
	};
	u32 backup_win_end;		/* right edge the backup last advertised */
	union {
		struct {			/* backup */
			u32 clamp_wanted;	/* highest ack clamped away */
			u32 ack_given;		/* highest ack it was given (own space) */
			/* latest client header state, for synthetic acks */
			u32 client_tsval;
			u32 client_tsecr;	/* primary space */
		};
		struct {			/* primary */
			u32 hold_since;		/* jiffies of last report progress */
			u32 adv_win_end;	/* right edge it advertised */
			u32 dg_cp_at;		/* jiffies of the last digest checkpoint */
			u32 release_at;		/* jiffies: the backup was asked to let go */
			u32 held_bytes;		/* truesize of the queue */
			/* TCP's own right edge (before clamping), plus rounding */
			u32 tcp_win_end;
		};
	};
	struct sttcp_digest dg;		/* this node's output so far (digest.h) */
	/* Bit fields: only ever written and read under lock. */
	u8 fin_in:1;
	u8 fin_out:1;
	u8 facts_known:1;		/* backup: deltas computed */
	u8 clamp_pending:1;
	u8 win_known:1;			/* primary: backup_win_end is valid */
	u8 win_clamped:1;		/* primary: window lowered since last prod */
	u8 prod_pending:1;		/* primary: window update still to send */
	u8 close_held:1;		/* primary: close_skb waits for the backup's close */
	u8 releasing:1;			/* primary: given up, the backup asked to agree */
	u8 peer_closed:1;		/* primary: the backup's socket sent FIN or RST */
	u8 dg_on:1;			/* dg is running (facts known, no gap, no FIN yet) */
	u8 dg_closed:1;			/* dg ended at this node's FIN, at dg.next */
	u8 embryonic;			/* on sttcp_net.embryonic (flows_lock) */
	/* 32-bit jiffies stamps (time_after32()): GC and linger only. */
	u32 last_seen;
	u32 closed_at;
	union {
		struct {			/* backup, 32-bit jiffies stamps */
			u32 resend_at;		/* last RESEND request */
			u32 dup_report_at;	/* last report repeated for a duplicate */
		};
		struct sk_buff *close_skb;	/* primary: the newest FIN/RST held */
	};
	u64 segs_in;
};

/* stats.c / pernet.c */
extern unsigned int sttcp_net_id;
static inline struct sttcp_net *sttcp_pernet(const struct net *net)
{
	return net_generic(net, sttcp_net_id);
}

/*
 * Is @sk a tcp_sock? A packet at LOCAL_OUT may belong to a raw socket sending
 * from the VIP, or to TCP's per-CPU control socket (its RSTs and ACKs for no
 * socket): both are full sockets, neither a tcp_sock.
 */
static inline bool sttcp_sk_is_tcp(const struct sock *sk)
{
	return sk && sk_fullsock(sk) && sk->sk_type == SOCK_STREAM &&
	       sk->sk_protocol == IPPROTO_TCP;
}

static inline void sttcp_count(struct sttcp_net *pn, enum sttcp_stat s)
{
	this_cpu_inc(pn->stats->v[s]);
}

static inline void sttcp_count_add(struct sttcp_net *pn, enum sttcp_stat s, u64 n)
{
	this_cpu_add(pn->stats->v[s], n);
}

/* Sequence number just past a segment (data at the IP header): payload, SYN and FIN count. */
static inline u32 sttcp_seg_end(const struct iphdr *iph)
{
	const struct tcphdr *th = (const struct tcphdr *)((const u8 *)iph + iph->ihl * 4);

	return ntohl(th->seq) + ntohs(iph->tot_len) - iph->ihl * 4 - th->doff * 4 +
	       th->syn + th->fin;
}

/*
 * A segment the backup must have before the primary may ack it: payload or
 * FIN (never a pure ACK).
 */
static inline bool sttcp_seg_needs_backup(const struct iphdr *iph)
{
	const struct tcphdr *th = (const struct tcphdr *)((const u8 *)iph + iph->ihl * 4);

	return th->fin || ntohs(iph->tot_len) > iph->ihl * 4 + th->doff * 4;
}

void sttcp_stats_read(struct sttcp_net *pn, u64 *out);
void sttcp_stats_reset(struct sttcp_net *pn);
int sttcp_pernet_register(void);
void sttcp_pernet_unregister(void);

/* Module-wide object accounting, checked at unload (leak test). */
extern atomic64_t sttcp_objs_created, sttcp_objs_freed;

/* Node state, written by heartbeat.c under hb_lock */
static inline u8 sttcp_state(const struct sttcp_net *pn)
{
	return READ_ONCE(pn->state);
}

/**
 * sttcp_peer_alive() - may new flows be protected now?
 * @pn: namespace state
 *
 * Return: true while the sync path hears a peer that shadows us (a peer
 * still starting up would ignore the mirrors).
 */
static inline bool sttcp_peer_alive(const struct sttcp_net *pn)
{
	return READ_ONCE(pn->peer) == STTCP_PEER_ALIVE &&
	       READ_ONCE(pn->peer_state) == STTCP_STATE_BACKUP;
}

/* The node serves clients: ACTIVE, or about to be (STARTING), or handing over. */
static inline bool sttcp_serving(u8 state)
{
	return state == STTCP_STATE_ACTIVE || state == STTCP_STATE_STARTING ||
	       state == STTCP_STATE_HANDOVER;
}

#endif /* _STTCP_H */
