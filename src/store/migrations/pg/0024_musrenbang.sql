-- Musrenbang (issue #7): participatory development planning. A round per year and unit
-- (village, district, regency) with its phases, dates and budget; residents' proposals with
-- the officers' verification; the voter snapshot taken when voting opens (the accounts whose
-- home village lay in the round's unit then); one ballot per NIK (unique blind index) with its
-- chosen items; the frozen results (votes, rank, funded); the hand-overs that carry a village
-- proposal up to the district and on to the regency; progress updates with photos.
CREATE TABLE musrenbang_round (
	id TEXT PRIMARY KEY,
	unit_id TEXT NOT NULL REFERENCES unit(id),
	unit_path TEXT NOT NULL,
	level TEXT NOT NULL CHECK (level IN ('village', 'district', 'regency')),
	year BIGINT NOT NULL,
	title TEXT NOT NULL,
	budget BIGINT NOT NULL CHECK (budget > 0),
	carry_up BIGINT NOT NULL DEFAULT 0 CHECK (carry_up >= 0),
	phase TEXT NOT NULL CHECK (phase IN ('proposals', 'verification', 'voting', 'ranking',
	                                     'results')),
	proposals_until BIGINT NOT NULL,
	verification_until BIGINT NOT NULL,
	voting_until BIGINT NOT NULL,
	ranking_until BIGINT NOT NULL,
	snapshot_ms BIGINT,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	UNIQUE (unit_id, year)
);
CREATE INDEX musrenbang_round_path ON musrenbang_round(unit_path, id);
CREATE INDEX musrenbang_round_year ON musrenbang_round(year, id);

CREATE TABLE musrenbang_proposal (
	id TEXT PRIMARY KEY,
	round_id TEXT NOT NULL REFERENCES musrenbang_round(id),
	proposer_account_id TEXT REFERENCES account(id),
	title TEXT NOT NULL,
	location TEXT NOT NULL,
	est_cost BIGINT NOT NULL CHECK (est_cost > 0),
	beneficiaries TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('submitted', 'feasible', 'infeasible')),
	verify_reason TEXT,
	checked_cost BIGINT,
	verified_by TEXT,
	verified_ms BIGINT,
	origin_proposal_id TEXT REFERENCES musrenbang_proposal(id),
	votes BIGINT,
	rank BIGINT,
	funded BIGINT NOT NULL DEFAULT 0 CHECK (funded IN (0, 1)),
	progress_status TEXT CHECK (progress_status IN ('planned', 'in_progress', 'done')),
	progress_pct BIGINT NOT NULL DEFAULT 0 CHECK (progress_pct BETWEEN 0 AND 100),
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL
);
CREATE INDEX musrenbang_proposal_round ON musrenbang_proposal(round_id, id);
CREATE INDEX musrenbang_proposal_origin ON musrenbang_proposal(origin_proposal_id);
CREATE INDEX musrenbang_proposal_proposer ON musrenbang_proposal(proposer_account_id, created_ms);

-- Photos of proposals and progress updates: cleaned (metadata stripped) and public by nature.
CREATE TABLE musrenbang_photo (
	id TEXT PRIMARY KEY,
	proposal_id TEXT NOT NULL REFERENCES musrenbang_proposal(id),
	progress_id TEXT,
	mime TEXT NOT NULL,
	data BYTEA NOT NULL,
	created_ms BIGINT NOT NULL
);
CREATE INDEX musrenbang_photo_proposal ON musrenbang_photo(proposal_id, id);

CREATE TABLE musrenbang_voter (
	round_id TEXT NOT NULL REFERENCES musrenbang_round(id),
	account_id TEXT NOT NULL REFERENCES account(id),
	home_village_id TEXT NOT NULL REFERENCES unit(id),
	PRIMARY KEY (round_id, account_id)
);

CREATE TABLE musrenbang_ballot (
	id TEXT PRIMARY KEY,
	round_id TEXT NOT NULL REFERENCES musrenbang_round(id),
	account_id TEXT REFERENCES account(id),  -- NULL once the account is erased
	nik_bidx BYTEA NOT NULL,
	cast_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	UNIQUE (round_id, nik_bidx)
);
CREATE INDEX musrenbang_ballot_account ON musrenbang_ballot(account_id, round_id);

CREATE TABLE musrenbang_ballot_item (
	ballot_id TEXT NOT NULL REFERENCES musrenbang_ballot(id),
	proposal_id TEXT NOT NULL REFERENCES musrenbang_proposal(id),
	PRIMARY KEY (ballot_id, proposal_id)
);
CREATE INDEX musrenbang_ballot_item_proposal ON musrenbang_ballot_item(proposal_id);

CREATE TABLE musrenbang_handover (
	id TEXT PRIMARY KEY,
	from_round_id TEXT NOT NULL REFERENCES musrenbang_round(id),
	from_proposal_id TEXT NOT NULL UNIQUE REFERENCES musrenbang_proposal(id),
	to_round_id TEXT NOT NULL REFERENCES musrenbang_round(id),
	to_proposal_id TEXT NOT NULL UNIQUE REFERENCES musrenbang_proposal(id),
	actor_id TEXT,
	at_ms BIGINT NOT NULL
);

CREATE TABLE musrenbang_progress (
	id TEXT PRIMARY KEY,
	proposal_id TEXT NOT NULL REFERENCES musrenbang_proposal(id),
	status TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done')),
	percent BIGINT NOT NULL CHECK (percent BETWEEN 0 AND 100),
	note TEXT NOT NULL,
	actor_id TEXT,
	at_ms BIGINT NOT NULL
);
CREATE INDEX musrenbang_progress_proposal ON musrenbang_progress(proposal_id, at_ms, id);
