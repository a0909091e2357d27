// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Heartbeats, failure detection and the node's state machine.
 *
 * Both nodes send a heartbeat every hb_interval_ms on the sync link and,
 * if configured, on a second path (the service network). A path is dead
 * after hb_dead_count silent intervals. The peer is
 *   ALIVE      while the sync path hears it: flows are protected;
 *   SYNC_LOST  while only the second path does: nothing can be protected
 *              (the primary stops gating, the backup drops its copies),
 *              but nobody takes over: there would be two owners;
 *   DEAD       when both are silent: the backup takes over.
 *
 * Every heartbeat carries the sender's state and epoch. A takeover raises
 * the epoch; a serving node that hears a serving peer with a higher epoch
 * (or any serving peer while it is itself still STARTING) steps down to
 * backup instead of fighting for the VIP. A planned switchover is a
 * heartbeat with the HANDOVER flag: the backup takes over at once, and the
 * old primary steps down on the new primary's first heartbeat.
 */
#include <linux/ip.h>
#include <net/tcp.h>
#include "sttcp.h"
#include "heartbeat.h"
#include "settings.h"
#include "sync.h"
#include "takeover.h"
#include "events.h"

static const char *const state_names[] = {
	[STTCP_STATE_NONE] = "none",
	[STTCP_STATE_STARTING] = "starting",
	[STTCP_STATE_ACTIVE] = "active",
	[STTCP_STATE_BACKUP] = "backup",
	[STTCP_STATE_HANDOVER] = "handover",
};

static unsigned long dead_after(const struct sttcp_net *pn)
{
	return msecs_to_jiffies(READ_ONCE(pn->tun.hb_interval_ms) *
				READ_ONCE(pn->tun.hb_dead_count));
}

/* pn->hb_lock held. Events are sent after unlocking (see struct hb_out). */
struct hb_out {
	enum sttcp_event ev[4];
	int n;
	bool send_now;
};

static void emit(struct hb_out *o, enum sttcp_event ev)
{
	if (o->n < ARRAY_SIZE(o->ev))
		o->ev[o->n++] = ev;
}

static void set_state(struct sttcp_net *pn, u8 state, struct hb_out *o)
{
	u8 old = pn->state;

	if (old == state)
		return;
	WRITE_ONCE(pn->state, state);
	pn->state_since = jiffies;
	pr_info("sttcp: state %s -> %s, epoch %u\n", state_names[old], state_names[state],
		pn->epoch);
	emit(o, STTCP_EVENT_STATE);
}

static void takeover(struct sttcp_net *pn, struct hb_out *o)
{
	pn->epoch = max(pn->epoch, pn->peer_epoch) + 1;
	sttcp_count(pn, STTCP_STAT_TAKEOVERS);
	emit(o, STTCP_EVENT_TAKEOVER);
	/* From here on LOCAL_OUT translates shadow flows instead of stealing. */
	set_state(pn, STTCP_STATE_ACTIVE, o);
	sttcp_flows_work_queue(pn, STTCP_WORK_TAKEOVER);
	o->send_now = true;	/* tell the old primary at once (switchover) */
}

static void step_down(struct sttcp_net *pn, struct hb_out *o)
{
	if (pn->state == STTCP_STATE_HANDOVER)
		sttcp_count(pn, STTCP_STAT_SWITCHOVERS);
	sttcp_count(pn, STTCP_STAT_STEPDOWNS);
	pn->epoch = pn->peer_epoch;
	/* BACKUP first: the aborts below then leave no trace on the wire. */
	set_state(pn, STTCP_STATE_BACKUP, o);
	sttcp_flows_work_queue(pn, STTCP_WORK_STEPDOWN);
}

static void set_peer(struct sttcp_net *pn, u8 peer, struct hb_out *o)
{
	u8 old = pn->peer;

	if (old == peer)
		return;
	WRITE_ONCE(pn->peer, peer);
	switch (peer) {
	case STTCP_PEER_ALIVE:
		emit(o, STTCP_EVENT_PEER_ALIVE);
		return;
	case STTCP_PEER_SYNC_LOST:
		sttcp_count(pn, STTCP_STAT_SYNC_LOST);
		emit(o, STTCP_EVENT_PEER_SYNC_LOST);
		break;
	case STTCP_PEER_DEAD:
		sttcp_count(pn, STTCP_STAT_PEER_LOST);
		emit(o, STTCP_EVENT_PEER_DEAD);
		break;
	}
	/* Leaving ALIVE: the flows that relied on the peer cannot any more. */
	if (old == STTCP_PEER_ALIVE)
		sttcp_flows_work_queue(pn, STTCP_WORK_UNPROTECT);
}

