#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "panel.h"

static void add_hit(struct hit *hits, int *n, int x, int y, int w, int h,
		int kind, int index) {
	if (*n < MAX_HITS) {
		hits[(*n)++] = (struct hit){ x, y, w, h, kind, index };
	}
}

static bool hovered(struct panel *panel, int kind, int index) {
	return panel->hover_kind == kind && panel->hover_index == index;
}

/* ---- the bar ---- */

void draw_bar(struct panel *panel, struct panel_output *output,
		pixman_image_t *img, int s) {
	const struct panel_theme *t = &panel->theme;
	int width = output->width;
	fill_rect(img, 0, 0, width * s, BAR_HEIGHT * s, t->bg);

	// The launcher button.
	int x = 4;
	uint32_t bg = panel->menu_open ? t->accent :
		hovered(panel, HIT_APPS_BUTTON, 0) ? t->hover : t->button;
	fill_rect(img, x * s, 4 * s, 72 * s, (BAR_HEIGHT - 8) * s, bg);
	text_draw(img, "Apps", (x + 14) * s, 4 * s, (BAR_HEIGHT - 8) * s,
		(x + 70) * s, s, t->fg, true);
	add_hit(panel->bar_hits, &panel->nbar_hits, x, 4, 72, BAR_HEIGHT - 8,
		HIT_APPS_BUTTON, 0);
	x += 80;

	// The right end: clock, then the store indicator.
	char clock[16];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), "%H:%M", &tm);
	int right = width - 8 - text_width(clock, 1, false);
	text_draw(img, clock, right * s, 0, BAR_HEIGHT * s, width * s, s, t->fg,
		false);
	if (panel->usb_store[0]) {
		char label[160];
		snprintf(label, sizeof(label), "%s %s", panel->usb_present ?
			"USB:" : "removed:", panel->usb_store);
		int w = text_width(label, 1, false) + 16;
		right -= w + 12;
		fill_rect(img, right * s, 6 * s, w * s, (BAR_HEIGHT - 12) * s,
			panel->usb_present ? t->button : t->error);
		text_draw(img, label, (right + 8) * s, 6 * s, (BAR_HEIGHT - 12) * s,
			(right + w) * s, s, t->fg, false);
	}

	// No engine: a chip that says so (the launcher says why and the fix).
	if (panel->engine_missing) {
		const char *label = "No container engine";
		int w = text_width(label, 1, false) + 16;
		right -= w + 12;
		fill_rect(img, right * s, 6 * s, w * s, (BAR_HEIGHT - 12) * s,
			t->error);
		text_draw(img, label, (right + 8) * s, 6 * s, (BAR_HEIGHT - 12) * s,
			(right + w) * s, s, 0xffffffff, false);
		add_hit(panel->bar_hits, &panel->nbar_hits, right, 6, w,
			BAR_HEIGHT - 12, HIT_APPS_BUTTON, 1);
	}

	// The task list: one button per window, labeled by its app.
	int avail = right - 12 - x;
	int per = panel->ntasks > 0 ? avail / panel->ntasks : 0;
	if (per > 220) {
		per = 220;
	}
	for (int i = 0; i < panel->ntasks && per >= 40; i++) {
		struct panel_task *task = &panel->tasks[i];
		uint32_t color = task->activated ? t->hover :
			hovered(panel, HIT_TASK, i) ? t->hover : t->button;
		fill_rect(img, x * s, 4 * s, (per - 4) * s, (BAR_HEIGHT - 8) * s,
			color);
		if (task->activated) {
			fill_rect(img, x * s, (BAR_HEIGHT - 6) * s, (per - 4) * s, 2 * s,
				t->accent);
		}
		char label[400];
		snprintf(label, sizeof(label), "%s%s%s", task->app_id,
			task->title[0] ? ": " : "", task->title);
		text_draw(img, label, (x + 8) * s, 4 * s, (BAR_HEIGHT - 8) * s,
			(x + per - 10) * s, s, t->fg, false);
		add_hit(panel->bar_hits, &panel->nbar_hits, x, 4, per - 4,
			BAR_HEIGHT - 8, HIT_TASK, i);
		x += per;
	}
}

/* ---- the menu ---- */

