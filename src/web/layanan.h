/* Handlers of the public service catalogue pages (/layanan). */
#ifndef PD_WEB_LAYANAN_H
#define PD_WEB_LAYANAN_H

#include "http/http.h"

/* GET /layanan: search (q), filters (unit, kategori) and keyset pages (setelah). */
void pd_web_layanan(struct pd_req *r);

/* GET /layanan/{slug}: one service's Standar Pelayanan in plain language; 404 when unknown
 * or disabled. */
void pd_web_layanan_service(struct pd_req *r);

#endif
