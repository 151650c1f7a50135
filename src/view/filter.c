/* filter.c: the terms are ANDed; several "state" terms are one set, as in ss. */
#include "filter.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tcpstate.h"
#include "fields.h"

#define MAX_WORDS 16

struct filter {
	char *text;
	uint32_t states;		/* 0: any state */
	char *words[MAX_WORDS];		/* lower-cased; each must occur in the row */
	size_t nwords;
};

static void set_error(char *err, size_t errlen, size_t column, const char *what, const char *word)
{
	snprintf(err, errlen, "filter: %s '%s' at column %zu", what, word, column + 1);
}

/* Adds "NAME[,NAME…]" at word to f's state set; -1 on an unknown name. */
static int parse_states(struct filter *f, const char *expr, const char *word, size_t wlen,
			char *err, size_t errlen)
{
	char buf[256];
	char *save, *tok;

	if (wlen >= sizeof(buf)) {
		set_error(err, errlen, (size_t)(word - expr), "state list too long:", "…");
		return -1;
	}
	memcpy(buf, word, wlen);
	buf[wlen] = '\0';
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int s = tcpstate_parse(tok);

		if (s < 0) {
			set_error(err, errlen, (size_t)(word - expr) + (size_t)(tok - buf),
				  "unknown state", tok);
			return -1;
		}
		f->states |= ST_MASK(s);
	}
	return 0;
}

static int add_word(struct filter *f, const char *word, size_t wlen)
{
	char *w;

	if (f->nwords == MAX_WORDS || !(w = strndup(word, wlen)))
		return -1;
	for (char *p = w; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	f->words[f->nwords++] = w;
	return 0;
}

/* Returns the next whitespace-separated word of *p, or NULL at the end. */
static const char *next_word(const char **p, size_t *len)
{
	const char *s = *p;

	while (*s && isspace((unsigned char)*s))
		s++;
	if (!*s)
		return NULL;
	*p = s;
	while (**p && !isspace((unsigned char)**p))
		(*p)++;
	*len = (size_t)(*p - s);
	return s;
}

struct filter *filter_parse(const char *expr, char *err, size_t errlen)
{
	struct filter *f = calloc(1, sizeof(*f));
	const char *p = expr, *w;
	size_t wlen;

	if (!f || !(f->text = strdup(expr)))
		goto nomem;
	while ((w = next_word(&p, &wlen))) {
		if (wlen == 5 && !strncasecmp(w, "state", 5)) {
			const char *arg = next_word(&p, &wlen);

			if (!arg) {
				set_error(err, errlen, (size_t)(w - expr), "expected a state name after", "state");
				goto fail;
			}
			if (parse_states(f, expr, arg, wlen, err, errlen) < 0)
				goto fail;
		} else if (add_word(f, w, wlen) < 0) {
			set_error(err, errlen, (size_t)(w - expr), "too many words at", "…");
			goto fail;
		}
	}
	return f;
nomem:
	snprintf(err, errlen, "filter: out of memory");
fail:
	filter_free(f);
	return NULL;
}

void filter_free(struct filter *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nwords; i++)
		free(f->words[i]);
	free(f->text);
	free(f);
}

const char *filter_text(const struct filter *f)
{
	return f ? f->text : "";
}

uint32_t filter_state_mask(const struct filter *f)
{
	return f && f->states ? f->states : ST_MASK_ALL;
}

/* The row as text: what a user reads on screen, so that typing what one
 * sees finds it. */
static void row_text(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	size_t used = 0;

	for (int i = 0; i < FIELD_COUNT && used + 1 < len; i++) {
		const struct field *fd = field_get(i);

		if (!(fd->flags & FIELD_TEXT_MATCH))
			continue;
		used += (size_t)fd->format(snap, r, buf + used, len - used);
		if (used + 1 < len)
			buf[used++] = ' ';
	}
	buf[used < len ? used : len - 1] = '\0';
	for (char *p = buf; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

bool filter_match(const struct filter *f, const struct snapshot *snap, const struct sock_rec *r)
{
	char row[512];

	if (!f)
		return true;
	if (f->states && !(f->states & ST_MASK(r->state)))
		return false;
	if (!f->nwords)
		return true;
	row_text(snap, r, row, sizeof(row));
	for (size_t i = 0; i < f->nwords; i++)
		if (!strstr(row, f->words[i]))
			return false;
	return true;
}
