#ifndef PWL_LABEL_H
#define PWL_LABEL_H

struct pwl_view;

/* A fullscreen app window covers its frame, so for a moment it shows whose
 * it is: "[app]" in the app's colour at the top of its output. */
#define LABEL_SHOW_MS 2000

void label_show_fullscreen(struct pwl_view *view);
void label_hide(struct pwl_view *view);

#endif
