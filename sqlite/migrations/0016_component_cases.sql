-- 0016_component_cases: the cases that name a registered component (部件),
-- for the repeats at the same component (ComponentRepeats) and the case
-- list's component filter. Partial: most cases name none.
CREATE INDEX cases_component ON cases (component_code, created_at) WHERE component_code <> '';
