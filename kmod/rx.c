// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Sync messages to their handlers. sync.c delivers only what came from the
 * peer, authentic, well formed and new; here each type goes to the role
 * that takes it in this node's state, and anything else is counted.
 */
#include <linux/udp.h>
#include "sttcp.h"
#include "backup.h"
#include "divergence.h"
#include "heartbeat.h"
#include "primary.h"
#include "rx.h"
#include "settings.h"

static void rx_reports(struct sttcp_net *pn, const u8 *buf, const struct sttcp_msg *m)
{
	struct sttcp_report r;
	u32 i;

	sttcp_count_add(pn, STTCP_STAT_REPORT_RX, m->n_reports);
	for (i = 0; i < m->n_reports; i++) {
		sttcp_wire_get_report(buf, m, i, &r);
		sttcp_primary_rx_report(pn, &r);
	}
}

/* Return: whether this node's state takes a message of the type. */
static bool rx_wanted(u8 state, u8 type)
{
	switch (type) {
	case STTCP_MSG_MIRROR:
		/* A serving node gets the segments that went to the old primary. */
		return state != STTCP_STATE_NONE;
	case STTCP_MSG_SYN:
	case STTCP_MSG_DIGEST:
		return state == STTCP_STATE_BACKUP;
	case STTCP_MSG_REPORT:
		return sttcp_serving(state);
	case STTCP_MSG_SETTINGS:
		return true;
	}
	return false;
}

/**
 * sttcp_rx() - hand a checked sync message to its handler
 * @pn: namespace state
 * @skb: the message, data at the UDP header; consumed
 * @m: the parsed message
 * @path: 0 for the sync link, 1 for the second heartbeat path
 *
 * Any message proves the peer alive; the second path carries nothing else.
 */
void sttcp_rx(struct sttcp_net *pn, struct sk_buff *skb, const struct sttcp_msg *m, int path)
{
	const u8 *buf = skb->data + sizeof(struct udphdr);

	sttcp_hb_seen(pn, path);
	if (m->type == STTCP_MSG_HEARTBEAT) {
		sttcp_hb_rx(pn, &m->hb, path);
		consume_skb(skb);
		return;
	}
	if (path || !rx_wanted(sttcp_state(pn), m->type)) {
		sttcp_count(pn, STTCP_STAT_RX_WRONG_ROLE);
		kfree_skb(skb);
		return;
	}
	switch (m->type) {
	case STTCP_MSG_MIRROR:
	case STTCP_MSG_SYN:
		sttcp_backup_rx_packet(pn, skb, m);
		return;		/* it consumed the skb */
	case STTCP_MSG_REPORT:
		rx_reports(pn, buf, m);
		break;
	case STTCP_MSG_SETTINGS:
		sttcp_settings_rx(pn, buf, m);
		break;
	case STTCP_MSG_DIGEST:
		sttcp_backup_rx_digest(pn, m);
		break;
	}
	consume_skb(skb);
}
