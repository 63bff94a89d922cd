/* Handlers of the auditors' pages (web/audit.c): the audit log at /kantor/audit with filters
 * and keyset pages, the same list as CSV, and the full check of the chain. */
#ifndef PD_WEB_AUDIT_H
#define PD_WEB_AUDIT_H

#include "http/http.h"

/* GET /kantor/audit: the chain's status, a recorded check (?periksa=SEQ), the filter form and
 * one page of entries (?sebelum=SEQ). 404 for anyone but an auditor. */
void pd_web_audit(struct pd_req *r);

/* GET /kantor/audit.csv: every entry the same filters select, as RFC 4180 CSV in UTF-8. */
void pd_web_audit_csv(struct pd_req *r);

/* POST /kantor/audit/periksa: verifies the whole chain on a worker, records the verdict in the
 * log and answers 303 to /kantor/audit?periksa=SEQ. */
void pd_web_audit_check(struct pd_req *r);

#endif
