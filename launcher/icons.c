#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "panel.h"

/* Reads a PNG into premultiplied ARGB, or NULL (with a message naming the
 * file) when it is not a readable PNG. Big files are refused: an icon on
 * a stranger's disk must not take the panel's memory. */
#define MAX_ICON_BYTES (1024 * 1024) // as the store format says

/* The file, read whole without blocking on it: a FIFO, a device, a link
 * or a file over the limit is refused with its name. */
static unsigned char *read_icon_file(const char *path, size_t *len) {
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT) {
			fprintf(stderr, "pocket-panel: %s: %s\n", path, strerror(errno));
		}
		return NULL;
	}
	struct stat st;
	unsigned char *buf = NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
			st.st_size > MAX_ICON_BYTES) {
		fprintf(stderr, "pocket-panel: %s: not a regular file of at most "
			"%d bytes; ignored\n", path, MAX_ICON_BYTES);
	} else if ((buf = malloc((size_t)st.st_size + 1))) {
		ssize_t n = read(fd, buf, (size_t)st.st_size + 1);
		if (n < 0 || n > st.st_size) {
			free(buf);
			buf = NULL;
		} else {
			*len = (size_t)n;
		}
	}
	close(fd);
	return buf;
}

static pixman_image_t *read_png(const char *path) {
	size_t len = 0;
	unsigned char *data = read_icon_file(path, &len);
	if (!data) {
		return NULL;
	}
	png_image image;
	memset(&image, 0, sizeof(image));
	image.version = PNG_IMAGE_VERSION;
	pixman_image_t *out = NULL;
	if (png_image_begin_read_from_memory(&image, data, len) &&
			image.width > 0 &&
			image.height > 0 && image.width <= 1024 && image.height <= 1024) {
		image.format = PNG_FORMAT_BGRA; // little-endian ARGB32
		size_t stride = PNG_IMAGE_ROW_STRIDE(image);
		uint32_t *pixels = malloc(PNG_IMAGE_BUFFER_SIZE(image, stride));
		if (pixels && png_image_finish_read(&image, NULL, pixels,
				(png_int_32)stride, NULL)) {
			// Premultiply for pixman's a8r8g8b8.
			for (size_t i = 0; i < (size_t)image.width * image.height; i++) {
				uint32_t p = pixels[i], a = p >> 24;
				uint32_t r = ((p >> 16) & 0xff) * a / 255;
				uint32_t g = ((p >> 8) & 0xff) * a / 255;
				uint32_t b = (p & 0xff) * a / 255;
				pixels[i] = (a << 24) | (r << 16) | (g << 8) | b;
			}
			out = pixman_image_create_bits(PIXMAN_a8r8g8b8, (int)image.width,
				(int)image.height, NULL, (int)image.width * 4);
			if (out) {
				memcpy(pixman_image_get_data(out), pixels,
					(size_t)image.width * image.height * 4);
			}
		} else {
			fprintf(stderr, "pocket-panel: %s: not a readable PNG\n", path);
		}
		free(pixels);
	} else {
		fprintf(stderr, "pocket-panel: %s: not a PNG, or larger than "
			"1024x1024\n", path);
	}
	png_image_free(&image);
	free(data);
	return out;
}

pixman_image_t *icon_load(const char *path, int size) {
	if (!path || !path[0] || size <= 0) {
		return NULL;
	}
	pixman_image_t *src = read_png(path);
	if (!src) {
		return NULL;
	}
	int w = pixman_image_get_width(src), h = pixman_image_get_height(src);
	pixman_image_t *dst = pixman_image_create_bits(PIXMAN_a8r8g8b8, size, size,
		NULL, size * 4);
	if (dst) {
		// Scale to fit, keeping the aspect, with a good filter.
		double f = (double)(w > h ? w : h) / size;
		pixman_transform_t t;
		pixman_transform_init_scale(&t, pixman_double_to_fixed(f),
			pixman_double_to_fixed(f));
		pixman_image_set_transform(src, &t);
		pixman_image_set_filter(src, f > 1 ? PIXMAN_FILTER_GOOD :
			PIXMAN_FILTER_BILINEAR, NULL, 0);
		int ox = (int)((size - w / f) / 2), oy = (int)((size - h / f) / 2);
		pixman_image_composite32(PIXMAN_OP_SRC, src, NULL, dst, 0, 0, 0, 0,
			ox, oy, size - 2 * ox, size - 2 * oy);
	}
	pixman_image_unref(src);
	return dst;
}

/* An app without an icon gets a tile with its initial, in a colour made
 * from its name (stable, so that people learn it). */
void icon_letter_tile(pixman_image_t *dst, int x, int y, int size,
		const char *name, int scale) {
	uint32_t hash = 2166136261u;
	for (const char *p = name; *p; p++) {
		hash = (hash ^ (unsigned char)*p) * 16777619u;
	}
	static const uint32_t colors[] = { 0xff3a7bd5, 0xffd5563a, 0xff3ab07a,
		0xffa23ad5, 0xffd5a83a, 0xff3ab5d5, 0xffd53a8a, 0xff6a7a3a };
	fill_rect(dst, x, y, size, size, colors[hash % 8]);
	char letter[8] = "?";
	if (name[0]) {
		int len = (name[0] & 0x80) ? ((name[0] & 0xe0) == 0xc0 ? 2 :
			(name[0] & 0xf0) == 0xe0 ? 3 : 4) : 1;
		snprintf(letter, sizeof(letter), "%.*s", len, name);
		if (len == 1 && letter[0] >= 'a' && letter[0] <= 'z') {
			letter[0] -= 32;
		}
	}
	int w = text_width(letter, scale, true);
	text_draw(dst, letter, x + (size - w) / 2, y, size, x + size, scale,
		0xffffffff, true);
}
