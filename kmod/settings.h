/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_SETTINGS_H
#define _STTCP_SETTINGS_H

#include "sttcp.h"

struct sttcp_settings;
void sttcp_settings_init(struct sttcp_net *pn);
int sttcp_settings_set(struct sttcp_net *pn, const u8 *data, u32 len);
void sttcp_settings_clear(struct sttcp_net *pn);
void sttcp_settings_tick(struct sttcp_net *pn);
void sttcp_settings_rx(struct sttcp_net *pn, const u8 *buf, const struct sttcp_msg *m);
int sttcp_settings_put(struct sk_buff *msg, struct sttcp_net *pn, bool peer);

#endif /* _STTCP_SETTINGS_H */
