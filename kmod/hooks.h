/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_HOOKS_H
#define _STTCP_HOOKS_H

#include "sttcp.h"

int sttcp_hooks_register(struct sttcp_net *pn);
void sttcp_hooks_unregister(struct sttcp_net *pn);

#endif /* _STTCP_HOOKS_H */
