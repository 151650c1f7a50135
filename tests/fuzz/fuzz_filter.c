/* fuzz_filter.c: filter expressions through filter_parse(), then matched
 * against a small snapshot; the dump-side outputs (state mask, protocols,
 * families, bytecode) are read too. Seeds: tests/fuzz/corpus/filter. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/build.h"
#include "view/filter.h"

#define MAX_EXPR 4096

static struct snapshot *sample;

static struct snapshot *sample_build(void)
{
	struct snapshot *s = snapshot_new(0);
	struct sock_rec *r;

	TCP4(s, ST_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0);
	r = TCP4(s, ST_ESTABLISHED, "10.0.0.1", 80, "192.0.2.7", 50001);
	r->owner = snapshot_add_proc(s, 4242, 33, "nginx");
	r->flags |= SOCK_HAS_INFO;
	r->rtt_us = 1500;
	r->ifindex = 1;
	r = TCP6(s, ST_TIME_WAIT, "2001:db8::1", 443, "2001:db8::beef", 40000);
	r->inode = 0;
	TCP6(s, ST_ESTABLISHED, "::ffff:10.0.0.1", 22, "::ffff:198.51.100.1", 61000);
	TCP4(s, ST_SYN_RECV, "10.0.0.1", 80, "203.0.113.9", 1234)->owner = OWNER_PENDING;
	UDP4(s, ST_CLOSE, "127.0.0.53", 53, "0.0.0.0", 0);
	UDP6(s, ST_ESTABLISHED, "::1", 5353, "::1", 5354)->owner = snapshot_add_proc(s, 1, 0, "\x1b[2J");
	build_iface(s, 1, "lo");
	s->flags |= SNAP_HAS_PROCS | SNAP_HAS_INFO;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *expr, err[256];
	struct filter *f;

	if (size > MAX_EXPR)
		return 0;
	if (!sample)
		sample = sample_build();
	expr = malloc(size + 1);
	if (!expr)
		abort();
	memcpy(expr, data, size);
	expr[size] = '\0';
	err[0] = '\0';
	f = filter_parse(expr, NULL, err, sizeof(err));
	if (!f) {
		/* refused: always with a message that says where */
		if (!memchr(err, '\0', sizeof(err)) || !strstr(err, "column"))
			abort();
	} else {
		size_t len;

		if (strcmp(filter_text(f), expr))
			abort();
		filter_state_mask(f);
		filter_protos(f);
		filter_families(f);
		filter_needs_procs(f);
		for (int family = 4; family <= 6; family += 2)
			if (filter_bytecode(f, family, &len) == NULL && len)
				abort();
		for (size_t i = 0; i < sample->nsocks; i++)
			filter_match(f, sample, &sample->socks[i]);
		filter_free(f);
	}
	free(expr);
	return 0;
}
