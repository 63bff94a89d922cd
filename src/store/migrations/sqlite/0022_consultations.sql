-- Public consultations on drafts (issue #7): the consultation of a unit with its opening and
-- closing times; its published versions (Markdown as written, never edited: a correction is a
-- new version) and their sections rendered once with cmark (raw HTML disabled), each with a
-- stable id taken from its heading; citizens' comments (public statements, in clear: see
-- domain/consult.h) on the whole draft ('') or a section, with one level of replies; reports
-- counted once per account; the moderator's decision with its reason; the follow-up report
-- answering the comments per section.
CREATE TABLE consultation (
	id TEXT PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	unit_id TEXT NOT NULL REFERENCES unit(id),
	unit_path TEXT NOT NULL,
	title TEXT NOT NULL,
	summary TEXT NOT NULL,
	opens_ms INTEGER NOT NULL,
	closes_ms INTEGER NOT NULL CHECK (closes_ms > opens_ms),
	n_versions INTEGER NOT NULL DEFAULT 1,
	report_changes TEXT,
	report_ms INTEGER,
	created_by TEXT NOT NULL,
	created_ms INTEGER NOT NULL
);
CREATE INDEX consultation_closes ON consultation(closes_ms, id);
CREATE INDEX consultation_unit ON consultation(unit_path, id);

CREATE TABLE consult_version (
	consultation_id TEXT NOT NULL REFERENCES consultation(id),
	n INTEGER NOT NULL,
	body_md TEXT NOT NULL,
	note TEXT NOT NULL,
	published_ms INTEGER NOT NULL,
	PRIMARY KEY (consultation_id, n)
);

CREATE TABLE consult_section (
	consultation_id TEXT NOT NULL REFERENCES consultation(id),
	version INTEGER NOT NULL,
	position INTEGER NOT NULL,
	anchor TEXT NOT NULL,
	title TEXT NOT NULL,
	html TEXT NOT NULL,
	PRIMARY KEY (consultation_id, version, position),
	UNIQUE (consultation_id, version, anchor)
);

CREATE TABLE consult_comment (
	id TEXT PRIMARY KEY,
	consultation_id TEXT NOT NULL REFERENCES consultation(id),
	parent_id TEXT REFERENCES consult_comment(id),
	section TEXT NOT NULL,
	version INTEGER NOT NULL,
	account_id TEXT NOT NULL REFERENCES account(id),
	author_name TEXT,
	stance TEXT CHECK (stance IN ('support', 'oppose', 'neutral')),
	body TEXT NOT NULL,
	created_ms INTEGER NOT NULL,
	reports INTEGER NOT NULL DEFAULT 0,
	state TEXT NOT NULL DEFAULT 'visible' CHECK (state IN ('visible', 'held', 'hidden')),
	decided INTEGER NOT NULL DEFAULT 0 CHECK (decided IN (0, 1)),
	mod_reason TEXT,
	mod_ms INTEGER,
	mod_by TEXT
);
CREATE INDEX consult_comment_list ON consult_comment(consultation_id, created_ms, id);
CREATE INDEX consult_comment_account ON consult_comment(account_id, created_ms);
CREATE INDEX consult_comment_held ON consult_comment(state, consultation_id);

CREATE TABLE consult_report (
	comment_id TEXT NOT NULL REFERENCES consult_comment(id),
	account_id TEXT NOT NULL REFERENCES account(id),
	created_ms INTEGER NOT NULL,
	PRIMARY KEY (comment_id, account_id)
);

CREATE TABLE consult_response (
	consultation_id TEXT NOT NULL REFERENCES consultation(id),
	section TEXT NOT NULL,
	response TEXT NOT NULL,
	PRIMARY KEY (consultation_id, section)
);
