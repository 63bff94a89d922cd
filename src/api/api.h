/* Handlers of the machine interfaces: operations endpoints and the JSON APIs. */
#ifndef PD_API_API_H
#define PD_API_API_H

#include "http/http.h"

void pd_api_healthz(struct pd_req *r);
void pd_api_metrics(struct pd_req *r);
void pd_api_units(struct pd_req *r);
void pd_api_unit(struct pd_req *r);

#endif
