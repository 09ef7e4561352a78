-- 0004_stats: the supervision aggregates, kept in the transaction that
-- writes the events they count (civicgrid.RecordEvent). One row per
-- dimension, day (yyyymmdd in the city's zone) and value, with one column
-- per count of civicgrid.CountCodes (a column a count lacks is a
-- migration, then `civicgrid stats rebuild`). A correction may take one
-- off, so a count can be 0.
--
-- The key leads with dim and day: a period's table of one dimension
-- ("sum the counts group by value where dim = ? and day in [from, to)")
-- reads only that period's rows of that dimension, however many cases
-- there are. A row holds every count of its cell: a tenth of the rows of
-- one row per count, which is what writing and reading them costs.
CREATE TABLE stats (
	dim              TEXT NOT NULL,
	day              INTEGER NOT NULL,
	value            TEXT NOT NULL,
	reported         INTEGER NOT NULL DEFAULT 0,
	valid_reported   INTEGER NOT NULL DEFAULT 0,
	accepted         INTEGER NOT NULL DEFAULT 0,
	accepted_on_time INTEGER NOT NULL DEFAULT 0,
	filed            INTEGER NOT NULL DEFAULT 0,
	cancelled        INTEGER NOT NULL DEFAULT 0,
	accurately_filed INTEGER NOT NULL DEFAULT 0,
	dispatched       INTEGER NOT NULL DEFAULT 0,
	returned         INTEGER NOT NULL DEFAULT 0,
	due_handling     INTEGER NOT NULL DEFAULT 0,
	handled          INTEGER NOT NULL DEFAULT 0,
	handled_on_time  INTEGER NOT NULL DEFAULT 0,
	handled_late     INTEGER NOT NULL DEFAULT 0,
	reworked         INTEGER NOT NULL DEFAULT 0,
	extended         INTEGER NOT NULL DEFAULT 0,
	suspended        INTEGER NOT NULL DEFAULT 0,
	urged            INTEGER NOT NULL DEFAULT 0,
	due_verifying    INTEGER NOT NULL DEFAULT 0,
	verified         INTEGER NOT NULL DEFAULT 0,
	verified_on_time INTEGER NOT NULL DEFAULT 0,
	due_checking     INTEGER NOT NULL DEFAULT 0,
	checked          INTEGER NOT NULL DEFAULT 0,
	checked_on_time  INTEGER NOT NULL DEFAULT 0,
	due_closing      INTEGER NOT NULL DEFAULT 0,
	closed           INTEGER NOT NULL DEFAULT 0,
	closed_on_time   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (dim, day, value)
) WITHOUT ROWID;
