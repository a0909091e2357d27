// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Per network namespace state: tunables (net.sttcp.* sysctls), counters,
 * and teardown of everything a namespace owns.
 */
#include <linux/slab.h>
#include <linux/sysctl.h>
#include "sttcp.h"
#include "config.h"
#include "flow.h"
#include "heartbeat.h"
#include "probe.h"
#include "settings.h"

unsigned int sttcp_net_id __read_mostly;
atomic64_t sttcp_objs_created = ATOMIC64_INIT(0);
atomic64_t sttcp_objs_freed = ATOMIC64_INIT(0);

static const struct sttcp_tunables default_tunables = {
	.hold_timeout_ms = 200,	/* about the client's minimum RTO */
	.hold_giveup_ms = 2000,
	.hold_max_segs = 4096,
	/* Above a full default window (tcp_rmem 6 MiB) with its overhead. */
	.hold_flow_max_bytes = 16 << 20,
	.hold_max_bytes = 256 << 20,
	.flow_idle_timeout_s = 7200,
	.closed_linger_ms = 2000,
	.max_flows = 262144,
	/* As TCP's own SYN backlog: a flood evicts in well under a second, not an RTT. */
	.max_embryonic = 4096,
	.debug_no_translate = 0,
	.debug_no_gate = 0,
	/* Detection after 10 x 50 ms; docs/design.md has the measurements behind it. */
	.hb_interval_ms = 50,
	.hb_dead_count = 10,
	/* A backup's application lagging its primary's by more is taken for a crash. */
	.app_close_grace_ms = 1000,
	/* A client is better told at once than left to time out. */
	.takeover_unprotected = 0,
};

static int one = 1, one_hundred_thousand_ms = 100000, flows_limit = 4194304;
static int hb_interval_max = 10000, hb_dead_min = 2, hb_dead_max = 100;

#define TUNABLE(name, minp, maxp) {				\
	.procname = #name,					\
	.data = (void *)offsetof(struct sttcp_tunables, name),	\
	.maxlen = sizeof(int),					\
	.mode = 0644,						\
	.proc_handler = proc_dointvec_minmax,			\
	.extra1 = minp,						\
	.extra2 = maxp,						\
}

/*
 * Template: .data holds the offset in struct sttcp_tunables; each netns gets
 * a copy pointing into its own sttcp_net (a pointer into module globals
 * would be made read-only by ensure_safe_net_sysctl in other namespaces).
 */
static const struct ctl_table sysctl_template[] = {
	TUNABLE(hold_timeout_ms, &one, &one_hundred_thousand_ms),
	TUNABLE(hold_giveup_ms, &one, &one_hundred_thousand_ms),
	TUNABLE(hold_max_segs, &one, &flows_limit),
	TUNABLE(hold_flow_max_bytes, &one, SYSCTL_INT_MAX),
	TUNABLE(hold_max_bytes, &one, SYSCTL_INT_MAX),
	TUNABLE(flow_idle_timeout_s, &one, &flows_limit),
	TUNABLE(closed_linger_ms, &one, &one_hundred_thousand_ms),
	TUNABLE(max_flows, &one, &flows_limit),
	TUNABLE(max_embryonic, &one, &flows_limit),
	TUNABLE(debug_no_translate, SYSCTL_ZERO, SYSCTL_ONE),
	TUNABLE(debug_no_gate, SYSCTL_ZERO, SYSCTL_ONE),
	TUNABLE(hb_interval_ms, &one, &hb_interval_max),
	TUNABLE(hb_dead_count, &hb_dead_min, &hb_dead_max),
	TUNABLE(app_close_grace_ms, SYSCTL_ZERO, &one_hundred_thousand_ms),
	TUNABLE(takeover_unprotected, SYSCTL_ZERO, SYSCTL_ONE),
	{ }
};

static int sysctl_init(struct sttcp_net *pn)
{
	struct ctl_table *tbl;
	size_t i;

	tbl = kmemdup(sysctl_template, sizeof(sysctl_template), GFP_KERNEL);
	if (!tbl)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(sysctl_template) - 1; i++)
		tbl[i].data = (char *)&pn->tun +
			(uintptr_t)sysctl_template[i].data;
	pn->sysctl_hdr = register_net_sysctl(pn->net, "net/sttcp", tbl);
	if (!pn->sysctl_hdr) {
		kfree(tbl);
		return -ENOMEM;
	}
	return 0;
}

static void sysctl_exit(struct sttcp_net *pn)
{
	struct ctl_table *tbl = pn->sysctl_hdr->ctl_table_arg;

	unregister_net_sysctl_table(pn->sysctl_hdr);
	kfree(tbl);
}

void sttcp_stats_read(struct sttcp_net *pn, u64 *out)
{
	int cpu, i;

	memset(out, 0, sizeof(u64) * __STTCP_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const struct sttcp_stats *s = per_cpu_ptr(pn->stats, cpu);

		for (i = 0; i < __STTCP_STAT_MAX; i++)
			out[i] += READ_ONCE(s->v[i]);
	}
	out[STTCP_STAT_FLOWS_ACTIVE] = atomic_read(&pn->n_flows);
	out[STTCP_STAT_FLOWS_EMBRYONIC] = READ_ONCE(pn->n_embryonic);
	out[STTCP_STAT_HB_GAP_MAX_MS] = READ_ONCE(pn->hb_gap_max_ms);
}

void sttcp_stats_reset(struct sttcp_net *pn)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(pn->stats, cpu), 0, sizeof(struct sttcp_stats));
	WRITE_ONCE(pn->hb_gap_max_ms, 0);
}

static int __net_init sttcp_net_init(struct net *net)
{
	struct sttcp_net *pn = sttcp_pernet(net);
	int err;

	pn->net = net;
	pn->tun = default_tunables;
	sttcp_hb_init(pn);
	sttcp_probes_init(pn);
	sttcp_settings_init(pn);
	spin_lock_init(&pn->sess_lock);
	/* No "callbacks suppressed" lines: the counters say it. */
	ratelimit_state_init(&pn->stray_rs, HZ, STRAY_RELAY_PER_SEC);
	ratelimit_set_flags(&pn->stray_rs, RATELIMIT_MSG_ON_RELEASE);
	pn->stats = alloc_percpu(struct sttcp_stats);
	if (!pn->stats)
		return -ENOMEM;
	err = sttcp_flow_table_init(pn);
	if (err)
		goto err_stats;
	err = sysctl_init(pn);
	if (err)
		goto err_flows;
	return 0;

err_flows:
	sttcp_flow_table_destroy(pn);
err_stats:
	free_percpu(pn->stats);
	return err;
}

static void __net_exit sttcp_net_exit(struct net *net)
{
	struct sttcp_net *pn = sttcp_pernet(net);

	WRITE_ONCE(pn->dying, true);
	sttcp_unconfigure(pn);
	sysctl_exit(pn);
	sttcp_flow_table_destroy(pn);
	free_percpu(pn->stats);
}

static struct pernet_operations sttcp_net_ops = {
	.init = sttcp_net_init,
	.exit = sttcp_net_exit,
	.id = &sttcp_net_id,
	.size = sizeof(struct sttcp_net),
};

int sttcp_pernet_register(void)
{
	return register_pernet_subsys(&sttcp_net_ops);
}

void sttcp_pernet_unregister(void)
{
	unregister_pernet_subsys(&sttcp_net_ops);
}