static bool path_alive(const struct sttcp_net *pn, int path, unsigned long now)
{
	return pn->peer_heard[path] && time_before(now, pn->peer_rx[path] + dead_after(pn));
}

/*
 * Re-evaluate the peer and the timeouts of the state machine. Silence is
 * judged only by the timer, and not right after the timer itself ran late:
 * a starved CPU (softirqs deferred to ksoftirqd; the timer softirq runs
 * before the receive softirq drains the backlog) would otherwise take its
 * own deafness for the peer's death.
 */
static void evaluate(struct sttcp_net *pn, struct hb_out *o, bool judge_silence)
{
	unsigned long now = jiffies;

	if (path_alive(pn, 0, now))
		set_peer(pn, STTCP_PEER_ALIVE, o);
	else if (path_alive(pn, 1, now) &&
		 (judge_silence || pn->peer == STTCP_PEER_DEAD || pn->peer == STTCP_PEER_UNKNOWN))
		/*
		 * Hearing is judged at once, silence only by the timer: a node that
		 * just stepped down on a heartbeat of the second path must not take
		 * its peer for dead and take over again.
		 */
		set_peer(pn, STTCP_PEER_SYNC_LOST, o);
	else if (judge_silence && !path_alive(pn, 1, now) &&
		 (pn->peer_heard[0] || pn->peer_heard[1]))
		set_peer(pn, STTCP_PEER_DEAD, o);

	switch (pn->state) {
	case STTCP_STATE_STARTING:
		/* No newer primary spoke up within a detection time: serve. */
		if (time_after_eq(now, pn->state_since + dead_after(pn)))
			set_state(pn, STTCP_STATE_ACTIVE, o);
		break;
	case STTCP_STATE_BACKUP:
		/* Only a peer once heard can die; a lone backup keeps waiting. */
		if (pn->peer == STTCP_PEER_DEAD)
			takeover(pn, o);
		break;
	case STTCP_STATE_HANDOVER:
		if (time_after_eq(now, pn->state_since + dead_after(pn))) {
			emit(o, STTCP_EVENT_SWITCHOVER_FAILED);
			set_state(pn, STTCP_STATE_ACTIVE, o);
		}
		break;
	}
}

static void send_heartbeats(struct sttcp_net *pn)
{
	struct sttcp_heartbeat hb;
	struct sk_buff *skb;
	int path;

	spin_lock_bh(&pn->hb_lock);
	hb = (struct sttcp_heartbeat){
		.epoch = pn->epoch,
		.state = pn->state,
		.flags = pn->state == STTCP_STATE_HANDOVER ? STTCP_HB_HANDOVER : 0,
		.clock = (u32)tcp_time_stamp_raw(),
		.echo = pn->peer_clock,
	};
	spin_unlock_bh(&pn->hb_lock);

	for (path = 0; path < STTCP_PATHS; path++) {
		if (!READ_ONCE(pn->sock[path]))
			continue;
		skb = sttcp_sync_alloc(pn, STTCP_WIRE_HB_LEN);
		if (!skb)
			return;
		if (path)
			hb.flags |= STTCP_HB_SECOND_PATH;
		sttcp_wire_put_heartbeat(skb->data + STTCP_WIRE_HDR_LEN, &hb);
		sttcp_sync_send_path(pn, skb, STTCP_MSG_HEARTBEAT, path);
		sttcp_count(pn, STTCP_STAT_HB_TX);
	}
}

static void flush_out(struct sttcp_net *pn, const struct hb_out *o)
{
	int i;

	for (i = 0; i < o->n; i++)
		sttcp_event(pn, o->ev[i], NULL);
	if (o->send_now)
		send_heartbeats(pn);
}

