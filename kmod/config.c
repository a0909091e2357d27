// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Applying and removing a namespace's service configuration. Serialised by
 * the genetlink mutex (the family is not parallel_ops) and by netns exit.
 */
#include <linux/slab.h>
#include "sttcp.h"
#include "auth.h"
#include "config.h"
#include "flow.h"
#include "heartbeat.h"
#include "hooks.h"
#include "probe.h"
#include "rx.h"
#include "settings.h"
#include "sync.h"

#define GC_FIRST_RUN HZ

/**
 * sttcp_cfg_same_service() - may @b replace @a in place?
 * @a: a configuration
 * @b: another
 *
 * Return: true if both protect the same service the same way (role, addresses,
 * ports, gating): only what SET_CONFIG with STTCP_A_UPDATE may change differs.
 */
bool sttcp_cfg_same_service(const struct sttcp_cfg *a, const struct sttcp_cfg *b)
{
	return a->role == b->role && a->gating == b->gating && a->vip == b->vip &&
	       a->local_addr == b->local_addr && a->peer_addr == b->peer_addr &&
	       a->local_addr2 == b->local_addr2 && a->peer_addr2 == b->peer_addr2 &&
	       a->local_port == b->local_port && a->peer_port == b->peer_port &&
	       a->n_ports == b->n_ports &&
	       !memcmp(a->ports, b->ports, a->n_ports * sizeof(a->ports[0]));
}

/**
 * sttcp_configure() - protect a service in this namespace
 * @pn: namespace state
 * @req: validated request
 * @extack: for the reason of a failure
 *
 * An existing configuration is replaced; its flows are released first.
 * Return: 0 or a negative errno with @extack set.
 */
int sttcp_configure(struct sttcp_net *pn, const struct sttcp_cfg *req,
		    struct netlink_ext_ack *extack)
{
	struct sttcp_cfg *cfg;
	int err;

	cfg = kmemdup(req, sizeof(*req), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	err = sttcp_auth_setup(cfg, extack);	/* before the old config goes */
	if (err) {
		kfree_sensitive(cfg);
		return err;
	}
	sttcp_unconfigure(pn);
	sttcp_auth_start(pn);

	err = sttcp_sync_open(pn, cfg, sttcp_rx);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack,
				   "cannot bind the sync socket to the local address and port: address not local, or port in use");
		goto err_free;
	}
	err = sttcp_hooks_register(pn);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot register netfilter hooks");
		goto err_sync;
	}
	rcu_assign_pointer(pn->cfg, cfg);
	queue_delayed_work(system_power_efficient_wq, &pn->gc_work, GC_FIRST_RUN);
	sttcp_hb_start(pn, cfg, cfg->epoch);
	return 0;

err_sync:
	sttcp_sync_close(pn);
err_free:
	sttcp_auth_free(cfg);
	kfree_sensitive(cfg);
	return err;
}

/**
 * sttcp_unconfigure() - stop protecting; idempotent
 * @pn: namespace state
 *
 * Held client segments are delivered to the local stack, never dropped.
 */
void sttcp_unconfigure(struct sttcp_net *pn)
{
	struct sttcp_cfg *cfg = rcu_dereference_protected(pn->cfg, true);

	/*
	 * Never configured, or undone already: nothing to stop, and every
	 * namespace's exit would otherwise wait for a grace period.
	 */
	if (!cfg)
		return;
	sttcp_hb_stop(pn);
	sttcp_probes_set(pn, NULL);
	sttcp_hooks_unregister(pn);
	RCU_INIT_POINTER(pn->cfg, NULL);
	synchronize_rcu();
	cancel_delayed_work_sync(&pn->gc_work);
	sttcp_flow_flush(pn);
	sttcp_sync_close(pn);
	sttcp_settings_clear(pn);
	sttcp_auth_free(cfg);
	kfree_sensitive(cfg);
}
