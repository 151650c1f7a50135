/* filter_parse.c: a recursive-descent parser over whitespace- and
 * parenthesis-separated words; every error names the column it found. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>		/* IF_NAMESIZE only: view/ does no I/O */
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../tcpstate.h"
#include "fields.h"
#include "filter.h"
#include "filter_impl.h"

struct token {
	const char *p;
	size_t len;
	int column;			/* 1-based */
};

/* The parser, the matcher, the bytecode compiler and reach_of recurse over
 * the expression: bounding its nesting and its size bounds their stacks (a
 * few thousand nested parentheses or a chain of 20000 conditions overflowed
 * the stack). */
#define MAX_NESTING 256		/* open parentheses and nots */
#define MAX_NODES 4096		/* conditions, and, or, not */

struct parser {
	struct filter *f;
	const struct filter_names *names;	/* the caller's look-ups, or NULL */
	struct token *tokens;
	int ntokens, pos;
	int nesting;
	char *err;
	size_t errlen;
	bool failed;
};

/* Splits expr into words, "(", ")", "!", "&&" and "||". */
static int tokenize(const char *expr, struct token **out)
{
	size_t n = strlen(expr);
	struct token *t = calloc(n + 1, sizeof(*t));
	int count = 0;

	if (!t)
		return -1;
	for (const char *p = expr; *p;) {
		const char *start = p;

		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (*p == '(' || *p == ')' || (*p == '!' && p[1] != '='))
			p++;
		else if ((*p == '&' && p[1] == '&') || (*p == '|' && p[1] == '|'))
			p += 2;
		else
			while (*p && !isspace((unsigned char)*p) && *p != '(' && *p != ')' &&
			       !(p[0] == '&' && p[1] == '&') && !(p[0] == '|' && p[1] == '|'))
				p++;
		t[count++] = (struct token){ start, (size_t)(p - start), (int)(start - expr) + 1 };
	}
	*out = t;
	return count;
}

__attribute__((format(printf, 3, 4)))
static int fail_at(struct parser *ps, int column, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	if (ps->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "filter: %s at column %d", what, column);
	ps->failed = true;
	return -1;
}

static const struct token *peek(const struct parser *ps)
{
	return ps->pos < ps->ntokens ? &ps->tokens[ps->pos] : NULL;
}

static bool token_is(const struct token *t, const char *word)
{
	return t && t->len == strlen(word) && !strncasecmp(t->p, word, t->len);
}

/* A token's text as a C string in buf (cut to fit). */
static const char *token_str(const struct token *t, char *buf, size_t len)
{
	size_t n = t->len < len - 1 ? t->len : len - 1;

	memcpy(buf, t->p, n);
	buf[n] = '\0';
	return buf;
}

static int node_new(struct parser *ps, enum node_kind kind)
{
	struct filter *f = ps->f;
	struct node *n;

	if (f->nnodes >= MAX_NODES)
		return fail_at(ps, ps->tokens[ps->pos > 0 ? ps->pos - 1 : 0].column,
			       "expression too long (over %d terms)", MAX_NODES);
	n = realloc(f->nodes, (size_t)(f->nnodes + 1) * sizeof(*n));
	if (!n)
		return fail_at(ps, 1, "out of memory");
	f->nodes = n;
	memset(&n[f->nnodes], 0, sizeof(*n));
	n[f->nnodes].kind = kind;
	n[f->nnodes].a = n[f->nnodes].b = -1;
	return f->nnodes++;
}

static int node_pair(struct parser *ps, enum node_kind kind, int a, int b)
{
	int n = node_new(ps, kind);

	if (n >= 0) {
		ps->f->nodes[n].a = a;
		ps->f->nodes[n].b = b;
	}
	return n;
}

/* ss's state groups, then single states. */
static int state_word(const char *word, uint32_t *mask)
{
	static const struct { const char *name; uint32_t mask; } groups[] = {
		{ "all", ST_MASK_ALL },
		{ "connected", ST_MASK_ALL & ~(ST_MASK(ST_LISTEN) | ST_MASK(ST_CLOSE)) },
		{ "synchronized", ST_MASK_ALL & ~(ST_MASK(ST_LISTEN) | ST_MASK(ST_CLOSE) | ST_MASK(ST_SYN_SENT)) },
		{ "bucket", ST_MASK(ST_SYN_RECV) | ST_MASK(ST_TIME_WAIT) },
		{ "big", ST_MASK_ALL & ~(ST_MASK(ST_SYN_RECV) | ST_MASK(ST_TIME_WAIT)) },
	};
	int s;

	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (!strcasecmp(word, groups[i].name)) {
			*mask |= groups[i].mask;
			return 0;
		}
	s = tcpstate_parse(word);
	if (s < 0)
		return -1;
	*mask |= ST_MASK(s);
	return 0;
}