static void hb_timer_fn(struct timer_list *t)
{
	struct sttcp_net *pn = from_timer(pn, t, hb_timer);
	unsigned long now = jiffies, interval;
	struct hb_out o = {};
	bool on_time;

	spin_lock_bh(&pn->hb_lock);
	if (pn->state == STTCP_STATE_NONE) {
		spin_unlock_bh(&pn->hb_lock);
		return;
	}
	interval = msecs_to_jiffies(READ_ONCE(pn->tun.hb_interval_ms));
	on_time = !time_after(now, pn->hb_due + interval);
	if (!on_time)
		sttcp_count(pn, STTCP_STAT_HB_LATE);
	evaluate(pn, &o, on_time);
	o.send_now = true;
	pn->hb_due = now + interval;
	mod_timer(&pn->hb_timer, pn->hb_due);
	spin_unlock_bh(&pn->hb_lock);
	flush_out(pn, &o);
	sttcp_settings_tick(pn);
}

/**
 * sttcp_hb_rx() - a heartbeat arrived from the peer
 * @pn: namespace state
 * @hb: its contents
 * @path: 0 sync link, 1 second path
 */
void sttcp_hb_rx(struct sttcp_net *pn, const struct sttcp_heartbeat *hb, int path)
{
	struct hb_out o = {};
	bool peer_serving;

	if (hb->state == STTCP_STATE_NONE || hb->state > STTCP_STATE_MAX) {
		sttcp_count(pn, STTCP_STAT_RX_MALFORMED);
		return;
	}
	sttcp_count(pn, STTCP_STAT_HB_RX);
	peer_serving = sttcp_serving(hb->state) && hb->state != STTCP_STATE_STARTING;

	spin_lock_bh(&pn->hb_lock);
	if (pn->state == STTCP_STATE_NONE)
		goto unlock;
	sttcp_hb_seen(pn, path);
	pn->peer_heard[path] = true;
	WRITE_ONCE(pn->peer_state, hb->state);
	pn->peer_epoch = hb->epoch;
	pn->peer_clock = hb->clock;

	switch (pn->state) {
	case STTCP_STATE_BACKUP:
		if (hb->epoch > pn->epoch)
			pn->epoch = hb->epoch;
		/* Only the sync path may start a planned handover: flows need it. */
		if (!path && hb->flags & STTCP_HB_HANDOVER)
			takeover(pn, &o);
		break;
	case STTCP_STATE_STARTING:
		if (peer_serving)
			step_down(pn, &o);
		break;
	case STTCP_STATE_ACTIVE:
	case STTCP_STATE_HANDOVER:
		/* Two owners: the newer epoch wins; a tie goes to the lower address. */
		if (peer_serving &&
		    (hb->epoch > pn->epoch ||
		     (hb->epoch == pn->epoch && pn->state == STTCP_STATE_HANDOVER) ||
		     (hb->epoch == pn->epoch && path == 0 &&
		      ntohl(rcu_dereference(pn->cfg)->peer_addr) <
		      ntohl(rcu_dereference(pn->cfg)->local_addr))))
			step_down(pn, &o);
		break;
	}
	evaluate(pn, &o, false);
unlock:
	spin_unlock_bh(&pn->hb_lock);
	flush_out(pn, &o);
}

/**
 * sttcp_hb_seen() - proof of life from the peer (any valid message)
 * @pn: namespace state
 * @path: the path it came on
 *
 * Under load heartbeats queue behind mirrored segments; every message from
 * the peer's kernel proves it alive as well. Lockless: a racy gauge update
 * is harmless.
 */
void sttcp_hb_seen(struct sttcp_net *pn, int path)
{
	unsigned long now = jiffies, last = READ_ONCE(pn->peer_rx[path]);

	if (!path && READ_ONCE(pn->peer_heard[0])) {
		u32 gap = jiffies_to_msecs(now - last);

		if (gap > READ_ONCE(pn->hb_gap_max_ms))
			WRITE_ONCE(pn->hb_gap_max_ms, gap);
	}
	if (now != last)
		WRITE_ONCE(pn->peer_rx[path], now);
}

void sttcp_hb_init(struct sttcp_net *pn)
{
	spin_lock_init(&pn->hb_lock);
	timer_setup(&pn->hb_timer, hb_timer_fn, 0);
	INIT_WORK(&pn->flows_work, sttcp_flows_work);
}

/**
 * sttcp_hb_start() - begin heartbeats after (re)configuration
 * @pn: namespace state
 * @cfg: the new configuration (published already)
 * @epoch: starting epoch
 */
