-- The public service catalogue: each service of a unit with its Standar Pelayanan (UU 25/2009
-- Pasal 21) and a full-text index of its stemmed words (DESIGN §3).
CREATE TABLE service (
	id TEXT PRIMARY KEY,
	unit_id TEXT NOT NULL REFERENCES unit(id),
	slug TEXT NOT NULL UNIQUE,
	name TEXT COLLATE "C" NOT NULL,
	category TEXT NOT NULL,
	summary TEXT NOT NULL DEFAULT '',
	legal_basis TEXT NOT NULL DEFAULT '',
	requirements TEXT NOT NULL DEFAULT '',
	procedure TEXT NOT NULL DEFAULT '',
	processing_days BIGINT NOT NULL CHECK (processing_days >= 0),
	fee BIGINT NOT NULL DEFAULT 0 CHECK (fee >= 0),
	product TEXT NOT NULL DEFAULT '',
	complaint_channel TEXT NOT NULL DEFAULT '',
	facilities TEXT NOT NULL DEFAULT '',
	staff_competence TEXT NOT NULL DEFAULT '',
	internal_oversight TEXT NOT NULL DEFAULT '',
	staff_count TEXT NOT NULL DEFAULT '',
	service_guarantee TEXT NOT NULL DEFAULT '',
	security_guarantee TEXT NOT NULL DEFAULT '',
	performance_evaluation TEXT NOT NULL DEFAULT '',
	enabled BIGINT NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
	-- Stems of name, summary, requirements and product (pd_stem_text), never personal data.
	search_stems TEXT NOT NULL DEFAULT '',
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL
);
CREATE INDEX service_unit ON service(unit_id);
CREATE INDEX service_list ON service(enabled, name, id);
CREATE INDEX service_search ON service USING GIN (to_tsvector('simple', search_stems));
