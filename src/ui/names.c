/* names.c: host and service names on the screen. Only what is drawn is looked
 * up, in the order it is drawn: each frame first forgets what the last one
 * queued and no thread took up (resolver_begin_frame()), so scrolling away
 * from a thousand rows leaves no backlog. Nothing waits: the number shows
 * until the name is known, and a redraw (every second at least) shows it.
 * Names are untrusted: escaped, and cut to the column with the port kept. */
#include <stdio.h>
#include <string.h>

#include "../escape.h"
#include "../resolve.h"
#include "draw.h"
#include "names.h"

/* Lookups that hang (an unreachable DNS server) make the resolver start
 * more threads, up to its limit: these are the ones that always run. */
#define NAMES_THREADS 4

int names_start(struct ui *ui)
{
	if (!ui->names)
		ui->names = resolver_new(NAMES_THREADS);
	return ui->names ? 0 : -1;
}

void names_stop(struct ui *ui)
{
	resolver_free(ui->names);
	ui->names = NULL;
}

static bool names_shown(const struct ui *ui)
{
	return !ui->m.numeric && ui->names;
}

void names_frame_begin(struct ui *ui)
{
	if (names_shown(ui))
		resolver_begin_frame(ui->names);
	ui->resolving = true;
}

void names_frame_end(struct ui *ui)
{
	ui->resolving = false;
}

/* The escaped name of addr in buf, or false (buf as it was) while unknown.
 * Out of a frame (a search over every row) only the cache answers. */
static bool host_name(const struct ui *ui, int family, const uint8_t addr[16], char *buf, size_t len)
{
	char raw[256];
	bool known;

	if (addr_is_any(family, addr))
		return false;
	known = ui->resolving ? resolver_host(ui->names, family, addr, raw, sizeof(raw))
			      : resolver_cached(ui->names, family, addr, raw, sizeof(raw));
	if (known)
		escape_text(buf, len, raw, strlen(raw));
	return known && buf[0];
}

void names_host(const struct ui *ui, int family, const uint8_t addr[16], char *buf, size_t len)
{
	if (!names_shown(ui) || !host_name(ui, family, addr, buf, len))
		addr_format(buf, len, family, addr);
}

static void service_text(const struct sock_rec *r, uint16_t port, char *buf, size_t len)
{
	const char *name = port ? resolver_service(port, r->proto == PROTO_UDP) : NULL;

	if (!port)
		snprintf(buf, len, "*");
	else if (name)
		escape_text(buf, len, name, strlen(name));
	else
		snprintf(buf, len, "%u", port);
}

void names_endpoint(const struct ui *ui, const struct sock_rec *r, const uint8_t addr[16], bool local,
		    int width, char *buf, size_t len)
{
	uint16_t port = local ? r->lport : r->rport;
	char host[1024], service[128], number[64];

	if (!names_shown(ui)) {
		endpoint_format(buf, len, r->family, addr, port, ENDPOINT_SCREEN);
		return;
	}
	service_text(r, port, service, sizeof(service));
	if (host_name(ui, r->family, addr, host, sizeof(host) - 3)) {
		int room = width - 1 - text_width(service);

		if (room >= 2)
			text_fit(host, sizeof(host), room);
	} else {
		addr_format(number, sizeof(number), r->family, addr);
		snprintf(host, sizeof(host), r->family == 6 ? "[%s]" : "%s", number);
	}
	snprintf(buf, len, "%s:%s", host, service);
}
