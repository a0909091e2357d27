/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_NETLINK_H
#define _STTCP_NETLINK_H

#include "sttcp.h"

int sttcp_genl_register(void);
void sttcp_genl_unregister(void);

#endif /* _STTCP_NETLINK_H */
