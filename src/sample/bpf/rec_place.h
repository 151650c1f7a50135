/* rec_place.h: the BPF programs' records (rec.h) into a snapshot, and
 * moved about there: the sockets and their health records together. */
#ifndef NETTOP_REC_PLACE_H
#define NETTOP_REC_PLACE_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

#include "../../snapshot.h"
#include "rec.h"

/* One record into socket i of snap (added, zeroed), as sockdiag_parse_msg()
 * fills it, with its extra record when snap keeps them; has_info: the
 * record is whole (its tcp_info part, its cgroup id). 0, or -ENOMEM (an
 * IPv6 pair with no room). */
int rec_fill(const struct nt_rec *rec, bool has_info, uint8_t proto, struct snapshot *snap,
	     size_t i);
/* The ext part of socket i's record: its health record, when the snapshot
 * has them (as sockdiag_parse_health() fills it). */
void rec_ext_fill(const struct nt_ext *e, struct snapshot *snap, size_t i);

/* Room to reorder records in, one array at a time. */
struct rec_mover {
	void *room;
	size_t room_cap;		/* bytes */
};

void rec_mover_free(struct rec_mover *m);
/* Puts snap's records start..start + n in a new order: the k-th is the one
 * at from[k] (an index into snap->socks), its health and extra records with
 * it. 0, or -ENOMEM (the order is then unchanged). */
int rec_permute(struct rec_mover *m, struct snapshot *snap, size_t start, const size_t *from,
		size_t n);
/* Drops the records from start on whose family is 0 (gone: cookie_lookup.h),
 * their health and extra records with them. */
void rec_drop_gone(struct snapshot *snap, size_t start);

#endif
