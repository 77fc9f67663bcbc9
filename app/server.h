/*
 * The glue to Kore: the Kore configuration made from conf/magnet.conf and
 * the route table, Kore's hooks, the request handler Kore calls for every
 * route, the threads that run Magnet's handlers off Kore's event loop,
 * and the answer as Kore sends it.
 */
#ifndef MAGNET_SERVER_H
#define MAGNET_SERVER_H

#include <stddef.h>

struct buf;
struct conf;

/* The Kore configuration for c: listener, workers, limits, privilege
 * separation, TLS and one route per pattern of the route table. */
void	server_kore_conf(const struct conf *c, struct buf *out);

/*
 * In Kore's parent, before it reads its configuration: load what every
 * worker shares (stylesheet, shared memory for the per-address limit),
 * start the markdown broker (helper: the magnet-md program), and hand
 * Kore its configuration.  Exits with a message on failure.
 */
void	server_configure(const struct conf *c, const char *helper);

#endif
