/* nlseq.h: sequence numbers for netlink requests. */
#ifndef NETTOP_NLSEQ_H
#define NETTOP_NLSEQ_H

#include <stdint.h>

/* A fresh, non-zero sequence number, so a dump's replies can be told from a
 * stale one's. Only the sampler thread sends requests. */
static inline uint32_t nlseq_next(void)
{
	static uint32_t seq;

	if (++seq == 0)
		seq = 1;
	return seq;
}

#endif
