/* fuzz_theme.c: theme_parse() on any text: it either fills the slots or says
 * FILE:LINE, and every colour it accepts maps to a colour the terminal has. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/theme_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "normal", "header", "cursor", "alert" };
	struct theme_slot slots[4];
	char err[256] = "";

	if (theme_parse((const char *)data, size, "fuzz", names, 4, slots, err, sizeof(err)) < 0) {
		if (strncmp(err, "fuzz:", 5))
			abort();
		return 0;
	}
	for (int i = 0; i < 4; i++)
		for (int n = 8; n <= 256; n *= 2) {
			int c = theme_color_for(&slots[i].fg, n), b = theme_color_for(&slots[i].bg, n);

			if (c >= n || b >= n || c < -1 || b < -1)
				abort();
		}
	return 0;
}
