/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
/*
 * The hold gate (gate.c): what the primary holds for the backup leaves as
 * the backup reports it has it, is sent again when a mirror or report was
 * lost, and is given up when the backup makes no progress.
 */
#ifndef _STTCP_GATE_H
#define _STTCP_GATE_H

#include "sttcp.h"
#include "mirror.h"

/* Held skbs (GRO super-packets) and split segments re-sent per timeout. */
#define STTCP_REMIRROR_SKBS 8
#define STTCP_REMIRROR_SEGS 32

/* What to mirror again, collected under f->lock and sent after it. */
struct sttcp_remirror {
	struct sk_buff *skbs[STTCP_REMIRROR_SKBS];
	int n;
	struct sttcp_mirror_filter flt;
	u8 *syn;
	u16 syn_len;
	struct sttcp_syn_facts facts;
};

enum sttcp_giveup_step { STTCP_GIVEUP_NOT_YET, STTCP_GIVEUP_ASK, STTCP_GIVEUP_NOW };

void sttcp_gate_release_covered(struct sttcp_flow *f, struct sk_buff_head *out);
void sttcp_gate_release_all(struct sttcp_flow *f, struct sk_buff_head *out);
void sttcp_gate_unprotect(struct sttcp_flow *f, struct sk_buff_head *out);
void sttcp_gate_remirror_collect(struct sttcp_flow *f, struct sttcp_remirror *rm);
void sttcp_gate_remirror_send(struct sttcp_net *pn, struct sttcp_remirror *rm);
enum sttcp_giveup_step sttcp_gate_giveup_step(struct sttcp_net *pn, struct sttcp_flow *f);

#endif /* _STTCP_GATE_H */
