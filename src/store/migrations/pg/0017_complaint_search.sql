-- Public side of complaints (issue #5): a full-text index over the PUBLIC COPY only (public
-- title, public text, public answer; never the sealed original), kept by the program as stems
-- (pd_stem_text) per complaint version, and indexes for the per-unit figures and the refresh.
-- A row is valid only while complaint.version equals its version: the search joins on both, so
-- a public copy changed after indexing is not found by its old words (DESIGN §3).
CREATE TABLE complaint_search (
	complaint_id TEXT PRIMARY KEY REFERENCES complaint(id) ON DELETE CASCADE,
	version BIGINT NOT NULL,
	-- complaint.updated_ms when indexed: where the next refresh starts looking.
	updated_ms BIGINT NOT NULL,
	search_stems TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaint_search_updated ON complaint_search(updated_ms);
CREATE INDEX complaint_search_fts ON complaint_search USING GIN (to_tsvector('simple', search_stems));

CREATE INDEX complaint_updated ON complaint(updated_ms, id);
CREATE INDEX complaint_created ON complaint(created_ms, unit_id);
