/* Handlers of the open-data pages: the public catalogue (/data), a dataset's page with a CSV
 * preview, downloads, and the administrators' pages (/admin/data). */
#ifndef PD_WEB_DATA_H
#define PD_WEB_DATA_H

#include "http/http.h"

/* GET /data: search (q), filters (unit, tag, format), keyset pages (setelah). */
void pd_web_data(struct pd_req *r);

/* GET /data/{name}: metadata, resources and a preview of the first CSV's first 20 rows. */
void pd_web_data_dataset(struct pd_req *r);

/* GET /data/{name}/{id}/unduh: the resource's bytes with its type and an ETag (304 when the
 * client's If-None-Match matches). */
void pd_web_data_download(struct pd_req *r);

/* GET /admin/data: datasets of the actor's units; GET/POST /admin/data/baru: a new dataset;
 * GET/POST /admin/data/{name}: edit; POST /admin/data/{name}/sumber: upload a resource
 * (multipart); POST /admin/data/{name}/sumber/{id}/hapus: delete one. */
void pd_web_admin_data(struct pd_req *r);
void pd_web_admin_data_new(struct pd_req *r);
void pd_web_admin_data_create(struct pd_req *r);
void pd_web_admin_data_edit(struct pd_req *r);
void pd_web_admin_data_save(struct pd_req *r);
void pd_web_admin_data_upload(struct pd_req *r);
void pd_web_admin_data_delete(struct pd_req *r);

#endif
