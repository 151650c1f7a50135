/* kill.c: K closes sockets, never without asking: the question says how
 * many and which. The sampler thread, which owns the netlink socket, does
 * the closing; the status line then says how it went, failures included. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sample/destroy.h"
#include "model.h"

/* Room for n copies of sockets (kill_copy()), one block that free()
 * frees whole, their IPv6 pairs in it: the sample they come from may be
 * gone when the sampler thread closes them. NULL when out of memory. */
static struct sock_rec *kill_copies(size_t n)
{
	size_t each = sizeof(struct sock_rec) + sizeof(struct addr_pair);

	return n <= SIZE_MAX / each ? malloc(n * each) : NULL;
}

/* r into place k of copies (of n). */
static void kill_copy(struct sock_rec *copies, size_t n, size_t k, const struct sock_rec *r)
{
	struct addr_pair *pairs = (struct addr_pair *)(copies + n);

	copies[k] = *r;
	if (r->family == 6) {
		pairs[k] = sock_pair(r);
		copies[k].addr.v6 = &pairs[k];
	}
}

struct sock_rec *kill_copy_one(const struct sock_rec *r)
{
	struct sock_rec *copy = kill_copies(1);

	if (copy)
		kill_copy(copy, 1, 0, r);
	return copy;
}

long kill_collect(const struct model *m, const struct view_options *v,
		  bool (*match)(const struct sock_rec *r, const void *arg), const void *arg,
		  struct sock_rec **out)
{
	const struct snapshot *snap = m->cur->snap;
	size_t n = 0, k = 0;

	*out = NULL;
	for (size_t i = 0; i < snap->nsocks; i++)
		n += match(&snap->socks[i], arg) && view_sock_visible(snap, &snap->socks[i], v);
	if (!n)
		return 0;
	if (!(*out = kill_copies(n)))
		return -1;
	for (size_t i = 0; i < snap->nsocks && k < n; i++)
		if (match(&snap->socks[i], arg) && view_sock_visible(snap, &snap->socks[i], v))
			kill_copy(*out, n, k++, &snap->socks[i]);
	return (long)k;
}

bool kill_addr_in(const struct sock_rec *r, int family, const uint8_t *addr, int prefix)
{
	struct addr16 ra = sock_raddr(r);
	const uint8_t *a = ra.b;
	int f = r->family, full = prefix / 8, bits = prefix % 8;

	if (f == 6 && addr_is_v4mapped(a))
		f = 4, a += 12;
	if (f != family || memcmp(a, addr, (size_t)full))
		return false;
	return !bits || ((a[full] ^ addr[full]) & (uint8_t)(0xff << (8 - bits))) == 0;
}

void kill_release(struct model *m)
{
	free(m->kill.socks);
	m->kill.socks = NULL;
	m->kill.n = 0;
}

unsigned kill_ask(struct model *m, struct sock_rec *socks, size_t n, const char *kind,
		  const char *place)
{
	struct kill_request *k = &m->kill;

	snprintf(k->what, sizeof(k->what), "%s%ssocket%s %s", kind, *kind ? " " : "",
		 n == 1 ? "" : "s", place);
	if (!n) {
		free(socks);
		model_message(m, false, "no %s to close", k->what);
		return REDO_REDRAW;
	}
	kill_release(m);
	k->socks = socks;
	k->n = n;
	return REDO_REDRAW;
}

bool kill_asking(const struct model *m)
{
	return m->kill.socks != NULL;
}

unsigned kill_answer(struct model *m, bool yes)
{
	struct kill_request *k = &m->kill;
	int err;

	if (!yes) {
		kill_release(m);
		model_message(m, false, "nothing closed");
		return REDO_REDRAW;
	}
	/* the batch is the thread's from here, whatever the answer */
	err = session_destroy(m->session, k->socks, k->n);
	k->socks = NULL;
	if (err) {
		model_message(m, true, "nothing closed: %s",
			      err == -EBUSY ? "the sockets asked for before are still being closed"
					    : strerror(-err));
		return REDO_REDRAW;
	}
	k->running = true;
	model_message(m, false, "closing %zu %s...", k->n, k->what);
	return REDO_REDRAW;
}

unsigned kill_finished(struct model *m, const struct destroy_result *r)
{
	struct kill_request *k = &m->kill;
	size_t failed = r->requested - r->closed - r->gone;
	char gone[64] = "";

	k->running = false;
	if (r->gone)
		snprintf(gone, sizeof(gone), ", %zu already gone", r->gone);
	if (failed)
		model_message(m, true, "closed %zu of %zu %s%s; %zu failed: %s", r->closed, r->requested,
			      k->what, gone, failed, r->err ? destroy_strerror(r->err) : "interrupted");
	else
		model_message(m, false, "closed %zu of %zu %s%s", r->closed, r->requested, k->what, gone);
	return REDO_REDRAW;
}
