/* Handlers of the citizen portal's HTML pages, one file per area. */
#ifndef PD_WEB_WEB_H
#define PD_WEB_WEB_H

#include "http/http.h"

void pd_web_home(struct pd_req *r);
void pd_web_unit_root(struct pd_req *r);
void pd_web_unit(struct pd_req *r);
void pd_web_unit_csv(struct pd_req *r);
void pd_web_static(struct pd_req *r);

#endif
