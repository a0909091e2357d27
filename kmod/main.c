// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * sttcp: client-transparent TCP connection failover (ST-TCP style).
 * Module entry points only; see docs/design.md for the architecture.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include "sttcp.h"

static int __init sttcp_init(void)
{
	int err;

	err = sttcp_pernet_register();
	if (err)
		return err;
	err = sttcp_genl_register();
	if (err) {
		sttcp_pernet_unregister();
		return err;
	}
	pr_info("sttcp: loaded\n");
	return 0;
}

static void __exit sttcp_exit(void)
{
	sttcp_genl_unregister();
	sttcp_pernet_unregister();
	rcu_barrier();	/* kfree_rcu() of flows and configs */
	/* The leak check of the test suite reads this line. */
	pr_info("sttcp: unloaded: flows created %lld freed %lld\n",
		atomic64_read(&sttcp_objs_created), atomic64_read(&sttcp_objs_freed));
}

module_init(sttcp_init);
module_exit(sttcp_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The sttcp developers");
MODULE_DESCRIPTION("Client-transparent TCP connection failover");
MODULE_ALIAS_GENL_FAMILY(STTCP_GENL_NAME);
