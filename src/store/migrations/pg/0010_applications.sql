-- Applications for public services (issue #4): the application with its working-day clock,
-- its timeline, its files and the citizen's portal notifications. Personal data is sealed:
-- answers and notes under the citizen's subject key, or, for an assisted application not yet
-- attached to an account, under a key of its own (subject_key, wrapped by the master key with
-- subject id = the application id).
CREATE TABLE application (
	id TEXT PRIMARY KEY,
	-- Compact tracking number (kind 'P'); NULL while a draft.
	tracking TEXT UNIQUE,
	service_id TEXT NOT NULL REFERENCES service(id),
	form_version BIGINT NOT NULL DEFAULT 0,
	-- Owner unit (the service's) and its materialised path, copied for subtree queues and authz.
	unit_id TEXT NOT NULL REFERENCES unit(id),
	unit_path TEXT COLLATE "C" NOT NULL,
	place_unit_id TEXT REFERENCES unit(id),
	citizen_account_id TEXT REFERENCES account(id),
	subject_key BYTEA,
	nik_bidx BYTEA,
	holder_ct BYTEA,
	assisted_by TEXT REFERENCES account(id),
	consent_ms BIGINT,
	status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'processing', 'returned',
	                                       'approved', 'rejected')),
	assigned_to TEXT REFERENCES account(id),
	answers_ct BYTEA,
	-- Requirements checklist: JSON array of {"label":…,"done":…} (no personal data).
	checklist TEXT,
	note_ct BYTEA,
	sla_days BIGINT NOT NULL DEFAULT 0,
	submitted_ms BIGINT,
	due_ms BIGINT,
	paused_since_ms BIGINT,
	paused_days BIGINT NOT NULL DEFAULT 0,
	overdue BIGINT NOT NULL DEFAULT 0 CHECK (overdue IN (0, 1)),
	decided_ms BIGINT,
	document_id TEXT,
	version BIGINT NOT NULL DEFAULT 1,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	CHECK (citizen_account_id IS NOT NULL OR subject_key IS NOT NULL),
	CHECK ((status = 'draft') = (tracking IS NULL))
);
CREATE INDEX application_queue ON application(unit_path, status, due_ms, id);
CREATE INDEX application_due ON application(due_ms, id) WHERE status IN ('submitted', 'processing');
CREATE INDEX application_mine ON application(citizen_account_id, id);
CREATE INDEX application_assigned ON application(assigned_to, status, due_ms, id);
CREATE INDEX application_nik ON application(nik_bidx) WHERE nik_bidx IS NOT NULL;
CREATE UNIQUE INDEX application_one_draft ON application(citizen_account_id, service_id)
	WHERE status = 'draft';

-- The timeline: one row per step, with actor and time; the note is sealed like the answers.
CREATE TABLE application_event (
	id TEXT PRIMARY KEY,
	application_id TEXT NOT NULL REFERENCES application(id) ON DELETE CASCADE,
	at_ms BIGINT NOT NULL,
	actor_id TEXT,
	by_staff BIGINT NOT NULL DEFAULT 0 CHECK (by_staff IN (0, 1)),
	kind TEXT NOT NULL,
	status_after TEXT NOT NULL,
	assignee_id TEXT,
	note_ct BYTEA
);
CREATE INDEX application_event_app ON application_event(application_id, at_ms, id);

-- Files of an application, one per file field, each an encrypted attachment (erasing the
-- citizen deletes their attachments and with them these rows).
CREATE TABLE application_file (
	id TEXT PRIMARY KEY,
	application_id TEXT NOT NULL REFERENCES application(id) ON DELETE CASCADE,
	field_key TEXT NOT NULL,
	attachment_id TEXT NOT NULL UNIQUE REFERENCES attachment(id) ON DELETE CASCADE,
	created_ms BIGINT NOT NULL,
	UNIQUE (application_id, field_key)
);

-- Portal notifications of status changes (no personal data: ids, kinds and statuses).
CREATE TABLE notification (
	id TEXT PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES account(id),
	application_id TEXT NOT NULL REFERENCES application(id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	status TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	read_ms BIGINT
);
CREATE INDEX notification_account ON notification(account_id, id);
CREATE INDEX notification_unread ON notification(account_id, read_ms);
