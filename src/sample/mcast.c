/* mcast.c: /proc/net/igmp and igmp6, parsed line by line within the bytes
 * read; a line that does not parse is counted and skipped. */
#include "mcast.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../grow.h"
#include "sampler.h"

#define MCAST_FILE_MAX (4u << 20)

static int add(struct mcast_table *t, const char *dev, int family, const uint8_t *addr, unsigned users)
{
	struct mcast_rec *r;

	if (grow_array((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v), 32) < 0)
		return -ENOMEM;
	r = &t->v[t->n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->dev, sizeof(r->dev), "%s", dev);
	r->family = (uint8_t)family;
	memcpy(r->addr, addr, family == 4 ? 4 : 16);
	r->users = users;
	return 0;
}

/* "1\tlo        :     1      V3" starts a device; "\t\t\t\t010000E0     1 ..."
 * is one of its groups, the address as the kernel's __be32 printed %08X. */
static int parse_igmp_line(const char *line, char *dev, struct mcast_table *t)
{
	unsigned idx, users, group;
	char name[16];
	uint8_t addr[16] = { 0 };

	if (line[0] != '\t') {
		if (sscanf(line, "%u %15[^: \t]", &idx, name) != 2)
			return -EINVAL;
		memcpy(dev, name, sizeof(name));
		return 0;
	}
	if (!dev[0] || sscanf(line, " %8x %u", &group, &users) != 2)
		return -EINVAL;
	memcpy(addr, &group, 4);	/* the value's bytes are the address's, as netstat reads it */
	return add(t, dev, 4, addr, users);
}

/* "1    lo              ff020000000000000000000000000001     1 0000000C 0" */
static int parse_igmp6_line(const char *line, struct mcast_table *t)
{
	unsigned idx, users;
	char name[16], hex[33];
	uint8_t addr[16];

	if (sscanf(line, "%u %15s %32[0-9A-Fa-f] %u", &idx, name, hex, &users) != 4 || strlen(hex) != 32)
		return -EINVAL;
	for (int i = 0; i < 16; i++) {
		unsigned b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return -EINVAL;
		addr[i] = (uint8_t)b;
	}
	return add(t, name, 6, addr, users);
}

int mcast_parse(const char *text, size_t len, int family, struct mcast_table *t)
{
	char dev[16] = "", line[512];
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
		int err = 0;

		if (n < sizeof(line)) {
			memcpy(line, text + i, n);
			line[n] = '\0';
			if (family == 6)
				err = parse_igmp6_line(line, t);
			else if (strncmp(line, "Idx", 3))
				err = parse_igmp_line(line, dev, t);
		} else {
			err = -EINVAL;
		}
		if (err == -ENOMEM)
			return err;
		if (err)
			t->malformed++;
		i += n + 1;
	}
	return 0;
}

static int read_one(const char *path, int family, struct mcast_table *t)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;
	int err;

	if (!f)
		return errno == ENOENT ? 0 : -errno;	/* no IPv6 or no multicast: no groups */
	buf = malloc(MCAST_FILE_MAX);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, MCAST_FILE_MAX, f);
	err = ferror(f) ? -EIO : mcast_parse(buf, n, family, t);
	free(buf);
	fclose(f);
	return err;
}

int mcast_read(const char *proc_root, unsigned families, struct mcast_table *t)
{
	char path[256];
	int err = 0;

	if (families & SAMPLE_V4) {
		snprintf(path, sizeof(path), "%s/net/igmp", proc_root);
		err = read_one(path, 4, t);
	}
	if (!err && (families & SAMPLE_V6)) {
		snprintf(path, sizeof(path), "%s/net/igmp6", proc_root);
		err = read_one(path, 6, t);
	}
	return err;
}

void mcast_table_free(struct mcast_table *t)
{
	free(t->v);
	*t = (struct mcast_table){ 0 };
}
