// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Sync channel wire format: strict parsing and encoding. No allocation, no
 * state; shared verbatim with the userspace unit tests and fuzzer.
 */
#include "wire.h"

#define IP_MF_OFFSET_MASK 0x3fff	/* MF flag + fragment offset */

/* A flow key on the wire: client address, VIP, client port, VIP port (12 bytes, as sent). */
static void get_key(const u8 *p, struct sttcp_flow_key *key)
{
	memcpy(&key->caddr, p, 4);
	memcpy(&key->vaddr, p + 4, 4);
	memcpy(&key->cport, p + 8, 2);
	memcpy(&key->vport, p + 10, 2);
}

static void put_key(u8 *p, const struct sttcp_flow_key *key)
{
	memcpy(p, &key->caddr, 4);
	memcpy(p + 4, &key->vaddr, 4);
	memcpy(p + 8, &key->cport, 2);
	memcpy(p + 10, &key->vport, 2);
}

/* Validate an embedded IPv4/TCP packet; its headers must be in @avail. */
static int parse_packet(const u8 *buf, u32 avail, struct sttcp_msg *m)
{
	const struct iphdr *iph;
	const struct tcphdr *th;
	u32 ihl, thl;

	if (m->pkt_len < sizeof(*iph) || m->pkt_off + sizeof(*iph) > avail)
		return -EBADMSG;
	iph = (const struct iphdr *)(buf + m->pkt_off);
	ihl = iph->ihl * 4;
	if (iph->version != 4 || ihl < sizeof(*iph) || ihl > m->pkt_len)
		return -EBADMSG;
	if (ntohs(iph->tot_len) != m->pkt_len || iph->protocol != IPPROTO_TCP)
		return -EBADMSG;
	/* The backup must see what the primary's TCP saw: whole segments. */
	if (ntohs(iph->frag_off) & IP_MF_OFFSET_MASK)
		return -EBADMSG;
	if (ihl + sizeof(*th) > m->pkt_len || m->pkt_off + ihl + sizeof(*th) > avail)
		return -EBADMSG;
	th = (const struct tcphdr *)(buf + m->pkt_off + ihl);
	thl = th->doff * 4;
	if (thl < sizeof(*th) || ihl + thl > m->pkt_len ||
	    m->pkt_off + ihl + thl > avail)
		return -EBADMSG;
	m->pkt_ihl = ihl;
	m->pkt_thl = thl;
	m->key.caddr = iph->saddr;
	m->key.vaddr = iph->daddr;
	m->key.cport = th->source;
	m->key.vport = th->dest;
	return 0;
}

/**
 * sttcp_wire_parse_env() - validate a message's envelope (header only)
 * @buf: the message
 * @avail: bytes readable at @buf (at least STTCP_WIRE_HDR_LEN)
 * @total: length of the whole message (the UDP payload length)
 * @e: result
 *
 * Checks what can be checked before the tag: version, length, flags,
 * reserved bits, room for the tag, session id and counter ranges. The body
 * is not looked at; the type is not checked either (sttcp_wire_parse() is).
 *
 * Return: 0, -EPROTONOSUPPORT for another version, -EBADMSG otherwise.
 */
int sttcp_wire_parse_env(const u8 *buf, u32 avail, u32 total, struct sttcp_wire_env *e)
{
	memset(e, 0, sizeof(*e));
	if (total < STTCP_WIRE_HDR_LEN || avail < STTCP_WIRE_HDR_LEN ||
	    total > STTCP_WIRE_MAX_LEN)
		return -EBADMSG;
	if (buf[0] != STTCP_WIRE_VERSION)
		return -EPROTONOSUPPORT;
	e->type = buf[1];
	e->len = ((u32)buf[2] << 8) | buf[3];
	e->flags = buf[4];
	e->sender = sttcp_get_be64(buf + 8);
	e->receiver = sttcp_get_be64(buf + 16);
	e->counter = sttcp_get_be64(buf + 24);
	/* A truncated or padded message: the length covers tag and all. */
	if (e->len != total)
		return -EBADMSG;
	if (e->flags & ~(STTCP_WIRE_F_AUTH | STTCP_WIRE_F_PATH2) ||
	    buf[5] || buf[6] || buf[7])
		return -EBADMSG;
	if ((e->flags & STTCP_WIRE_F_AUTH) && total < STTCP_WIRE_HDR_LEN + STTCP_WIRE_TAG_LEN)
		return -EBADMSG;
	if (!e->sender || !e->counter || e->counter >= STTCP_WIRE_COUNTER_MAX)
		return -EBADMSG;
	return 0;
}

