// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Sync channel sessions and the replay window (see session.h). No locking,
 * no allocation: the caller serialises (sync.c holds a spinlock).
 */
#include "session.h"

/**
 * sttcp_replay_check() - accept each counter at most once
 * @r: the window of one sender session and path
 * @counter: the message's counter
 *
 * Counters more than STTCP_REPLAY_WINDOW behind the highest one accepted
 * are refused as too old; within the window each is accepted once. The
 * window only moves for a message that is accepted.
 *
 * Return: true if @counter is new.
 */
bool sttcp_replay_check(struct sttcp_replay *r, u64 counter)
{
	u64 word = counter / 64, bit = 1ULL << (counter % 64);
	u64 *w;

	if (!counter || counter >= STTCP_WIRE_COUNTER_MAX)
		return false;
	if (counter + STTCP_REPLAY_WINDOW <= r->top)
		return false;
	if (counter > r->top) {
		u64 cur = r->top / 64, n = word - cur, i;

		/* Words between the old top and the new one hold old bits: clear. */
		if (n > STTCP_REPLAY_WORDS)
			n = STTCP_REPLAY_WORDS;
		for (i = 1; i <= n; i++)
			r->bits[(cur + i) % STTCP_REPLAY_WORDS] = 0;
		r->top = counter;
	}
	w = &r->bits[word % STTCP_REPLAY_WORDS];
	if (*w & bit)
		return false;
	*w |= bit;
	return true;
}

/**
 * sttcp_session_init() - start a fresh session of ours, bound to nobody
 * @s: the session
 * @self: our new session id (random, not 0)
 * @hint: the peer session to address meanwhile (0 if none known)
 */
void sttcp_session_init(struct sttcp_session *s, u64 self, u64 hint)
{
	memset(s, 0, sizeof(*s));
	s->self = self;
	s->hint = hint;
}

/**
 * sttcp_session_rx() - may an authentic, well-formed message be processed?
 * @s: our session
 * @e: the message's envelope
 * @path: the path it came on (0 or 1), checked against its PATH2 flag
 *
 * On STTCP_SESS_RESTART the caller renews our session with
 * sttcp_session_init(s, new id, e->sender) and drops the message.
 *
 * Return: enum sttcp_session_verdict.
 */
enum sttcp_session_verdict sttcp_session_rx(struct sttcp_session *s,
					    const struct sttcp_wire_env *e, int path)
{
	/* A message moved to the other path replays another counter space. */
	if (path < 0 || path >= STTCP_SESSION_PATHS ||
	    !(e->flags & STTCP_WIRE_F_PATH2) != !path)
		return STTCP_SESS_REPLAY;
	/* Our own message sent back to us is never addressed to us. */
	if (!e->sender || e->sender == s->self)
		return STTCP_SESS_STALE;
	if (e->receiver != s->self) {
		/*
		 * A peer that does not know us yet, or a message from before our
		 * current session. Address the sender meanwhile, but only while
		 * unbound: a bound session keeps its peer.
		 */
		if (!s->peer)
			s->hint = e->sender;
		return STTCP_SESS_STALE;
	}
	if (!s->peer) {
		s->peer = e->sender;
		s->hint = e->sender;
		memset(s->win, 0, sizeof(s->win));
	} else if (e->sender != s->peer) {
		return STTCP_SESS_RESTART;
	}
	return sttcp_replay_check(&s->win[path], e->counter) ? STTCP_SESS_OK :
							       STTCP_SESS_REPLAY;
}
