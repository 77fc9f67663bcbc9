/*
 * The database: one libpq connection per server thread, every statement
 * prepared on it when it connects, transactions, and reconnection.  A
 * statement is named in the module that owns it and registered at start.
 */
#ifndef MAGNET_DB_H
#define MAGNET_DB_H

#include <libpq-fe.h>

struct arena;
struct conf;

struct db_stmt {
	const char	*name;
	const char	*sql;
};

/* Register a module's statements before db_init: DB_REGISTER(stmts). */
void	 db_register(const struct db_stmt *, size_t);
#define DB_REGISTER(s)	db_register((s), sizeof(s) / sizeof((s)[0]))
void	 db_init(const struct conf *);
/* Close this thread's connection. */
void	 db_close(void);
/* Run a registered statement; NULL when the database failed (logged).
 * Values are text; a NULL pointer is SQL NULL. */
PGresult *db_exec(const char *name, int n, const char *const *values);
/*
 * Run a registered statement for a page: the result belongs to the arena
 * (the request's) and is cleared with it, so a handler never calls
 * PQclear.  NULL when the database failed (logged).
 */
PGresult *db_query(struct arena *, const char *name, int n,
	    const char *const *values);
/* Run a statement and expect no rows back: 0 or -1. */
int	 db_run(const char *name, int n, const char *const *values);
/* Rows affected by a command, or -1. */
long long db_count(const char *name, int n, const char *const *values);
int	 db_begin(void);
int	 db_commit(void);
void	 db_rollback(void);
/* A direct connection for commands (migrate, user add); NULL on failure. */
PGconn	*db_connect_direct(const char *conninfo, char *err, size_t errlen);
/* 1 when the last failure was the connection itself (503, not 500). */
int	 db_is_down(void);
/* Connect this thread and prepare every statement: 0, or -1 when one
 * does not fit the database (checked once at start-up). */
int	 db_prepare_all(void);
/* "SELECT 1" on this thread's connection: 0 or -1. */
int	 db_ping(void);
/* Apply db/migrations in order; each in a transaction. */
int	 db_migrate(PGconn *, const char *dir);
/* A value from a result row, "" for NULL. */
const char *db_val(const PGresult *, int row, int col);
/* The index of the column named col, or -1. */
int	 db_col(const PGresult *, const char *col);
/* A column by its name (the alias the template uses): "" for NULL or a
 * name the statement does not select (logged: a bug). */
const char *db_get(const PGresult *, int row, const char *col);
long long db_get_ll(const PGresult *, int row, const char *col);
/* A boolean column: 1 for true. */
int	 db_get_bool(const PGresult *, int row, const char *col);

#define DBV(...)	((const char *const[]){ __VA_ARGS__ })
#define DBN(...)	(int)(sizeof((const char *const[]){ __VA_ARGS__ }) / \
			    sizeof(const char *))
/* Run a statement with its values: DB_EXEC("name", a, b). */
#define DB_EXEC(name, ...)	db_exec(name, DBN(__VA_ARGS__), DBV(__VA_ARGS__))
#define DB_RUN(name, ...)	db_run(name, DBN(__VA_ARGS__), DBV(__VA_ARGS__))
/* The same for a page, the result freed with the request:
 * DB_Q(req, "name", a, b). */
#define DB_Q(req, name, ...)	db_query((req)->arena, name, \
			    DBN(__VA_ARGS__), DBV(__VA_ARGS__))
#define DB_COUNT(name, ...)	db_count(name, DBN(__VA_ARGS__), DBV(__VA_ARGS__))

#endif
