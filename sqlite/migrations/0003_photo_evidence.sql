-- Photo evidence: what a photo's EXIF says about where and when it was
-- taken, its thumbnail, and the judgement of a case's photos against the
-- report (weak evidence is flagged on the case).
ALTER TABLE attachments ADD COLUMN taken INTEGER;          -- unix ms, from EXIF
ALTER TABLE attachments ADD COLUMN gps_lat REAL;           -- from EXIF
ALTER TABLE attachments ADD COLUMN gps_lon REAL;
ALTER TABLE attachments ADD COLUMN thumbnail_id TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN weak_evidence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN evidence BLOB;                -- JSON list of PhotoEvidence, NULL when none
