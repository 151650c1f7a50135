/* export.c: the text is rendered once per sample into memory, then swapped
 * in under a mutex; the HTTP thread only copies the current text. */
#include "export.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "escape.h"
#include "netns.h"
#include "thread.h"

/* One scraper needs a connection or two: slow clients from a few addresses
 * must not take every slot (1,100 of them once starved select()'s
 * FD_SETSIZE and reset every scrape). Idle clients go after the timeout. */
#define HTTP_PER_ADDRESS_LIMIT 8u
#define HTTP_CONNECTION_LIMIT 512u
#define HTTP_IDLE_TIMEOUT_S 10u

struct exporter {
	char *file;			/* --prometheus, or NULL */
	struct MHD_Daemon *http;	/* --listen, or NULL */
	pthread_mutex_t lock;
	char *text;			/* the last published metrics */
	size_t len;
	unsigned long http_errors;	/* what libmicrohttpd complained of */
	char http_last_error[160];	/* the last complaint, escaped */
};

/* The port after the address: 1 to 65535, nothing else. */
static int listen_port(const char *p, unsigned *port, const char **cause)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(p, &end, 10);
	if (!*p || *end || errno || v <= 0 || v > 65535 || !isdigit((unsigned char)*p)) {
		*cause = "the port is not a number from 1 to 65535";
		return -EINVAL;
	}
	*port = (unsigned)v;
	return 0;
}

int exporter_parse_listen(const char *spec, char *addr, size_t addrlen, unsigned *port,
			  const char **cause)
{
	const char *colon, *start = spec;
	size_t alen;
	unsigned char any[sizeof(struct in6_addr)];

	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');

		if (!close || close[1] != ':') {
			*cause = close ? "expected ':PORT' after ']'" : "a '[' without its ']'";
			return -EINVAL;
		}
		start = spec + 1, alen = (size_t)(close - start), colon = close + 1;
	} else {
		colon = strrchr(spec, ':');
		alen = colon ? (size_t)(colon - spec) : 0;
	}
	if (listen_port(colon ? colon + 1 : spec, port, cause) < 0)
		return -EINVAL;
	if (!alen) {
		snprintf(addr, addrlen, "127.0.0.1");
		return 0;
	}
	if (alen >= addrlen) {
		*cause = "the address is too long";
		return -EINVAL;
	}
	memcpy(addr, start, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, any) != 1 && inet_pton(AF_INET6, addr, any) != 1) {
		*cause = "the address is not a numeric IPv4 or IPv6 address";
		return -EINVAL;
	}
	return 0;
}

/* libmicrohttpd's complaints (a malformed request, a client over its limit)
 * would go to stderr, which is the screen's terminal: they are counted and
 * the last one kept, for the status line and /metrics. */
__attribute__((format(printf, 2, 0)))
static void http_log(void *cls, const char *fmt, va_list ap)
{
	struct exporter *e = cls;
	char raw[160];
	int n = vsnprintf(raw, sizeof(raw), fmt, ap);
	size_t len = n < 0 ? 0 : (size_t)n < sizeof(raw) ? (size_t)n : sizeof(raw) - 1;

	while (len && (raw[len - 1] == '\n' || raw[len - 1] == '.'))
		len--;
	pthread_mutex_lock(&e->lock);
	e->http_errors++;
	escape_text(e->http_last_error, sizeof(e->http_last_error), raw, len);
	pthread_mutex_unlock(&e->lock);
}

unsigned long exporter_http_errors(struct exporter *e, char *last, size_t len)
{
	unsigned long n;

	pthread_mutex_lock(&e->lock);
	n = e->http_errors;
	if (len)
		snprintf(last, len, "%s", e->http_last_error);
	pthread_mutex_unlock(&e->lock);
	return n;
}

/* The published metrics and, after them, the endpoint's own error count
 * (the file export has none: it counts what HTTP clients did). Called with
 * the lock held. */
static struct MHD_Response *metrics_response(const struct exporter *e)
{
	static const char help[] =
		"# HELP nettop_http_errors_total Errors the --listen endpoint met "
		"(malformed requests, clients over a limit).\n"
		"# TYPE nettop_http_errors_total counter\n"
		"nettop_http_errors_total ";
	size_t cap = e->len + sizeof(help) + 24;
	char *body = malloc(cap);
	int tail;

