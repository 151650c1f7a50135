/* port_walk.bpf.h: the established table's sockets of a few local ports,
 * found through the bind hash instead of a walk of the whole table (a
 * filter on local ports, `sport = :80`, keeps a few sockets of many).
 *
 * Every TCP socket with a local port is in its port's bind bucket: bind(),
 * connect()'s choice of port, accept() (inet_inherit_port) and TIME_WAIT
 * (the hashdance) put it there. For each port from nt_walk_from to
 * nt_walk_to, the walk reads bucket inet_bhashfn(net, port) of the bind
 * hash: its inet_bind_bucket of (net, port), that one's inet_bind2_buckets
 * (one per local address), and their owners, linked by skc_bind_node
 * (6.10's layout; on another kernel the reader walks the whole table).
 * Like the table walk it reads without locks: the bind hash's own nodes
 * are not kept by RCU, so a socket it finds counts only once the table
 * walk's checks pass (walk_sock()) and it is found in its chain of the
 * established table. What changes under the walk may be missed, as a
 * dump may miss it.
 *
 * Request sockets (SYN_RECV) are in the established table alone: the walk
 * adds up what the port's listeners say they hold (icsk_accept_queue.qlen),
 * and the reader walks the whole table when it asked for SYN_RECV and some
 * are there. Each record's order says where sock_diag's dump meets it:
 * its bucket of the established table (skc_hash & ehash_mask) and its place
 * in that bucket's chain, for the reader to sort by.
 *
 * Included by iter.bpf.c, after walk_sock(). */

/* 6.1 to 6.9 linked a bind2 bucket's owners through a field of their own */
struct sock___bind2 {
	struct hlist_node sk_bind2_node;
} __attribute__((preserve_access_index));

#define NT_PLACE_BITS 6			/* a place in a chain: < NT_CHAIN_MAX */
_Static_assert(NT_CHAIN_MAX <= 1 << NT_PLACE_BITS, "a chain's places fit their bits");

__u32 nt_walk_to;		/* in: NT_WALK_PORT's last port */
__u32 nt_port_reqs;		/* out: request sockets the ports' listeners hold */

struct port_walk {
	struct walk w;			/* walk_sock()'s: the records, the namespace */
	__u64 tb, tb2, sk;		/* the next node of each list; 0: its end */
	__u64 ehash, bhash;
	__u32 emask, bmask, hash_mix;
	__u32 port, last;		/* the port walked, and the last one */
	int cut;			/* a record would not fit, or a socket was not found */
};

/* Whether this kernel's bind hash has the layout the walk reads. */
static __always_inline int port_walk_known(void)
{
	return bpf_core_field_exists(struct inet_bind_bucket, bhash2) &&
	       bpf_core_field_exists(struct inet_bind2_bucket, owners) &&
	       !bpf_core_field_exists(struct sock___bind2, sk_bind2_node);
}

/* Where the dump meets skc: bucket << NT_PLACE_BITS | place in its chain;
 * ~0 when it is not in its chain (moved, or being unhashed). */
static __always_inline __u32 chain_place(const struct port_walk *p, struct sock_common *skc)
{
	__u32 b = skc->skc_hash & p->emask;
	__u64 me = AS_NUMBER(skc) + bpf_core_field_offset(struct sock_common, skc_nulls_node);
	__u64 node = AS_NUMBER(AS(struct inet_ehash_bucket,
				  p->ehash + (__u64)b * bpf_core_type_size(struct inet_ehash_bucket))->chain.first);

	for (__u32 k = 0; k < NT_CHAIN_MAX; k++) {
		if (node & 1)
			break;
		if (node == me)
			return b << NT_PLACE_BITS | k;
		node = AS_NUMBER(AS(struct sock_common, node - bpf_core_field_offset(struct sock_common,
										      skc_nulls_node))
					 ->skc_nulls_node.next);
	}
	return ~0u;
}

