/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Environment of the "pure" files (wire.c, xlate.c): they are compiled into
 * the module and, unchanged, into the userspace unit tests and fuzzers,
 * where tests/unit/shim/kshim.h supplies the few kernel helpers they use.
 */
#ifndef _STTCP_PURE_H
#define _STTCP_PURE_H

#ifdef __KERNEL__
#include <linux/bits.h>
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/string.h>
#include <linux/unaligned/packed_struct.h>
#include <net/checksum.h>
#else
#include <kshim.h>
#endif

/* Wrap-safe sequence comparisons (RFC 1982), as before()/after() in tcp.h. */
static inline bool sttcp_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

static inline bool sttcp_after(u32 a, u32 b)
{
	return sttcp_before(b, a);
}

static inline u32 sttcp_get_be32(const void *p)
{
	return be32_to_cpu((__force __be32)__get_unaligned_cpu32(p));
}

static inline void sttcp_put_be32(void *p, u32 v)
{
	__put_unaligned_cpu32((__force u32)cpu_to_be32(v), p);
}

static inline u64 sttcp_get_be64(const void *p)
{
	return ((u64)sttcp_get_be32(p) << 32) | sttcp_get_be32((const u8 *)p + 4);
}

static inline void sttcp_put_be64(void *p, u64 v)
{
	sttcp_put_be32(p, (u32)(v >> 32));
	sttcp_put_be32((u8 *)p + 4, (u32)v);
}

#endif /* _STTCP_PURE_H */
