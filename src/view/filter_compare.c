/* filter_compare.c: "FIELD OP NUMBER" on the registry's numeric fields:
 * numbers with units, and the match. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fields.h"
#include "filter.h"
#include "filter_impl.h"

/* A unit's suffixes and what each multiplies by. */
struct suffix {
	const char *text;
	double scale;
};

static const struct suffix counts[] = { { "", 1 }, { "k", 1e3 }, { "m", 1e6 }, { "g", 1e9 }, { NULL, 0 } };
static const struct suffix bytes[] = {
	{ "", 1 }, { "b", 1 }, { "k", 1e3 }, { "kb", 1e3 }, { "m", 1e6 }, { "mb", 1e6 },
	{ "g", 1e9 }, { "gb", 1e9 }, { NULL, 0 },
};
static const struct suffix times[] = { { "", 1 }, { "ms", 1 }, { "us", 1e-3 }, { "s", 1e3 }, { NULL, 0 } };
static const struct suffix percents[] = { { "", 1 }, { "%", 1 }, { NULL, 0 } };

static const struct suffix *suffixes(int unit)
{
	switch (unit) {
	case UNIT_COUNT: return counts;
	case UNIT_BYTES: return bytes;
	case UNIT_MS: return times;
	case UNIT_PERCENT: return percents;
	default: return NULL;
	}
}

int filter_number_parse(const char *text, int unit, double *out)
{
	const struct suffix *s = suffixes(unit);
	char *end;
	double v;

	if (!s || !*text || !strchr("0123456789.", *text))
		return -1;
	v = strtod(text, &end);
	if (end == text || !isfinite(v))
		return -1;
	for (; s->text; s++)
		if (!strcasecmp(end, s->text)) {
			*out = v * s->scale;
			return 0;
		}
	return -1;
}

const char *filter_unit_hint(int unit)
{
	switch (unit) {
	case UNIT_BYTES: return "a number of bytes (as 1500, 64K, 1.5M)";
	case UNIT_MS: return "a time (as 100ms, 1.5s, 200us)";
	case UNIT_PERCENT: return "a share (as 50%)";
	default: return "a number (as 10, 2K)";
	}
}

bool filter_compare_match(const struct node *n, const struct snapshot *snap, const struct sock_rec *r)
{
	const struct field *f = field_get(n->u.cmp.field);
	double v, want = n->u.cmp.value;

	if (!f->number || !f->number(snap, r, &v))
		return false;
	switch (n->u.cmp.op) {
	case OP_EQ: return v == want;
	case OP_NE: return v != want;
	case OP_LT: return v < want;
	case OP_LE: return v <= want;
	case OP_GT: return v > want;
	case OP_GE: return v >= want;
	}
	return false;
}

void filter_compare_needs(struct filter *f)
{
	f->needs_info = f->needs_health = f->needs_extra = false;
	for (int i = 0; i < f->nnodes; i++) {
		const struct node *n = &f->nodes[i];

		f->needs_extra |= n->kind == NODE_USER;
		if (n->kind != NODE_COMPARE)
			continue;
		f->needs_info |= (field_get(n->u.cmp.field)->flags & FIELD_NEEDS_INFO) != 0;
		f->needs_health |= field_needs_health(n->u.cmp.field);
		f->needs_extra |= field_needs_extra(n->u.cmp.field);
	}
}
