/*
 * `magnet seed-demo`: clearly labelled sample content for a new database,
 * so a first visitor sees what the boards are for.
 */
#ifndef MAGNET_SEED_H
#define MAGNET_SEED_H

#include <libpq-fe.h>

void	seed_init(void);
/* 1 when it seeded, 0 when the database was seeded before, -1 on error. */
int	seed_demo(PGconn *);

#endif
