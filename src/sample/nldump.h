/* nldump.h: one netlink request and its replies, message by message. The
 * walk takes a plain buffer, so recorded dumps replay (and fuzz) without a
 * socket; every message is checked against the bytes received (nlparse.h). */
#ifndef NETTOP_NLDUMP_H
#define NETTOP_NLDUMP_H

#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mnl_socket;

/* Called for each reply that is not a control message. Returns 0, -EINVAL
 * for a malformed message (skipped and counted), or another -errno that
 * stops the walk (-ENOMEM). */
typedef int (*nldump_msg_fn)(const struct nlmsghdr *nlh, void *ctx);

struct nldump_walker {
	uint32_t seq;			/* expected sequence number; 0 accepts any */
	nldump_msg_fn fn;
	void *ctx;
	size_t malformed;		/* messages fn rejected, or cut short */
	bool interrupted;		/* NLM_F_DUMP_INTR: the table changed meanwhile */
};

/* Dumps are retried this many times while the kernel says they were
 * interrupted; the last one is kept. */
#define NLDUMP_TRIES 3

/* Walks len bytes of replies. 1 when the dump (or an acknowledged request)
 * is done, 0 when more is to come, or -errno: the kernel's error, or fn's. */
int nldump_walk(struct nldump_walker *w, const void *buf, size_t len);
/* Sends req (its sequence number is set here) and walks the replies until
 * done. buf is the receive buffer. 0 or -errno. */
int nldump_run(struct mnl_socket *nl, struct nlmsghdr *req, void *buf, size_t buflen,
	       struct nldump_walker *w);
/* A bound netlink socket of bus, or NULL with errno set. */
struct mnl_socket *nldump_open(int bus);

#endif
