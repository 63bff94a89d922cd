-- Complaint handling (issue #5): portal notifications about complaints (the applications'
-- notification table requires an application), for the reporter (a step on their complaint)
-- and for staff (an escalation to the owner unit's supervisors); the reporter's confirmation
-- that the problem is solved. No personal data: ids, kinds and statuses.
CREATE TABLE complaint_notification (
	id TEXT PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES account(id),
	complaint_id TEXT NOT NULL REFERENCES complaint(id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	status TEXT NOT NULL,
	created_ms INTEGER NOT NULL,
	read_ms INTEGER
);
CREATE INDEX complaint_notification_account ON complaint_notification(account_id, id);

ALTER TABLE complaint ADD COLUMN confirmed_ms INTEGER;
