-- Platform core: schema bookkeeping, settings, organisation units, the working-day calendar,
-- uploaded files as chunked blobs, the durable outbox and the scheduler's job table.
CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE unit (
	id TEXT PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('nation', 'province', 'regency', 'city', 'district',
	                                   'village', 'agency')),
	name TEXT NOT NULL,
	code TEXT,
	parent_id TEXT REFERENCES unit(id),
	path TEXT COLLATE "C" NOT NULL UNIQUE,
	created_ms BIGINT NOT NULL
);
CREATE INDEX unit_parent ON unit(parent_id, name);
CREATE INDEX unit_code ON unit(code);

CREATE TABLE holiday (
	day BIGINT PRIMARY KEY,
	date TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('libur', 'cuti_bersama')),
	name_id TEXT NOT NULL,
	name_en TEXT NOT NULL,
	source TEXT NOT NULL DEFAULT '',
	updated_ms BIGINT NOT NULL
);
CREATE TABLE calendar_year (
	year BIGINT PRIMARY KEY,
	loaded_ms BIGINT NOT NULL
);

CREATE TABLE blob (
	id TEXT PRIMARY KEY,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	n_chunks BIGINT NOT NULL,
	created_ms BIGINT NOT NULL
);
CREATE TABLE blob_chunk (
	blob_id TEXT NOT NULL REFERENCES blob(id) ON DELETE CASCADE,
	seq BIGINT NOT NULL,
	data BYTEA NOT NULL,
	PRIMARY KEY (blob_id, seq)
);

CREATE TABLE outbox (
	id TEXT PRIMARY KEY,
	channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'webhook')),
	recipient TEXT NOT NULL,
	subject TEXT NOT NULL DEFAULT '',
	body BYTEA NOT NULL,
	message_id TEXT NOT NULL UNIQUE,
	state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
	attempts BIGINT NOT NULL DEFAULT 0,
	next_attempt_ms BIGINT NOT NULL,
	claimed_until_ms BIGINT NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	created_ms BIGINT NOT NULL,
	sent_ms BIGINT
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_ms);

CREATE TABLE job_schedule (
	name TEXT PRIMARY KEY,
	interval_ms BIGINT NOT NULL,
	next_run_ms BIGINT NOT NULL,
	locked_by TEXT NOT NULL DEFAULT '',
	locked_until_ms BIGINT NOT NULL DEFAULT 0,
	last_run_ms BIGINT,
	last_result TEXT NOT NULL DEFAULT ''
);

CREATE TABLE idempotency (
	scope TEXT NOT NULL,
	key TEXT NOT NULL,
	status BIGINT NOT NULL,
	body BYTEA NOT NULL,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (scope, key)
);
