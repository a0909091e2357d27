/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_DIVERGENCE_H
#define _STTCP_DIVERGENCE_H

#include "sttcp.h"

void sttcp_dg_start(struct sttcp_flow *f);
bool sttcp_dg_backup_output(struct sttcp_net *pn, struct sttcp_flow *f,
			    const struct sk_buff *skb, u32 seq);
void sttcp_dg_diverged(struct sttcp_net *pn, const struct sttcp_flow_key *key, u32 rcv_nxt,
		       u32 win_end);
void sttcp_dg_primary_output(struct sttcp_net *pn, struct sttcp_flow *f,
			     const struct sk_buff *skb);
void sttcp_backup_rx_digest(struct sttcp_net *pn, const struct sttcp_msg *m);
void sttcp_send_release(struct sttcp_net *pn, const struct sttcp_flow_key *key);
void sttcp_send_closed(struct sttcp_net *pn, const struct sttcp_flow_key *key);

#endif /* _STTCP_DIVERGENCE_H */
