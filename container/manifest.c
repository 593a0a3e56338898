#include "manifest.h"

#include <ini.h>
#include "ini_line.h"
#include "utf8.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct parse {
	struct manifest *m;
	const char *path;
	int line;
	bool ok;
	bool saw_entry, saw_pocket;
	struct manifest_messages *errors, *warnings;
};

void manifest_messages_add(struct manifest_messages *list, const char *fmt,
		...) {
	char text[1024];
	va_list args;
	va_start(args, fmt);
	vsnprintf(text, sizeof(text), fmt, args);
	va_end(args);
	char **lines = realloc(list->lines, (list->len + 1) * sizeof(*lines));
	if (!lines) {
		return;
	}
	list->lines = lines;
	if ((list->lines[list->len] = strdup(text))) {
		list->len++;
	}
}

static void add(struct manifest_messages *list, const char *path, int line,
		const char *fmt, va_list args) {
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, args);
	manifest_messages_add(list, "%s:%d: %s", path, line, msg);
}

static void error(struct parse *p, const char *fmt, ...) {
	va_list args;
	va_start(args, fmt);
	add(p->errors, p->path, p->line, fmt, args);
	va_end(args);
	p->ok = false;
}

static void warning(struct parse *p, const char *fmt, ...) {
	va_list args;
	va_start(args, fmt);
	add(p->warnings, p->path, p->line, fmt, args);
	va_end(args);
}

/* Values end up in labels, the panel and terminals: no control
 * characters (an ESC could rewrite what pocketctl shows). */
static void set(char **field, const char *value) {
	free(*field);
	*field = strdup(value);
	if (*field) {
		utf8_strip_controls(*field);
	}
}

static bool safe_relative_path(const char *path) {
	if (!path[0] || path[0] == '/') {
		return false;
	}
	// No component may climb out of the store.
	const char *p = path;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if ((n == 2 && !strncmp(p, "..", 2)) || n == 0) {
			return false;
		}
		p += n + (slash ? 1 : 0);
	}
	return true;
}

static void parse_permissions(struct parse *p, const char *value) {
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", value);
	char *save = NULL;
	for (char *w = strtok_r(buf, ";, ", &save); w;
			w = strtok_r(NULL, ";, ", &save)) {
		uint32_t bit = permission_bit(w);
		p->m->permissions |= bit;
		if (!bit) {
			// A newer store may know more; ours cannot grant it.
			warning(p, "[X-Pocket] Permissions: unknown permission '%s' "
				"ignored", w);
		}
	}
}

static void parse_env(struct parse *p, const char *value) {
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", value);
	char *save = NULL;
	size_t n = 0;
	while (p->m->env[n]) {
		n++;
	}
	for (char *w = strtok_r(buf, ";", &save); w;
			w = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(w, '=');
		if (!eq || eq == w) {
			error(p, "[X-Pocket] Env: '%s' is not NAME=value", w);
			continue;
		}
		char **env = realloc(p->m->env, (n + 2) * sizeof(*env));
		if (!env) {
			return;
		}
		p->m->env = env;
		p->m->env[n] = strdup(w);
		p->m->env[++n] = NULL;
	}
}

static bool is_hex64(const char *v) {
	if (strlen(v) != 64) {
		return false;
	}
	for (const char *c = v; *c; c++) {
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f'))) {
			return false;
		}
	}
	return true;
}

