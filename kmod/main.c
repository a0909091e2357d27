// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * sttcp: client-transparent TCP connection failover (ST-TCP style).
 * Module entry points only; see docs/design.md for the architecture.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include "sttcp.h"
#include "flow.h"
#include "hold.h"
#include "netlink.h"

static int __init sttcp_init(void)
{
	int err;

	err = sttcp_flow_cache_init();
	if (err)
		return err;
	err = sttcp_pernet_register();
	if (err)
		goto err_cache;
	/* After the per-netns state it reads, before anything can hold a segment. */
	err = sttcp_hold_notifier_register();
	if (err)
		goto err_pernet;
	err = sttcp_genl_register();
	if (err)
		goto err_notifier;
	pr_info("sttcp: loaded\n");
	return 0;

err_notifier:
	sttcp_hold_notifier_unregister();
err_pernet:
	sttcp_pernet_unregister();
err_cache:
	rcu_barrier();
	sttcp_flow_cache_destroy();
	return err;
}

static void __exit sttcp_exit(void)
{
	sttcp_genl_unregister();
	sttcp_hold_notifier_unregister();
	sttcp_pernet_unregister();
	rcu_barrier();	/* call_rcu() frees of flows, kfree_rcu() of configs */
	sttcp_flow_cache_destroy();
	/* The leak check of the test suite reads this line. */
	pr_info("sttcp: unloaded: flows created %lld freed %lld\n",
		atomic64_read(&sttcp_objs_created), atomic64_read(&sttcp_objs_freed));
}

module_init(sttcp_init);
module_exit(sttcp_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(STTCP_VERSION);
MODULE_AUTHOR("The sttcp developers");
MODULE_DESCRIPTION("Client-transparent TCP connection failover");
MODULE_ALIAS_GENL_FAMILY(STTCP_GENL_NAME);
