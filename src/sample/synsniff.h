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

/* Counts the SYN in one packet that starts at its IP header; 0 if it is none.
 * Exposed for tests and the fuzzer: the BPF filter passes only SYNs, but a
 * packet is still checked before it is read. */
int synsniff_parse(const uint8_t *pkt, size_t len, int *family, uint8_t addr[16]);

#endif
