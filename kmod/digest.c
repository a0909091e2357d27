// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Output digests (see digest.h): the arithmetic and the comparison, with no
 * state of their own; shared verbatim with the userspace unit tests. The
 * caller continues the block's CRC over the bytes (__skb_checksum() with
 * CRC32C in the module) in pieces no longer than sttcp_digest_room(), so a
 * piece never straddles a block.
 */
#include "digest.h"

/**
 * sttcp_digest_init() - start digesting a stream
 * @d: the running digest
 * @isn: the primary's ISN: the stream starts at @isn + 1
 */
void sttcp_digest_init(struct sttcp_digest *d, u32 isn)
{
	d->next = isn + 1;
	d->crc = STTCP_DG_SEED;
}

/**
 * sttcp_digest_new() - how much of a segment's payload is new
 * @d: the running digest
 * @seq: sequence number of the payload's first byte (primary space)
 * @len: payload length
 * @skip: result: bytes at the start already digested (retransmitted)
 *
 * Return: the number of new bytes after @skip (0: a pure retransmission),
 * or -1 if the segment starts beyond the next byte expected: a byte was
 * never seen, so the stream can no longer be digested.
 */
int sttcp_digest_new(const struct sttcp_digest *d, u32 seq, u32 len, u32 *skip)
{
	*skip = 0;
	if (!sttcp_after(seq + len, d->next))
		return 0;
	if (sttcp_after(seq, d->next))
		return -1;
	*skip = d->next - seq;
	return len - *skip;
}

/**
 * sttcp_digest_room() - bytes left in the current block
 * @d: the running digest
 * @isn: the primary's ISN
 *
 * Return: the longest piece sttcp_digest_add() takes next, 1..STTCP_DG_BLOCK.
 */
u32 sttcp_digest_room(const struct sttcp_digest *d, u32 isn)
{
	return STTCP_DG_BLOCK - sttcp_digest_offset(d, isn) % STTCP_DG_BLOCK;
}

/**
 * sttcp_digest_add() - digest the next piece of the stream
 * @d: the running digest
 * @isn: the primary's ISN
 * @crc: the block's CRC32C continued over the piece: __crc32c_le(d->crc,
 *	piece, @len)
 * @len: the piece's length, at most sttcp_digest_room()
 * @blk: result, when a block is finished
 *
 * Return: true if the piece finished a block (@blk is set).
 */
bool sttcp_digest_add(struct sttcp_digest *d, u32 isn, u32 crc, u32 len,
		      struct sttcp_dg_block *blk)
{
	d->crc = crc;
	d->next += len;
	if (sttcp_digest_offset(d, isn) % STTCP_DG_BLOCK)
		return false;
	blk->start = d->next - STTCP_DG_BLOCK;
	blk->end = d->next;
	blk->digest = d->crc;
	d->crc = STTCP_DG_SEED;
	return true;
}

/**
 * sttcp_digest_close() - the stream ended (FIN): finish the last block
 * @d: the running digest
 * @isn: the primary's ISN
 * @blk: result: the last block, possibly empty (start == end), so that a
 *	stream the other node continues is caught as well
 *
 * Return: true (a block always results); kept boolean like sttcp_digest_add().
 */
bool sttcp_digest_close(struct sttcp_digest *d, u32 isn, struct sttcp_dg_block *blk)
{
	u32 in_block = sttcp_digest_offset(d, isn) % STTCP_DG_BLOCK;

	blk->start = d->next - in_block;
	blk->end = d->next;
	blk->digest = d->crc;
	d->crc = STTCP_DG_SEED;
	return true;
}

/**
 * sttcp_digest_peek() - the unfinished block so far, as a close would give it
 * @d: the running digest (unchanged)
 * @isn: the primary's ISN
 * @blk: result
 */
void sttcp_digest_peek(const struct sttcp_digest *d, u32 isn, struct sttcp_dg_block *blk)
{
	struct sttcp_digest tmp = *d;

	sttcp_digest_close(&tmp, isn, blk);
}

static enum sttcp_dg_verdict same(const struct sttcp_dg_block *a, const struct sttcp_dg_block *b)
{
	return a->start == b->start && a->end == b->end && a->digest == b->digest ?
	       STTCP_DG_MATCH : STTCP_DG_MISMATCH;
}

