/* synsniff.h: counts incoming TCP SYNs (without ACK) per source address, from
 * an AF_PACKET socket with a TPACKET_V3 ring and a classic BPF filter. It sees
 * the SYNs that syncookies answer without leaving a SYN_RECV socket behind. */
#ifndef NETTOP_SYNSNIFF_H
#define NETTOP_SYNSNIFF_H

#include <stddef.h>
#include <stdint.h>

#include "../snapshot.h"

struct synsniff;

/* Opens the socket and maps its ring. NULL with *err = -errno (-EPERM without
 * CAP_NET_RAW). */
struct synsniff *synsniff_open(int *err);
void synsniff_close(struct synsniff *s);
/* Takes the SYNs counted since the last call into snap (never waits): per
 * source, most first, and how many the ring dropped. 0 or -ENOMEM. */
int synsniff_drain(struct synsniff *s, struct snapshot *snap);

#endif
