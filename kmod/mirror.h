/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_MIRROR_H
#define _STTCP_MIRROR_H

#include "sttcp.h"

struct sttcp_mirror_filter {
	u32 backup_rcv_nxt;
	int budget;
};

void sttcp_mirror(struct sttcp_net *pn, struct sk_buff *skb,
		  struct sttcp_mirror_filter *flt);
void sttcp_mirror_syn(struct sttcp_net *pn, const u8 *syn, u32 len,
		      const struct sttcp_syn_facts *facts);
u8 *sttcp_copy_syn(const struct sk_buff *skb, u16 *len);
void sttcp_send_report(struct sttcp_net *pn, const struct sttcp_flow_key *key,
		       u32 rcv_nxt, u32 win_end, u8 flags);

#endif /* _STTCP_MIRROR_H */
