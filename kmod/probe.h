/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
#ifndef _STTCP_PROBE_H
#define _STTCP_PROBE_H

#include "sttcp.h"

struct sttcp_probes;
/* One connection reset at a takeover: the client's 4-tuple, the primary's ISN. */
struct sttcp_probe {
	struct sttcp_flow_key key;
	u32 isn;
	u32 ack;		/* the client's next byte, as far as known */
};

void sttcp_probes_init(struct sttcp_net *pn);
struct sttcp_probes *sttcp_probes_alloc(int n);
struct sttcp_probe *sttcp_probes_at(struct sttcp_probes *set, int i);
void sttcp_probes_set(struct sttcp_net *pn, struct sttcp_probes *set);
void sttcp_probes_start(struct sttcp_net *pn);
void sttcp_probe_work(struct work_struct *work);

#endif /* _STTCP_PROBE_H */
