/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (c) 2026 The sttcp developers. */
/*
 * Userspace stand-in for the kernel environment of the "pure" kmod files
 * (kmod/wire.c, kmod/xlate.c), included by kmod/pure.h when __KERNEL__ is
 * not defined. It provides exactly what those files use, with the kernel's
 * semantics:
 *
 *  - types: u8..u64, s32, __be16/__be32/__sum16/__wsum (<linux/types.h>),
 *    __force, bool;
 *  - BIT_ULL (<linux/bits.h>);
 *  - errno values, memset/memcpy, byte order helpers;
 *  - struct iphdr / struct tcphdr from the uapi headers (the same layout the
 *    module sees), IPPROTO_TCP, offsetof;
 *  - __get_unaligned_cpu32 / __put_unaligned_cpu32 (memcpy based);
 *  - the Internet checksum helpers of include/net/checksum.h and
 *    include/asm-generic/checksum.h: csum_partial, csum_fold, csum_unfold,
 *    csum_add, csum_block_add, csum_sub, csum_replace2, csum_replace4, csum_tcpudp_magic;
 *  - __crc32c_le of lib/crc32.c (CRC32C, reflected, no inversions: the
 *    caller seeds and finishes), bit by bit.
 *
 * A __wsum is a 32-bit one's-complement partial sum of 16-bit words loaded
 * in native byte order, so a folded __sum16 stored to memory has the bytes
 * of the network-order checksum, as in the kernel. 32-bit partial sums are
 * only defined modulo 0xffff (arches differ in the exact 32-bit value); the
 * folded results are what callers and tests may compare.
 *
 * Valid C11 and C++ (the unit tests include the kmod headers from C++).
 */
#ifndef _STTCP_KSHIM_H
#define _STTCP_KSHIM_H

#include <arpa/inet.h>		/* ntohs, ntohl, htons, htonl */
#include <errno.h>		/* EBADMSG, EPROTONOSUPPORT */
#include <netinet/in.h>		/* IPPROTO_TCP */
#include <stddef.h>		/* offsetof */
#include <stdint.h>
#include <string.h>		/* memset, memcpy */
#ifndef __cplusplus
#include <stdbool.h>
#endif

#include <linux/types.h>	/* __u8.., __be16, __be32, __sum16, __wsum */
#include <linux/ip.h>		/* struct iphdr */
#include <linux/tcp.h>		/* struct tcphdr */

