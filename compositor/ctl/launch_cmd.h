#ifndef PWL_LAUNCH_CMD_H
#define PWL_LAUNCH_CMD_H

/* pocketctl launch|stop|ps|logs|info: store apps in the running session
 * (info also without one, with --store). */
int launch_command(int argc, char *argv[]);
int stop_command(int argc, char *argv[]);
int ps_command(int argc, char *argv[]);
int logs_command(int argc, char *argv[]);
int info_command(int argc, char *argv[]);

#endif
