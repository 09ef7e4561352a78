-- 0013_map: the grid map's reads (civicgrid.CaseMapStore). The map asks
-- for the cases of one class (open, overdue or closed: a status set and
-- the overdue flag) reported in a period, in a box, as points, as counts
-- per cell or as counts per square of the screen, within the reader's
-- area (a prefix of the cell code). This index answers all three from the
-- index alone: the status, then the day reported (the closed cases, which
-- are most, are read a period at a time), then the rest the map reads.
CREATE INDEX cases_map ON cases (status, created_at, lat, lon, overdue, cell_code);