/* The client's SYN, after the facts the primary learnt from its SYN-ACK. */
static int parse_syn(const u8 *buf, u32 avail, u32 body, struct sttcp_msg *m)
{
	const u8 *f = buf + STTCP_WIRE_HDR_LEN;
	const struct tcphdr *th;
	int err;

	if (body < STTCP_WIRE_SYN_FACTS_LEN ||
	    avail < STTCP_WIRE_HDR_LEN + STTCP_WIRE_SYN_FACTS_LEN)
		return -EBADMSG;
	m->syn.isn = sttcp_get_be32(f);
	m->syn.tsval = sttcp_get_be32(f + 4);
	m->syn.mss = ((u16)f[8] << 8) | f[9];
	m->syn.wscale = f[10];
	m->syn.opts = f[11];
	if (m->syn.wscale > 14)
		return -EBADMSG;
	m->pkt_off = STTCP_WIRE_HDR_LEN + STTCP_WIRE_SYN_FACTS_LEN;
	m->pkt_len = body - STTCP_WIRE_SYN_FACTS_LEN;
	err = parse_packet(buf, avail, m);
	if (err)
		return err;
	/* It must really be the client's SYN. */
	th = (const struct tcphdr *)(buf + m->pkt_off + m->pkt_ihl);
	if (!th->syn || th->ack || th->rst || th->fin)
		return -EBADMSG;
	return 0;
}

static int parse_report(const u8 *buf, u32 avail, u32 total, u32 body, struct sttcp_msg *m)
{
	if (body < 4 || avail < STTCP_WIRE_HDR_LEN + 4)
		return -EBADMSG;
	m->n_reports = buf[STTCP_WIRE_HDR_LEN];
	m->reports_off = STTCP_WIRE_HDR_LEN + 4;
	if (m->n_reports == 0 || m->n_reports > STTCP_WIRE_MAX_REPORTS ||
	    body != 4 + m->n_reports * STTCP_WIRE_REPORT_LEN || avail < total)
		return -EBADMSG;
	return 0;
}

static int parse_heartbeat(const u8 *buf, u32 avail, u32 total, u32 body,
			   struct sttcp_msg *m)
{
	const u8 *b = buf + STTCP_WIRE_HDR_LEN;

	if (body != STTCP_WIRE_HB_LEN || avail < total)
		return -EBADMSG;
	m->hb.epoch = sttcp_get_be32(b);
	m->hb.state = b[4];
	m->hb.flags = b[5];
	m->hb.clock = sttcp_get_be32(b + 8);
	m->hb.echo = sttcp_get_be32(b + 12);
	/* States are checked by the receiver (it knows the enum's range). */
	if (m->hb.flags & ~(STTCP_HB_HANDOVER | STTCP_HB_SECOND_PATH))
		return -EBADMSG;
	return 0;
}

static int parse_digest(const u8 *buf, u32 avail, u32 total, u32 body, struct sttcp_msg *m)
{
	const u8 *b = buf + STTCP_WIRE_HDR_LEN;

	if (body != STTCP_WIRE_DIGEST_LEN || avail < total)
		return -EBADMSG;
	get_key(b, &m->key);
	m->dg.start = sttcp_get_be32(b + 12);
	m->dg.end = sttcp_get_be32(b + 16);
	m->dg.digest = sttcp_get_be32(b + 20);
	m->dg_flags = b[24];
	if (m->dg.end - m->dg.start > STTCP_DG_BLOCK ||
	    m->dg_flags & ~(STTCP_DIGEST_CHECKPOINT | STTCP_DIGEST_RELEASE |
			    STTCP_DIGEST_CLOSED) ||
	    b[25] || b[26] || b[27])
		return -EBADMSG;
	/* A release or a close carries no block, and is nothing else. */
	if (m->dg_flags & (STTCP_DIGEST_RELEASE | STTCP_DIGEST_CLOSED) &&
	    (m->dg_flags & (m->dg_flags - 1) || m->dg.start || m->dg.end || m->dg.digest))
		return -EBADMSG;
	return 0;
}

