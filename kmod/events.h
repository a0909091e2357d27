/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_EVENTS_H
#define _STTCP_EVENTS_H

#include "sttcp.h"

struct genl_family;

void sttcp_events_start(const struct genl_family *family);
int sttcp_status_put(struct sk_buff *msg, struct sttcp_net *pn);
void sttcp_event(struct sttcp_net *pn, enum sttcp_event ev,
		 const struct sttcp_flow_key *key);

#endif /* _STTCP_EVENTS_H */
