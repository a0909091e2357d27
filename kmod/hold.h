/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_HOLD_H
#define _STTCP_HOLD_H

#include "sttcp.h"

void sttcp_deliver_list(struct sttcp_net *pn, struct sk_buff_head *list);
void sttcp_drop_held_list(struct sk_buff_head *list);
void sttcp_hold_unlink(struct sttcp_flow *f, struct sk_buff *skb);
bool sttcp_hold_charge(struct sttcp_net *pn, struct sttcp_flow *f, struct sk_buff *skb);
void sttcp_hold_rearm(struct sttcp_flow *f);
int sttcp_hold_notifier_register(void);
void sttcp_hold_notifier_unregister(void);

#endif /* _STTCP_HOLD_H */