static void handle_pocket(struct parse *p, const char *key,
		const char *value) {
	struct manifest *m = p->m;
	if (!strcmp(key, "Image")) {
		if (!value[0] || strchr(value, ' ')) {
			error(p, "[X-Pocket] Image: '%s' is not an image reference",
				value);
		} else {
			set(&m->image, value);
		}
	} else if (!strcmp(key, "Archive")) {
		if (!safe_relative_path(value)) {
			error(p, "[X-Pocket] Archive: '%s' must be a path inside the "
				"store (relative, no '..')", value);
		} else {
			set(&m->archive, value);
		}
	} else if (!strcmp(key, "ArchiveSHA256")) {
		if (!is_hex64(value)) {
			error(p, "[X-Pocket] ArchiveSHA256: not 64 lower-case hex digits");
		} else {
			snprintf(m->archive_sha256, sizeof(m->archive_sha256), "%s",
				value);
		}
	} else if (!strcmp(key, "Command")) {
		set(&m->command, value);
	} else if (!strcmp(key, "Permissions")) {
		parse_permissions(p, value);
	} else if (!strcmp(key, "Data")) {
		if (value[0] != '/' || strstr(value, "..")) {
			error(p, "[X-Pocket] Data: '%s' must be an absolute path in the "
				"container", value);
		} else {
			set(&m->data_path, value);
		}
	} else if (!strcmp(key, "Env")) {
		parse_env(p, value);
	} else if (!strcmp(key, "Instances")) {
		if (!strcmp(value, "single")) {
			m->instances = MANIFEST_SINGLE;
		} else if (!strcmp(value, "multi")) {
			m->instances = MANIFEST_MULTI;
		} else {
			error(p, "[X-Pocket] Instances: '%s' is not single or multi",
				value);
		}
	} else if (!strcmp(key, "Restart")) {
		if (!strcmp(value, "no")) {
			m->restart = MANIFEST_RESTART_NO;
		} else if (!strcmp(value, "on-failure")) {
			m->restart = MANIFEST_RESTART_ON_FAILURE;
		} else if (!strcmp(value, "always")) {
			m->restart = MANIFEST_RESTART_ALWAYS;
		} else {
			error(p, "[X-Pocket] Restart: '%s' is not no, on-failure or "
				"always", value);
		}
	} else {
		warning(p, "[X-Pocket] %s: unknown key ignored", key);
	}
}

static void add_localized(struct parse *p, const char *key,
		const char *value) {
	struct manifest *m = p->m;
	const char *open = strchr(key, '[');
	size_t locale_len = strlen(open + 1) - 1;
	if (locale_len == 0 || locale_len > 32) {
		error(p, "[Desktop Entry] %s: not a locale", key);
		return;
	}
	struct manifest_l10n *grown = realloc(m->l10n,
		(m->l10n_len + 1) * sizeof(*grown));
	if (!grown) {
		return;
	}
	m->l10n = grown;
	struct manifest_l10n *l = &m->l10n[m->l10n_len];
	l->key = strndup(key, (size_t)(open - key));
	l->locale = strndup(open + 1, locale_len);
	l->value = strdup(value);
	if (!l->key || !l->locale || !l->value) {
		free(l->key);
		free(l->locale);
		free(l->value);
		return;
	}
	m->l10n_len++;
}

static const char *find_l10n(const struct manifest *m, const char *key,
		const char *locale) {
	for (size_t i = 0; i < m->l10n_len; i++) {
		if (!strcmp(m->l10n[i].key, key) &&
				!strcmp(m->l10n[i].locale, locale)) {
			return m->l10n[i].value;
		}
	}
	return NULL;
}

const char *manifest_localized(const struct manifest *m, const char *key,
		const char *locale) {
	const char *plain = !strcmp(key, "Name") ? m->name : m->comment;
	if (!locale || !locale[0] || !strcmp(locale, "C") ||
			!strcmp(locale, "POSIX")) {
		return plain;
	}
	// lang_COUNTRY.ENCODING@MODIFIER: the encoding plays no part.
	char lang[64] = "", country[64] = "", modifier[64] = "";
	size_t n = strcspn(locale, "_.@");
	snprintf(lang, sizeof(lang), "%.*s", (int)n, locale);
	const char *rest = locale + n;
	if (*rest == '_') {
		size_t c = strcspn(rest + 1, ".@");
		snprintf(country, sizeof(country), "%.*s", (int)c, rest + 1);
	}
	const char *at = strchr(locale, '@');
	if (at) {
		snprintf(modifier, sizeof(modifier), "%s", at + 1);
	}
	char tries[4][200];
	int ntries = 0;
	if (country[0] && modifier[0]) {
		snprintf(tries[ntries++], sizeof(tries[0]), "%s_%s@%s", lang, country,
			modifier);
	}
	if (country[0]) {
		snprintf(tries[ntries++], sizeof(tries[0]), "%s_%s", lang, country);
	}
	if (modifier[0]) {
		snprintf(tries[ntries++], sizeof(tries[0]), "%s@%s", lang, modifier);
	}
	snprintf(tries[ntries++], sizeof(tries[0]), "%s", lang);
	for (int i = 0; i < ntries; i++) {
		const char *found = find_l10n(m, key, tries[i]);
		if (found) {
			return found;
		}
	}
	return plain;
}

const char *manifest_user_locale(void) {
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < 3; i++) {
		const char *value = getenv(vars[i]);
		if (value && value[0]) {
			return value;
		}
	}
	return NULL;
}

