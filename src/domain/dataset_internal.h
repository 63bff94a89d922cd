/* Declarations shared by the open-data files of domain/ only. */
#ifndef PD_DOMAIN_DATASET_INTERNAL_H
#define PD_DOMAIN_DATASET_INTERNAL_H

#include "domain/dataset.h"

/* Fills the licence title and URL and each resource's url_path of d (arena a). */
void pd_dataset_fill(struct pd_arena *a, struct pd_dataset *d);

/* "account:<id>" or "system" for audit entries, in tx's arena. */
const char *pd_dataset_actor_ref(struct pd_tx *tx, const struct pd_actor *actor);

/* Lower-case hex SHA-256 of n bytes into out (65 bytes). */
void pd_dataset_sha256(const void *p, size_t n, char out[65]);

/* Stores bytes as a new blob and fills r's content fields (size, sha256, blob_id). */
int pd_dataset_put_content(struct pd_tx *tx, struct pd_resource *r, const void *bytes,
                           size_t len, int64_t now_ms);

#endif
