/* config.h: $XDG_CONFIG_HOME/nettop/config, one "key = value" per line.
 * A bad line is reported with FILE:LINE and skipped; the rest applies. The
 * file is written (atomically) only when a setting changed. */
#ifndef NETTOP_CONFIG_H
#define NETTOP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

/* The keys: name, kind, bounds for numbers, help. The bounds hold for the
 * command line too (--interval, --flood-threshold use config_number). */
#define CONFIG_KEY_LIST(X) \
	X(interval,        NUMBER, 0.05, 3600, "seconds between samples") \
	X(theme,           STRING, 0, 0,       "theme name or path") \
	X(numeric,         BOOL,   0, 0,       "numeric addresses (no names)") \
	X(processes,       BOOL,   0, 0,       "show the process column") \
	X(filter,          STRING, 0, 0,       "the filter applied at start") \
	X(flood_threshold, WHOLE,  1, 1e9,     "SYN_RECV on one listener that raises the alert") \
	X(sort_states,     STRING, 0, 0,       "states pane sort: COLUMN [asc|desc]") \
	X(sort_remote,     STRING, 0, 0,       "remote pane sort: COLUMN [asc|desc]") \
	X(sort_ifaces,     STRING, 0, 0,       "interfaces pane sort: COLUMN [asc|desc]") \
	X(sort_conns,      STRING, 0, 0,       "connections pane sort: COLUMN [asc|desc]") \
	X(columns,         STRING, 0, 0,       "connection columns, in order, comma-separated") \
	X(layout,          STRING, 0, 0,       "pane layout: auto, stacked or single") \
	X(backend,         CHOICE, 0, 0,       "where sockets come from: auto, bpf or sockdiag") \
	X(closed_ring,     WHOLE,  100, 1e6,   "closed connections the Closed view (E) keeps")

enum config_key {
#define X(name, kind, min, max, help) CONFIG_##name,
	CONFIG_KEY_LIST(X)
#undef X
	CONFIG_KEY_COUNT
};

struct config {
	char *path;
	char *values[CONFIG_KEY_COUNT];	/* NULL: not set */
	bool changed;
};

/* The default path: $XDG_CONFIG_HOME/nettop/config or ~/.config/nettop/config. */
int config_default_path(char *buf, size_t len);
/* Loads path (a missing file is an empty config). Returns the number of bad
 * lines; the first one's "FILE:LINE: what" is in err. -1 when unreadable
 * (a FIFO or a device is refused, never read), with "FILE: why" in err. */
int config_load(struct config *c, const char *path, char *err, size_t errlen);
void config_free(struct config *c);
const char *config_get(const struct config *c, enum config_key k);
const char *config_key_name(enum config_key k);
/* A number key's bounds (the command line checks its twin against them). */
void config_key_bounds(enum config_key k, double *min, double *max);
/* Validates and sets; marks the config changed when the value differs.
 * 0, or -1 with a message in err. */
int config_set(struct config *c, enum config_key k, const char *value, char *err, size_t errlen);
/* Parses a number setting's text, within the key's bounds (NaN, infinities
 * and anything outside them refused). 0, or -1 with "'TEXT' is not a number
 * from MIN to MAX" in err. */
int config_number(enum config_key k, const char *text, double *v, char *err, size_t errlen);
/* Writes the file atomically (atomic_file.h), only when changed, creating
 * the directory. A symbolic link at the path is written through: the file it
 * names is replaced, the link stays. 0 or -errno. */
int config_save(struct config *c);

#endif
