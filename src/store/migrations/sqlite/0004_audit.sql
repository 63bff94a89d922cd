-- Audit log (DESIGN §4): an append-only hash chain of every change and of every staff read of a
-- citizen's personal data, with signed checkpoints; the database refuses UPDATE and DELETE.
--
-- seq is assigned by the appending transaction as previous + 1 (gapless, from 1); hash is
-- BLAKE2b-256 over a canonical encoding of the row and prev_hash (see src/domain/audit.c), so
-- every row commits to all rows before it. Rows name people and objects by id only.
--
-- Staff reads of personal data are rows of this same chain (action "personal.read", the
-- citizen's account in subject_id, the reason in purpose) rather than a separate access_log:
-- the list a citizen sees on /akun/akses is then as tamper-evident as the rest of the log,
-- with one append path and one verifier. audit_log_subject serves that page: newest first by
-- subject, keyset on seq.
CREATE TABLE audit_log (
	seq INTEGER PRIMARY KEY,
	ts_ms INTEGER NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	object_type TEXT,
	object_id TEXT,
	unit_id TEXT,
	subject_id TEXT,
	purpose TEXT,
	details TEXT NOT NULL,
	prev_hash BLOB NOT NULL,
	hash BLOB NOT NULL
) STRICT;
CREATE INDEX audit_log_subject ON audit_log(subject_id, seq) WHERE subject_id IS NOT NULL;

-- A checkpoint signs (seq, hash, ts_ms) of the newest entry with the audit key (Ed25519);
-- key_id is the first 8 bytes, in hex, of BLAKE2b-256 of the public key.
CREATE TABLE audit_checkpoint (
	seq INTEGER PRIMARY KEY,
	hash BLOB NOT NULL,
	ts_ms INTEGER NOT NULL,
	key_id TEXT NOT NULL,
	signature BLOB NOT NULL
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused');
END;
CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
BEGIN
	SELECT RAISE(ABORT, 'audit_checkpoint is append-only: UPDATE refused');
END;
CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
BEGIN
	SELECT RAISE(ABORT, 'audit_checkpoint is append-only: DELETE refused');
END;
