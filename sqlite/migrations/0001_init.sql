-- 0001_init: the whole schema. Times are INTEGER unix milliseconds (UTC);
-- an id of 0 in the domain (no unit, no user) is NULL here, so that foreign
-- keys hold.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

-- The working calendar is one row: periods as [[start,end],...] in minutes
-- after midnight, overrides as [{"date","kind","name"}].
CREATE TABLE calendar (
	id        INTEGER PRIMARY KEY CHECK (id = 1),
	periods   TEXT NOT NULL,
	overrides TEXT NOT NULL
);

CREATE TABLE areas (
	code        TEXT PRIMARY KEY,
	level       TEXT NOT NULL,
	name        TEXT NOT NULL,
	parent_code TEXT NOT NULL DEFAULT '',
	shape       BLOB -- see geometry.go; NULL when the area has no outline
) WITHOUT ROWID;

CREATE TABLE units (
	id        INTEGER PRIMARY KEY,
	code      TEXT NOT NULL UNIQUE,
	name_zh   TEXT NOT NULL,
	name_en   TEXT NOT NULL DEFAULT '',
	kind      TEXT NOT NULL DEFAULT '',
	area_code TEXT NOT NULL DEFAULT '',
	phone     TEXT NOT NULL DEFAULT '',
	active    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	display_name  TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL,
	unit_id       INTEGER REFERENCES units (id),
	area_code     TEXT NOT NULL DEFAULT '',
	phone         TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL DEFAULT '',
	active        INTEGER NOT NULL,
	created_at    INTEGER NOT NULL
);
CREATE INDEX users_role ON users (role);
CREATE INDEX users_unit ON users (unit_id) WHERE unit_id IS NOT NULL;

CREATE TABLE tokens (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	name       TEXT NOT NULL DEFAULT '',
	hash       TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL
);
CREATE INDEX tokens_user ON tokens (user_id);

-- A cell code has one row per version; the current one has no valid_to.
CREATE TABLE grid_cells (
	id         INTEGER PRIMARY KEY,
	code       TEXT NOT NULL,
	name       TEXT NOT NULL DEFAULT '',
	shape      BLOB,
	area_m2    REAL NOT NULL,
	lat        REAL NOT NULL,
	lon        REAL NOT NULL,
	valid_from INTEGER NOT NULL,
	valid_to   INTEGER
);
CREATE UNIQUE INDEX grid_cells_current ON grid_cells (code) WHERE valid_to IS NULL;
CREATE INDEX grid_cells_history ON grid_cells (code, valid_from);

-- Inspectors belong to a cell code, whatever its version.
CREATE TABLE cell_inspectors (
	cell_code TEXT NOT NULL,
	user_id   INTEGER NOT NULL REFERENCES users (id),
	PRIMARY KEY (cell_code, user_id)
) WITHOUT ROWID;
CREATE INDEX cell_inspectors_user ON cell_inspectors (user_id, cell_code);

CREATE TABLE categories (
	code TEXT PRIMARY KEY,
	data TEXT NOT NULL -- the whole civicgrid.Category as JSON
) WITHOUT ROWID;

CREATE TABLE routing_rules (
	id              INTEGER PRIMARY KEY,
	category_prefix TEXT NOT NULL,
	area_prefix     TEXT NOT NULL,
	unit_id         INTEGER NOT NULL REFERENCES units (id),
	UNIQUE (category_prefix, area_prefix)
);

