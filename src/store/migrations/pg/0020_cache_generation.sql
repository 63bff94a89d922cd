-- The data generation of response caches (issue #8): one row, bumped by the writer in the same
-- transaction as every batch that changes what public pages show (store/store.c). Every node
-- reads it per cacheable request, so no node serves a page older than a write it could have
-- seen.
CREATE TABLE cache_generation (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	gen BIGINT NOT NULL
);
INSERT INTO cache_generation (id, gen) VALUES (1, 1);
