/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Output digests: both nodes digest the byte stream their socket sends to
 * the client, in blocks of STTCP_DG_BLOCK bytes of stream (in the primary's
 * sequence space, counted from ISN + 1, so both nodes cut the stream at the
 * same places). The primary sends each finished block's digest; the backup
 * compares it with its own. A block that differs means the backup's
 * application wrote other bytes than the primary's: after a takeover the
 * client would get a corrupted stream, so the flow is marked diverged.
 *
 * A block's digest is the CRC32C of its bytes (__crc32c_le(), built into
 * every kernel; the caller computes it over the skb in pieces). A CRC
 * depends on every byte and its position: a changed byte, a changed order
 * of bytes or words (a hash set iterated in another order), or bytes moved
 * change it, except by a 2^-32 chance for a random change; equal-length
 * bursts of up to 32 bits are always caught. The one's-complement sum used
 * before could not see a permutation of 16-bit words. Unkeyed: the bytes
 * compared are both nodes' own application's output; a client cannot make
 * the two differ in a chosen way.
 *
 * Both sides produce their blocks in stream order; the side that is ahead
 * waits in a small ring until the other catches up (struct sttcp_dg_ring).
 * Lost or reordered digests only leave blocks unverified, never a false
 * mismatch. A side more than the ring ahead (a backup application slower
 * than the primary's, with megabytes in its receive queue) never has a
 * block dropped: its oldest two entries merge into one, which the other
 * side's blocks then fill up and compare as a whole. Coarser, but every
 * byte is still compared.
 *
 * A request/response flow may never fill a block. So the primary also
 * sends a checkpoint when its socket has sent everything the application
 * wrote (a response is complete): the digest of the unfinished block so
 * far, as sttcp_digest_peek() gives it. The backup compares it when its own
 * output is at exactly that byte, at once or once it gets there; past it,
 * the checkpoint is unverified.
 *
 * The primary's last block (its FIN) is a checkpoint too: what matters is
 * that the bytes its client may have got are the backup's, not that the
 * streams end alike. A primary whose application died mid-stream ends
 * early, and the backup rightly continues; a backup that ends before bytes
 * the primary sent has diverged.
 */
#ifndef _STTCP_DIGEST_H
#define _STTCP_DIGEST_H

#include "pure.h"

#define STTCP_DG_BLOCK		65536U	/* stream bytes per digest message */
#define STTCP_DG_RING		32	/* blocks one side may be ahead (2 MiB) */
#define STTCP_DG_SEED		0xffffffffU	/* a block's CRC32C before its first byte */
#define STTCP_DG_FNV_PRIME	16777619U
/* ties a block's digest to its place in a ring entry */
#define STTCP_DG_MIX		0x9e3779b1U

/* Running digest of one direction of output. 8 bytes, kept in the flow. */
struct sttcp_digest {
	u32 next;	/* next stream byte to digest (primary space) */
	u32 crc;	/* the current block's CRC32C so far (no final inversion) */
};

/* One finished block: stream bytes [start, end) digested to @digest. */
struct sttcp_dg_block {
	u32 start;
	u32 end;
	u32 digest;
};

enum sttcp_dg_side {
	STTCP_DG_PRIMARY,	/* the primary's digest, from the sync channel */
	STTCP_DG_OWN,		/* this (backup) node's own */
};

/*
 * Entries of the side that is ahead, oldest first; a checkpoint not reached
 * yet. An entry covers one block or, once merged, several in a row: its
 * digest is the XOR of sttcp_dg_mix() of each block's. The other side fills
 * the oldest entry block by block (part) and compares at its end.
 */
struct sttcp_dg_ring {
	u8 side;		/* enum sttcp_dg_side of every entry queued */
	u8 head;
	u8 count;
	bool cp_pending;	/* cp waits for the own output to reach cp.end */
	bool part_on;		/* the other side's blocks fill b[head] up to part_next */
	u32 part_next;
	u32 part;		/* their mixed digests so far */
	struct sttcp_dg_block cp;
	struct sttcp_dg_block b[STTCP_DG_RING];
};

/* What comparisons came to, in blocks (a merged entry counts each of its blocks). */
struct sttcp_dg_count {
	u32 matched;		/* compared equal */
	u32 unverified;		/* never to be compared: a digest lost, late or too far behind */
};

enum sttcp_dg_verdict {
	STTCP_DG_QUEUED,	/* kept until the other side's block comes */
	STTCP_DG_MATCH,		/* compared equal */
	STTCP_DG_MISMATCH,	/* compared different: diverged */
	STTCP_DG_STALE,		/* older than anything the other side still has */
};

/* Offset of the next byte in the stream: blocks start at ISN + 1. */
static inline u32 sttcp_digest_offset(const struct sttcp_digest *d, u32 isn)
{
	return d->next - (isn + 1);
}

void sttcp_digest_init(struct sttcp_digest *d, u32 isn);
int sttcp_digest_new(const struct sttcp_digest *d, u32 seq, u32 len, u32 *skip);
u32 sttcp_digest_room(const struct sttcp_digest *d, u32 isn);
bool sttcp_digest_add(struct sttcp_digest *d, u32 isn, u32 crc, u32 len,
		      struct sttcp_dg_block *blk);
bool sttcp_digest_close(struct sttcp_digest *d, u32 isn, struct sttcp_dg_block *blk);
void sttcp_digest_peek(const struct sttcp_digest *d, u32 isn, struct sttcp_dg_block *blk);
enum sttcp_dg_verdict sttcp_dg_compare(struct sttcp_dg_ring *r, enum sttcp_dg_side side,
				       const struct sttcp_dg_block *blk, struct sttcp_dg_count *n);
enum sttcp_dg_verdict sttcp_dg_checkpoint(struct sttcp_dg_ring *r, const struct sttcp_digest *own,
					  bool own_closed, u32 isn, const struct sttcp_dg_block *cp,
					  struct sttcp_dg_count *n);
enum sttcp_dg_verdict sttcp_dg_cp_reached(struct sttcp_dg_ring *r,
					  const struct sttcp_digest *own, u32 isn,
					  struct sttcp_dg_count *n);

#endif /* _STTCP_DIGEST_H */
