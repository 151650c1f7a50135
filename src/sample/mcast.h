/* mcast.h: multicast group memberships per interface (netstat -g). From
 * /proc/net/igmp and /proc/net/igmp6: rtnetlink's RTM_GETMULTICAST names the
 * groups but not their reference counts, which netstat prints. */
#ifndef NETTOP_MCAST_H
#define NETTOP_MCAST_H

#include <stddef.h>
#include <stdint.h>

struct mcast_rec {
	char dev[16];			/* raw, untrusted text */
	uint8_t family;			/* 4 or 6 */
	uint8_t addr[16];
	uint32_t users;
};

struct mcast_table {
	struct mcast_rec *v;
	size_t n, cap;
	size_t malformed;		/* lines that were not understood */
};

/* Parses the text of /proc/net/igmp (family 4) or igmp6 (6), appending
 * groups in the file's order. 0 or -ENOMEM. */
int mcast_parse(const char *text, size_t len, int family, struct mcast_table *t);
/* Reads both files under proc_root ("/proc") for the families asked for
 * (bit 4: v4, bit 6: v6 as SAMPLE_V4/V6). 0 or -errno. */
int mcast_read(const char *proc_root, unsigned families, struct mcast_table *t);
void mcast_table_free(struct mcast_table *t);

#endif
