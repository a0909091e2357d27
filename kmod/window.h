/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
/*
 * The primary's window edge (window.c): the window it advertises follows
 * the backup's right edge.
 */
#ifndef _STTCP_WINDOW_H
#define _STTCP_WINDOW_H

#include "sttcp.h"

bool sttcp_window_beyond(const struct sttcp_flow *f, const struct tcphdr *th);
void sttcp_window_track(struct sttcp_flow *f, const struct tcphdr *th);
void sttcp_window_clamp(struct sttcp_net *pn, struct sttcp_flow *f, struct sk_buff *skb);
void sttcp_window_prod(struct sttcp_net *pn, struct sttcp_flow *f);

#endif /* _STTCP_WINDOW_H */
