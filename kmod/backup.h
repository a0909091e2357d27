/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_BACKUP_H
#define _STTCP_BACKUP_H

#include "sttcp.h"

/*
 * The hooks (hooks.c) hand these only TCP packets of the service whose IP and
 * TCP headers, options included, are linear, with lengths validated.
 */

unsigned int sttcp_backup_in(struct sttcp_net *pn, const struct sttcp_cfg *cfg,
			     struct sk_buff *skb);
unsigned int sttcp_backup_out(struct sttcp_net *pn, const struct sttcp_cfg *cfg,
			      struct sk_buff *skb, bool suppress);
void sttcp_backup_rx_packet(struct sttcp_net *pn, struct sk_buff *skb,
			    const struct sttcp_msg *m);

#endif /* _STTCP_BACKUP_H */
