/* conntrack_sample.c: the conntrack table into a sample. Its absence (module not
 * loaded, no permission) is said in the sample, never a failed sample: the
 * sockets are sampled all the same. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conntrack.h"
#include "nldump.h"
#include "../snapshot.h"

static const char *absent_why(struct snapshot *snap, int err)
{
	char text[128];

	switch (err) {
	case -EOPNOTSUPP: case -ENOENT: case -EPROTONOSUPPORT:
		return "conntrack is not loaded in this namespace (nf_conntrack)";
	case -EPERM: case -EACCES:
		return "reading conntrack needs CAP_NET_ADMIN";
	}
	snprintf(text, sizeof(text), "conntrack unreadable: %s", strerror(-err));
	return arena_strndup(&snap->arena, text, strlen(text));
}

int conntrack_sample(struct mnl_socket **nl, void *buf, size_t len, struct snapshot *snap)
{
	struct ct_table *t;
	int err;

	/* opened here, by the sampling thread: the socket is of its namespace */
	if (!*nl && !(*nl = nldump_open(NETLINK_NETFILTER))) {
		snap->conntrack_absent = absent_why(snap, -errno);
		return snap->conntrack_absent ? 0 : -ENOMEM;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	err = conntrack_dump(*nl, buf, len, true, t);
	if (err == -ENOMEM) {
		conntrack_table_free(t);
		free(t);
		return err;
	}
	if (err) {
		conntrack_table_free(t);
		free(t);
		snap->conntrack_absent = absent_why(snap, err);
		return snap->conntrack_absent ? 0 : -ENOMEM;
	}
	snap->conntrack = t;
	return 0;
}
