-- Public side of complaints (issue #5): a full-text index over the PUBLIC COPY only (public
-- title, public text, public answer; never the sealed original), kept by the program as stems
-- (pd_stem_text) per complaint version, and indexes for the per-unit figures and the refresh.
-- A row is valid only while complaint.version equals its version: the search joins on both, so
-- a public copy changed after indexing is not found by its old words (DESIGN §3).
CREATE TABLE complaint_search (
	complaint_id TEXT PRIMARY KEY REFERENCES complaint(id) ON DELETE CASCADE,
	version INTEGER NOT NULL,
	-- complaint.updated_ms when indexed: where the next refresh starts looking.
	updated_ms INTEGER NOT NULL,
	search_stems TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaint_search_updated ON complaint_search(updated_ms);

CREATE VIRTUAL TABLE complaint_fts USING fts5(search_stems, content='complaint_search',
                                              content_rowid='rowid', tokenize='unicode61');
CREATE TRIGGER complaint_fts_ai AFTER INSERT ON complaint_search BEGIN
	INSERT INTO complaint_fts(rowid, search_stems) VALUES (new.rowid, new.search_stems);
END;
CREATE TRIGGER complaint_fts_ad AFTER DELETE ON complaint_search BEGIN
	INSERT INTO complaint_fts(complaint_fts, rowid, search_stems)
	VALUES ('delete', old.rowid, old.search_stems);
END;
CREATE TRIGGER complaint_fts_au AFTER UPDATE OF search_stems ON complaint_search BEGIN
	INSERT INTO complaint_fts(complaint_fts, rowid, search_stems)
	VALUES ('delete', old.rowid, old.search_stems);
	INSERT INTO complaint_fts(rowid, search_stems) VALUES (new.rowid, new.search_stems);
END;

CREATE INDEX complaint_updated ON complaint(updated_ms, id);
CREATE INDEX complaint_created ON complaint(created_ms, unit_id);
