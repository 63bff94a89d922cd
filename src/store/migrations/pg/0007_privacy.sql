-- Privacy at rest (DESIGN §4): the outbox sealed, encrypted attachments, and what an account
-- holder adds on /akun beyond the sign-up form (an address, supporting documents with a note).
--
-- The outbox of 0001 held the recipient and the whole message (with the recipient's address
-- and often their name) in clear. Both are now sealed under the master key with associated
-- data (outbox, column, id) and opened only by the delivery worker; the clear subject column
-- is gone, the subject being inside the sealed message. No deployment held queued mail from
-- before this schema, so the table is made anew rather than its rows converted.
DROP TABLE outbox;
CREATE TABLE outbox (
	id TEXT PRIMARY KEY,
	channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'webhook')),
	recipient_ct BYTEA NOT NULL,
	body_ct BYTEA NOT NULL,
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
CREATE INDEX outbox_sent ON outbox(sent_ms) WHERE state = 'sent';

-- An uploaded file: its bytes are one crypto_secretstream (chunks of 64 KiB, each
-- authenticated, bound to "attachment"/"data"/id) kept as a chunked blob. The stream's key is
-- the subject's key when subject_id is set (erasing the citizen destroys the file with the
-- rest of their data), else a key of the file's own, wrapped by the master key in file_key
-- (re-wrapped by `keys rotate`). Only the type recognised from the bytes and the size are in
-- clear; the name the file was sent under is sealed with the same key.
CREATE TABLE attachment (
	id TEXT PRIMARY KEY,
	subject_id TEXT REFERENCES account(id),
	file_key BYTEA,
	blob_id TEXT NOT NULL UNIQUE REFERENCES blob(id),
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	filename_ct BYTEA,
	created_ms BIGINT NOT NULL,
	CHECK ((subject_id IS NULL) <> (file_key IS NULL))
);
CREATE INDEX attachment_subject ON attachment(subject_id);

-- Optional details of an account holder (the address, at most 500 characters), sealed under
-- the account's subject key with associated data (account_profile, column, account id).
CREATE TABLE account_profile (
	account_id TEXT PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE,
	address_ct BYTEA,
	updated_ms BIGINT NOT NULL
);

-- Supporting documents an account holder keeps (a scan of the ID card for NIK verification, a
-- family card), each an attachment under the subject key with a note sealed under that key.
CREATE TABLE account_document (
	id TEXT PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES account(id),
	attachment_id TEXT NOT NULL UNIQUE REFERENCES attachment(id),
	note_ct BYTEA,
	created_ms BIGINT NOT NULL
);
CREATE INDEX account_document_account ON account_document(account_id, id);
