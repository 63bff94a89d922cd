-- Performance (issue #8): indexes that make the background jobs O(batch), the writer's
-- complaint insert cheaper and the catalogue's filter lists index-only. The overdue job lists
-- submitted/processing applications past their deadline that are not flagged yet, and the
-- escalation job open complaints past their deadline that are not escalated yet: with the
-- flag in the partial index's condition, rows already flagged are no longer in the index, so
-- a batch never rescans them. The counts of flagged rows the jobs report read small partial
-- indexes of the flagged rows only.
CREATE INDEX application_due_unflagged ON application(due_ms, id)
	WHERE status IN ('submitted', 'processing') AND overdue = 0;
CREATE INDEX application_overdue ON application(status) WHERE overdue = 1;
CREATE INDEX complaint_due_unescalated ON complaint(due_ms, id)
	WHERE status IN ('new', 'dispositioned', 'reopened') AND escalated_ms IS NULL;
CREATE INDEX complaint_overdue ON complaint(status) WHERE overdue = 1;
-- complaint_due served only the escalation job (replaced above); complaint_place no query
-- (EXPLAIN QUERY PLAN of every statement on complaint, docs/performance.md): each cost the
-- writer an index update per filed complaint.
DROP INDEX complaint_due;
DROP INDEX complaint_place;
-- The catalogue's filters (its categories, the units offering services) from an index alone,
-- without reading each service's long Standar Pelayanan row.
CREATE INDEX service_filters ON service(enabled, category, unit_id);
