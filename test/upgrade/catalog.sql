-- The ender extension's catalog objects as sorted text lines, one per property, for
-- test/upgrade/catalog.sh to compare between a fresh install of the latest version and an old
-- version brought up by its update scripts (as pg_cron and Citus test their upgrade paths).
-- Every member object (pg_depend deptype 'e') with its definition, owner-independent ACL
-- (sorted), initial privileges (pg_init_privs, what pg_dump compares against), and comment;
-- tables with their columns in order, constraints, indexes, triggers and policies; sequences'
-- parameters; types; the tables whose rows pg_dump keeps (extconfig).
\pset format unaligned
\pset tuples_only on
WITH ext AS (
    SELECT oid, extconfig, extcondition, extrelocatable, extnamespace FROM pg_extension WHERE extname = 'ender'
), member AS (
    SELECT d.classid, d.objid
    FROM pg_depend d, ext
    WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
), rel AS (
    SELECT c.* FROM pg_class c JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
)
SELECT replace(line, E'\n', '\n') FROM (
    SELECT 'member ' || pg_describe_object(classid, objid, 0) AS line FROM member
    UNION ALL
    SELECT 'extension relocatable=' || extrelocatable || ' schema=' || extnamespace::regnamespace FROM ext
    UNION ALL
    SELECT 'dumped table ' || c::regclass || coalesce(' where ' || nullif(cond, ''), '')
    FROM ext, unnest(extconfig, extcondition) AS u(c, cond)
    UNION ALL
    -- Functions and procedures: the full definition (volatility, strictness, parallel safety,
    -- settings, body), the ACL.
    SELECT 'function ' || p.oid::regprocedure || ' ' ||
           CASE WHEN p.prokind IN ('f', 'p', 'w') THEN pg_get_functiondef(p.oid)
                ELSE p.prokind::text END
    FROM pg_proc p JOIN member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
    UNION ALL
    SELECT 'function ' || p.oid::regprocedure || ' acl ' ||
           coalesce((SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(p.proacl) a), 'default')
    FROM pg_proc p JOIN member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
    UNION ALL
    SELECT 'schema ' || n.nspname || ' acl ' ||
           coalesce((SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(n.nspacl) a), 'default')
    FROM pg_namespace n JOIN member m ON m.classid = 'pg_namespace'::regclass AND m.objid = n.oid
    UNION ALL
    -- Relations: kind, persistence, options, ACL; columns in order (dropped ones left out, so a
    -- column's place is its place among the living), with type, nullability, default,
    -- identity, generation and ACL.
    SELECT 'relation ' || c.oid::regclass || ' kind=' || c.relkind::text || ' persistence=' || c.relpersistence::text ||
           ' options=' || coalesce(c.reloptions::text, '') || ' acl ' ||
           coalesce((SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(c.relacl) a), 'default')
    FROM rel c
    UNION ALL
    SELECT 'relation ' || c.oid::regclass || ' column ' ||
           lpad((row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum))::text, 3, '0') || ' ' || quote_ident(a.attname) || ' ' ||
           format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END ||
           coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '') ||
           CASE a.attidentity WHEN 'a' THEN ' identity always' WHEN 'd' THEN ' identity by default' ELSE '' END ||
           CASE a.attgenerated WHEN 's' THEN ' generated stored' ELSE '' END ||
           CASE WHEN a.attcollation <> 0 AND a.attcollation <> (SELECT typcollation FROM pg_type WHERE oid = a.atttypid)
                THEN ' collate ' || a.attcollation::regcollation ELSE '' END ||
           coalesce(' acl ' || (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(a.attacl) x), '')
    FROM rel c
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
    UNION ALL
    SELECT 'relation ' || c.oid::regclass || ' constraint ' || quote_ident(k.conname) || ' ' ||
           pg_get_constraintdef(k.oid) || CASE WHEN k.convalidated THEN '' ELSE ' (not validated)' END
    FROM rel c JOIN pg_constraint k ON k.conrelid = c.oid
    UNION ALL
    SELECT 'relation ' || c.oid::regclass || ' index ' || pg_get_indexdef(i.indexrelid)
    FROM rel c JOIN pg_index i ON i.indrelid = c.oid
    UNION ALL
    SELECT 'relation ' || c.oid::regclass || ' trigger ' || pg_get_triggerdef(t.oid) ||
           ' enabled=' || t.tgenabled::text
    FROM rel c JOIN pg_trigger t ON t.tgrelid = c.oid AND NOT t.tgisinternal
    UNION ALL
    SELECT 'relation ' || c.oid::regclass || ' policy ' || quote_ident(p.polname) || ' ' || p.polcmd::text ||
           ' permissive=' || p.polpermissive || ' roles=' || p.polroles::regrole[]::text ||
           coalesce(' using ' || pg_get_expr(p.polqual, p.polrelid), '') ||
           coalesce(' check ' || pg_get_expr(p.polwithcheck, p.polrelid), '')
    FROM rel c JOIN pg_policy p ON p.polrelid = c.oid
    UNION ALL
    SELECT 'relation ' || c.oid::regclass || ' rls=' || c.relrowsecurity || ' forced=' || c.relforcerowsecurity
    FROM rel c WHERE c.relkind IN ('r', 'p')
    UNION ALL
    SELECT 'relation ' || c.oid::regclass || ' view ' || pg_get_viewdef(c.oid)
    FROM rel c WHERE c.relkind IN ('v', 'm')
    UNION ALL
    -- Sequences, the extension's own and those behind identity columns.
    SELECT 'sequence ' || s.seqrelid::regclass || ' ' || format_type(s.seqtypid, NULL) || ' start ' ||
           s.seqstart || ' increment ' || s.seqincrement || ' min ' || s.seqmin || ' max ' || s.seqmax ||
           ' cache ' || s.seqcache || ' cycle ' || s.seqcycle
    FROM pg_sequence s
    JOIN pg_class sc ON sc.oid = s.seqrelid
    WHERE sc.relnamespace IN (SELECT relnamespace FROM rel)
      AND (s.seqrelid IN (SELECT oid FROM rel)
           OR EXISTS (SELECT FROM pg_depend d JOIN rel r ON r.oid = d.refobjid
                      WHERE d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid AND d.deptype IN ('a', 'i')))
    UNION ALL
    -- Types: composite attributes, enum labels in order, domains' base and constraints.
    SELECT 'type ' || t.oid::regtype || ' kind=' || t.typtype::text ||
           coalesce(' base ' || nullif(t.typbasetype, 0)::regtype::text, '') ||
           CASE WHEN t.typnotnull THEN ' not null' ELSE '' END ||
           coalesce(' default ' || t.typdefault, '') ||
           coalesce(' labels ' || (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                                    FROM pg_enum e WHERE e.enumtypid = t.oid), '') ||
           coalesce(' constraints ' || (SELECT string_agg(pg_get_constraintdef(k.oid), ',' ORDER BY k.conname)
                                         FROM pg_constraint k WHERE k.contypid = t.oid), '') ||
           coalesce(' acl ' || (SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(t.typacl) a), '')
    FROM pg_type t JOIN member m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
    UNION ALL
    -- Comments on every member object and on its parts (columns).
    SELECT 'comment ' || pg_describe_object(d.classoid, d.objoid, d.objsubid) || ': ' || d.description
    FROM pg_description d
    WHERE (d.classoid, d.objoid) IN (SELECT classid, objid FROM member)
       OR (d.classoid = 'pg_constraint'::regclass AND d.objoid IN (SELECT k.oid FROM pg_constraint k JOIN rel c ON k.conrelid = c.oid))
       OR (d.classoid = 'pg_class'::regclass AND d.objoid IN (SELECT i.indexrelid FROM pg_index i JOIN rel c ON i.indrelid = c.oid))
    UNION ALL
    -- Initial privileges: what pg_dump leaves out of a dump as the extension's own.
    SELECT 'initial privileges ' || pg_describe_object(i.classoid, i.objoid, i.objsubid) || ' ' ||
           (SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(i.initprivs) a)
    FROM pg_init_privs i
    WHERE (i.classoid, i.objoid) IN (SELECT classid, objid FROM member)
) lines
ORDER BY line COLLATE "C";