	if (!body)
		return NULL;
	memcpy(body, e->text, e->len);
	tail = snprintf(body + e->len, cap - e->len, "%s%lu\n", help, e->http_errors);
	return MHD_create_response_from_buffer(e->len + (size_t)tail, body, MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result serve(void *cls, struct MHD_Connection *conn, const char *url,
			     const char *method, const char *version, const char *upload,
			     size_t *upload_len, void **state)
{
	struct exporter *e = cls;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	unsigned status = MHD_HTTP_OK;

	(void)version, (void)upload, (void)upload_len, (void)state;
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		status = MHD_HTTP_METHOD_NOT_ALLOWED;
	else if (strcmp(url, "/metrics"))
		status = MHD_HTTP_NOT_FOUND;
	pthread_mutex_lock(&e->lock);
	/* Before the first sample there is nothing to tell: an empty 200 would
	 * read as "every series gone" */
	if (status == MHD_HTTP_OK && !e->text)
		status = MHD_HTTP_SERVICE_UNAVAILABLE;
	if (status != MHD_HTTP_OK)
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	else
		resp = metrics_response(e);
	pthread_mutex_unlock(&e->lock);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

struct daemon_start {
	struct exporter *e;
	unsigned flags;
	uint16_t port;
	const struct sockaddr *sa;
	struct MHD_Daemon *daemon;
};

static int daemon_open(void *arg)
{
	struct daemon_start *ds = arg;

	ds->daemon = MHD_start_daemon(ds->flags, ds->port, NULL, NULL, serve, ds->e,
				      MHD_OPTION_SOCK_ADDR, ds->sa,
				      MHD_OPTION_EXTERNAL_LOGGER, http_log, ds->e,
				      MHD_OPTION_CONNECTION_TIMEOUT, HTTP_IDLE_TIMEOUT_S,
				      MHD_OPTION_CONNECTION_LIMIT, HTTP_CONNECTION_LIMIT,
				      MHD_OPTION_PER_IP_CONNECTION_LIMIT, HTTP_PER_ADDRESS_LIMIT,
				      MHD_OPTION_END);
	return 0;
}

/* The HTTP thread libmicrohttpd starts takes our signal mask: quiet, as
 * every thread of ours is (signals are the screen's poll's). */
static int daemon_start(void *arg)
{
	return thread_call_quiet(daemon_open, arg);
}

/* The listening socket is made in the namespace nettop started in (not the
 * --netns one it samples): Prometheus scrapes from where nettop runs. */
static struct MHD_Daemon *http_start(struct exporter *e, const char *spec, char *err, size_t errlen)
{
	char addr[64];
	unsigned port;
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	const struct sockaddr *sa;
	/* epoll: select() cannot watch a descriptor past FD_SETSIZE */
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	struct MHD_Daemon *d;
	const char *cause;

	if (exporter_parse_listen(spec, addr, sizeof(addr), &port, &cause) < 0) {
		snprintf(err, errlen, "--listen: '%s': %s", spec, cause);
		return NULL;
	}
	if (inet_pton(AF_INET, addr, &a4.sin_addr) == 1) {
		a4.sin_port = htons((uint16_t)port);
		sa = (const struct sockaddr *)&a4;
	} else if (inet_pton(AF_INET6, addr, &a6.sin6_addr) == 1) {
		a6.sin6_port = htons((uint16_t)port);
		sa = (const struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else {
		snprintf(err, errlen, "--listen: '%s' is not a numeric address", addr);
		return NULL;
	}
	struct daemon_start ds = { e, flags, (uint16_t)port, sa, NULL };
	int ret = netns_in_original(daemon_start, &ds);

	d = ds.daemon;
	if (ret < 0 && d) {	/* could not return to the --netns namespace */
		MHD_stop_daemon(d);
		d = NULL;
	}
	if (!d)
		snprintf(err, errlen, "--listen: cannot serve on %s port %u%s%s", addr, port,
			 ret < 0 || e->http_last_error[0] ? ": " : "",
			 ret < 0 ? strerror(-ret) : e->http_last_error);
	return d;
}

struct exporter *exporter_start(const char *file, const char *listen, char *err, size_t errlen)
{
	struct exporter *e = calloc(1, sizeof(*e));

	if (!e || (file && !(e->file = strdup(file)))) {
		snprintf(err, errlen, "out of memory");
		free(e);
		return NULL;
	}
	pthread_mutex_init(&e->lock, NULL);
	if (listen && !(e->http = http_start(e, listen, err, errlen))) {
		exporter_stop(e);
		return NULL;
	}
	return e;
}

void exporter_stop(struct exporter *e)
{
	if (!e)
		return;
	if (e->http)
		MHD_stop_daemon(e->http);
	pthread_mutex_destroy(&e->lock);
	free(e->text);
	free(e->file);
	free(e);
}

int exporter_publish(struct exporter *e, const struct snapshot *snap, const struct out_options *o)
{
	char *text = NULL, *old;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	int err = 0;

	if (!m)
		return -ENOMEM;
	out_prometheus(m, snap, o);
	if (fclose(m)) {
		free(text);
		return -ENOMEM;
	}
	if (e->file)
		err = atomic_file_write(e->file, text, len, 0);	/* a link there is replaced, not followed */
	pthread_mutex_lock(&e->lock);
	old = e->text;
	e->text = text;
	e->len = len;
	pthread_mutex_unlock(&e->lock);
	free(old);
	return err;
}