/**
 * sttcp_wire_parse() - validate a sync message and describe its parts
 * @buf: the message
 * @avail: bytes readable at @buf (at least every header the parser reads)
 * @total: length of the whole message (the UDP payload length)
 * @m: result
 *
 * The envelope is checked as by sttcp_wire_parse_env(), then the body
 * (between the header and the tag, if any) for its type. The tag itself is
 * the caller's business (auth.c).
 *
 * Return: 0, -EPROTONOSUPPORT for another version, -EBADMSG for anything
 * malformed (short, long, inconsistent lengths, unknown type, bad packet).
 */
int sttcp_wire_parse(const u8 *buf, u32 avail, u32 total, struct sttcp_msg *m)
{
	u32 body;
	int err;

	memset(m, 0, sizeof(*m));
	if (avail > total)
		avail = total;
	err = sttcp_wire_parse_env(buf, avail, total, &m->env);
	if (err)
		return err;
	m->type = m->env.type;
	m->len = m->env.len;
	/* From here on the message ends where the tag starts. */
	if (m->env.flags & STTCP_WIRE_F_AUTH)
		total -= STTCP_WIRE_TAG_LEN;
	if (avail > total)
		avail = total;
	body = total - STTCP_WIRE_HDR_LEN;

	switch (m->type) {
	case STTCP_MSG_MIRROR:
		m->pkt_off = STTCP_WIRE_HDR_LEN;
		m->pkt_len = body;
		return parse_packet(buf, avail, m);
	case STTCP_MSG_SYN:
		return parse_syn(buf, avail, body, m);
	case STTCP_MSG_REPORT:
		return parse_report(buf, avail, total, body, m);
	case STTCP_MSG_HEARTBEAT:
		return parse_heartbeat(buf, avail, total, body, m);
	case STTCP_MSG_SETTINGS:
		return sttcp_wire_parse_settings(buf, avail, total, m);
	case STTCP_MSG_DIGEST:
		return parse_digest(buf, avail, total, body, m);
	}
	return -EBADMSG;
}

/**
 * sttcp_wire_get_report() - decode entry @i of a parsed REPORT message
 * @buf: the message
 * @m: its parse result
 * @i: entry index, below m->n_reports
 * @r: result
 */
void sttcp_wire_get_report(const u8 *buf, const struct sttcp_msg *m, u32 i,
			   struct sttcp_report *r)
{
	const u8 *p = buf + m->reports_off + i * STTCP_WIRE_REPORT_LEN;

	get_key(p, &r->key);
	r->rcv_nxt = sttcp_get_be32(p + 12);
	r->win_end = sttcp_get_be32(p + 16);
	r->flags = p[20];
}

/**
 * sttcp_wire_put_env() - write the envelope (header) of a message
 * @buf: at least STTCP_WIRE_HDR_LEN bytes
 * @e: the envelope; e->len is the whole message, tag included
 */
void sttcp_wire_put_env(u8 *buf, const struct sttcp_wire_env *e)
{
	buf[0] = STTCP_WIRE_VERSION;
	buf[1] = e->type;
	buf[2] = e->len >> 8;
	buf[3] = e->len & 0xff;
	buf[4] = e->flags;
	buf[5] = 0;
	buf[6] = 0;
	buf[7] = 0;
	sttcp_put_be64(buf + 8, e->sender);
	sttcp_put_be64(buf + 16, e->receiver);
	sttcp_put_be64(buf + 24, e->counter);
}

/**
 * sttcp_wire_put_syn_facts() - write the SYN facts that follow the header
 * @buf: at least STTCP_WIRE_SYN_FACTS_LEN bytes
 * @f: the facts
 */
void sttcp_wire_put_syn_facts(u8 *buf, const struct sttcp_syn_facts *f)
{
	sttcp_put_be32(buf, f->isn);
	sttcp_put_be32(buf + 4, f->tsval);
	buf[8] = f->mss >> 8;
	buf[9] = f->mss & 0xff;
	buf[10] = f->wscale;
	buf[11] = f->opts;
}