static bool matches(const struct panel_app *app, const char *filter) {
	if (!filter[0]) {
		return true;
	}
	// Case-insensitive substring of the name or the id.
	size_t n = strlen(filter);
	for (const char *p = app->name; *p; p++) {
		if (!strncasecmp(p, filter, n)) {
			return true;
		}
	}
	for (const char *p = app->id; *p; p++) {
		if (!strncasecmp(p, filter, n)) {
			return true;
		}
	}
	return false;
}

int menu_rows(struct panel *panel, int *rows, int max) {
	int n = 0;
	for (int i = 0; i < panel->napps && n < max; i++) {
		if (matches(&panel->apps[i], panel->filter)) {
			rows[n++] = i;
		}
	}
	return n;
}

int menu_height(struct panel *panel) {
	int rows[MAX_APPS];
	int n = menu_rows(panel, rows, MAX_APPS);
	if (n > 12) {
		n = 12;
	}
	return MENU_HEADER + (panel->engine_missing ? MENU_NOTICE : 0) +
		(n > 0 ? n : 1) * MENU_ROW + MENU_FOOTER;
}

static void draw_button(struct panel *panel, pixman_image_t *img, int s,
		int x, int y, int w, const char *label, int kind, int index,
		uint32_t color) {
	const struct panel_theme *t = &panel->theme;
	fill_rect(img, x * s, y * s, w * s, 26 * s,
		hovered(panel, kind, index) ? t->hover : color);
	int tw = text_width(label, s, false) / s;
	text_draw(img, label, (x + (w - tw) / 2) * s, y * s, 26 * s, (x + w) * s,
		s, t->fg, false);
	add_hit(panel->menu_hits, &panel->nmenu_hits, x, y, w, 26, kind, index);
}

static const char *state_words(const struct panel_app *app) {
	switch (app->state) {
	case APP_WAITING:
		return "waiting for the engine";
	case APP_LOADING:
		return "loading";
	case APP_STARTING:
		return "starting";
	case APP_RUNNING:
		return app->ready ? "running" : "starting";
	case APP_STOPPING:
		return "stopping";
	case APP_FAILED:
		return app->message[0] ? app->message : "failed";
	case APP_STOPPED:
		return app->message[0] ? app->message : "";
	}
	return "";
}

static void draw_row(struct panel *panel, pixman_image_t *img, int s, int y,
		int app_index, bool selected) {
	const struct panel_theme *t = &panel->theme;
	struct panel_app *app = &panel->apps[app_index];
	if (selected || hovered(panel, HIT_APP_ROW, app_index)) {
		fill_rect(img, 0, y * s, MENU_WIDTH * s, MENU_ROW * s, t->hover);
	}
	add_hit(panel->menu_hits, &panel->nmenu_hits, 0, y, MENU_WIDTH, MENU_ROW,
		HIT_APP_ROW, app_index);
	int icon = 32;
	if (app->icon_path[0] && (!app->icon || app->icon_size != icon * s)) {
		if (app->icon) {
			pixman_image_unref(app->icon);
		}
		app->icon = icon_load(app->icon_path, icon * s);
		app->icon_size = icon * s;
	}
	if (app->icon) {
		pixman_image_composite32(PIXMAN_OP_OVER, app->icon, NULL, img, 0, 0,
			0, 0, 10 * s, (y + 6) * s, icon * s, icon * s);
	} else {
		icon_letter_tile(img, 10 * s, (y + 6) * s, icon * s, app->name, s);
	}
	int x = 52;
	if (app->asking) {
		// The consent view: what it asks, and the three answers.
		char ask[400];
		snprintf(ask, sizeof(ask), "%s asks for %s", app->name,
			app->needs_consent);
		text_draw(img, ask, x * s, y * s, 18 * s, (MENU_WIDTH - 8) * s, s,
			t->fg, true);
		draw_button(panel, img, s, x, y + 16, 90, "Allow once",
			HIT_ALLOW_ONCE, app_index, t->button);
		draw_button(panel, img, s, x + 96, y + 16, 80, "Always",
			HIT_ALLOW_ALWAYS, app_index, t->button);
		draw_button(panel, img, s, x + 182, y + 16, 70, "Deny", HIT_DENY,
			app_index, t->button);
		return;
	}
	text_draw(img, app->name, x * s, (y + 4) * s, 20 * s,
		(MENU_WIDTH - 110) * s, s, t->fg, true);
	if (app->actions) {
		draw_button(panel, img, s, MENU_WIDTH - 150, y + 9, 64, "Stop",
			HIT_STOP, app_index, t->button);
		draw_button(panel, img, s, MENU_WIDTH - 80, y + 9, 70, "Purge",
			HIT_PURGE, app_index, t->button);
		return;
	}
	// The state line under the name.
	const char *words = state_words(app);
	uint32_t color = app->state == APP_FAILED ? t->error : t->dim;
	if (app->state == APP_LOADING) {
		int w = 160;
		fill_rect(img, x * s, (y + 28) * s, w * s, 6 * s, t->button);
		fill_rect(img, x * s, (y + 28) * s, (int)(w * app->progress / 1000) * s,
			6 * s, t->accent);
	} else {
		text_draw(img, words[0] ? words : app->comment, x * s, (y + 24) * s,
			16 * s, (MENU_WIDTH - 30) * s, s, color, false);
	}
	if (app->state == APP_RUNNING && app->ready) {
		// The running dot.
		fill_rect(img, (MENU_WIDTH - 22) * s, (y + 17) * s, 10 * s, 10 * s,
			t->ok);
	}
}

