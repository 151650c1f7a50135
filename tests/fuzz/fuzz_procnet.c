/* fuzz_procnet.c: /proc/net text through every parser: counters (snmp,
 * netstat), sockstat, the socket tables in both families, the size estimate.
 * Seeds: tests/fixtures/procnet. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sample/procnet.h"
#include "snapshot.h"
#include "tcpstate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the parsers take (text, len): no NUL after the text */
	char *text = malloc(size ? size : 1);
	struct tcp_counters t;
	int ret;

	if (!text)
		abort();
	memcpy(text, data, size);
	memset(&t, 0, sizeof(t));
	ret = procnet_parse_counters(text, size, &t);
	if (ret < 0 && ret != -EINVAL)
		abort();
	ret = procnet_parse_sockstat(text, size, &t);
	if (ret < 0 && ret != -EINVAL)
		abort();
	{
		struct sockstat_counts c = { 0 };

		procnet_parse_sockstat_counts(text, size, &c);
	}
	for (int family = 4; family <= 6; family += 2) {
		for (int proto = PROTO_TCP; proto <= PROTO_UDP; proto++) {
			struct snapshot *s = snapshot_new(0);
			int bad = 0;

			if (!s)
				abort();
			ret = procnet_parse_sockets(text, size, family, proto, s, &bad);
			if (ret >= 0 && (size_t)ret != s->nsocks)
				abort();
			if (ret < 0 && (ret != -EINVAL || bad < 2))
				abort();	/* the header (line 1) is never the bad line */
			for (size_t i = 0; i < s->nsocks; i++)
				if (s->socks[i].family != family || s->socks[i].state >= ST_COUNT)
					abort();
			snapshot_free(s);
		}
	}
	free(text);
	return 0;
}