static int parse_state(struct parser *ps, const struct token *kw)
{
	const struct token *t = peek(ps);
	uint32_t mask = 0;
	char buf[256], *save, *word;
	int n;

	if (!t || token_is(t, "(") || token_is(t, ")"))
		return fail_at(ps, kw->column, "expected a state name after 'state'");
	ps->pos++;
	token_str(t, buf, sizeof(buf));
	for (word = strtok_r(buf, ",", &save); word; word = strtok_r(NULL, ",", &save))
		if (state_word(word, &mask) < 0)
			return fail_at(ps, t->column + (int)(word - buf), "unknown state '%s'", word);
	if (!mask)
		return fail_at(ps, t->column, "expected a state name after 'state'");
	n = node_new(ps, NODE_STATE);
	if (n >= 0)
		ps->f->nodes[n].u.states = mask;
	return n;
}

static int port_op(const struct token *t, enum port_op *op)
{
	static const struct { const char *a, *b; enum port_op op; } ops[] = {
		{ "=", "eq", OP_EQ }, { "==", "eq", OP_EQ }, { "!=", "ne", OP_NE },
		{ "<", "lt", OP_LT }, { "<=", "le", OP_LE }, { ">", "gt", OP_GT },
		{ ">=", "ge", OP_GE },
	};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (token_is(t, ops[i].a) || token_is(t, ops[i].b)) {
			*op = ops[i].op;
			return 0;
		}
	return -1;
}

static int parse_port(struct parser *ps, const struct token *kw, enum side side)
{
	const struct token *t = peek(ps);
	enum port_op op = OP_EQ;
	char buf[64], name[16];
	uint16_t port;
	int n;

	token_str(kw, name, sizeof(name));
	if (t && port_op(t, &op) == 0)
		t = (++ps->pos, peek(ps));
	if (!t || token_is(t, "(") || token_is(t, ")"))
		return fail_at(ps, kw->column, "expected a port after '%s'", name);
	if (filter_port_value(ps->names, token_str(t, buf, sizeof(buf)), &port) < 0)
		return fail_at(ps, t->column, "'%s' is not a port or service name", buf);
	ps->pos++;
	n = node_new(ps, NODE_PORT);
	if (n >= 0) {
		ps->f->nodes[n].side = side;
		ps->f->nodes[n].u.port.op = op;
		ps->f->nodes[n].u.port.port = port;
	}
	return n;
}

static int parse_addr(struct parser *ps, const struct token *kw, enum side side)
{
	const struct token *t = peek(ps);
	char buf[128], name[16];
	int n;

	token_str(kw, name, sizeof(name));
	if (t && token_is(t, "="))
		t = (++ps->pos, peek(ps));
	if (!t || token_is(t, "(") || token_is(t, ")"))
		return fail_at(ps, kw->column, "expected an address after '%s'", name);
	ps->pos++;
	n = node_new(ps, NODE_ADDR);
	if (n < 0)
		return n;
	ps->f->nodes[n].side = side;
	token_str(t, buf, sizeof(buf));
	if (filter_addr_value(ps->names, buf, &ps->f->nodes[n]) < 0)
		return fail_at(ps, t->column, "'%s' is not an address (ADDR[/PREFIX][:PORT], [IPv6]:PORT)",
			       token_str(t, buf, sizeof(buf)));
	return n;
}

/* A glob typed as the shell would take it ('*pod*'): one pair of quotes
 * around it is dropped (the language has none of its own). */
static void unquote_glob(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && (s[0] == '\'' || s[0] == '"') && s[n - 1] == s[0]) {
		memmove(s, s + 1, n - 2);
		s[n - 2] = '\0';
	}
}