void draw_menu(struct panel *panel, pixman_image_t *img, int s) {
	const struct panel_theme *t = &panel->theme;
	int h = menu_height(panel);
	fill_rect(img, 0, 0, MENU_WIDTH * s, h * s, t->bg | 0xff000000);
	char header[128];
	snprintf(header, sizeof(header), "%s%s", panel->filter[0] ? "Filter: " :
		"Type to filter", panel->filter);
	fill_rect(img, 8 * s, 6 * s, (MENU_WIDTH - 16) * s, 24 * s, t->button);
	text_draw(img, header, 16 * s, 6 * s, 24 * s, (MENU_WIDTH - 16) * s, s,
		panel->filter[0] ? t->fg : t->dim, false);
	int rows[MAX_APPS];
	int n = menu_rows(panel, rows, MAX_APPS);
	if (panel->selected >= n) {
		panel->selected = n > 0 ? n - 1 : 0;
	}
	int first = panel->selected >= 12 ? panel->selected - 11 : 0;
	int y = MENU_HEADER;
	if (panel->engine_missing) {
		// Its own line: why apps cannot start, and the fix.
		char fix[300];
		snprintf(fix, sizeof(fix), "Fix: %s", panel->engine_fix);
		fill_rect(img, 8 * s, y * s, (MENU_WIDTH - 16) * s,
			(MENU_NOTICE - 4) * s, t->error);
		text_draw(img, panel->engine_reason, 14 * s, y * s, 18 * s,
			(MENU_WIDTH - 14) * s, s, 0xffffffff, true);
		text_draw(img, fix, 14 * s, (y + 17) * s, 18 * s,
			(MENU_WIDTH - 14) * s, s, 0xffffffff, false);
		if (panel->debug) {
			printf("notice '%s' '%s'\n", panel->engine_reason, fix);
		}
		y += MENU_NOTICE;
	}
	for (int i = first; i < n && i < first + 12; i++) {
		draw_row(panel, img, s, y, rows[i], i == panel->selected);
		y += MENU_ROW;
	}
	if (n == 0) {
		text_draw(img, panel->napps ? "No app matches" :
			"No apps: plug in a pocket store", 16 * s, y * s, MENU_ROW * s,
			(MENU_WIDTH - 16) * s, s, t->dim, false);
		y += MENU_ROW;
	}
	// The footer: the whole message of the app under the pointer or
	// selected (a tooltip for long errors); while a consent view asks for
	// gpu that the engine cannot give, it says so: never promise what is
	// not in force.
	const char *footer = panel->footer;
	for (int i = 0; i < panel->napps && panel->engine_no_gpu; i++) {
		const struct panel_app *app = &panel->apps[i];
		if (app->asking && strstr(app->needs_consent, "gpu")) {
			footer = "gpu: not available with this rootless engine (no "
				"device groups)";
			if (panel->debug) {
				printf("consent note %s '%s'\n", app->id, footer);
			}
		}
	}
	text_draw(img, footer, 10 * s, y * s, MENU_FOOTER * s,
		(MENU_WIDTH - 10) * s, s, t->dim, false);
}
