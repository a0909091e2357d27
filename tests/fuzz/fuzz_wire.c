// SPDX-License-Identifier: GPL-2.0
/* Copyright (c) 2026 The sttcp developers. */
/*
 * libFuzzer target: the sync channel parser (kmod/wire.c, envelope and
 * bodies) on untrusted bytes, as the module runs it: once on the whole
 * message and once with only the prefix the module pulls linear (REPORT
 * excepted). Each buffer is exactly as long as the parser may read, so
 * ASan reports any read beyond. An accepted message is decoded further.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

/* kmod/sync.c: header, SYN facts, two maximal IP/TCP headers */
#define PARSE_PULL (STTCP_WIRE_HDR_LEN + STTCP_WIRE_SYN_FACTS_LEN + 60 + 60)

static void use(const u8 *buf, const struct sttcp_msg *m)
{
	struct sttcp_report r;
	u32 i;

	for (i = 0; i < m->n_reports; i++)
		sttcp_wire_get_report(buf, m, i, &r);
}

static void parse_prefix(const uint8_t *data, size_t size, size_t avail)
{
	struct sttcp_msg m;
	u8 *buf = malloc(avail ? avail : 1);

	if (!buf)
		return;
	memcpy(buf, data, avail);
	if (!sttcp_wire_parse(buf, (u32)avail, (u32)size, &m) && avail == size)
		use(buf, &m);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sttcp_wire_env e;

	if (size > STTCP_WIRE_MAX_LEN + 64)
		return 0;
	parse_prefix(data, size, size);
	if (size > PARSE_PULL)
		parse_prefix(data, size, PARSE_PULL);
	if (size >= STTCP_WIRE_HDR_LEN) {
		u8 *hdr = malloc(STTCP_WIRE_HDR_LEN);

		if (hdr) {
			memcpy(hdr, data, STTCP_WIRE_HDR_LEN);
			sttcp_wire_parse_env(hdr, STTCP_WIRE_HDR_LEN, (u32)size, &e);
			free(hdr);
		}
	}
	return 0;
}
