-- Partner API keys (Open311 POST, issue #5) and which partner filed which complaint. A key is
-- 256 random bits shown once; only its BLAKE2b-256 hash is kept, with a short prefix to tell
-- keys apart in lists. Revoked keys stay (revoked_ms) so that the complaints they filed keep
-- naming them.
CREATE TABLE api_key (
	id TEXT PRIMARY KEY,
	partner TEXT NOT NULL CHECK (length(partner) BETWEEN 1 AND 120),
	key_hash BLOB NOT NULL UNIQUE,
	-- The key's first characters ("pdk_AbCd1234"), for display only.
	prefix TEXT NOT NULL,
	-- The partner may hand over reporters' identities (kept sealed as the contact); otherwise
	-- every request it files is anonymous and its contact fields are dropped.
	trusted_identities INTEGER NOT NULL DEFAULT 0 CHECK (trusted_identities IN (0, 1)),
	-- Requests a minute this key may file.
	per_min INTEGER NOT NULL DEFAULT 60 CHECK (per_min BETWEEN 1 AND 10000),
	created_by TEXT NOT NULL,
	created_ms INTEGER NOT NULL,
	revoked_ms INTEGER,
	last_used_ms INTEGER
);
CREATE INDEX api_key_list ON api_key(created_ms, id);

-- Complaints filed through Open311: the key that filed each one.
CREATE TABLE open311_request (
	complaint_id TEXT PRIMARY KEY REFERENCES complaint(id) ON DELETE CASCADE,
	api_key_id TEXT NOT NULL REFERENCES api_key(id),
	created_ms INTEGER NOT NULL
);
CREATE INDEX open311_request_key ON open311_request(api_key_id, created_ms);

-- Open311 servicerequestupdates reads the public timelines by time across all complaints.
CREATE INDEX complaint_event_at ON complaint_event(at_ms, id);