/* proc, pid, user, dev, netns, cgroup: a keyword and one word. */
static int parse_owner(struct parser *ps, const struct token *kw, enum node_kind kind)
{
	const struct token *t = peek(ps);
	char buf[256], name[16];
	struct node *node;
	char *end;
	int n;

	token_str(kw, name, sizeof(name));
	if (!t || token_is(t, "(") || token_is(t, ")"))
		return fail_at(ps, kw->column, "expected a value after '%s'", name);
	ps->pos++;
	token_str(t, buf, sizeof(buf));
	if ((n = node_new(ps, kind)) < 0)
		return n;
	node = &ps->f->nodes[n];
	switch (kind) {
	case NODE_PID: {
		long v = strtol(buf, &end, 10);

		if (!*buf || *end || v <= 0 || v > INT32_MAX)
			return fail_at(ps, t->column, "'%s' is not a process id", buf);
		node->u.pid = (int32_t)v;
		return n;
	}
	case NODE_USER: {
		long v = strtol(buf, &end, 10);

		if (*buf && !*end && v >= 0 && v <= UINT32_MAX) {
			node->u.uid = (uint32_t)v;
			return n;
		}
		if (!ps->names || !ps->names->user || ps->names->user(buf, &node->u.uid) < 0)
			return fail_at(ps, t->column, "no user named '%s'", buf);
		return n;
	}
	case NODE_DEV:
		/* as shown: the interfaces pane's Enter spells odd bytes escaped */
		if (filter_word_unquote(t->p, t->len, buf, IF_NAMESIZE) < 0)
			return fail_at(ps, t->column, "'%s' is not an interface name (\\xNN, \\\\ for odd bytes)",
				       token_str(t, buf, sizeof(buf)));
		/* an interface not there (yet): matched by name alone */
		node->u.ifindex = ps->names && ps->names->iface ? ps->names->iface(buf) : 0;
		break;
	case NODE_NETNS: case NODE_CGROUP:
		unquote_glob(buf);
		break;
	default:
		break;
	}
	if (!(node->text = strdup(buf)))
		return fail_at(ps, t->column, "out of memory");
	return n;
}

static int parse_flag(struct parser *ps, enum node_kind kind, unsigned bits)
{
	int n = node_new(ps, kind);

	if (n >= 0)
		ps->f->nodes[n].u.protos = bits;	/* protos and families share the slot */
	return n;
}

