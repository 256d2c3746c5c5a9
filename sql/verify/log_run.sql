INSERT INTO pggit_audit.compliance_log (change_id, verification_status, verification_notes)
VALUES (NULL, $1, $2)
