-- The statement that undoes a CREATE EXTENSION ($1 = 'extension') or
-- CREATE EVENT TRIGGER ($1 = 'event trigger') of name $2 run on the caller's
-- connection, when the change it belongs to is rolled back.
SELECT format('DROP %s IF EXISTS %I', CASE $1::text WHEN 'extension' THEN 'EXTENSION'
                                                    ELSE 'EVENT TRIGGER' END, $2::text);
