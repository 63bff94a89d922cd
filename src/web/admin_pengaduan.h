/* The administrators' complaint-category pages under /admin/pengaduan/kategori. */
#ifndef PD_WEB_ADMIN_PENGADUAN_H
#define PD_WEB_ADMIN_PENGADUAN_H

#include "http/http.h"

void pd_web_admin_categories(struct pd_req *r);        /* GET /admin/pengaduan/kategori */
void pd_web_admin_category_new(struct pd_req *r);      /* GET /admin/pengaduan/kategori/baru */
void pd_web_admin_category_create(struct pd_req *r);   /* POST /admin/pengaduan/kategori/baru */
void pd_web_admin_category(struct pd_req *r);          /* GET /admin/pengaduan/kategori/{kode} */
void pd_web_admin_category_save(struct pd_req *r);     /* POST /admin/pengaduan/kategori/{kode} */
void pd_web_admin_category_enable(struct pd_req *r);   /* POST …/kategori/{kode}/aktif */

#endif
