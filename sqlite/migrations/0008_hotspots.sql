-- 0008_hotspots: hotspots (热点). The recurred count (复发数) of
-- civicgrid's metrics gets its column. Aggregates written before it have
-- neither recurrences nor the two-level groupings (cell_category and the
-- like, new rows of the same table): `civicgrid stats rebuild` recounts
-- both from the events (recurrences from the report events' "recurs",
-- which intake writes from this version on).
ALTER TABLE stats ADD COLUMN recurred INTEGER NOT NULL DEFAULT 0;

-- The latest case of a category in a cell before a time, which intake
-- looks up for every new case to mark a recurrence: one index seek (the
-- query names the index). The cell leads: an index leading with the
-- category invites a skip-scan over the categories, and a sort of the
-- whole area, for every list filtered on an area.
CREATE INDEX cases_cell_category ON cases (cell_code, category_code, created_at);