/* One owner of the port's bind buckets: a listener says how many request
 * sockets it holds; any other socket is a record, if the filter keeps it. */
static __always_inline void port_sock(struct port_walk *p, struct sock_common *skc)
{
	__u32 n = p->w.n, place;

	if (AS_NUMBER(skc->skc_net.net) != p->w.net || skc->skc_num != p->port)
		return;
	if (skc->skc_state == NT_TCP_LISTEN) {
		nt_port_reqs += AS(struct inet_connection_sock, skc)->icsk_accept_queue.qlen.counter;
		return;
	}
	if (n >= NT_WALK_MAX) {
		p->cut = 1;
		return;
	}
	walk_sock(&p->w, skc);
	if (p->w.n == n)
		return;		/* not wanted, or no longer hashed */
	place = chain_place(p, skc);
	if (place == ~0u)
		p->cut = 1;
	else
		nt_out[n].order = place;
}

/* The first bind bucket of the chain where p->port's would be. */
static __always_inline void port_enter(struct port_walk *p)
{
	__u32 b = (p->port + p->hash_mix) & p->bmask;

	p->tb = AS_NUMBER(AS(struct inet_bind_hashbucket,
			     p->bhash + (__u64)b * bpf_core_type_size(struct inet_bind_hashbucket))->chain.first);
}

/* One step, a bpf_loop() callback: an owner, or the next bind2 bucket, or
 * the next bind bucket of the chain, or the next port's chain. */
static long port_step(__u32 i, void *data)
{
	struct port_walk *p = data;

	if (p->cut)
		return 1;
	if (p->sk) {
		struct sock_common *skc = AS(struct sock_common,
					     p->sk - bpf_core_field_offset(struct sock_common, skc_bind_node));

		p->sk = AS_NUMBER(skc->skc_bind_node.next);
		port_sock(p, skc);
	} else if (p->tb2) {
		struct inet_bind2_bucket *tb2 = AS(struct inet_bind2_bucket,
						   p->tb2 - bpf_core_field_offset(struct inet_bind2_bucket,
										  bhash_node));

		p->tb2 = AS_NUMBER(tb2->bhash_node.next);
		p->sk = AS_NUMBER(tb2->owners.first);
	} else if (p->tb) {
		struct inet_bind_bucket *tb = AS(struct inet_bind_bucket,
						 p->tb - bpf_core_field_offset(struct inet_bind_bucket, node));

		p->tb = AS_NUMBER(tb->node.next);
		if (tb->port == p->port && AS_NUMBER(tb->ib_net.net) == p->w.net)
			p->tb2 = AS_NUMBER(tb->bhash2.first);
	} else if (p->port < p->last) {
		p->port++;
		port_enter(p);
	} else {
		p->w.done = 1;
		return 1;
	}
	return 0;
}

/* The walk of ports nt_walk_from to nt_walk_to: one run, whole or cut. */
static __always_inline void port_walk(struct net *net, struct inet_hashinfo *h)
{
	struct port_walk p = {};

	nt_port_reqs = 0;
	nt_walk_n = 0;
	if (!port_walk_known() || h->ehash_mask >> (32 - NT_PLACE_BITS)) {
		nt_walk_cut = 1;
		return;
	}
	if (nt_walk_from > nt_walk_to)
		return;		/* no port: no socket */
	p.w.net = AS_NUMBER(net);
	p.port = nt_walk_from;
	p.last = nt_walk_to;
	p.ehash = AS_NUMBER(h->ehash);
	p.emask = h->ehash_mask;
	p.bhash = AS_NUMBER(h->bhash);
	p.bmask = h->bhash_size - 1;
	p.hash_mix = net->hash_mix;
	port_enter(&p);
	bpf_loop(NT_STEPS_PER_RUN, port_step, &p, 0);
	if (p.cut || !p.w.done)
		nt_walk_cut = 1;
	nt_walk_n = p.w.n;
}
