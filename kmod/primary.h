/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_PRIMARY_H
#define _STTCP_PRIMARY_H

#include "sttcp.h"

/*
 * The hooks (hooks.c) hand these only TCP packets of the service whose IP and
 * TCP headers, options included, are linear, with lengths validated.
 */

unsigned int sttcp_primary_in(struct sttcp_net *pn, const struct sttcp_cfg *cfg,
			      struct sk_buff *skb, const struct nf_hook_state *st);
unsigned int sttcp_primary_out(struct sttcp_net *pn, const struct sttcp_cfg *cfg,
			       struct sk_buff *skb);
void sttcp_primary_rx_report(struct sttcp_net *pn, const struct sttcp_report *r);
void sttcp_flow_hold_timer(struct timer_list *t);

#endif /* _STTCP_PRIMARY_H */
