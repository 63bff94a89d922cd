-- Text messages from an SMS gateway (issue #5, POST /sms/v1/inbound): one row per message the
-- gateway delivered, keyed by the gateway's own message id so that a repeated delivery gets the
-- first answer byte for byte and files nothing. The sender's number is never stored in clear:
-- only its keyed blind index (domain "sms_sender"); a complaint filed by text keeps the number
-- sealed in its contact. The message text is not kept here (a report's text is sealed in the
-- complaint; other messages need no keeping).
CREATE TABLE sms_inbound (
	id TEXT PRIMARY KEY,
	-- The gateway's message id (its `id` field), as sent.
	gateway_id TEXT NOT NULL UNIQUE,
	-- Keyed BLAKE2b-256 of the normalised sender number.
	sender_bidx BYTEA NOT NULL,
	-- What the message was: a report (LAPOR), a status check (CEK), anything else (help).
	kind TEXT NOT NULL CHECK (kind IN ('report', 'check', 'help')),
	-- The complaint a report filed, or NULL (a refused report, a check, help).
	complaint_id TEXT REFERENCES complaint(id) ON DELETE SET NULL,
	-- The answer sent back (GSM-7, at most 160 characters).
	answer TEXT NOT NULL,
	created_ms BIGINT NOT NULL
);
CREATE INDEX sms_inbound_sender ON sms_inbound(sender_bidx, created_ms);
