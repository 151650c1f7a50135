/* filter_impl.h: the parsed expression, shared by the parser, the matcher and
 * the bytecode compiler. Not for use outside src/view/filter_*.c. */
#ifndef NETTOP_FILTER_IMPL_H
#define NETTOP_FILTER_IMPL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../snapshot.h"

enum node_kind {
	NODE_AND, NODE_OR, NODE_NOT,
	NODE_STATE, NODE_PROTO, NODE_FAMILY,
	NODE_ADDR, NODE_PORT, NODE_DEV,
	NODE_PROC, NODE_PID, NODE_USER, NODE_TEXT,
	NODE_COMPARE,
	NODE_NETNS, NODE_CGROUP,	/* globs on the namespace's name, the cgroup's path */
};

enum side { SIDE_SRC = 1, SIDE_DST = 2, SIDE_ANY = 3 };
enum port_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

struct node {
	enum node_kind kind;
	int a, b;			/* child node indexes (AND, OR: both; NOT: a) */
	enum side side;			/* ADDR, PORT */
	union {
		uint32_t states;	/* STATE */
		unsigned protos;	/* PROTO */
		unsigned families;	/* FAMILY: 1 << 4 | 1 << 6 */
		struct {		/* ADDR */
			uint8_t family;	/* 4, 6, or 0 for any */
			uint8_t prefix;
			int port;	/* -1: any */
			uint8_t addr[16];
		} addr;
		struct {		/* PORT */
			enum port_op op;
			uint16_t port;
		} port;
		uint32_t ifindex;	/* DEV */
		int32_t pid;		/* PID */
		uint32_t uid;		/* USER */
		struct {		/* COMPARE: field OP value, in the field's unit */
			int field;	/* enum field_id */
			enum port_op op;
			double value;
		} cmp;
	} u;
	char *text;			/* PROC, NETNS, CGROUP (globs), TEXT (lower case), DEV (name) */
};

struct filter {
	atomic_uint refs;		/* holds; the last filter_free() frees */
	char *expr;
	struct node *nodes;
	int nnodes, root;		/* root -1: the empty filter, matches all */
	uint32_t states;
	unsigned protos, families;
	bool needs_procs;
	bool needs_info, needs_health;	/* a comparison reads tcp_info, sock_health.h */
	bool needs_extra;		/* and struct sock_extra */
	void *bytecode[2];		/* for IPv4 and IPv6 dumps */
	size_t bytecode_len[2];
};

/* Sums up what f can match (filter.c), once its nodes are parsed. */
void filter_summarize(struct filter *f);

/* Fills the bytecode fields of f (filter_bc.c). 0 or -ENOMEM. */
int filter_compile_bytecode(struct filter *f);

/* filter_compare.c: a number in a field's unit ("100ms", "1.5M", "50%")
 * into *out; -1 when text is not one. */
int filter_number_parse(const char *text, int unit, double *out);
/* The words a unit takes, for an error: "a time (as 100ms, 1.5s, 200us)". */
const char *filter_unit_hint(int unit);
/* Does r's field compare with the node's value? False where it has none. */
bool filter_compare_match(const struct node *n, const struct snapshot *snap,
			  const struct sock_rec *r);
/* Sets f's needs_info, needs_health and needs_extra from its comparisons. */
void filter_compare_needs(struct filter *f);

/* filter_word.c: the raw bytes of word (len bytes, "\\" and "\xNN" decoded)
 * into out, terminated. 0, or -1 for a bad escape or an out too small. */
struct filter_names;
/* filter_addr.c: "80", ":80", ":http" (a name through names' look-up); 0
 * or -1. */
int filter_port_value(const struct filter_names *names, const char *s, uint16_t *port);
/* "ADDR[/PREFIX][:PORT]", "[V6][/PREFIX][:PORT]" or "*[:PORT]" (s is cut
 * up) into n's address: 0 or -1. */
int filter_addr_value(const struct filter_names *names, char *s, struct node *n);
int filter_word_unquote(const char *word, size_t len, char *out, size_t outlen);

#endif