/* Blocks in a ring entry: full ones, then maybe a last partial or empty one (a FIN). */
static u32 entry_blocks(const struct sttcp_dg_block *b)
{
	u32 len = b->end - b->start, n = len / STTCP_DG_BLOCK + !!(len % STTCP_DG_BLOCK);

	return n ? n : 1;
}

static enum sttcp_dg_verdict counted(enum sttcp_dg_verdict v, u32 blocks, struct sttcp_dg_count *n)
{
	if (v == STTCP_DG_MATCH)
		n->matched += blocks;
	return v;
}

/* A block's digest as a ring entry holds it: bound to the block's start (a bijection). */
static u32 sttcp_dg_mix(const struct sttcp_dg_block *b)
{
	return (b->digest ^ (b->start * STTCP_DG_MIX)) * STTCP_DG_FNV_PRIME;
}

static struct sttcp_dg_block *ring_at(struct sttcp_dg_ring *r, int i)
{
	return &r->b[(r->head + i) % STTCP_DG_RING];
}

static void ring_pop(struct sttcp_dg_ring *r)
{
	r->head = (r->head + 1) % STTCP_DG_RING;
	r->count--;
	r->part_on = false;
}

/* The oldest entry can never be compared. */
static void ring_drop(struct sttcp_dg_ring *r, struct sttcp_dg_count *n)
{
	n->unverified += entry_blocks(ring_at(r, 0));
	ring_pop(r);
}

/* The other side's next block goes into the oldest entry: compared once it is full. */
static enum sttcp_dg_verdict ring_fill(struct sttcp_dg_ring *r, const struct sttcp_dg_block *blk,
				       struct sttcp_dg_count *n)
{
	const struct sttcp_dg_block h = *ring_at(r, 0);
	u32 sum = (r->part_on ? r->part : 0) ^ sttcp_dg_mix(blk);

	if (blk->end == h.end) {
		ring_pop(r);
		return counted(sum == h.digest ? STTCP_DG_MATCH : STTCP_DG_MISMATCH,
			       entry_blocks(&h), n);
	}
	if (sttcp_before(blk->end, h.end) && blk->end - blk->start == STTCP_DG_BLOCK) {
		r->part_on = true;
		r->part_next = blk->end;
		r->part = sum;
		return STTCP_DG_QUEUED;
	}
	/* One stream ends (FIN) where the other goes on. */
	ring_pop(r);
	return STTCP_DG_MISMATCH;
}

/*
 * A full ring makes room: its oldest two adjacent entries become one (the
 * part filling the head stays valid, the head's start does not change).
 * Entries with a lost block between them cannot be joined; with no adjacent
 * pair at all, the oldest entry is dropped unverified.
 */
static void ring_merge(struct sttcp_dg_ring *r, struct sttcp_dg_count *n)
{
	int k, j;

	for (k = 0; k + 1 < r->count; k++) {
		struct sttcp_dg_block *older = ring_at(r, k), *newer = ring_at(r, k + 1);

		if (older->end != newer->start)
			continue;
		newer->start = older->start;
		newer->digest ^= older->digest;
		for (j = k; j > 0; j--)
			*ring_at(r, j) = *ring_at(r, j - 1);
		r->head = (r->head + 1) % STTCP_DG_RING;
		r->count--;
		return;
	}
	ring_drop(r, n);
}

/**
 * sttcp_dg_compare() - one side's finished block meets the other side's
 * @r: the flow's ring
 * @side: whose block @blk is
 * @blk: the block
 * @n: counts the blocks compared equal, and those that can no longer be
 *	compared (a block of the other side, or of this one, was lost)
 *
 * Entries are identified by their start. The other side's entries queued
 * before @blk's start were never matched (a digest lost on the way); one
 * with the same start is filled and compared at its end; @blk older than
 * everything queued is stale. Otherwise @blk waits in the ring for the
 * other side; a full ring merges its oldest two adjacent entries to make room.
 *
 * Return: the verdict (QUEUED too for a block that filled part of an entry).
 */
