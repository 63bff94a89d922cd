-- TOTP for staff (RFC 6238; DESIGN §4): each account's secret and enrolment state, the newest
-- time step accepted (so a code reused inside its window is refused on every node), single-use
-- recovery codes, the units whose subtree requires TOTP, and half-finished sign-ins waiting for
-- their second step.
--
-- secret_ct is the 20-byte secret sealed under the account's subject key (AD table
-- account_totp, column secret, row account_id): a stolen disk does not yield it, and rotating
-- the master key re-wraps the subject key without touching it. state 'pending' holds a secret
-- shown for enrolment but not yet confirmed with a code. last_step only grows.
CREATE TABLE account_totp (
	account_id TEXT PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE,
	secret_ct BLOB NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('pending', 'active')),
	last_step INTEGER NOT NULL DEFAULT 0,
	created_ms INTEGER NOT NULL,
	enabled_ms INTEGER
);

-- Recovery codes are shown once; only a keyed BLAKE2b-256 of each is kept (key derived from
-- the index key, input bound to the account id). used_ms marks a code spent.
CREATE TABLE account_recovery_code (
	account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
	code_hash BLOB NOT NULL,
	created_ms INTEGER NOT NULL,
	used_ms INTEGER,
	PRIMARY KEY (account_id, code_hash)
);

-- Security settings an administrator sets on a unit for its whole subtree.
CREATE TABLE unit_security (
	unit_id TEXT PRIMARY KEY REFERENCES unit(id),
	totp_required INTEGER NOT NULL DEFAULT 0 CHECK (totp_required IN (0, 1)),
	updated_ms INTEGER NOT NULL
);

-- A sign-in whose password was right and whose second step is pending: only the hash of the
-- short-lived token (in its own cookie) is kept, bound to a hash of the browser's CSRF secret.
-- step 'code' asks for a TOTP or recovery code, 'enrol' for enrolment first. The row is deleted
-- when the sign-in completes, so the token works once.
CREATE TABLE signin_pending (
	token_hash BLOB PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
	step TEXT NOT NULL CHECK (step IN ('code', 'enrol')),
	binding BLOB NOT NULL,
	next TEXT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	created_ms INTEGER NOT NULL,
	expires_ms INTEGER NOT NULL
);
CREATE INDEX signin_pending_account ON signin_pending(account_id);
CREATE INDEX signin_pending_expires ON signin_pending(expires_ms);
