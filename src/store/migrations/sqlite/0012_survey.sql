-- The satisfaction survey (IKM, PermenPANRB 14/2017). Anonymous by construction: no row per
-- response is kept at all. An answer is added to the running totals of its (quarter, unit,
-- service) group (survey_tally: the count and the sum of each element), which is all the
-- published figures need (the mean of each element is its sum over the count). So no row
-- carries one person's scores, a time, an id or a storage position that could be paired with
-- the record that the application was answered (survey_answered), which keeps the one-answer-
-- per-application rule. Both are written in one transaction (docs: src/domain/survey.h).
CREATE TABLE survey_tally (
	-- The quarter of the answers in the installation's time zone.
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 9999),
	quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
	unit_id TEXT NOT NULL REFERENCES unit(id),
	service_id TEXT NOT NULL REFERENCES service(id),
	n INTEGER NOT NULL CHECK (n >= 1),
	-- The sums of the nine elements in the regulation's order, each answer 1..4.
	t1 INTEGER NOT NULL CHECK (t1 BETWEEN n AND 4 * n),
	t2 INTEGER NOT NULL CHECK (t2 BETWEEN n AND 4 * n),
	t3 INTEGER NOT NULL CHECK (t3 BETWEEN n AND 4 * n),
	t4 INTEGER NOT NULL CHECK (t4 BETWEEN n AND 4 * n),
	t5 INTEGER NOT NULL CHECK (t5 BETWEEN n AND 4 * n),
	t6 INTEGER NOT NULL CHECK (t6 BETWEEN n AND 4 * n),
	t7 INTEGER NOT NULL CHECK (t7 BETWEEN n AND 4 * n),
	t8 INTEGER NOT NULL CHECK (t8 BETWEEN n AND 4 * n),
	t9 INTEGER NOT NULL CHECK (t9 BETWEEN n AND 4 * n),
	PRIMARY KEY (year, quarter, unit_id, service_id)
) WITHOUT ROWID;

-- Applications whose survey was answered: only the fact, never what (no foreign key, so
-- removing an application is never blocked by it).
CREATE TABLE survey_answered (
	application_id TEXT PRIMARY KEY
) WITHOUT ROWID;
