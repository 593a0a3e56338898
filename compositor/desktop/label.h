#ifndef PWL_LABEL_H
#define PWL_LABEL_H

struct pwl_view;

/* A fullscreen app window covers its frame, so it shows whose it is:
 * "[app]" in the app's colour at the top of its output, large for
 * LABEL_SHOW_MS, then as a small marker for as long as it is fullscreen
 * (on the overlay layer: the app cannot cover it). */
#define LABEL_SHOW_MS 2000

void label_show_fullscreen(struct pwl_view *view);
void label_hide(struct pwl_view *view);

#endif
