-- 0015_case_dispatcher: who made a case's current dispatch (派遣员), so that
-- a unit's return (回退) can name the dispatcher it holds to account (准确派遣率
-- per person). 0 when the case is not dispatched, or was dispatched before
-- this column existed.
ALTER TABLE cases ADD COLUMN dispatcher_id INTEGER NOT NULL DEFAULT 0;
