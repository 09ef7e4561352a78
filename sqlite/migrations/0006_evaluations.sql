-- Published evaluations (考评): each revision of a month's league table of
-- one kind is frozen as rows, never updated; a correction writes the next
-- revision and a record of who changed what, when and why.
CREATE TABLE evaluation_snapshots (
	kind                TEXT NOT NULL,
	month               TEXT NOT NULL,
	revision            INTEGER NOT NULL CHECK (revision >= 1),
	published_at        INTEGER NOT NULL,
	published_by        INTEGER NOT NULL,
	definitions_version INTEGER NOT NULL,
	config_version      INTEGER NOT NULL,
	head                TEXT NOT NULL, -- the table without its rows (JSON)
	PRIMARY KEY (kind, month, revision)
) WITHOUT ROWID;

CREATE TABLE evaluation_rows (
	kind      TEXT NOT NULL,
	month     TEXT NOT NULL,
	revision  INTEGER NOT NULL,
	position  INTEGER NOT NULL, -- group * 1000000 + row within the group
	grp       INTEGER NOT NULL,
	row_key   TEXT NOT NULL,
	score     REAL,
	data      TEXT NOT NULL, -- the row (JSON)
	PRIMARY KEY (kind, month, revision, position),
	FOREIGN KEY (kind, month, revision) REFERENCES evaluation_snapshots (kind, month, revision)
) WITHOUT ROWID;

CREATE TABLE evaluation_corrections (
	id        INTEGER PRIMARY KEY,
	kind      TEXT NOT NULL,
	month     TEXT NOT NULL,
	revision  INTEGER NOT NULL,
	row_key   TEXT NOT NULL,
	field     TEXT NOT NULL,
	old_value REAL,
	new_value REAL NOT NULL,
	reason    TEXT NOT NULL,
	by_user   INTEGER NOT NULL,
	by_name   TEXT NOT NULL,
	at        INTEGER NOT NULL,
	FOREIGN KEY (kind, month, revision) REFERENCES evaluation_snapshots (kind, month, revision)
);
CREATE INDEX evaluation_corrections_month ON evaluation_corrections (kind, month, id);

-- The counts definitions version 2 added for the evaluations; existing
-- events are counted by `civicgrid stats rebuild`.
ALTER TABLE stats ADD COLUMN filed_on_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats ADD COLUMN public_reported INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats ADD COLUMN due_dispatching INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats ADD COLUMN dispatched_on_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats ADD COLUMN accurately_dispatched INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats ADD COLUMN closed_late INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats ADD COLUMN closed_timely INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats ADD COLUMN verify_sent_on_time INTEGER NOT NULL DEFAULT 0;
