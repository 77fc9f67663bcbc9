/*
 * The governorates (see place.h).  Adding one is a line in each list
 * here and its name in the catalogues.
 */
#include <string.h>

#include "i18n.h"
#include "place.h"
#include "request.h"

const char *const place_governorates[] = {
	"erbil", "sulaymaniyah", "duhok", "halabja", NULL
};
const char *const place_governorates_any[] = {
	"", "erbil", "sulaymaniyah", "duhok", "halabja", NULL
};
const char *const place_governorate_names[] = {
	N_("Erbil"), N_("Sulaymaniyah"), N_("Duhok"), N_("Halabja")
};

int
place_governorate_index(const char *key)
{
	int i;

	for (i = 0; key != NULL && place_governorates[i] != NULL; i++)
		if (strcmp(place_governorates[i], key) == 0)
			return i;
	return -1;
}

const char *
place_governorate_label(struct request *req, const char *key)
{
	int i;

	if ((i = place_governorate_index(key)) == -1)
		return "";
	return T(req, place_governorate_names[i]);
}
