/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_TAKEOVER_H
#define _STTCP_TAKEOVER_H

#include "sttcp.h"

void sttcp_flows_work(struct work_struct *work);
void sttcp_flows_work_queue(struct sttcp_net *pn, int job);

#endif /* _STTCP_TAKEOVER_H */
