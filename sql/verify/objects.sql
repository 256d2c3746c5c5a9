-- Read in binary so object bodies (trees hold raw SHA bytes) come back as is.
DECLARE ddlsnap_objects NO SCROLL BINARY CURSOR FOR
SELECT sha, type, content FROM pggit_v2.objects ORDER BY sha
