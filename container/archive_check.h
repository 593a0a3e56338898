#ifndef POCKET_ARCHIVE_CHECK_H
#define POCKET_ARCHIVE_CHECK_H

/* What an image archive (docker-archive tar, as `docker save` and
 * `podman save` write it) would do to the engine, read from the same bytes
 * that are hashed and sent to it: which image it holds (the config's
 * digest, which both engines use as the image id) and which names it
 * would tag. An archive that tags anything other than its app's image, or
 * whose tar could be read two ways (links on the way to a file, names
 * given twice, PAX or GNU tricks we do not follow), is refused.
 * Fed in pieces of any size; memory is bounded. */
#include <stdbool.h>
#include <stddef.h>

struct archive_check;

#define ARCHIVE_IMAGE_ID_LEN 71 // "sha256:" and 64 hex digits

/** `image` is the app manifest's Image, the only name the archive may
 * tag. NULL when out of memory. */
struct archive_check *archive_check_create(const char *image);
void archive_check_destroy(struct archive_check *check); // accepts NULL
/** false once the archive is refused (then archive_check_error says why,
 * and later calls change nothing). */
bool archive_check_feed(struct archive_check *check, const void *data,
	size_t len);
/** At the end of the bytes: true with the image id when the archive is
 * acceptable. */
bool archive_check_finish(struct archive_check *check,
	char id[ARCHIVE_IMAGE_ID_LEN + 1]);
const char *archive_check_error(const struct archive_check *check);

/** The name an engine gives a reference: "docker.io/library/", "docker.io/"
 * and "localhost/" left out, ":latest" when no tag is given. Pure, for
 * comparing what an archive tags with what a manifest names. */
void archive_normalize_ref(const char *ref, char *out, size_t out_len);

#endif