static void handle_entry(struct parse *p, const char *key, const char *value) {
	struct manifest *m = p->m;
	if (!strcmp(key, "Type")) {
		if (strcmp(value, "Application")) {
			error(p, "[Desktop Entry] Type: '%s' is not Application", value);
		}
	} else if (!strcmp(key, "Name")) {
		set(&m->name, value);
	} else if (!strcmp(key, "Comment")) {
		set(&m->comment, value);
	} else if (!strcmp(key, "Icon")) {
		if (strchr(value, '/') && !safe_relative_path(value)) {
			error(p, "[Desktop Entry] Icon: '%s' must be a name or a path "
				"inside the store", value);
		} else {
			set(&m->icon, value);
		}
	} else if (!strcmp(key, "Categories")) {
		set(&m->categories, value);
	} else if (!strcmp(key, "Exec") || !strcmp(key, "TryExec")) {
		// Nothing on a store runs on the host.
		warning(p, "[Desktop Entry] %s: ignored, pocket apps run only in "
			"their container (use [X-Pocket] Command)", key);
	} else if ((!strncmp(key, "Name[", 5) || !strncmp(key, "Comment[", 8)) &&
			key[strlen(key) - 1] == ']') {
		add_localized(p, key, value);
	} else if (strchr(key, '[') || !strcmp(key, "Version") ||
			!strcmp(key, "GenericName") || !strcmp(key, "Keywords") ||
			!strcmp(key, "Terminal") || !strcmp(key, "StartupWMClass")) {
		// Localized keys and standard ones we do not use.
	} else {
		warning(p, "[Desktop Entry] %s: unknown key ignored", key);
	}
}

static int handler(void *data, const char *section, const char *key,
		const char *value) {
	struct parse *p = data;
	if (!strcmp(section, "Desktop Entry")) {
		p->saw_entry = true;
		handle_entry(p, key, value);
	} else if (!strcmp(section, "X-Pocket")) {
		p->saw_pocket = true;
		handle_pocket(p, key, value);
	} else if (!section[0]) {
		error(p, "'%s' is outside of any group", key);
	} else {
		warning(p, "[%s] %s: unknown group ignored", section, key);
	}
	return 1;
}

static void line_too_long(void *data, int max) {
	error(data, "line longer than %d characters", max);
}

bool manifest_parse(struct manifest *m, FILE *f, const char *path,
		const char *id, struct manifest_messages *errors,
		struct manifest_messages *warnings) {
	memset(m, 0, sizeof(*m));
	m->id = strdup(id);
	m->env = calloc(1, sizeof(*m->env));
	struct parse p = { .m = m, .path = path, .ok = true,
		.errors = errors, .warnings = warnings };
	struct ini_reader reader = { f, &p.line, line_too_long, &p };
	int ret = ini_parse_stream(ini_reader_read, &reader, handler, &p);
	if (ret > 0) {
		p.line = ret;
		error(&p, "syntax error");
	} else if (ret < 0) {
		error(&p, "cannot read the file");
	}
	// What is missing is reported at the end of the file.
	if (!m->name && ret >= 0) {
		error(&p, "[Desktop Entry] Name is missing");
	}
	if (!m->image && ret >= 0) {
		error(&p, "[X-Pocket] Image is missing");
	}
	if (m->archive && !m->archive_sha256[0] && ret >= 0) {
		error(&p, "[X-Pocket] Archive needs ArchiveSHA256");
	}
	return p.ok && m->id && m->env;
}

void manifest_finish(struct manifest *m) {
	free(m->id);
	free(m->name);
	free(m->comment);
	free(m->icon);
	free(m->categories);
	free(m->image);
	free(m->archive);
	free(m->command);
	free(m->data_path);
	for (size_t i = 0; m->env && m->env[i]; i++) {
		free(m->env[i]);
	}
	free(m->env);
	for (size_t i = 0; i < m->l10n_len; i++) {
		free(m->l10n[i].key);
		free(m->l10n[i].locale);
		free(m->l10n[i].value);
	}
	free(m->l10n);
	memset(m, 0, sizeof(*m));
}

void manifest_messages_finish(struct manifest_messages *messages) {
	for (size_t i = 0; i < messages->len; i++) {
		free(messages->lines[i]);
	}
	free(messages->lines);
	messages->lines = NULL;
	messages->len = 0;
}
