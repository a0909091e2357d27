/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_HEARTBEAT_H
#define _STTCP_HEARTBEAT_H

#include "sttcp.h"

void sttcp_hb_init(struct sttcp_net *pn);
void sttcp_hb_start(struct sttcp_net *pn, const struct sttcp_cfg *cfg, u32 epoch);
void sttcp_hb_stop(struct sttcp_net *pn);
void sttcp_hb_rx(struct sttcp_net *pn, const struct sttcp_heartbeat *hb, int path);
void sttcp_hb_seen(struct sttcp_net *pn, int path);
int sttcp_switchover(struct sttcp_net *pn, struct netlink_ext_ack *extack);
bool sttcp_app_lost(struct sttcp_net *pn, const struct sttcp_flow_key *key);
int sttcp_takeover_cmd(struct sttcp_net *pn, struct netlink_ext_ack *extack);

#endif /* _STTCP_HEARTBEAT_H */
