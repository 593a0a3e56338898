#ifndef POCKET_MANIFEST_H
#define POCKET_MANIFEST_H

/* App manifests of a pocket store: apps/<id>.desktop, a freedesktop
 * Desktop Entry plus an [X-Pocket] group (doc/store-format.md). Parsed
 * from a FILE * so that tests can use fmemopen. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "permissions.h"

enum manifest_instances {
	MANIFEST_SINGLE,
	MANIFEST_MULTI,
};

enum manifest_restart {
	MANIFEST_RESTART_NO,
	MANIFEST_RESTART_ON_FAILURE,
	MANIFEST_RESTART_ALWAYS,
};

struct manifest_messages {
	char **lines; // "path:line: message"
	size_t len;
};

/* A localized value: Name[de_DE]=..., Comment[fr]=... */
struct manifest_l10n {
	char *key; // "Name" or "Comment"
	char *locale; // as written: lang[_COUNTRY][.ENCODING][@MODIFIER]
	char *value;
};

struct manifest {
	char *id; // file name without .desktop
	char *name;
	char *comment; // may be NULL
	char *icon; // may be NULL
	char *categories; // may be NULL
	char *image;
	char *archive; // relative to the store; may be NULL
	char archive_sha256[65]; // "" when not given
	char *command; // may be NULL: the image's own
	uint32_t permissions; // enum pwl_permission bits (app.h names them)
	char *data_path; // in the container; NULL: the home directory
	char **env; // "NAME=value", NULL-terminated; never NULL
	enum manifest_instances instances;
	enum manifest_restart restart;
	struct manifest_l10n *l10n;
	size_t l10n_len;
};

/** Parses one manifest. Errors make it invalid (false); warnings (unknown
 * keys, keys we ignore) do not. Both are appended to the message lists. */
bool manifest_parse(struct manifest *m, FILE *f, const char *path,
	const char *id, struct manifest_messages *errors,
	struct manifest_messages *warnings);
void manifest_finish(struct manifest *m);
/** Name or Comment for `locale` (e.g. "de_DE.UTF-8"; NULL or "C": the
 * plain value), matched as the Desktop Entry spec says: lang_COUNTRY@MOD,
 * lang_COUNTRY, lang@MOD, lang, then the plain value. */
const char *manifest_localized(const struct manifest *m, const char *key,
	const char *locale);
/** The locale of messages: $LC_ALL, $LC_MESSAGES or $LANG. */
const char *manifest_user_locale(void);
void manifest_messages_finish(struct manifest_messages *messages);
/** Appends a printf-formatted line (the store loader's messages too). */
void manifest_messages_add(struct manifest_messages *list, const char *fmt,
	...) __attribute__((format(printf, 2, 3)));


#endif
