-- 0002_intake: every report of a case (a case folds in the duplicates
-- reported near it), how each reached the city, API keys for applications,
-- and the answers kept for retried POSTs. Cases stored before this have no
-- reports; the domain falls back to the case's own reporter for them.

-- The reporter's e-mail and the intake details (station, device time,
-- work-order number, API key, Open311 attributes) as JSON; NULL when there
-- are none.
ALTER TABLE cases ADD COLUMN reporter_email TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN intake TEXT;

-- Feeds and synchronisation ask for cases changed in a span.
CREATE INDEX cases_updated ON cases (updated_at);
-- Duplicate detection: open cases of one category in a small box. Latitude
-- narrows a city to a band a few hundred metres wide; longitude and the
-- reporting window are then checked in the index, so only the few cases in
-- the box are read. The condition repeats FindOpenCasesNear's, so that the
-- partial index is used.
CREATE INDEX cases_open_near ON cases (category_code, lat, lon, created_at)
	WHERE status NOT IN ('closed', 'cancelled');

-- Status feeds read the events of every case in a span, oldest first.
CREATE INDEX case_events_at ON case_events (at);

-- external_id is the sending system's id of the report (Intake.ExternalID),
-- '' when it sent none; the rest of the intake is JSON without it.
CREATE TABLE case_reports (
	id               INTEGER PRIMARY KEY,
	case_id          INTEGER NOT NULL REFERENCES cases (id),
	source           TEXT NOT NULL,
	reporter_name    TEXT NOT NULL DEFAULT '',
	reporter_phone   TEXT NOT NULL DEFAULT '',
	reporter_email   TEXT NOT NULL DEFAULT '',
	reporter_user_id INTEGER REFERENCES users (id),
	description      TEXT NOT NULL,
	lat              REAL NOT NULL,
	lon              REAL NOT NULL,
	photos           TEXT,
	intake           TEXT,
	external_id      TEXT NOT NULL DEFAULT '',
	at               INTEGER NOT NULL
);
CREATE UNIQUE INDEX case_reports_external ON case_reports (source, external_id) WHERE external_id <> '';
CREATE INDEX case_reports_case ON case_reports (case_id, at);

-- Only the key's hash is kept; prefix tells keys apart in lists.
CREATE TABLE api_keys (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	prefix     TEXT NOT NULL,
	hash       TEXT NOT NULL UNIQUE,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	revoked_at INTEGER
);
CREATE INDEX api_keys_user ON api_keys (user_id);

-- A row with status 0 is a request still being served. A rowid table,
-- not WITHOUT ROWID: bodies may be larger than such tables hold well.
CREATE TABLE idempotency (
	scope        TEXT NOT NULL,
	key          TEXT NOT NULL,
	request_hash TEXT NOT NULL,
	status       INTEGER NOT NULL DEFAULT 0,
	content_type TEXT NOT NULL DEFAULT '',
	body         BLOB,
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_created ON idempotency (created_at);
