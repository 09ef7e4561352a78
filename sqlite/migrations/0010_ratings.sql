-- 0010_ratings: the counts of reporters' ratings of closed cases
-- (满意度评价, civicgrid.ActionRate): rated (回访数) and satisfied (满意数,
-- a score of 4 or 5).
ALTER TABLE stats ADD COLUMN rated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats ADD COLUMN satisfied INTEGER NOT NULL DEFAULT 0;
