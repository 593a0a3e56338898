#ifndef POCKETCTL_ENGINE_CMD_H
#define POCKETCTL_ENGINE_CMD_H

/** pocketctl engine [--engine ADDRESS] [--start]: finds the container
 * engine (or starts a private Podman service) and says which. */
int engine_command(int argc, char *argv[]);

#endif
