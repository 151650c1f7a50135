/* export.h: hands every sample to Prometheus: a textfile for node_exporter
 * (--prometheus FILE, replaced atomically) and an HTTP /metrics endpoint
 * (--listen ADDR:PORT, libmicrohttpd in its own thread). */
#ifndef NETTOP_EXPORT_H
#define NETTOP_EXPORT_H

#include <stddef.h>

#include "print/print.h"

struct exporter;

/* Starts what is asked for (either may be NULL). NULL with a message in err
 * when the address is bad or the port cannot be bound. */
struct exporter *exporter_start(const char *file, const char *listen, char *err, size_t errlen);
void exporter_stop(struct exporter *e);
/* Renders snap once and publishes it to the file and the HTTP endpoint.
 * A scrape reads the last published text: it never waits for a sample.
 * Returns 0 or -errno (the file could not be written). */
int exporter_publish(struct exporter *e, const struct snapshot *snap, const struct out_options *o);
/* How many errors the HTTP endpoint met (malformed requests, clients over
 * a limit: never written to the terminal); the last one, escaped, in last. */
unsigned long exporter_http_errors(struct exporter *e, char *last, size_t len);
/* Parses "ADDR:PORT", "[V6]:PORT", ":PORT" or "PORT" (address 127.0.0.1);
 * ADDR is a numeric IPv4 or IPv6 address. 0, or -EINVAL with what is wrong
 * in *cause. The command line checks --listen with it, so a bad one is a
 * usage error (exit status 2) before anything starts. */
int exporter_parse_listen(const char *spec, char *addr, size_t addrlen, unsigned *port,
			  const char **cause);

#endif
