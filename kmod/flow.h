/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_FLOW_H
#define _STTCP_FLOW_H

#include "sttcp.h"

/* Every linked flow is on one of these lists (pn->flows_lock), embryonic first. */
#define STTCP_FLOW_LISTS 2
static inline struct list_head *sttcp_flow_list(struct sttcp_net *pn, int i)
{
	return i ? &pn->flow_list : &pn->embryonic;
}

int sttcp_flow_cache_init(void);
void sttcp_flow_cache_destroy(void);
int sttcp_flow_table_init(struct sttcp_net *pn);
void sttcp_flow_table_destroy(struct sttcp_net *pn);
struct sttcp_flow *sttcp_flow_lookup(struct sttcp_net *pn, const struct sttcp_flow_key *key);
struct sttcp_flow *sttcp_flow_replace(struct sttcp_net *pn, struct sttcp_flow *old);
struct sttcp_flow *sttcp_flow_create(struct sttcp_net *pn, const struct sttcp_flow_key *key);
void sttcp_flow_flush(struct sttcp_net *pn);
void sttcp_flow_remove(struct sttcp_net *pn, const struct sttcp_flow_key *key);
bool sttcp_flow_note_close(struct sttcp_flow *f, const struct tcphdr *th, bool from_client);
void sttcp_flow_mark_closed(struct sttcp_flow *f);
void sttcp_flow_promote(struct sttcp_flow *f);
struct sock *sttcp_flow_sock(struct sttcp_net *pn, const struct sttcp_flow_key *key);

#endif /* _STTCP_FLOW_H */
