#ifndef PWL_SSD_H
#define PWL_SSD_H

#include <stdbool.h>

struct pwl_view;

/* Server-side decorations: a title bar with the title and a close button,
 * and a thin border, drawn in the view's scene tree around its content.
 * App windows get them in their app's colour with "[app] title", or, when
 * they draw their own title bar, a frame in that colour: no app can look
 * like another app or like the host. */
#define SSD_TITLE_HEIGHT 24
#define SSD_BORDER 2
#define SSD_BUTTON_SIZE 16
/* The app label: a frame in the app's colour around windows of app
 * clients that draw their own decorations, with a strip on top that reads
 * "[app]". Decorations are drawn above the window's content: nothing the
 * app draws outside its window (subsurfaces, popups) covers them. */
#define SSD_APP_FRAME 3
#define SSD_APP_LABEL_HEIGHT 16

struct pwl_ssd *ssd_create(struct pwl_view *view);
void ssd_destroy(struct pwl_ssd *ssd); // accepts NULL
/** Redraws after the view's size, title, focus or scale changed. */
void ssd_update(struct pwl_ssd *ssd);
void ssd_set_visible(struct pwl_ssd *ssd, bool visible);

/** Space the decoration takes on each side of the content (0 without SSD). */
struct pwl_ssd_extents {
	int top, bottom, left, right;
};
struct pwl_ssd_extents ssd_extents(const struct pwl_ssd *ssd);

#endif