/**
 * sttcp_wire_put_report_count() - write the REPORT body's count word
 * @buf: the 4 bytes after the header
 * @count: number of entries that follow
 */
void sttcp_wire_put_report_count(u8 *buf, u8 count)
{
	buf[0] = count;
	buf[1] = 0;
	buf[2] = 0;
	buf[3] = 0;
}

/**
 * sttcp_wire_put_report() - write one REPORT entry
 * @buf: STTCP_WIRE_REPORT_LEN bytes
 * @r: the entry
 */
void sttcp_wire_put_report(u8 *buf, const struct sttcp_report *r)
{
	put_key(buf, &r->key);
	sttcp_put_be32(buf + 12, r->rcv_nxt);
	sttcp_put_be32(buf + 16, r->win_end);
	buf[20] = r->flags;
	buf[21] = 0;
	buf[22] = 0;
	buf[23] = 0;
}

/**
 * sttcp_wire_put_heartbeat() - write a HEARTBEAT body
 * @buf: STTCP_WIRE_HB_LEN bytes after the header
 * @hb: the heartbeat
 */
void sttcp_wire_put_heartbeat(u8 *buf, const struct sttcp_heartbeat *hb)
{
	memset(buf, 0, STTCP_WIRE_HB_LEN);
	sttcp_put_be32(buf, hb->epoch);
	buf[4] = hb->state;
	buf[5] = hb->flags;
	sttcp_put_be32(buf + 8, hb->clock);
	sttcp_put_be32(buf + 12, hb->echo);
}

/**
 * sttcp_wire_parse_settings() - validate the body of a SETTINGS message
 * @buf: the message (header checked by sttcp_wire_parse())
 * @avail: bytes readable at @buf; the whole message must be
 * @total: length of the whole message
 * @m: result: settings_off and settings_len
 *
 * Return: 0, or -EBADMSG if the lengths disagree or the blob is too long.
 */
int sttcp_wire_parse_settings(const u8 *buf, u32 avail, u32 total, struct sttcp_msg *m)
{
	u32 body, len;

	if (total < STTCP_WIRE_HDR_LEN + STTCP_WIRE_SETTINGS_HDR_LEN || avail < total)
		return -EBADMSG;
	body = total - STTCP_WIRE_HDR_LEN;
	len = ((u32)buf[STTCP_WIRE_HDR_LEN] << 8) | buf[STTCP_WIRE_HDR_LEN + 1];
	if (buf[STTCP_WIRE_HDR_LEN + 2] || buf[STTCP_WIRE_HDR_LEN + 3] ||
	    len > STTCP_WIRE_SETTINGS_MAX || body != STTCP_WIRE_SETTINGS_HDR_LEN + len)
		return -EBADMSG;
	m->settings_off = STTCP_WIRE_HDR_LEN + STTCP_WIRE_SETTINGS_HDR_LEN;
	m->settings_len = len;
	return 0;
}

/**
 * sttcp_wire_put_settings() - write a SETTINGS body
 * @buf: STTCP_WIRE_SETTINGS_HDR_LEN + @len bytes after the header
 * @blob: the settings
 * @len: their length, at most STTCP_WIRE_SETTINGS_MAX
 */
void sttcp_wire_put_settings(u8 *buf, const u8 *blob, u16 len)
{
	buf[0] = len >> 8;
	buf[1] = len & 0xff;
	buf[2] = 0;
	buf[3] = 0;
	memcpy(buf + STTCP_WIRE_SETTINGS_HDR_LEN, blob, len);
}

/**
 * sttcp_wire_put_digest() - write a DIGEST body
 * @buf: STTCP_WIRE_DIGEST_LEN bytes after the header
 * @key: the flow
 * @blk: the block
 * @flags: STTCP_DIGEST_*
 */
void sttcp_wire_put_digest(u8 *buf, const struct sttcp_flow_key *key,
			   const struct sttcp_dg_block *blk, u8 flags)
{
	put_key(buf, key);
	sttcp_put_be32(buf + 12, blk->start);
	sttcp_put_be32(buf + 16, blk->end);
	sttcp_put_be32(buf + 20, blk->digest);
	buf[24] = flags;
	buf[25] = 0;
	buf[26] = 0;
	buf[27] = 0;
}
