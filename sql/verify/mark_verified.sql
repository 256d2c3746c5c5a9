-- A passing run: every audit row not yet verified is, with one log row each.
WITH marked AS (
    UPDATE pggit_audit.changes
       SET verified = true
     WHERE NOT verified
    RETURNING change_id
)
INSERT INTO pggit_audit.compliance_log (change_id, verification_status, verification_notes)
SELECT change_id, 'PASSED', $1
  FROM marked
