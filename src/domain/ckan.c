/* The catalogue's publisher for the open-data interfaces (CKAN's site, DCAT-AP's Catalogue). */
#include "domain/ckan.h"

#include "core/err.h"
#include "store/dataset_store.h"

struct publisher_arg {
	struct pd_arena *a;
	struct pd_dataset_unit *out;
};

static int publisher_tx(struct pd_tx *tx, void *p)
{
	struct publisher_arg *arg = p;
	enum pd_qs qs = pd_store_dataset_top_unit(tx, arg->a, arg->out);
	if (qs < 0)
		return PD_ERR_DB;
	return qs == PD_QS_ONE ? PD_OK : PD_ERR_NOT_FOUND;
}

int pd_opendata_publisher(struct pd_store *st, struct pd_arena *a, struct pd_dataset_unit *out)
{
	struct publisher_arg arg = {a, out};
	return pd_store_read(st, publisher_tx, &arg);
}
