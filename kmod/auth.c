// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * The sync channel's envelope at the send/receive boundary: header, tag and
 * session check for every message, whatever its type.
 *
 * The tag is HMAC-SHA256 (crypto_shash "hmac(sha256)", synchronous, usable
 * in softirq) over header and body, truncated to 128 bits. The tfm belongs
 * to the configuration and is keyed once, in process context; signing and
 * checking only read it, each with its own descriptor on the stack.
 */
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/random.h>
#include "sttcp.h"
#include "auth.h"
#include "events.h"

/* A peer with another key would otherwise log an event per message. */
#define AUTH_EVENT_EVERY	(5 * HZ)

#define KEY_ID_INPUT	"sttcp key id"

static int key_id(struct crypto_shash *tfm, u8 *id)
{
	u8 digest[SHA256_DIGEST_SIZE];
	int err;

	err = crypto_shash_tfm_digest(tfm, KEY_ID_INPUT, sizeof(KEY_ID_INPUT) - 1, digest);
	if (!err)
		memcpy(id, digest, 16);
	memzero_explicit(digest, sizeof(digest));
	return err;
}

/**
 * sttcp_auth_key_id() - the identifier of a key, to compare keys without keeping them
 * @key: STTCP_KEY_LEN bytes
 * @id: receives 16 bytes
 *
 * Return: 0 or a negative errno.
 */
int sttcp_auth_key_id(const u8 *key, u8 *id)
{
	struct crypto_shash *tfm;
	int err;

	tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = crypto_shash_setkey(tfm, key, STTCP_KEY_LEN);
	if (!err)
		err = key_id(tfm, id);
	crypto_free_shash(tfm);
	return err;
}

/**
 * sttcp_auth_setup() - key the configuration's HMAC, if it has a key
 * @cfg: the new configuration; its key copy is wiped in any case
 * @extack: for the reason of a failure
 *
 * Return: 0 or a negative errno with @extack set.
 */
int sttcp_auth_setup(struct sttcp_cfg *cfg, struct netlink_ext_ack *extack)
{
	struct crypto_shash *tfm;
	int err;

	cfg->tfm = NULL;
	if (!cfg->has_key)
		return 0;
	tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(tfm)) {
		memzero_explicit(cfg->key, sizeof(cfg->key));
		NL_SET_ERR_MSG_MOD(extack, "key: hmac(sha256) is not available in this kernel");
		return PTR_ERR(tfm);
	}
	err = crypto_shash_setkey(tfm, cfg->key, sizeof(cfg->key));
	memzero_explicit(cfg->key, sizeof(cfg->key));
	if (!err)
		err = key_id(tfm, cfg->key_id);
	if (err) {
		crypto_free_shash(tfm);
		NL_SET_ERR_MSG_MOD(extack, "key: cannot set the HMAC key");
		return err;
	}
	cfg->tfm = tfm;
	return 0;
}

/**
 * sttcp_auth_free() - release the HMAC of a configuration no one uses any more
 * @cfg: the configuration (after an RCU grace period); may be NULL
 */
void sttcp_auth_free(struct sttcp_cfg *cfg)
{
	if (cfg && cfg->tfm) {
		crypto_free_shash(cfg->tfm);	/* wipes the keyed state */
		cfg->tfm = NULL;
	}
}

static u64 new_session_id(void)
{
	u64 id;

	do
		id = get_random_u64();
	while (!id);
	return id;
}

/**
 * sttcp_auth_start() - a fresh session and counters for a new configuration
 * @pn: namespace state (sync sockets closed)
 */
void sttcp_auth_start(struct sttcp_net *pn)
{
	int path;

	spin_lock_bh(&pn->sess_lock);
	sttcp_session_init(&pn->sess, new_session_id(), 0);
	spin_unlock_bh(&pn->sess_lock);
	for (path = 0; path < STTCP_PATHS; path++)
		atomic64_set(&pn->tx_counter[path], 0);
	WRITE_ONCE(pn->auth_failed, false);
}

static void sign(struct crypto_shash *tfm, const u8 *msg, u32 len, u8 *tag)
{
	SHASH_DESC_ON_STACK(desc, tfm);
	u8 mac[SHA256_DIGEST_SIZE];

	desc->tfm = tfm;
	if (crypto_shash_digest(desc, msg, len, mac))
		memset(mac, 0, sizeof(mac));	/* cannot happen; the peer drops it */
	memcpy(tag, mac, STTCP_WIRE_TAG_LEN);
	shash_desc_zero(desc);
	memzero_explicit(mac, sizeof(mac));
}

/**
 * sttcp_auth_tx() - write the envelope of an outgoing message
 * @pn: namespace state
 * @cfg: the current configuration
 * @skb: from sttcp_sync_alloc() (tailroom for the tag), data at the header
 * @type: enum sttcp_wire_type
 * @path: 0 sync link, 1 second path
 */
