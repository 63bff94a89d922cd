-- Issued documents (signed, verifiable), their numbering per unit and year, and the public
-- document-signing keys (Ed25519), current and earlier, so that old documents still verify.
CREATE TABLE document_key (
	kid TEXT PRIMARY KEY,
	-- The key is derived from the installation's key file for this generation (domain/document.c).
	generation BIGINT NOT NULL UNIQUE CHECK (generation >= 1),
	public_key TEXT NOT NULL,          -- base64url of the 32-byte Ed25519 public key
	created_ms BIGINT NOT NULL
);

-- The last number given per unit and year; bumped inside the issuing transaction.
CREATE TABLE document_counter (
	unit_id TEXT NOT NULL REFERENCES unit(id),
	year BIGINT NOT NULL,
	last BIGINT NOT NULL,
	PRIMARY KEY (unit_id, year)
);

CREATE TABLE document (
	id TEXT PRIMARY KEY,               -- UUIDv4 (random: ids cannot be guessed or enumerated)
	number TEXT NOT NULL UNIQUE,       -- e.g. "0001/DUKCAPIL/2026"
	application_id TEXT NOT NULL UNIQUE,
	unit_id TEXT NOT NULL REFERENCES unit(id),
	unit_path TEXT NOT NULL,
	content TEXT NOT NULL,             -- the signed object, RFC 8785 canonical JSON
	kid TEXT NOT NULL REFERENCES document_key(kid),
	sig TEXT NOT NULL,                 -- base64url Ed25519 signature over content
	holder_ct BYTEA NOT NULL,           -- sealed {"name","nik","code"} (pd_crypto_seal)
	issued_by TEXT,                    -- account id of the approving officer
	revoked_ms BIGINT,
	revoke_reason TEXT,
	revoked_by TEXT,
	created_ms BIGINT NOT NULL,
	CHECK ((revoked_ms IS NULL) = (revoke_reason IS NULL))
);
CREATE INDEX document_unit ON document(unit_path, created_ms);
