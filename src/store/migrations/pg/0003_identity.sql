-- Identity (DESIGN §2, §4): accounts with sealed personal fields and blind indexes, role grants
-- on units, sessions (only the hash of the token), one-time tokens for email verification and
-- password reset, and the sign-in throttle.
--
-- Personal fields (email, name, phone, NIK) are sealed under the account's own subject key,
-- which is stored wrapped by the master key in subject_key; erasure sets it to NULL, so the
-- ciphertexts become noise. Lookups go through keyed blind indexes (HMAC of the normalised
-- value); a NIK binds to one account. nik_district is the NIK's first 6 digits (province,
-- regency, district), kept in clear because it decides where its holder may vote or sign
-- and names an area of tens of thousands of people, not a person.
CREATE TABLE account (
	id TEXT PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('citizen', 'staff')),
	email_ct BYTEA,
	email_bidx BYTEA UNIQUE,
	name_ct BYTEA,
	phone_ct BYTEA,
	nik_ct BYTEA,
	nik_bidx BYTEA UNIQUE,
	nik_verified BIGINT NOT NULL DEFAULT 0 CHECK (nik_verified IN (0, 1)),
	nik_district TEXT,
	home_village_id TEXT REFERENCES unit(id),
	subject_key BYTEA,
	password_hash TEXT NOT NULL DEFAULT '',
	email_verified_ms BIGINT,
	lang TEXT,
	disabled BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_ms BIGINT NOT NULL,
	erased_ms BIGINT
);
CREATE INDEX account_village ON account(home_village_id);
CREATE INDEX account_district ON account(nik_district);

-- A role on a unit, valid for the unit's whole subtree (DESIGN §2).
CREATE TABLE account_grant (
	account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
	role TEXT NOT NULL CHECK (role IN ('citizen', 'officer', 'coordinator', 'supervisor',
	                                   'moderator', 'ppid', 'ppid_superior', 'administrator',
	                                   'auditor')),
	unit_id TEXT NOT NULL REFERENCES unit(id),
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (account_id, role, unit_id)
);
CREATE INDEX account_grant_unit ON account_grant(unit_id);

-- token_hash is BLAKE2b-256 of the 256-bit token; id names the session on /akun without
-- revealing anything usable. csrf_secret binds the session's forms (masked per response).
CREATE TABLE account_session (
	token_hash BYTEA PRIMARY KEY,
	id TEXT NOT NULL UNIQUE,
	account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
	created_ms BIGINT NOT NULL,
	last_seen_ms BIGINT NOT NULL,
	expires_ms BIGINT NOT NULL,
	csrf_secret TEXT NOT NULL
);
CREATE INDEX account_session_account ON account_session(account_id, created_ms);
CREATE INDEX account_session_expires ON account_session(expires_ms);

CREATE TABLE account_token (
	token_hash BYTEA PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('verify_email', 'reset_password')),
	account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
	created_ms BIGINT NOT NULL,
	expires_ms BIGINT NOT NULL,
	used_ms BIGINT
);
CREATE INDEX account_token_account ON account_token(account_id, kind);

-- Failed sign-ins per email blind index and per client address (keyed hash): in the database,
-- not in a node's memory, so every node behind a load balancer counts the same (DESIGN §3).
CREATE TABLE signin_throttle (
	key BYTEA PRIMARY KEY,
	failures BIGINT NOT NULL,
	window_start_ms BIGINT NOT NULL,
	locked_until_ms BIGINT NOT NULL DEFAULT 0
);