void sttcp_auth_tx(struct sttcp_net *pn, const struct sttcp_cfg *cfg, struct sk_buff *skb,
		   u8 type, int path)
{
	struct sttcp_wire_env e = {
		.type = type,
		.flags = (path ? STTCP_WIRE_F_PATH2 : 0) | (cfg->tfm ? STTCP_WIRE_F_AUTH : 0),
		.counter = atomic64_inc_return(&pn->tx_counter[path]),
	};

	spin_lock_bh(&pn->sess_lock);
	e.sender = pn->sess.self;
	e.receiver = pn->sess.hint;
	spin_unlock_bh(&pn->sess_lock);
	if (cfg->tfm)
		skb_put(skb, STTCP_WIRE_TAG_LEN);
	e.len = skb->len;
	sttcp_wire_put_env(skb->data, &e);
	if (cfg->tfm)
		sign(cfg->tfm, skb->data, skb->len - STTCP_WIRE_TAG_LEN,
		     skb_tail_pointer(skb) - STTCP_WIRE_TAG_LEN);
}

/* Recompute the tag over a (possibly paged) received message at @off. */
static bool verify(struct crypto_shash *tfm, struct sk_buff *skb, u32 off, u32 len)
{
	SHASH_DESC_ON_STACK(desc, tfm);
	u8 mac[SHA256_DIGEST_SIZE], tag[STTCP_WIRE_TAG_LEN];
	struct skb_seq_state st;
	u32 done = 0, n;
	const u8 *data;
	bool ok = false;

	len -= STTCP_WIRE_TAG_LEN;
	if (skb_copy_bits(skb, off + len, tag, sizeof(tag)))
		return false;
	desc->tfm = tfm;
	if (crypto_shash_init(desc))
		goto out;
	skb_prepare_seq_read(skb, off, off + len, &st);
	while (done < len && (n = skb_seq_read(done, &data, &st)) != 0) {
		/* A block may reach past the upper bound: the tag is not hashed. */
		n = min(n, len - done);
		if (crypto_shash_update(desc, data, n)) {
			skb_abort_seq_read(&st);
			goto out;
		}
		done += n;
	}
	skb_abort_seq_read(&st);	/* we stop at the tag: unmap a fragment still mapped */
	if (done == len && !crypto_shash_final(desc, mac))
		ok = !crypto_memneq(mac, tag, sizeof(tag));
out:
	shash_desc_zero(desc);
	memzero_explicit(mac, sizeof(mac));
	return ok;
}

static void auth_failed(struct sttcp_net *pn, enum sttcp_stat stat)
{
	unsigned long now = jiffies;

	sttcp_count(pn, stat);
	WRITE_ONCE(pn->auth_fail_at, now);
	if (READ_ONCE(pn->auth_failed) &&
	    time_before(now, READ_ONCE(pn->auth_event_at) + AUTH_EVENT_EVERY))
		return;
	WRITE_ONCE(pn->auth_event_at, now);
	WRITE_ONCE(pn->auth_failed, true);
	sttcp_event(pn, STTCP_EVENT_AUTH_FAIL, NULL);
}

/**
 * sttcp_auth_rx_check() - is a received message authentic?
 * @pn: namespace state
 * @cfg: the current configuration
 * @skb: the message at @off
 * @off: offset of the sttcp header in @skb
 * @e: its envelope, from sttcp_wire_parse_env()
 *
 * Called before the body is looked at. A keyed node takes only tagged
 * messages, an unkeyed one only untagged ones. Failures are counted.
 *
 * Return: true if the message may be parsed further.
 */
bool sttcp_auth_rx_check(struct sttcp_net *pn, const struct sttcp_cfg *cfg,
			 struct sk_buff *skb, u32 off, const struct sttcp_wire_env *e)
{
	bool tagged = e->flags & STTCP_WIRE_F_AUTH;

	if (tagged != !!cfg->tfm) {
		auth_failed(pn, STTCP_STAT_RX_AUTH_MODE);
		return false;
	}
	if (tagged && !verify(cfg->tfm, skb, off, e->len)) {
		auth_failed(pn, STTCP_STAT_RX_AUTH_FAIL);
		return false;
	}
	return true;
}

/**
 * sttcp_auth_rx_session() - may an authentic, well-formed message act?
 * @pn: namespace state
 * @e: its envelope
 * @path: the path (socket) it came on
 *
 * The session and replay check of session.c; a peer restart renews our
 * session id. Refusals are counted.
 *
 * Return: true if the message may change state.
 */
bool sttcp_auth_rx_session(struct sttcp_net *pn, const struct sttcp_wire_env *e, int path)
{
	enum sttcp_session_verdict v;

	spin_lock_bh(&pn->sess_lock);
	v = sttcp_session_rx(&pn->sess, e, path);
	if (v == STTCP_SESS_RESTART)
		sttcp_session_init(&pn->sess, new_session_id(), e->sender);
	spin_unlock_bh(&pn->sess_lock);

	switch (v) {
	case STTCP_SESS_OK:
		return true;
	case STTCP_SESS_REPLAY:
		sttcp_count(pn, STTCP_STAT_RX_REPLAY);
		break;
	case STTCP_SESS_STALE:
		sttcp_count(pn, STTCP_STAT_RX_STALE);
		break;
	case STTCP_SESS_RESTART:
		sttcp_count(pn, STTCP_STAT_PEER_RESTARTS);
		break;
	}
	return false;
}
