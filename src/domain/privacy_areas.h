/* The citizen's own records in the case and participation areas for the data export
 * (/akun/unduh, UU 27/2022 right of access): complaints, information requests, petitions
 * started and signed, consultation comments, Musrenbang proposals and ballots. */
#ifndef PD_DOMAIN_PRIVACY_AREAS_H
#define PD_DOMAIN_PRIVACY_AREAS_H

#include <stdbool.h>

#include "core/arena.h"
#include "core/calendar.h"
#include "domain/authz.h"
#include "domain/complaint.h"
#include "domain/inforeq.h"
#include "domain/petition.h"
#include "store/privacy_areas_store.h"
#include "store/store.h"

#define PD_PRIVACY_AREA_MAX 1000   /* most records of one kind in one export */
#define PD_PRIVACY_BALLOT_ITEMS_MAX 300

/* Everything the account filed or wrote in the newer areas, newest first in each list, opened
 * for its owner. Arrays and strings arena-owned. Never another person's data and never staff
 * names: complaints and requests as their owner sees them on their own pages (timeline with
 * units and public notes), petitions as their author sees them, the rest as stored rows. */
struct pd_privacy_areas {
	struct pd_complaint *complaints;   /* pd_complaint_get_own: title, text, contact opened */
	int n_complaints;
	struct pd_inforeq *inforeqs;       /* pd_inforeq_get_own: subject, details, purpose,
	                                    * objection opened; timeline and files */
	int n_inforeqs;
	struct pd_petition *petitions;     /* started by the account; drafts opened */
	int n_petitions;
	struct pd_prv_signature_row *signatures;
	int n_signatures;
	struct pd_prv_comment_row *comments;
	int n_comments;
	struct pd_prv_proposal_row *proposals;
	int n_proposals;
	struct pd_prv_ballot_row *ballots;  /* with the chosen proposals */
	int n_ballots;
	bool truncated;                    /* some list held more than PD_PRIVACY_AREA_MAX */
};

/* Collects the actor's own records (PD_ACT_OWN_VIEW) with ks to open sealed fields and cal for
 * the requests' objection windows. Reads only; nothing is recorded. PD_ERR_NOT_FOUND for no
 * actor, PD_ERR_CRYPTO, or a database error. */
int pd_privacy_export_areas(struct pd_store *st, const struct pd_keyset *ks,
                            const struct pd_calendar *cal, const struct pd_actor *actor,
                            struct pd_arena *a, struct pd_privacy_areas *out);

#endif
