/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Sync channel sessions and replay protection (pure: shared with the
 * userspace unit tests and fuzzers).
 *
 * Each node picks a random 64-bit session id per configuration. Every
 * message names its sender's session and the receiver's session as the
 * sender knows it; the counter counts per sender session and path. A node
 * processes a message only if it is addressed to its current session id,
 * and binds that id to exactly one peer session: the first one that
 * addresses it. Messages addressed to the same id by another peer session
 * mean that the peer restarted: the node then renews its own id, which
 * turns everything ever addressed to the old one stale, and binds again.
 *
 *   A (a1, bound to b1)              B restarts as b2 (unbound)
 *       a1 -> b1  ------------------> stale for b2; b2 learns "a1"
 *             <------------------ b2 -> a1
 *   a1 is bound to b1: peer restart, A renews to a2 (unbound)
 *       a2 -> b2  ------------------> addressed to b2: B binds a2
 *   A binds b2    <------------------ b2 -> a2
 *
 * Why this is replay safe: a message is processed only within the pair
 * (sender, receiver) it names, the receiver id is fresh per configuration
 * and per peer restart, and one id is bound to one peer session, whose
 * counters the window below checks. A replay from any earlier pair is
 * stale, whatever its counter; a replay within the pair is caught by the
 * window. See docs/security.md.
 */
#ifndef _STTCP_SESSION_H
#define _STTCP_SESSION_H

#include "wire.h"

#define STTCP_SESSION_PATHS	2
/*
 * A ring of seen counters, like WireGuard's (drivers/net/wireguard/receive.c),
 * four times as wide: one softirq run on the sender (up to 10 x
 * netdev_budget mirrors, each answered) can overtake a message whose
 * counter another context already took, and a stalled (virtual) CPU lags
 * further: with 8192 bits a loaded host's guest refused hundreds of
 * messages a run. 4 KiB per path and namespace.
 */
#define STTCP_REPLAY_BITS	32768
#define STTCP_REPLAY_WORDS	(STTCP_REPLAY_BITS / 64)
/* How far behind the highest counter a message may arrive (reordering). */
#define STTCP_REPLAY_WINDOW	(STTCP_REPLAY_BITS - 64)

struct sttcp_replay {
	u64 top;			/* highest counter accepted; 0: none yet */
	u64 bits[STTCP_REPLAY_WORDS];	/* bit c % BITS: counter c was seen */
};

struct sttcp_session {
	u64 self;	/* our session id, never 0 */
	u64 peer;	/* the peer session bound to ours; 0 while unbound */
	u64 hint;	/* the receiver id we send: the peer's id as far as known */
	struct sttcp_replay win[STTCP_SESSION_PATHS];	/* counters of @peer */
};

enum sttcp_session_verdict {
	STTCP_SESS_OK,		/* process the message */
	STTCP_SESS_REPLAY,	/* counter seen before or too old */
	STTCP_SESS_STALE,	/* not addressed to our current session */
	STTCP_SESS_RESTART,	/* a new peer session: renew ours, then drop */
};

bool sttcp_replay_check(struct sttcp_replay *r, u64 counter);
void sttcp_session_init(struct sttcp_session *s, u64 self, u64 hint);
enum sttcp_session_verdict sttcp_session_rx(struct sttcp_session *s,
					    const struct sttcp_wire_env *e, int path);

#endif /* _STTCP_SESSION_H */
