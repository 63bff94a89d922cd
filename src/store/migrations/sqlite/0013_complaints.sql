-- Complaints and aspirations (issue #5): categories with their deadline and default unit, the
-- complaint with its privacy choice, hold-back, public copy and sealed original, its timeline,
-- support (once per account), photos (encrypted attachments). Personal data is sealed: the
-- title, description and contact as typed under the reporter's subject key, or, for a reporter
-- without an account, under a key of the complaint's own (subject_key, subject id = its id).
CREATE TABLE complaint_category (
	id TEXT PRIMARY KEY,
	-- Open311 service_code.
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	-- The default responsible unit.
	unit_id TEXT NOT NULL REFERENCES unit(id),
	deadline_days INTEGER NOT NULL CHECK (deadline_days BETWEEN 1 AND 90),
	enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
	keywords TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL
);

CREATE TABLE complaint (
	id TEXT PRIMARY KEY,
	-- Compact tracking number (kind 'A').
	tracking TEXT NOT NULL UNIQUE,
	category_id TEXT NOT NULL REFERENCES complaint_category(id),
	channel TEXT NOT NULL CHECK (channel IN ('web', 'open311', 'sms')),
	status TEXT NOT NULL CHECK (status IN ('new', 'needs_info', 'dispositioned', 'answered',
	                                       'reopened', 'out_of_scope', 'merged')),
	visibility TEXT NOT NULL CHECK (visibility IN ('public', 'anonymous', 'confidential')),
	-- Held back until an officer checks it (about a person, a NIK or phone number in it).
	held INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1)),
	about_person INTEGER NOT NULL DEFAULT 0 CHECK (about_person IN (0, 1)),
	-- Kept by every write: not confidential, not held, public copy set.
	published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
	-- The public copy (officer-checked, or as typed when nothing needed checking).
	public_title TEXT,
	public_text TEXT,
	-- The original as typed, sealed.
	title_ct BLOB NOT NULL,
	text_ct BLOB NOT NULL,
	reporter_account_id TEXT REFERENCES account(id),
	subject_key BLOB,
	-- A reporter without an account: {"name","email","phone"} sealed.
	contact_ct BLOB,
	-- BLAKE2b-256 of the follow-up token (shown once).
	followup_hash BLOB UNIQUE,
	-- Owner: the unit handling it, and its materialised path.
	unit_id TEXT NOT NULL REFERENCES unit(id),
	unit_path TEXT NOT NULL,
	place_unit_id TEXT REFERENCES unit(id),
	address TEXT,
	lat_e6 INTEGER CHECK (lat_e6 BETWEEN -90000000 AND 90000000),
	lon_e6 INTEGER CHECK (lon_e6 BETWEEN -180000000 AND 180000000),
	occurred_ms INTEGER,
	media_url TEXT,
	assigned_to TEXT REFERENCES account(id),
	merged_into TEXT REFERENCES complaint(id),
	answer_public TEXT,
	reopen_count INTEGER NOT NULL DEFAULT 0,
	support_count INTEGER NOT NULL DEFAULT 0,
	due_ms INTEGER,
	paused_since_ms INTEGER,
	overdue INTEGER NOT NULL DEFAULT 0 CHECK (overdue IN (0, 1)),
	escalated_ms INTEGER,
	answered_ms INTEGER,
	closed_ms INTEGER,
	version INTEGER NOT NULL DEFAULT 1,
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL,
	CHECK (reporter_account_id IS NOT NULL OR subject_key IS NOT NULL),
	CHECK (published = 0 OR (visibility <> 'confidential' AND held = 0 AND public_title IS NOT NULL))
);
CREATE INDEX complaint_public ON complaint(published, created_ms, id);
CREATE INDEX complaint_mine ON complaint(reporter_account_id, created_ms, id);
CREATE INDEX complaint_queue ON complaint(unit_path, status, due_ms, id);
CREATE INDEX complaint_due ON complaint(due_ms, id)
	WHERE status IN ('new', 'dispositioned', 'reopened');
CREATE INDEX complaint_category_status ON complaint(category_id, status, created_ms);
CREATE INDEX complaint_place ON complaint(place_unit_id, created_ms);

-- The timeline. public_note is the part shown publicly (an answer); note_ct a sealed note.
CREATE TABLE complaint_event (
	id TEXT PRIMARY KEY,
	complaint_id TEXT NOT NULL REFERENCES complaint(id) ON DELETE CASCADE,
	at_ms INTEGER NOT NULL,
	actor_id TEXT,
	by_staff INTEGER NOT NULL DEFAULT 0 CHECK (by_staff IN (0, 1)),
	kind TEXT NOT NULL,
	status_after TEXT NOT NULL,
	unit_id TEXT REFERENCES unit(id),
	public_note TEXT,
	note_ct BLOB
);
CREATE INDEX complaint_event_of ON complaint_event(complaint_id, at_ms, id);

-- Support: one row per account and complaint (the count cannot be inflated).
CREATE TABLE complaint_support (
	complaint_id TEXT NOT NULL REFERENCES complaint(id) ON DELETE CASCADE,
	account_id TEXT NOT NULL REFERENCES account(id),
	created_ms INTEGER NOT NULL,
	PRIMARY KEY (complaint_id, account_id)
);

-- Photos (cleaned: re-encoded without metadata), each an encrypted attachment.
CREATE TABLE complaint_photo (
	id TEXT PRIMARY KEY,
	complaint_id TEXT NOT NULL REFERENCES complaint(id) ON DELETE CASCADE,
	n INTEGER NOT NULL CHECK (n BETWEEN 1 AND 3),
	attachment_id TEXT NOT NULL UNIQUE REFERENCES attachment(id) ON DELETE CASCADE,
	content_type TEXT NOT NULL,
	created_ms INTEGER NOT NULL,
	UNIQUE (complaint_id, n)
);
