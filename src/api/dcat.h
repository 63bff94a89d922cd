/* The DCAT-AP 3.0.1 catalogue of the open-data portal for harvesters: /data/catalog.jsonld (a
 * JSON-LD document with its context inline) and /data/catalog.ttl (Turtle). */
#ifndef PD_API_DCAT_H
#define PD_API_DCAT_H

#include "http/http.h"

/* GET /data/catalog.jsonld and /data/catalog.ttl: one page (?page=N, from 1; 100 datasets a
 * page, by name) of the catalogue — the dcat:Catalog with its title, description, publisher
 * (the top unit), language and datasets; each dcat:Dataset with title, description,
 * identifier, keywords, publisher (its unit as a foaf:Agent), dates as xsd:dateTime,
 * frequency from the EU vocabulary, and one dcat:Distribution per resource (access and download
 * URLs, format, media type, size, licence as a dct:LicenseDocument) — and a
 * hydra:PartialCollectionView (first, last, previous, next) of the catalogue as a
 * hydra:Collection with hydra:totalItems. IRIs: the catalogue <{base}/data#catalog>, a dataset
 * <{base}/data/{name}#dataset> (its landing page is /data/{name}), a distribution
 * <{base}/data/{name}#{resource id}>, a unit <{base}/unit/{slug}>; {base} is --public-url, else
 * from the Host header. 400 for a page that is not a whole number from 1, 404 past the last. */
void pd_api_dcat_jsonld(struct pd_req *r);
void pd_api_dcat_ttl(struct pd_req *r);

#endif
