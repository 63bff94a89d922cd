/* The demo installation: the fictional Kabupaten Sukamaju. */
#ifndef PD_DOMAIN_DEMO_H
#define PD_DOMAIN_DEMO_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "store/store.h"

/* Creates the demo regency when the database holds no unit yet; *created says whether it did.
 * Demo records are dated across the 12 months before now. The caller has configured the
 * documents (pd_document_configure, as serve and `pendopo demo` do): approved demo
 * applications get their signed documents. */
int pd_demo_create(struct pd_store *st, const struct pd_config *cfg, bool *created);

/* Someone the demo created. */
struct pd_demo_person {
	char id[37];          /* account id */
	const char *role;     /* "citizen" or the staff role (static) */
	const char *unit;     /* staff: the slug of the grant's unit; citizen: the home village */
	char name[64];
	char email[96];
	char nik[17];         /* citizens: their NIK; "" for staff */
};

/* Everyone the demo created, in creation order: the accounts of demo-accounts.txt first. */
struct pd_demo_people {
	struct pd_demo_person *p;
	size_t n;
};

/* Adds one account for each role on units of the demo regency and a few citizens, hashing
 * generated passwords, and writes them to <data>/demo-accounts.txt (mode 0600) as TSV
 * `role unit email password` with a header; prints where. Then adds a population of
 * generated citizens (homes in every village, fake but valid NIKs of region 32.19) sharing one
 * hash of a password nobody knows: they file the demo's applications and cannot sign in.
 * Fills *people (free with pd_demo_people_free). Called by pd_demo_create. */
int pd_demo_accounts(struct pd_store *st, const struct pd_config *cfg,
                     struct pd_demo_people *people);

/* Adds the demo's history with the domain's own functions: about 300 applications by the
 * people's citizens to the demo services (dated over the 12 months before now, in every state,
 * some overdue, some filed at the Desa Mekarsari office for a citizen), drafts, the documents
 * of the approved ones and the survey answers of most completed ones. Every step runs with a
 * quiet context (struct pd_app_ctx): the citizens get their portal notifications, and no email
 * is queued for this past. Needs pd_document_configure (issuing answers PD_ERR_UNAVAILABLE
 * otherwise). Called by pd_demo_create after pd_demo_accounts (and the services and forms). */
int pd_demo_applications(struct pd_store *st, const struct pd_config *cfg,
                         const struct pd_demo_people *people);

/* Adds the complaint categories of the demo agencies and about 230 complaints over the
 * villages, privacy choices, channels and every handling state (domain/demo_complaints.c),
 * quietly. Called after
 * pd_demo_applications. */
int pd_demo_complaints(struct pd_store *st, const struct pd_config *cfg,
                       const struct pd_demo_people *people);

/* Adds two uploaded demo datasets and generates the platform's datasets once
 * (domain/demo_data.c). Called after pd_demo_complaints. */
int pd_demo_data(struct pd_store *st, const struct pd_config *cfg);

/* Adds about 40 information requests in every state (domain/demo_inforeq.c), quietly.
 * Called after pd_demo_complaints. */
int pd_demo_inforeq(struct pd_store *st, const struct pd_config *cfg,
                    const struct pd_demo_people *people);

/* Adds the demo's public consultations (domain/demo_consult.c): one open with sections,
 * comments, a reply, a held and a hidden comment; one closed with its follow-up report.
 * Called after pd_demo_inforeq. */
int pd_demo_consult(struct pd_store *st, const struct pd_demo_people *people);

/* Adds the Musrenbang of next year (domain/demo_musrenbang.c): village rounds with proposals and
 * votes, their top items carried up to the district and the regency, two villages voting now.
 * Called after pd_demo_inforeq. */
int pd_demo_musrenbang(struct pd_store *st, const struct pd_config *cfg,
                       const struct pd_demo_people *people);

/* Frees what pd_demo_accounts filled in. */
void pd_demo_people_free(struct pd_demo_people *people);

#endif
