-- Information requests (issue #6, UU 14/2008): the request with its sealed personal text
-- (subject, details, purpose, objection text under the requester's subject key), the PPID's
-- answer and public summary (in clear: the register), the working-day deadlines, one
-- objection; the timeline; files attached to the answer (encrypted attachments); portal
-- notifications (ids and kinds only).
CREATE TABLE inforeq (
	id TEXT PRIMARY KEY,
	-- Compact tracking number (kind 'K').
	tracking TEXT NOT NULL UNIQUE,
	requester_account_id TEXT NOT NULL REFERENCES account(id),
	unit_id TEXT NOT NULL REFERENCES unit(id),
	unit_path TEXT NOT NULL,
	subject_ct BYTEA NOT NULL,
	details_ct BYTEA NOT NULL,
	purpose_ct BYTEA NOT NULL,
	format TEXT NOT NULL CHECK (format IN ('softcopy', 'hardcopy', 'view')),
	delivery TEXT NOT NULL CHECK (delivery IN ('portal', 'email', 'post', 'pickup')),
	publish_consent BIGINT NOT NULL CHECK (publish_consent IN (0, 1)),
	status TEXT NOT NULL CHECK (status IN ('received', 'answered', 'objected',
	                                       'objection_decided')),
	outcome TEXT CHECK (outcome IN ('granted', 'partly_granted', 'refused', 'not_held',
	                                'forwarded')),
	ground TEXT CHECK (ground IN ('a','b','c','d','e','f','g','h','i','j')),
	answer TEXT,
	register_subject TEXT,
	register_answer TEXT,
	received_ms BIGINT NOT NULL,
	due_ms BIGINT NOT NULL,
	answered_ms BIGINT,
	extension_days BIGINT NOT NULL DEFAULT 0 CHECK (extension_days BETWEEN 0 AND 7),
	extension_reason TEXT,
	overdue BIGINT NOT NULL DEFAULT 0 CHECK (overdue IN (0, 1)),
	forwarded_from TEXT REFERENCES inforeq(id),
	forwarded_to TEXT REFERENCES inforeq(id),
	objected_ms BIGINT,
	objection_due_ms BIGINT,
	objection_reasons BIGINT NOT NULL DEFAULT 0,
	objection_ct BYTEA,
	objection_outcome TEXT CHECK (objection_outcome IN ('upheld', 'overturned')),
	objection_answer TEXT,
	objection_decided_ms BIGINT,
	objection_overdue BIGINT NOT NULL DEFAULT 0 CHECK (objection_overdue IN (0, 1)),
	form_id TEXT UNIQUE,
	version BIGINT NOT NULL DEFAULT 1,
	updated_ms BIGINT NOT NULL
);
CREATE INDEX inforeq_requester ON inforeq(requester_account_id, id);
CREATE INDEX inforeq_unit_due ON inforeq(unit_path, due_ms, id);
CREATE INDEX inforeq_register ON inforeq(answered_ms, id) WHERE answered_ms IS NOT NULL;
CREATE INDEX inforeq_received ON inforeq(received_ms);

CREATE TABLE inforeq_event (
	id TEXT PRIMARY KEY,
	inforeq_id TEXT NOT NULL REFERENCES inforeq(id) ON DELETE CASCADE,
	at_ms BIGINT NOT NULL,
	actor_id TEXT REFERENCES account(id),
	by_staff BIGINT NOT NULL CHECK (by_staff IN (0, 1)),
	kind TEXT NOT NULL,
	note TEXT
);
CREATE INDEX inforeq_event_req ON inforeq_event(inforeq_id, at_ms, id);

CREATE TABLE inforeq_file (
	inforeq_id TEXT NOT NULL REFERENCES inforeq(id) ON DELETE CASCADE,
	n BIGINT NOT NULL,
	attachment_id TEXT NOT NULL REFERENCES attachment(id),
	PRIMARY KEY (inforeq_id, n)
);

CREATE TABLE inforeq_notification (
	id TEXT PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES account(id),
	inforeq_id TEXT NOT NULL REFERENCES inforeq(id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	read_ms BIGINT
);
CREATE INDEX inforeq_notification_account ON inforeq_notification(account_id, id);
