-- Identity and trust: the master keys' identities (ids and fingerprints, never the keys), with
-- one active key for writing, and the key generation that running servers watch to reload.
CREATE TABLE key_registry (
	id BIGINT PRIMARY KEY CHECK (id BETWEEN 1 AND 4294967295),
	fingerprint TEXT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('active', 'retiring', 'retired')),
	created_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX key_registry_one_active ON key_registry(state) WHERE state = 'active';

INSERT INTO meta (key, value) VALUES ('key_generation', '0');
