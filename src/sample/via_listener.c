/* via_listener.c: listeners chained per port and family in one map, so
 * that each socket without an inode finds its listener in one look-up. */
#include "via_listener.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../tcpstate.h"
#include "inode_map.h"

/* Listeners sharing a port and family are chained through next[]. */
void via_listener_assign(struct snapshot *snap)
{
	struct inode_map listeners = { 0 };	/* port, family -> first listener index + 1 */
	uintptr_t *next;			/* listener index -> next one's index + 1 */
	size_t n = 0;

	for (size_t i = 0; i < snap->nsocks; i++)
		n += snap->socks[i].state == ST_LISTEN;
	if (!n || !(next = calloc(snap->nsocks, sizeof(*next))))
		return;
	if (inode_map_reset(&listeners, n) < 0) {
		free(next);
		return;
	}
	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *l = &snap->socks[i];
		uint32_t key = (uint32_t)l->lport << 8 | l->family;

		if (l->state == ST_LISTEN && l->proto == PROTO_TCP && l->owner >= 0) {
			next[i] = (uintptr_t)inode_map_get(&listeners, key);
			inode_map_put(&listeners, key, (void *)(i + 1));
		}
	}
	for (size_t i = 0; i < snap->nsocks; i++) {
		struct sock_rec *r = &snap->socks[i];
		uintptr_t hit, wild = 0, exact = 0;

		if (r->inode || r->proto != PROTO_TCP || r->state == ST_LISTEN)
			continue;
		hit = (uintptr_t)inode_map_get(&listeners, (uint32_t)r->lport << 8 | r->family);
		for (; hit && !exact; hit = next[hit - 1]) {
			const struct sock_rec *l = &snap->socks[hit - 1];
			struct addr16 la = sock_laddr(l);

			if (!memcmp(la.b, sock_laddr(r).b, 16))
				exact = hit;
			else if (addr_is_any(l->family, la.b))
				wild = hit;
		}
		if ((hit = exact ? exact : wild)) {
			r->owner = snap->socks[hit - 1].owner;
			r->flags |= SOCK_OWNER_VIA_LISTENER;
		}
	}
	inode_map_free(&listeners);
	free(next);
}
