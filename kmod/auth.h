/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_AUTH_H
#define _STTCP_AUTH_H

#include "sttcp.h"

int sttcp_auth_setup(struct sttcp_cfg *cfg, struct netlink_ext_ack *extack);
int sttcp_auth_key_id(const u8 *key, u8 *id);
void sttcp_auth_free(struct sttcp_cfg *cfg);
void sttcp_auth_start(struct sttcp_net *pn);
void sttcp_auth_tx(struct sttcp_net *pn, const struct sttcp_cfg *cfg, struct sk_buff *skb,
		   u8 type, int path);
bool sttcp_auth_rx_check(struct sttcp_net *pn, const struct sttcp_cfg *cfg,
			 struct sk_buff *skb, u32 off, const struct sttcp_wire_env *e);
bool sttcp_auth_rx_session(struct sttcp_net *pn, const struct sttcp_wire_env *e, int path);

#endif /* _STTCP_AUTH_H */
