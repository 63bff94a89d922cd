-- Petitions (aspirasi, issue #7): a citizen's petition to a unit, sealed under the author's
-- subject key until a moderator approves it (then the checked public copy is in clear); one
-- signature per NIK (UNIQUE on the NIK's blind index per petition: the NIK binds to one
-- account, so one person signs once however many requests arrive at once); the signer's name
-- is kept only when they agree to show it; the unit's threshold and answer deadline in working
-- days (per unit, inherited down the tree); the obligation to answer and its overdue flag.
CREATE TABLE petition (
	id TEXT PRIMARY KEY,
	author_account_id TEXT NOT NULL REFERENCES account(id),
	unit_id TEXT NOT NULL REFERENCES unit(id),
	unit_path TEXT NOT NULL,
	title_ct BYTEA,
	body_ct BYTEA,
	ask_ct BYTEA,
	period_days BIGINT NOT NULL CHECK (period_days BETWEEN 1 AND 180),
	status TEXT NOT NULL CHECK (status IN ('pending', 'refused', 'open', 'answered')),
	title TEXT,
	body TEXT,
	ask TEXT,
	refusal_reason TEXT,
	threshold BIGINT,
	answer_days BIGINT,
	created_ms BIGINT NOT NULL,
	decided_ms BIGINT,
	moderator_id TEXT REFERENCES account(id),
	opens_ms BIGINT,
	closes_ms BIGINT,
	reached_ms BIGINT,
	answer_due_ms BIGINT,
	answer TEXT,
	answered_ms BIGINT,
	answered_by TEXT REFERENCES account(id),
	overdue BIGINT NOT NULL DEFAULT 0 CHECK (overdue IN (0, 1)),
	form_id TEXT UNIQUE,
	version BIGINT NOT NULL DEFAULT 1,
	updated_ms BIGINT NOT NULL
);
CREATE INDEX petition_public ON petition(status, id) WHERE status IN ('open', 'answered');
CREATE INDEX petition_unit ON petition(unit_path, status, id);
CREATE INDEX petition_author ON petition(author_account_id, id);
CREATE INDEX petition_due ON petition(answer_due_ms) WHERE answer_due_ms IS NOT NULL AND answered_ms IS NULL;

CREATE TABLE petition_signature (
	petition_id TEXT NOT NULL REFERENCES petition(id) ON DELETE CASCADE,
	nik_bidx BYTEA NOT NULL,
	account_id TEXT NOT NULL REFERENCES account(id),
	nik_verified BIGINT NOT NULL CHECK (nik_verified IN (0, 1)),
	public_name TEXT,
	signed_ms BIGINT NOT NULL,
	PRIMARY KEY (petition_id, nik_bidx)
);
CREATE UNIQUE INDEX petition_signature_account ON petition_signature(petition_id, account_id);
CREATE INDEX petition_signature_time ON petition_signature(petition_id, signed_ms);

CREATE TABLE petition_setting (
	unit_id TEXT PRIMARY KEY REFERENCES unit(id),
	threshold BIGINT NOT NULL CHECK (threshold BETWEEN 1 AND 10000000),
	answer_days BIGINT NOT NULL CHECK (answer_days BETWEEN 1 AND 100),
	updated_ms BIGINT NOT NULL
);
