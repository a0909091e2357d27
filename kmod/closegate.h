/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
/*
 * The close gate (closegate.c): the primary's FIN or RST waits for the
 * backup's application to close too.
 */
#ifndef _STTCP_CLOSEGATE_H
#define _STTCP_CLOSEGATE_H

#include "sttcp.h"

/* f->lock held: jiffies until a held close's grace ends, 0 once over (32-bit stamps). */
static inline unsigned long sttcp_close_grace_left(const struct sttcp_flow *f)
{
	s32 left = (s32)(f->close_held_at - (u32)jiffies +
			 msecs_to_jiffies(READ_ONCE(f->pn->tun.app_close_grace_ms)));

	return left > 0 ? left : 0;
}

bool sttcp_close_hold(struct sttcp_net *pn, struct sttcp_flow *f, struct sk_buff *skb);
void sttcp_close_send(struct sttcp_net *pn, struct sk_buff *skb);
void sttcp_close_drop(struct sttcp_flow *f);

#endif /* _STTCP_CLOSEGATE_H */
