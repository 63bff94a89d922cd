/* Declarations shared by the files of store/ only. */
#ifndef PD_STORE_INTERNAL_H
#define PD_STORE_INTERNAL_H

#include "store/driver.h"
#include "store/store.h"

const struct pd_driver *pd_store_driver(const struct pd_store *st);

#include <stdatomic.h>

/* Response-cache generation (store/generation.c). The flag: the schema holds the shared row
 * (migration 0020), so write batches bump it. */
atomic_bool *pd_store_gen_table(struct pd_store *st);

/* Sets that flag when the database's schema has migration 0020 (after open and migrations). */
void pd_store_gen_table_ready(struct pd_store *st);

/* What an SQLite reader connection last learnt: the generation row's value at a data_version. */
struct pd_gen_memo {
	bool valid;
	int64_t data_version;
	uint64_t gen;
	bool has_hdr;             /* hdr: the WAL-index header when gen was read */
	unsigned char hdr[48];
};

/* SQLite: PRAGMA data_version of this thread's reader connection (it changes whenever another
 * connection, of this process or another, has committed) and the connection's memo. */
int pd_store_thread_data_version(struct pd_store *st, int64_t *dv, struct pd_gen_memo **memo);

/* SQLite: the WAL-index header as this thread's reader connection sees it now (*have false when
 * there is none to read: then ask data_version), and the connection's memo. */
int pd_store_thread_wal_header(struct pd_store *st, struct pd_gen_memo **memo, unsigned char *hdr,
                               bool *have);

#endif
