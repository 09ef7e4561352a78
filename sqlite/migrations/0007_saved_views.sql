-- 0007: saved views (常用筛选), a user's named filters of the case list,
-- and two indexes on cases for the lists they open and for the command
-- centre's dashboard. query is the list's URL query
-- (status=filed&district=330102).
CREATE TABLE saved_views (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	name       TEXT NOT NULL,
	query      TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX saved_views_user_name ON saved_views (user_id, name);

-- The dashboard counts the open cases of an area by stage clock every few
-- seconds (FindOpenCaseClocks): the open cases are a few hundred among a
-- city's tens of thousands, and this partial index holds only them. Its
-- condition repeats the query's, so that the planner may use it.
CREATE INDEX cases_open_cell ON cases (cell_code, status)
	WHERE status NOT IN ('closed', 'cancelled');

-- A saved view is mostly a status within an area ("filed, in my
-- district": the bulk dispatch list). With the status beside the cell
-- code, an area's cases of one status are found in the area's index
-- entries without reading a case. It replaces cases_cell, its prefix.
-- (Leading with the status instead would invite a skip-scan over the few
-- statuses for every area query, and a sort of the whole area where
-- walking the newest cases first stops after a page.)
CREATE INDEX cases_cell_status ON cases (cell_code, status);
DROP INDEX cases_cell;
