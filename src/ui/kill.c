/* kill.c: K closes sockets, never without asking: the question says how
 * many and which. The sampler thread, which owns the netlink socket, does
 * the closing; the status line then says how it went, failures included. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sample/destroy.h"
#include "screen.h"

long kill_collect(const struct ui *ui, const struct view_options *v,
		  bool (*match)(const struct sock_rec *r, const void *arg), const void *arg,
		  struct sock_rec **out)
{
	const struct snapshot *snap = ui->cur->snap;
	size_t n = 0, k = 0;

	*out = NULL;
	for (size_t i = 0; i < snap->nsocks; i++)
		n += match(&snap->socks[i], arg) && view_sock_visible(snap, &snap->socks[i], v);
	if (!n)
		return 0;
	if (!(*out = malloc(n * sizeof(**out))))
		return -1;
	for (size_t i = 0; i < snap->nsocks && k < n; i++)
		if (match(&snap->socks[i], arg) && view_sock_visible(snap, &snap->socks[i], v))
			(*out)[k++] = snap->socks[i];
	return (long)k;
}

bool kill_addr_in(const struct sock_rec *r, int family, const uint8_t *addr, int prefix)
{
	const uint8_t *a = r->raddr;
	int f = r->family, full = prefix / 8, bits = prefix % 8;

	if (f == 6 && addr_is_v4mapped(a))
		f = 4, a += 12;
	if (f != family || memcmp(a, addr, (size_t)full))
		return false;
	return !bits || ((a[full] ^ addr[full]) & (uint8_t)(0xff << (8 - bits))) == 0;
}

void kill_release(struct ui *ui)
{
	free(ui->kill.socks);
	ui->kill.socks = NULL;
	ui->kill.n = 0;
}

unsigned kill_ask(struct ui *ui, struct sock_rec *socks, size_t n, const char *kind,
		  const char *place)
{
	struct kill_request *k = &ui->kill;

	snprintf(k->what, sizeof(k->what), "%s%ssocket%s %s", kind, *kind ? " " : "",
		 n == 1 ? "" : "s", place);
	if (!n) {
		free(socks);
		ui_message(ui, false, "no %s to close", k->what);
		return REDO_REDRAW;
	}
	kill_release(ui);
	k->socks = socks;
	k->n = n;
	ui->mode = MODE_CONFIRM;
	return REDO_REDRAW;
}

/* y closes; any other key (n, Esc, …) closes nothing. */
unsigned kill_key(struct ui *ui, int key)
{
	struct kill_request *k = &ui->kill;
	int err;

	ui->mode = MODE_NORMAL;
	if (key != 'y' && key != 'Y') {
		kill_release(ui);
		ui_message(ui, false, "nothing closed");
		return REDO_REDRAW;
	}
	/* the batch is the thread's from here, whatever the answer */
	err = session_destroy(ui->session, k->socks, k->n);
	k->socks = NULL;
	if (err) {
		ui_message(ui, true, "nothing closed: %s",
			   err == -EBUSY ? "the sockets asked for before are still being closed"
					 : strerror(-err));
		return REDO_REDRAW;
	}
	k->running = true;
	ui_message(ui, false, "closing %zu %s...", k->n, k->what);
	return REDO_REDRAW;
}

unsigned kill_finished(struct ui *ui, const struct destroy_result *r)
{
	struct kill_request *k = &ui->kill;
	size_t failed = r->requested - r->closed - r->gone;
	char gone[64] = "";

	k->running = false;
	if (r->gone)
		snprintf(gone, sizeof(gone), ", %zu already gone", r->gone);
	if (failed)
		ui_message(ui, true, "closed %zu of %zu %s%s; %zu failed: %s", r->closed, r->requested,
			   k->what, gone, failed, r->err ? destroy_strerror(r->err) : "interrupted");
	else
		ui_message(ui, false, "closed %zu of %zu %s%s", r->closed, r->requested, k->what, gone);
	return REDO_REDRAW;
}

void kill_prompt_draw(struct ui *ui, int y, int width)
{
	char text[256];

	snprintf(text, sizeof(text), " Close %zu %s? y/n", ui->kill.n, ui->kill.what);
	attrset(theme_attr(ROLE_CONFIRM));
	draw_text(y, 0, width, text, ALIGN_LEFT);
	attrset(theme_attr(ROLE_NORMAL));
}
