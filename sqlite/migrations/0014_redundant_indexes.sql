-- 0014_redundant_indexes: indexes the later ones made redundant, each the
-- prefix of another: cases_status of cases_map (status, created_at, …),
-- cases_category of cases_open_near (category_code, lat, lon, created_at).
-- Every index is written on every new case; these bought nothing.
DROP INDEX cases_status;
DROP INDEX cases_category;
