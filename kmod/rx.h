/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_RX_H
#define _STTCP_RX_H

#include "sttcp.h"

void sttcp_rx(struct sttcp_net *pn, struct sk_buff *skb, const struct sttcp_msg *m, int path);

#endif /* _STTCP_RX_H */