enum sttcp_dg_verdict sttcp_dg_compare(struct sttcp_dg_ring *r, enum sttcp_dg_side side,
				       const struct sttcp_dg_block *blk, struct sttcp_dg_count *n)
{
	struct sttcp_dg_block *h;

	if (r->count && r->side != side) {
		while (r->count) {
			h = ring_at(r, 0);
			if (r->part_on) {
				if (blk->start == r->part_next)
					return ring_fill(r, blk, n);
				if (sttcp_before(blk->start, r->part_next)) {
					n->unverified++;
					return STTCP_DG_STALE;
				}
				/* A block of ours went missing inside the entry. */
				ring_drop(r, n);
				continue;
			}
			if (sttcp_before(h->start, blk->start)) {
				ring_drop(r, n);
				continue;
			}
			if (h->start != blk->start) {
				n->unverified++;
				return STTCP_DG_STALE;
			}
			return ring_fill(r, blk, n);
		}
	}
	if (r->count) {
		h = ring_at(r, r->count - 1);
		if (!sttcp_after(blk->start, h->start)) {
			/* A duplicate or a late one of the side ahead. */
			n->unverified++;
			return STTCP_DG_STALE;
		}
	}
	if (r->count == STTCP_DG_RING)
		ring_merge(r, n);
	r->side = side;
	h = ring_at(r, r->count);
	*h = *blk;
	h->digest = sttcp_dg_mix(blk);
	r->count++;
	return STTCP_DG_QUEUED;
}

/**
 * sttcp_dg_checkpoint() - a checkpoint of the primary's arrived (backup)
 * @r: the flow's ring
 * @own: the backup's own digest
 * @own_closed: the own stream ended (FIN) at own->next
 * @isn: the primary's ISN
 * @cp: the checkpoint: the primary's unfinished block up to cp->end
 * @n: counts a match, or a checkpoint that can no longer be compared (own
 *	output past it, or a newer one replacing it)
 *
 * An own block finished already with exactly the checkpoint's bounds is
 * compared as a block. Otherwise the own digest's position decides.
 *
 * Return: MATCH or MISMATCH if the own output is at cp->end now (or ended
 * before it: MISMATCH); QUEUED if it is before (sttcp_dg_cp_reached()
 * compares once it gets there); STALE if it is past.
 */
enum sttcp_dg_verdict sttcp_dg_checkpoint(struct sttcp_dg_ring *r, const struct sttcp_digest *own,
					  bool own_closed, u32 isn, const struct sttcp_dg_block *cp,
					  struct sttcp_dg_count *n)
{
	struct sttcp_dg_block mine;
	int i;

	if (r->count && r->side == STTCP_DG_OWN) {
		for (i = 0; i < r->count; i++) {
			const struct sttcp_dg_block *b = ring_at(r, i);

			if (b->start == cp->start && b->end == cp->end)
				return sttcp_dg_compare(r, STTCP_DG_PRIMARY, cp, n);
		}
	}
	if (own_closed) {
		if (sttcp_after(cp->end, own->next))
			return STTCP_DG_MISMATCH;	/* the primary sent bytes past our end */
		n->unverified++;
		return STTCP_DG_STALE;
	}
	if (own->next == cp->end) {
		sttcp_digest_peek(own, isn, &mine);
		return counted(same(&mine, cp), 1, n);
	}
	if (sttcp_after(own->next, cp->end)) {
		n->unverified++;
		return STTCP_DG_STALE;
	}
	if (r->cp_pending)
		n->unverified++;
	r->cp = *cp;
	r->cp_pending = true;
	return STTCP_DG_QUEUED;
}

/**
 * sttcp_dg_cp_reached() - the own output is at the pending checkpoint's end
 * @r: the flow's ring, r->cp_pending set and own->next == r->cp.end
 * @own: the backup's own running digest
 * @isn: the primary's ISN
 * @n: counts a match
 *
 * Return: MATCH or MISMATCH; the checkpoint is no longer pending.
 */
enum sttcp_dg_verdict sttcp_dg_cp_reached(struct sttcp_dg_ring *r,
					  const struct sttcp_digest *own, u32 isn,
					  struct sttcp_dg_count *n)
{
	struct sttcp_dg_block mine;

	r->cp_pending = false;
	sttcp_digest_peek(own, isn, &mine);
	return counted(same(&mine, &r->cp), 1, n);
}