CREATE TABLE components (
	code               TEXT PRIMARY KEY,
	category_code      TEXT NOT NULL,
	name               TEXT NOT NULL DEFAULT '',
	cell_code          TEXT NOT NULL DEFAULT '',
	lat                REAL NOT NULL,
	lon                REAL NOT NULL,
	owner_unit_id      INTEGER REFERENCES units (id),
	maintainer_unit_id INTEGER REFERENCES units (id),
	state              TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE attachments (
	id          TEXT PRIMARY KEY, -- hex SHA-256 of the bytes
	mime        TEXT NOT NULL,
	size        INTEGER NOT NULL,
	width       INTEGER NOT NULL,
	height      INTEGER NOT NULL,
	uploaded_by INTEGER NOT NULL, -- 0 is the system
	created_at  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE case_seq (
	year INTEGER PRIMARY KEY,
	seq  INTEGER NOT NULL
);

-- Columns that are filtered or sorted on are real columns; the rest of the
-- case (stage clocks, pending extension, photos) is JSON text.
CREATE TABLE cases (
	id                 INTEGER PRIMARY KEY,
	number             TEXT NOT NULL UNIQUE,
	source             TEXT NOT NULL,
	category_code      TEXT NOT NULL,
	lat                REAL NOT NULL,
	lon                REAL NOT NULL,
	address            TEXT NOT NULL DEFAULT '',
	cell_code          TEXT NOT NULL,
	community_code     TEXT NOT NULL,
	street_code        TEXT NOT NULL,
	district_code      TEXT NOT NULL,
	component_code     TEXT NOT NULL DEFAULT '',
	description        TEXT NOT NULL,
	reporter_name      TEXT NOT NULL DEFAULT '',
	reporter_phone     TEXT NOT NULL DEFAULT '',
	reporter_user_id   INTEGER REFERENCES users (id),
	status             TEXT NOT NULL,
	stage              TEXT NOT NULL DEFAULT '',
	stage_started_at   INTEGER,
	stage_limit_amount REAL NOT NULL DEFAULT 0,
	stage_limit_unit   TEXT NOT NULL DEFAULT '',
	deadline           INTEGER,
	deadlines          TEXT,
	unit_id            INTEGER REFERENCES units (id),
	inspector_id       INTEGER REFERENCES users (id),
	urgent             INTEGER NOT NULL,
	overdue            INTEGER NOT NULL,
	returns            INTEGER NOT NULL DEFAULT 0,
	reworks            INTEGER NOT NULL DEFAULT 0,
	extensions         INTEGER NOT NULL DEFAULT 0,
	dispatches         INTEGER NOT NULL DEFAULT 0,
	urges              INTEGER NOT NULL DEFAULT 0,
	reports            INTEGER NOT NULL DEFAULT 0,
	pending_extension  TEXT,
	suspended_from     TEXT NOT NULL DEFAULT '',
	suspended_left     INTEGER NOT NULL DEFAULT 0,
	photos             TEXT,
	workflow_version   INTEGER NOT NULL,
	created_at         INTEGER NOT NULL,
	updated_at         INTEGER NOT NULL,
	closed_at          INTEGER,
	version            INTEGER NOT NULL
);
-- Each index ends, implicitly, in id, so "newest first" within a match
-- needs no sort.
CREATE INDEX cases_status ON cases (status);
CREATE INDEX cases_category ON cases (category_code);
CREATE INDEX cases_cell ON cases (cell_code);
CREATE INDEX cases_unit ON cases (unit_id) WHERE unit_id IS NOT NULL;
CREATE INDEX cases_inspector ON cases (inspector_id) WHERE inspector_id IS NOT NULL;
CREATE INDEX cases_reporter ON cases (reporter_user_id) WHERE reporter_user_id IS NOT NULL;
CREATE INDEX cases_created ON cases (created_at);
CREATE INDEX cases_overdue ON cases (overdue) WHERE overdue = 1;
-- The overdue sweep: open cases with a running clock not yet marked overdue.
CREATE INDEX cases_due ON cases (deadline)
	WHERE overdue = 0 AND deadline IS NOT NULL AND status NOT IN ('closed', 'cancelled');

CREATE TABLE case_events (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES cases (id),
	action      TEXT NOT NULL,
	actor_id    INTEGER NOT NULL, -- 0 is the system
	actor_name  TEXT NOT NULL DEFAULT '',
	role        TEXT NOT NULL DEFAULT '',
	at          INTEGER NOT NULL,
	from_status TEXT NOT NULL DEFAULT '',
	to_status   TEXT NOT NULL DEFAULT '',
	note        TEXT NOT NULL DEFAULT '',
	data        TEXT,
	photos      TEXT,
	stage_ended TEXT NOT NULL DEFAULT '',
	on_time     INTEGER,
	deadline    INTEGER
);
CREATE INDEX case_events_case ON case_events (case_id);

CREATE TABLE outbox (
	id           INTEGER PRIMARY KEY,
	topic        TEXT NOT NULL,
	case_id      INTEGER REFERENCES cases (id),
	recipient    TEXT NOT NULL,
	payload      TEXT NOT NULL,
	run_at       INTEGER NOT NULL,
	created_at   INTEGER NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	delivered_at INTEGER
);
CREATE INDEX outbox_due ON outbox (run_at) WHERE delivered_at IS NULL;
CREATE INDEX outbox_case ON outbox (case_id) WHERE delivered_at IS NULL;
