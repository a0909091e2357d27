/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_SYNC_H
#define _STTCP_SYNC_H

#include "sttcp.h"

int sttcp_sync_open(struct sttcp_net *pn, const struct sttcp_cfg *cfg, sttcp_sync_rx_t rx);
void sttcp_sync_close(struct sttcp_net *pn);
struct sk_buff *sttcp_sync_alloc(struct sttcp_net *pn, u32 body_len);
void sttcp_sync_send(struct sttcp_net *pn, struct sk_buff *skb, u8 type);
void sttcp_sync_send_path(struct sttcp_net *pn, struct sk_buff *skb, u8 type, int path);

#endif /* _STTCP_SYNC_H */