void sttcp_hb_start(struct sttcp_net *pn, const struct sttcp_cfg *cfg, u32 epoch)
{
	struct hb_out o = {};

	spin_lock_bh(&pn->hb_lock);
	pn->epoch = epoch;
	pn->peer = STTCP_PEER_UNKNOWN;
	pn->peer_state = STTCP_STATE_NONE;
	pn->peer_epoch = 0;
	pn->peer_clock = 0;
	memset(pn->peer_heard, 0, sizeof(pn->peer_heard));
	pn->hb_gap_max_ms = 0;
	set_state(pn, cfg->role == STTCP_ROLE_PRIMARY ? STTCP_STATE_STARTING :
		  STTCP_STATE_BACKUP, &o);
	pn->hb_due = jiffies;
	mod_timer(&pn->hb_timer, pn->hb_due);
	spin_unlock_bh(&pn->hb_lock);
	flush_out(pn, &o);
}

/**
 * sttcp_hb_stop() - stop heartbeats and state changes (unconfigure)
 * @pn: namespace state
 */
void sttcp_hb_stop(struct sttcp_net *pn)
{
	struct hb_out o = {};

	spin_lock_bh(&pn->hb_lock);
	set_state(pn, STTCP_STATE_NONE, &o);
	spin_unlock_bh(&pn->hb_lock);
	del_timer_sync(&pn->hb_timer);
	cancel_work_sync(&pn->flows_work);
	pn->flows_work_todo = 0;
	flush_out(pn, &o);
}

/**
 * sttcp_switchover() - hand every connection to the live backup (planned)
 * @pn: namespace state
 * @extack: reason of a refusal
 *
 * Return: 0 when the handover started; its end is an event.
 */
int sttcp_switchover(struct sttcp_net *pn, struct netlink_ext_ack *extack)
{
	struct hb_out o = {};
	int err = 0;

	spin_lock_bh(&pn->hb_lock);
	if (pn->state != STTCP_STATE_ACTIVE) {
		NL_SET_ERR_MSG(extack, "switchover: only an active primary can hand over");
		err = -EINVAL;
	} else if (pn->peer != STTCP_PEER_ALIVE || pn->peer_state != STTCP_STATE_BACKUP) {
		NL_SET_ERR_MSG(extack, "switchover: no live backup on the sync link");
		err = -ENOTCONN;
	} else {
		set_state(pn, STTCP_STATE_HANDOVER, &o);
		o.send_now = true;
	}
	spin_unlock_bh(&pn->hb_lock);
	flush_out(pn, &o);
	return err;
}

/**
 * sttcp_app_lost() - the primary's application closed a flow alone
 * @pn: namespace state
 * @key: the flow whose FIN/RST waited app_close_grace_ms for the backup's
 *
 * The backup's application still serves it, so this one is taken for
 * crashed: every connection is handed over, as in a planned switchover.
 *
 * Return: false if this node is an active primary without a live backup to
 * hand over to; true otherwise (started, under way, or no longer serving).
 */
bool sttcp_app_lost(struct sttcp_net *pn, const struct sttcp_flow_key *key)
{
	struct hb_out o = {};
	bool started = false, ok;

	spin_lock_bh(&pn->hb_lock);
	ok = pn->state != STTCP_STATE_ACTIVE;
	if (pn->state == STTCP_STATE_ACTIVE && pn->peer == STTCP_PEER_ALIVE &&
	    pn->peer_state == STTCP_STATE_BACKUP) {
		set_state(pn, STTCP_STATE_HANDOVER, &o);
		o.send_now = true;
		started = true;
		ok = true;
	}
	spin_unlock_bh(&pn->hb_lock);
	if (started) {
		sttcp_count(pn, STTCP_STAT_APP_LOST);
		sttcp_event(pn, STTCP_EVENT_APP_LOST, key);
	}
	flush_out(pn, &o);
	return ok;
}

/**
 * sttcp_takeover_cmd() - become primary now (operator's decision)
 * @pn: namespace state
 * @extack: reason of a refusal
 *
 * Return: 0 or a negative errno.
 */
int sttcp_takeover_cmd(struct sttcp_net *pn, struct netlink_ext_ack *extack)
{
	struct hb_out o = {};
	int err = 0;

	spin_lock_bh(&pn->hb_lock);
	if (pn->state != STTCP_STATE_BACKUP) {
		NL_SET_ERR_MSG(extack, "takeover: this node is not a backup");
		err = -EINVAL;
	} else {
		takeover(pn, &o);
	}
	spin_unlock_bh(&pn->hb_lock);
	flush_out(pn, &o);
	return err;
}
