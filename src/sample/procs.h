/* procs.h: which process owns each socket, from /proc/PID/fd, kept across
 * samples so that a steady host costs almost nothing to attribute. */
#ifndef NETTOP_PROCS_H
#define NETTOP_PROCS_H

#include "../snapshot.h"

struct procs;

struct procs *procs_new(const char *proc_root);
void procs_free(struct procs *p);

/* Brings the cache up to date, spending at most budget_ms on rescans (0: no
 * limit), then sets owner on every socket of snap: a process index, or
 * OWNER_PENDING while a scan that could name it is still due or while an
 * unreadable process may hold it. Processes of another network namespace
 * than the calling thread's are not scanned. Sockets without
 * an inode (TIME_WAIT, SYN_RECV) take their listener's owner, flagged
 * SOCK_OWNER_VIA_LISTENER. Sets snap->note when processes were unreadable.
 * Returns 0 or -errno. */
int procs_attribute(struct procs *p, struct snapshot *snap, unsigned budget_ms);

#endif
