#ifndef PWL_LAUNCH_CMD_H
#define PWL_LAUNCH_CMD_H

/* pocketctl launch|stop|ps|logs|info: store apps in the running session
 * (info also without one, with --store). */
int launch_family_command(int argc, char *argv[]);

#endif
