/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_CONFIG_H
#define _STTCP_CONFIG_H

#include "sttcp.h"

int sttcp_configure(struct sttcp_net *pn, const struct sttcp_cfg *req,
		    struct netlink_ext_ack *extack);
bool sttcp_cfg_same_service(const struct sttcp_cfg *a, const struct sttcp_cfg *b);
void sttcp_unconfigure(struct sttcp_net *pn);

#endif /* _STTCP_CONFIG_H */
