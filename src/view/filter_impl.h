/* filter_impl.h: the parsed expression, shared by the parser, the matcher and
 * the bytecode compiler. Not for use outside src/view/filter_*.c. */
#ifndef NETTOP_FILTER_IMPL_H
#define NETTOP_FILTER_IMPL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum node_kind {
	NODE_AND, NODE_OR, NODE_NOT,
	NODE_STATE, NODE_PROTO, NODE_FAMILY,
	NODE_ADDR, NODE_PORT, NODE_DEV,
	NODE_PROC, NODE_PID, NODE_USER, NODE_TEXT,
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
	void *bytecode[2];		/* for IPv4 and IPv6 dumps */
	size_t bytecode_len[2];
};

/* Sums up what f can match (filter.c), once its nodes are parsed. */
void filter_summarize(struct filter *f);

/* Fills the bytecode fields of f (filter_bc.c). 0 or -ENOMEM. */
int filter_compile_bytecode(struct filter *f);

/* filter_word.c: the raw bytes of word (len bytes, "\\" and "\xNN" decoded)
 * into out, terminated. 0, or -1 for a bad escape or an out too small. */
int filter_word_unquote(const char *word, size_t len, char *out, size_t outlen);

#endif
