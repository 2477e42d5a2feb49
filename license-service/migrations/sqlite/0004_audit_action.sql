-- The audit log filtered by action (the portal's filter, `GET /api/v1/audit?action=`),
-- newest first, and counted, from the index alone.
CREATE INDEX svc_audit_action ON svc_audit (action, id);
