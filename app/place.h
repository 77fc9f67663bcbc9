/*
 * The governorates of the Kurdistan Region: the one list every board,
 * guide, booklet, event, vacancy, enterprise and profile takes its
 * keys and labels from.
 */
#ifndef MAGNET_PLACE_H
#define MAGNET_PLACE_H

struct request;

/* Keys as stored and sent, NULL-terminated. */
extern const char *const place_governorates[];
/* The same with "" first: a filter's "any governorate". */
extern const char *const place_governorates_any[];
/* Their names, msgids, in the same order. */
extern const char *const place_governorate_names[];

/* The index of a key, or -1. */
int		 place_governorate_index(const char *);
/* A key's name in the reader's language; "" for no such key. */
const char	*place_governorate_label(struct request *, const char *);

#endif
