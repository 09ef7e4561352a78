-- 0009_durations: the supervision durations (用时, civicgrid.DurationMetric),
-- kept in the transaction of the event that ends each one. A median
-- cannot be summed from daily figures, so every duration is kept: one row
-- per dimension, metric, day (yyyymmdd in the city's zone), value and
-- length in seconds, with how many cases took exactly that long.
--
-- The key leads with dim, metric and day, so a period's durations of one
-- dimension read only that period's rows, in the order a median needs
-- after grouping by value.
CREATE TABLE stat_durations (
	dim     TEXT NOT NULL,
	metric  TEXT NOT NULL,
	day     INTEGER NOT NULL,
	value   TEXT NOT NULL,
	seconds INTEGER NOT NULL,
	n       INTEGER NOT NULL,
	PRIMARY KEY (dim, metric, day, value, seconds)
) WITHOUT ROWID;
