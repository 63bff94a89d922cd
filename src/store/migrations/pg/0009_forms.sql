-- Application forms of services, versioned: each saved change of a form is a new row
-- (service, version) holding every field as JSON (domain/form.h); rows are never changed or
-- deleted, so an application keeps the form version it was filed on readable for ever.
CREATE TABLE service_form (
	service_id TEXT NOT NULL REFERENCES service(id),
	version BIGINT NOT NULL CHECK (version >= 1),
	fields_json TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	created_by TEXT NOT NULL,
	PRIMARY KEY (service_id, version)
);

-- The Maklumat Pelayanan (service promise, UU 25/2009 Pasal 22) a unit publishes.
CREATE TABLE unit_maklumat (
	unit_id TEXT PRIMARY KEY REFERENCES unit(id),
	text TEXT NOT NULL,
	updated_ms BIGINT NOT NULL,
	updated_by TEXT NOT NULL
);