static int parse_text(struct parser *ps, const struct token *t)
{
	int n = node_new(ps, NODE_TEXT);
	char *w;

	if (n < 0)
		return n;
	if (!(w = strndup(t->p, t->len)))
		return fail_at(ps, t->column, "out of memory");
	for (char *p = w; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	ps->f->nodes[n].text = w;
	return n;
}

static int parse_or(struct parser *ps);

/* "FIELD OP NUMBER" for a numeric field of the registry (fields.h). */
static int parse_compare(struct parser *ps, const struct token *kw, int field)
{
	const struct field *fd = field_get(field);
	const struct token *t;
	enum port_op op;
	char buf[64];
	double v;
	int n;

	port_op(peek(ps), &op);
	t = (++ps->pos, peek(ps));
	if (!t || token_is(t, "(") || token_is(t, ")"))
		return fail_at(ps, kw->column, "expected %s after '%s %.*s'", filter_unit_hint(fd->unit),
			       fd->name, (int)ps->tokens[ps->pos - 1].len, ps->tokens[ps->pos - 1].p);
	if (filter_number_parse(token_str(t, buf, sizeof(buf)), fd->unit, &v) < 0)
		return fail_at(ps, t->column, "'%s' is not %s for '%s'", buf, filter_unit_hint(fd->unit),
			       fd->name);
	ps->pos++;
	if ((n = node_new(ps, NODE_COMPARE)) >= 0)
		ps->f->nodes[n].u.cmp.field = field, ps->f->nodes[n].u.cmp.op = op,
		ps->f->nodes[n].u.cmp.value = v;
	return n;
}

/* A numeric field's name followed by a comparison: its id; else -1. */
static int compare_field(const struct parser *ps, const struct token *t)
{
	char name[32];
	enum port_op op;
	int field;

	if (t->len >= sizeof(name) || !peek(ps) || port_op(peek(ps), &op) < 0)
		return -1;
	field = field_by_name(token_str(t, name, sizeof(name)));
	return field >= 0 && field_get(field)->number ? field : -1;
}

static int parse_predicate(struct parser *ps, const struct token *t)
{
	int field;

	static const struct { const char *word; enum side side; } ports[] = {
		{ "sport", SIDE_SRC }, { "dport", SIDE_DST }, { "port", SIDE_ANY },
	}, addrs[] = {
		{ "src", SIDE_SRC }, { "dst", SIDE_DST }, { "addr", SIDE_ANY },
	};
	ps->pos++;
	if ((field = compare_field(ps, t)) >= 0)
		return parse_compare(ps, t, field);
	if (token_is(t, "state"))
		return parse_state(ps, t);
	for (size_t i = 0; i < 3; i++) {
		if (token_is(t, ports[i].word))
			return parse_port(ps, t, ports[i].side);
		if (token_is(t, addrs[i].word))
			return parse_addr(ps, t, addrs[i].side);
	}
	if (token_is(t, "tcp"))
		return parse_flag(ps, NODE_PROTO, 1u << PROTO_TCP);
	if (token_is(t, "udp"))
		return parse_flag(ps, NODE_PROTO, 1u << PROTO_UDP);
	if (token_is(t, "ipv4") || token_is(t, "inet"))
		return parse_flag(ps, NODE_FAMILY, 1u << 4);
	if (token_is(t, "ipv6") || token_is(t, "inet6"))
		return parse_flag(ps, NODE_FAMILY, 1u << 6);
	if (token_is(t, "proc"))
		return parse_owner(ps, t, NODE_PROC);
	if (token_is(t, "pid"))
		return parse_owner(ps, t, NODE_PID);
	if (token_is(t, "user"))
		return parse_owner(ps, t, NODE_USER);
	if (token_is(t, "dev"))
		return parse_owner(ps, t, NODE_DEV);
	if (token_is(t, "netns"))
		return parse_owner(ps, t, NODE_NETNS);
	if (token_is(t, "cgroup"))
		return parse_owner(ps, t, NODE_CGROUP);
	return parse_text(ps, t);
}

static int parse_unary(struct parser *ps)
{
	const struct token *t = peek(ps);
	int n;

	if (!t)
		return fail_at(ps, ps->ntokens ? ps->tokens[ps->ntokens - 1].column + (int)ps->tokens[ps->ntokens - 1].len : 1,
			       "expected a condition");
	if ((token_is(t, "not") || token_is(t, "!") || token_is(t, "(")) &&
	    ps->nesting >= MAX_NESTING)
		return fail_at(ps, t->column, "expression nested too deeply (over %d levels)",
			       MAX_NESTING);
	if (token_is(t, "not") || token_is(t, "!")) {
		ps->pos++;
		ps->nesting++;
		n = parse_unary(ps);
		ps->nesting--;
		return n < 0 ? n : node_pair(ps, NODE_NOT, n, -1);
	}
	if (token_is(t, "(")) {
		ps->pos++;
		ps->nesting++;
		n = parse_or(ps);
		ps->nesting--;
		if (n < 0)
			return n;
		if (!token_is(peek(ps), ")"))
			return fail_at(ps, t->column, "'(' is never closed");
		ps->pos++;
		return n;
	}
	if (token_is(t, ")") || token_is(t, "and") || token_is(t, "&&") || token_is(t, "or") ||
	    token_is(t, "||"))
		return fail_at(ps, t->column, "expected a condition before '%.*s'", (int)t->len, t->p);
	return parse_predicate(ps, t);
}

static bool starts_operand(const struct token *t)
{
	return t && !token_is(t, ")") && !token_is(t, "or") && !token_is(t, "||");
}

static int parse_and(struct parser *ps)
{
	int left = parse_unary(ps);

	while (left >= 0 && starts_operand(peek(ps))) {
		int right;

		if (token_is(peek(ps), "and") || token_is(peek(ps), "&&"))
			ps->pos++;
		right = parse_unary(ps);
		left = right < 0 ? right : node_pair(ps, NODE_AND, left, right);
	}
	return left;
}

static int parse_or(struct parser *ps)
{
	int left = parse_and(ps);

	while (left >= 0 && (token_is(peek(ps), "or") || token_is(peek(ps), "||"))) {
		int right;

		ps->pos++;
		right = parse_and(ps);
		left = right < 0 ? right : node_pair(ps, NODE_OR, left, right);
	}
	return left;
}

struct filter *filter_parse(const char *expr, const struct filter_names *names, char *err, size_t errlen)
{
	struct filter *f = calloc(1, sizeof(*f));
	struct parser ps = { .f = f, .names = names, .err = err, .errlen = errlen };

	if (f)
		atomic_init(&f->refs, 1);
	if (!f || !(f->expr = strdup(expr)) || (ps.ntokens = tokenize(expr, &ps.tokens)) < 0) {
		snprintf(err, errlen, "filter: out of memory");
		filter_free(f);
		return NULL;
	}
	f->root = ps.ntokens ? parse_or(&ps) : -1;
	if (!ps.failed && ps.pos < ps.ntokens)
		fail_at(&ps, ps.tokens[ps.pos].column, "unexpected '%.*s'",
			(int)ps.tokens[ps.pos].len, ps.tokens[ps.pos].p);
	free(ps.tokens);
	if (ps.failed || (f->root >= 0 && filter_compile_bytecode(f) < 0)) {
		if (!ps.failed)
			snprintf(err, errlen, "filter: out of memory");
		filter_free(f);
		return NULL;
	}
	filter_summarize(f);
	return f;
}

