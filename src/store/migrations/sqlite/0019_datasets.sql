-- Open data (issue #6): datasets owned by units, their tags and their resources. Everything
-- here is public by design: resource contents are stored plainly as blobs (table blob), never
-- sealed. Generated datasets carry gen_key (one per kind of figures) and are rewritten by the
-- "opendata" job; their resources carry gen_key too ("csv", "json") and generated_ms.
CREATE TABLE dataset (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	notes TEXT NOT NULL DEFAULT '',
	unit_id TEXT NOT NULL REFERENCES unit(id),
	license_id TEXT NOT NULL,
	frequency TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly', 'quarterly',
	                                             'annual', 'irregular')),
	-- Stems of title, notes and tags (pd_stem_text), for the catalogue's search.
	search_stems TEXT NOT NULL DEFAULT '',
	gen_key TEXT UNIQUE,
	version INTEGER NOT NULL DEFAULT 1,
	created_ms INTEGER NOT NULL,
	modified_ms INTEGER NOT NULL
);
CREATE INDEX dataset_unit ON dataset(unit_id, name);
CREATE INDEX dataset_modified ON dataset(modified_ms, name);

CREATE TABLE dataset_tag (
	dataset_id TEXT NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
	tag TEXT NOT NULL,
	PRIMARY KEY (dataset_id, tag)
);
CREATE INDEX dataset_tag_tag ON dataset_tag(tag, dataset_id);

CREATE TABLE dataset_resource (
	id TEXT PRIMARY KEY,
	dataset_id TEXT NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	format TEXT NOT NULL,
	media_type TEXT NOT NULL,
	size INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	blob_id TEXT NOT NULL,
	position INTEGER NOT NULL,
	gen_key TEXT,
	created_ms INTEGER NOT NULL,
	modified_ms INTEGER NOT NULL,
	generated_ms INTEGER NOT NULL DEFAULT 0,
	UNIQUE (dataset_id, position)
);
CREATE UNIQUE INDEX dataset_resource_gen ON dataset_resource(dataset_id, gen_key)
	WHERE gen_key IS NOT NULL;
