-- What makes a database unfit as a checkout target, at most 10 rows for
-- the message: every object initdb did not make (an OID from
-- FirstNormalObjectId, 16384, on), and a public schema whose owner or
-- privileges are no longer initdb's (its comment does not matter: the
-- checkout sets it). Objects that depend on a relation or type (columns,
-- constraints, indexes, triggers, array types...) are named through it. Temporary
-- schemas of other sessions are not the database's content.
WITH objects (classid, objid) AS (
    SELECT 'pg_namespace'::regclass, n.oid
    FROM pg_namespace AS n
    WHERE n.nspname !~ '^pg_(toast_)?temp_'
    UNION ALL
    SELECT 'pg_class'::regclass, c.oid
    FROM pg_class AS c
    JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE n.nspname !~ '^pg_(toast_)?temp_' AND n.nspname <> 'pg_toast'
        AND c.relkind NOT IN ('i', 'I')
    UNION ALL
    SELECT 'pg_type'::regclass, t.oid
    FROM pg_type AS t
    JOIN pg_namespace AS n ON n.oid = t.typnamespace
    WHERE n.nspname !~ '^pg_(toast_)?temp_' AND n.nspname <> 'pg_toast'
        AND t.typrelid = 0
        AND NOT EXISTS (SELECT FROM pg_type AS e WHERE e.typarray = t.oid)
    UNION ALL SELECT 'pg_proc'::regclass, oid FROM pg_proc
    UNION ALL SELECT 'pg_collation'::regclass, oid FROM pg_collation
    UNION ALL SELECT 'pg_conversion'::regclass, oid FROM pg_conversion
    UNION ALL SELECT 'pg_operator'::regclass, oid FROM pg_operator
    UNION ALL SELECT 'pg_opfamily'::regclass, oid FROM pg_opfamily
    UNION ALL SELECT 'pg_opclass'::regclass, oid FROM pg_opclass
    UNION ALL SELECT 'pg_am'::regclass, oid FROM pg_am
    UNION ALL SELECT 'pg_cast'::regclass, oid FROM pg_cast
    UNION ALL SELECT 'pg_language'::regclass, oid FROM pg_language
    UNION ALL SELECT 'pg_extension'::regclass, oid FROM pg_extension
    UNION ALL SELECT 'pg_foreign_data_wrapper'::regclass, oid FROM pg_foreign_data_wrapper
    UNION ALL SELECT 'pg_foreign_server'::regclass, oid FROM pg_foreign_server
    UNION ALL SELECT 'pg_user_mapping'::regclass, oid FROM pg_user_mapping
    UNION ALL SELECT 'pg_event_trigger'::regclass, oid FROM pg_event_trigger
    UNION ALL SELECT 'pg_publication'::regclass, oid FROM pg_publication
    UNION ALL SELECT 'pg_ts_config'::regclass, oid FROM pg_ts_config
    UNION ALL SELECT 'pg_ts_dict'::regclass, oid FROM pg_ts_dict
    UNION ALL SELECT 'pg_ts_parser'::regclass, oid FROM pg_ts_parser
    UNION ALL SELECT 'pg_ts_template'::regclass, oid FROM pg_ts_template
    UNION ALL SELECT 'pg_statistic_ext'::regclass, oid FROM pg_statistic_ext
    UNION ALL SELECT 'pg_default_acl'::regclass, oid FROM pg_default_acl
    UNION ALL SELECT 'pg_transform'::regclass, oid FROM pg_transform
    UNION ALL SELECT 'pg_largeobject_metadata'::regclass, oid FROM pg_largeobject_metadata
)
SELECT what
FROM (
    SELECT pg_catalog.pg_describe_object(o.classid, o.objid, 0) AS what
    FROM objects AS o
    WHERE o.objid >= 16384
    UNION ALL
    SELECT 'schema public (its owner or privileges were changed)'
    FROM pg_namespace AS n
    LEFT JOIN pg_init_privs AS ip
        ON ip.classoid = 'pg_namespace'::regclass AND ip.objoid = n.oid AND ip.objsubid = 0
    WHERE n.nspname = 'public' AND n.oid < 16384
        AND (n.nspowner <> coalesce(pg_catalog.to_regrole('pg_database_owner')::oid, n.nspowner)
             OR n.nspacl IS DISTINCT FROM ip.initprivs)
) AS w
ORDER BY what COLLATE "C"
LIMIT 10
