/* unix.h: Unix domain sockets through sock_diag (unix_diag). */
#ifndef NETTOP_UNIX_H
#define NETTOP_UNIX_H

#include <stddef.h>
#include <stdint.h>

struct mnl_socket;
struct nlmsghdr;

#define UNIX_NAME_MAX 108		/* sizeof(sockaddr_un.sun_path) */

struct unix_rec {
	uint32_t inode;
	uint32_t peer;			/* the peer's inode, 0: none */
	uint8_t type;			/* SOCK_STREAM, ... */
	uint8_t state;			/* TCP_ESTABLISHED, TCP_LISTEN, TCP_CLOSE */
	uint8_t name_len;		/* bytes in name; 0: unbound */
	uint8_t name[UNIX_NAME_MAX];	/* sun_path as the kernel holds it: raw */
};

struct unix_table {
	struct unix_rec *v;
	size_t n, cap;
	size_t malformed;
};

/* Walks a receive buffer of a dump (seq 0: any): 1 done, 0 more, -errno. */
int unix_walk_buf(const void *buf, size_t len, uint32_t seq, struct unix_table *t);
int unix_dump(struct mnl_socket *nl, void *buf, size_t buflen, struct unix_table *t);
void unix_table_free(struct unix_table *t);

#endif