#ifdef __cplusplus
extern "C" {
#endif

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;

/* sparse annotation, meaningless to a compiler */
#ifndef __force
#define __force
#endif

/* ---- compiler attributes -------------------------------------------- */

#ifndef fallthrough
#define fallthrough __attribute__((__fallthrough__))
#endif

/* ---- bits (include/linux/bits.h) ------------------------------------- */

#ifndef BIT_ULL
#define BIT_ULL(nr)	(1ULL << (nr))
#endif

/* ---- byte order ------------------------------------------------------ */

static inline u32 be32_to_cpu(__be32 v)
{
	return ntohl(v);
}

static inline __be32 cpu_to_be32(u32 v)
{
	return htonl(v);
}

/* ---- unaligned access (include/linux/unaligned/packed_struct.h) ------ */

static inline u32 __get_unaligned_cpu32(const void *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void __put_unaligned_cpu32(u32 val, void *p)
{
	memcpy(p, &val, sizeof(val));
}

/* ---- Internet checksum ----------------------------------------------- */

/* 64 -> 32 bit end-around-carry fold (lib/checksum.c from64to32) */
static inline u32 kshim_from64to32(u64 x)
{
	x = (x & 0xffffffffULL) + (x >> 32);
	x = (x & 0xffffffffULL) + (x >> 32);
	return (u32)x;
}

/**
 * csum_partial() - one's-complement sum of @len bytes at @buf, plus @sum
 *
 * Sums the 16-bit words at even byte positions *relative to @buf* (loaded
 * in native byte order, so the memory address's alignment never matters);
 * an odd trailing byte counts as if followed by a zero byte. Like the
 * kernel's, the result is a 32-bit partial sum: fold it with csum_fold().
 */
static inline __wsum csum_partial(const void *buf, int len, __wsum sum)
{
	const u8 *p = (const u8 *)buf;
	u64 acc = sum;
	int i;

	for (i = 0; i + 1 < len; i += 2) {
		u16 w;

		memcpy(&w, p + i, sizeof(w));
		acc += w;
	}
	if (len > 0 && (len & 1)) {
		u8 last[2] = { p[len - 1], 0 };
		u16 w;

		memcpy(&w, last, sizeof(w));
		acc += w;
	}
	return (__wsum)kshim_from64to32(acc);
}

static inline __sum16 csum_fold(__wsum csum)
{
	u32 sum = (__force u32)csum;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__force __sum16)(u16)~sum;
}

static inline __wsum csum_unfold(__sum16 n)
{
	return (__force __wsum)n;
}

static inline __wsum csum_add(__wsum csum, __wsum addend)
{
	u32 res = (__force u32)csum;

	res += (__force u32)addend;
	return (__force __wsum)(res + (res < (__force u32)addend));
}

/* include/net/checksum.h: @csum2 summed from an even address, placed at @offset */
static inline __wsum csum_block_add(__wsum csum, __wsum csum2, int offset)
{
	u32 sum = (__force u32)csum2;

	if (offset & 1)
		sum = (sum >> 8) | (sum << 24);
	return csum_add(csum, (__force __wsum)sum);
}

static inline __wsum csum_sub(__wsum csum, __wsum addend)
{
	return csum_add(csum, ~addend);
}

static inline __sum16 csum16_add(__sum16 csum, __be16 addend)
{
	u16 res = (__force u16)csum;

	res += (__force u16)addend;
	return (__force __sum16)(u16)(res + (res < (__force u16)addend));
}

static inline __sum16 csum16_sub(__sum16 csum, __be16 addend)
{
	return csum16_add(csum, (__be16)~addend);
}

/* RFC 1624 incremental update of a folded checksum for a 32-bit change */
static inline void csum_replace4(__sum16 *sum, __be32 from, __be32 to)
{
	__wsum tmp = csum_sub(~csum_unfold(*sum), (__force __wsum)from);

	*sum = csum_fold(csum_add(tmp, (__force __wsum)to));
}

/* ... and for a 16-bit change (RFC 1624, 3.: ~(~HC + ~m + m')) */
static inline void csum_replace2(__sum16 *sum, __be16 old, __be16 new_)
{
	*sum = (__sum16)~csum16_add(csum16_sub((__sum16)~*sum, old), new_);
}

/* lib/checksum.c (generic) csum_tcpudp_nofold; @len in host order */
static inline __wsum csum_tcpudp_nofold(__be32 saddr, __be32 daddr, u32 len,
					u8 proto, __wsum sum)
{
	u64 s = (__force u32)sum;

	s += (__force u32)saddr;
	s += (__force u32)daddr;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	s += proto + len;
#else
	s += (u32)((proto + len) << 8);
#endif
	return (__force __wsum)kshim_from64to32(s);
}

static inline __sum16 csum_tcpudp_magic(__be32 saddr, __be32 daddr, u32 len,
					u8 proto, __wsum sum)
{
	return csum_fold(csum_tcpudp_nofold(saddr, daddr, len, proto, sum));
}

/* ---- CRC32C (lib/crc32.c) ---------------------------------------------- */

static inline u32 __crc32c_le(u32 crc, unsigned char const *p, size_t len)
{
	size_t i;
	int k;

	for (i = 0; i < len; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78U & (0U - (crc & 1)));
	}
	return crc;
}

#ifdef __cplusplus
}
#endif

#endif /* _STTCP_KSHIM_H */
