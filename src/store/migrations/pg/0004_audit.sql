-- Audit log (DESIGN §4): an append-only hash chain of every change and of every staff read of a
-- citizen's personal data, with signed checkpoints; the database refuses UPDATE, DELETE and
-- TRUNCATE on both tables.
--
-- seq is assigned by the appending transaction as previous + 1 (gapless, from 1) while it holds
-- the audit advisory lock; hash is BLAKE2b-256 over a canonical encoding of the row and
-- prev_hash (see src/domain/audit.c), so every row commits to all rows before it. Rows name
-- people and objects by id only.
--
-- Staff reads of personal data are rows of this same chain (action "personal.read", the
-- citizen's account in subject_id, the reason in purpose) rather than a separate access_log:
-- the list a citizen sees on /akun/akses is then as tamper-evident as the rest of the log,
-- with one append path and one verifier. audit_log_subject serves that page: newest first by
-- subject, keyset on seq.
CREATE TABLE audit_log (
	seq BIGINT PRIMARY KEY,
	ts_ms BIGINT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	object_type TEXT,
	object_id TEXT,
	unit_id TEXT,
	subject_id TEXT,
	purpose TEXT,
	details TEXT NOT NULL,
	prev_hash BYTEA NOT NULL,
	hash BYTEA NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log(subject_id, seq) WHERE subject_id IS NOT NULL;

-- A checkpoint signs (seq, hash, ts_ms) of the newest entry with the audit key (Ed25519);
-- key_id is the first 8 bytes, in hex, of BLAKE2b-256 of the public key.
CREATE TABLE audit_checkpoint (
	seq BIGINT PRIMARY KEY,
	hash BYTEA NOT NULL,
	ts_ms BIGINT NOT NULL,
	key_id TEXT NOT NULL,
	signature BYTEA NOT NULL
);

CREATE FUNCTION pd_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
		USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION pd_audit_refuse();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION pd_audit_refuse();
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
	FOR EACH ROW EXECUTE FUNCTION pd_audit_refuse();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
	FOR EACH STATEMENT EXECUTE FUNCTION pd_audit_refuse();
