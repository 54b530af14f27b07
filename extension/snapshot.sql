-- ender_snapshot: the live schema read from the system catalogs, as one canonical jsonb
-- document (docs/snapshot-format.md). Expressions come from the server's own deparsers
-- (pg_get_expr, pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef, pg_get_functiondef,
-- pg_get_triggerdef), so they compare equal whatever text they were written with.
-- Part of the install script: the build appends it to extension/ender.sql.

-- The schemas a snapshot covers: the named ones, or every user schema. Never ender's own,
-- the system schemas, or temporary and TOAST schemas.
CREATE FUNCTION ender._snapshot_schemas(schemas text[]) RETURNS oid[]
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    wanted text;
    result oid[];
BEGIN
    IF schemas IS NULL THEN
        SELECT array_agg(n.oid ORDER BY n.nspname) INTO result
          FROM pg_namespace n
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'ender', 'pg_toast')
           AND n.nspname !~ '^pg_(temp|toast_temp)_'
           -- the schema of views of a running online revision (docs/zero-downtime.md)
           AND NOT EXISTS (SELECT FROM ender.online_job j WHERE n.nspname = left('ender_' || j.revision_id, 63))
           AND NOT EXISTS (SELECT FROM pg_depend d
                            WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid
                              AND d.deptype = 'e');
        RETURN COALESCE(result, '{}');
    END IF;
    FOREACH wanted IN ARRAY schemas LOOP
        IF wanted IS NULL THEN
            RAISE EXCEPTION 'schema names must not be null' USING ERRCODE = 'null_value_not_allowed';
        END IF;
        IF wanted IN ('pg_catalog', 'information_schema', 'ender', 'pg_toast')
           OR wanted ~ '^pg_(temp|toast_temp)_'
           OR EXISTS (SELECT FROM ender.online_job j WHERE wanted = left('ender_' || j.revision_id, 63)) THEN
            RAISE EXCEPTION 'schema "%" cannot be snapshotted', wanted
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'System, temporary and ender''s own schemas are never part of a snapshot.';
        END IF;
        IF NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = wanted) THEN
            RAISE EXCEPTION 'schema "%" does not exist', wanted
                USING ERRCODE = 'invalid_schema_name';
        END IF;
    END LOOP;
    SELECT array_agg(n.oid ORDER BY n.nspname) INTO result
      FROM pg_namespace n WHERE n.nspname = ANY (schemas);
    RETURN result;
END
$$;
COMMENT ON FUNCTION ender._snapshot_schemas(text[]) IS 'resolves the schemas a snapshot covers';

-- The privileges an ACL grants to roles other than the owner, as a sorted list of
-- {grantee, privilege, grantable} ("PUBLIC" for every role; a role that is itself named PUBLIC
-- is written "\"PUBLIC\""). A NULL ACL means the defaults
-- of the object's kind (acldefault), such as EXECUTE to PUBLIC on a function. Grantors are
-- not kept: the same privilege granted by two roles is one entry.
CREATE FUNCTION ender._privileges(acl aclitem[], owner oid, kind "char") RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- acldefault() itself ends an unknown kind with an internal error (XX000).
    IF acl IS NULL AND kind::text <> ALL ('{c,r,s,d,f,l,L,n,p,t,F,S,T}') THEN
        RAISE EXCEPTION 'invalid object kind "%"', kind
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'The kinds are those of acldefault(): c, r, s, d, f, l, L, n, p, t, F, S, T.';
    END IF;
    RETURN (
    SELECT COALESCE(jsonb_agg(jsonb_build_object('grantee', p.grantee, 'privilege', p.privilege,
                                                 'grantable', p.grantable)
                              ORDER BY p.grantee COLLATE "C", p.privilege COLLATE "C"), '[]')
      FROM (SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC'
                        -- a role named PUBLIC (or starting with a quote): its quoted identifier
                        WHEN pg_get_userbyid(a.grantee) = 'PUBLIC' OR pg_get_userbyid(a.grantee) LIKE '"%'
                        THEN quote_ident(pg_get_userbyid(a.grantee))
                        ELSE pg_get_userbyid(a.grantee)::text END AS grantee,
                   a.privilege_type AS privilege, bool_or(a.is_grantable) AS grantable
              FROM aclexplode(COALESCE(acl, acldefault(kind, owner))) a
             WHERE a.grantee <> owner
             GROUP BY 1, 2) p);
END
$$;
COMMENT ON FUNCTION ender._privileges(aclitem[], oid, "char") IS 'lists the privileges an acl grants to roles other than the owner';

-- The snapshot as json text: ender_snapshot() casts it to jsonb, ender_diff() hands it to the
-- engine as it is. The document is built as json (text) and cast once: nested jsonb_build_object
-- and jsonb_agg would re-encode every inner value at every level, which made a 2,000-table
-- snapshot take seconds. Catalog rows are aggregated once per kind and joined (descriptions,
-- key column names, referenced tables), never looked up per row by correlated subqueries or
-- obj_description(). The settings pin everything the deparsers' output depends on, so a
-- snapshot does not change with the session's DateStyle, IntervalStyle or float output; JIT is
-- off because compiling this large query took seconds; work_mem keeps the sorts in memory.
-- PL/pgSQL keeps one generic plan of the query for the session (planning it takes tens of ms),
-- so ender_diff(ender_snapshot()) and later calls do not plan it again.
-- The "tables" list of the document, read in C++ (extension/src/glue/catalog_tables.cpp): most
-- of a schema, and faster built there than with json_build_object per column. Called by
-- ender._snapshot_json, whose settings it runs under.
CREATE FUNCTION ender._snapshot_tables(schemas oid[]) RETURNS json
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'ender_snapshot_tables';
COMMENT ON FUNCTION ender._snapshot_tables(oid[]) IS 'reads the tables of the given schemas as snapshot json text';

CREATE FUNCTION ender._snapshot_json(schemas text[]) RETURNS json
    LANGUAGE plpgsql STABLE CALLED ON NULL INPUT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    SET datestyle = 'ISO, YMD'
    SET intervalstyle = 'postgres'
    SET extra_float_digits = 3
    SET bytea_output = 'hex'
    SET jit = off
    SET work_mem = '64MB'
    SET plan_cache_mode = force_generic_plan
    AS $$
DECLARE
    covered oid[] := ender._snapshot_schemas(schemas);  -- first: its errors name no big query
BEGIN
    RETURN (
WITH
ns AS (SELECT unnest(covered) AS oid),
-- Objects that belong to an extension are described by the extension, not one by one.
ext_member AS (SELECT d.classid, d.objid FROM pg_depend d WHERE d.deptype = 'e'),
rel AS (
    SELECT c.*, n.nspname
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relnamespace IN (SELECT oid FROM ns)
       AND NOT EXISTS (SELECT FROM ext_member e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid)
),
typ AS (
    SELECT t.*, n.nspname
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE t.typnamespace IN (SELECT oid FROM ns)
       AND NOT EXISTS (SELECT FROM ext_member e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid)
),
-- The columns of views and composite types (tables: ender._snapshot_tables). A collation is named only when it
-- differs from the type's default. Defaults cannot refer to columns, so they are deparsed
-- without the table's context (cheaper); generated expressions need it.
col AS (
    SELECT a.attrelid, r.relkind, a.attnum, a.attname, a.attnotnull, a.attidentity, a.attgenerated, a.attislocal,
           format_type(a.atttypid, a.atttypmod) AS type,
           CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0
                THEN CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                          ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END END AS collation_name,
           CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, 0) ELSE pg_get_expr(d.adbin, d.adrelid) END AS expr,
           ds.description AS comment
      FROM rel r
      JOIN pg_attribute a ON a.attrelid = r.oid
      JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
      LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = a.attrelid
                        AND ds.objsubid = a.attnum
     WHERE a.attnum > 0 AND NOT a.attisdropped AND r.relkind IN ('v', 'm', 'c')
),
view_columns AS (
    SELECT attrelid, json_agg(json_build_object('name', attname, 'comment', comment) ORDER BY attnum) AS list
      FROM col WHERE relkind IN ('v', 'm') GROUP BY attrelid
),
composite_attributes AS (
    SELECT attrelid, json_agg(json_build_object('name', attname, 'type', type, 'collation', collation_name,
                                                'comment', comment) ORDER BY attnum) AS list
      FROM col WHERE relkind = 'c' GROUP BY attrelid
),
-- Indexes that back a constraint are described by the constraint.
indexes AS (
    SELECT i.indrelid, json_agg(json_build_object(
               'name', ic.relname, 'definition', pg_get_indexdef(i.indexrelid),
               'unique', i.indisunique, 'method', am.amname,
               'predicate', pg_get_expr(i.indpred, i.indrelid),
               'nulls_not_distinct', i.indnullsnotdistinct,
               'comment', ds.description) ORDER BY ic.relname) AS list
      FROM pg_index i
      JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_am am ON am.oid = ic.relam
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = i.indexrelid AND ds.objsubid = 0
     WHERE i.indrelid IN (SELECT oid FROM rel WHERE relkind = 'm')
       AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
       AND NOT EXISTS (SELECT FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
     GROUP BY i.indrelid
),
triggers AS (
    SELECT t.tgrelid, json_agg(json_build_object(
               'name', t.tgname, 'definition', pg_get_triggerdef(t.oid),
               'enabled', CASE t.tgenabled WHEN 'O' THEN 'origin' WHEN 'D' THEN 'disabled'
                          WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always' END,
               'comment', ds.description) ORDER BY t.tgname) AS list
      FROM pg_trigger t
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_trigger'::regclass AND ds.objoid = t.oid AND ds.objsubid = 0
     WHERE t.tgrelid IN (SELECT oid FROM rel WHERE relkind IN ('v', 'm')) AND NOT t.tgisinternal AND t.tgparentid = 0
     GROUP BY t.tgrelid
),
views AS (
    SELECT json_agg(json_build_object(
               'schema', r.nspname, 'name', r.relname, 'materialized', r.relkind = 'm',
               'definition', pg_get_viewdef(r.oid),
               'options', COALESCE(to_json(r.reloptions), '[]'),
               'columns', COALESCE(co.list, '[]'),
               'indexes', COALESCE(ix.list, '[]'),
               'triggers', COALESCE(tg.list, '[]'),
               -- the tables and views the view reads, each with the columns it reads (pg_depend
               -- through its rewrite rule: one entry per relation, one per column read)
               'depends_on', (SELECT COALESCE(jsonb_agg(jsonb_build_object('schema', dn.nspname, 'name', dc.relname,
                                                                           'columns', rd.columns)
                                                        ORDER BY dn.nspname, dc.relname), '[]')
                                FROM (SELECT d.refobjid,
                                             COALESCE(jsonb_agg(DISTINCT a.attname) FILTER (WHERE a.attname IS NOT NULL), '[]') AS columns
                                        FROM pg_rewrite rw
                                        JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
                                                        AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.oid
                                        LEFT JOIN pg_attribute a ON d.refobjsubid > 0 AND a.attrelid = d.refobjid
                                                                AND a.attnum = d.refobjsubid
                                       WHERE rw.ev_class = r.oid
                                       GROUP BY d.refobjid) rd
                                JOIN pg_class dc ON dc.oid = rd.refobjid
                                JOIN pg_namespace dn ON dn.oid = dc.relnamespace),
               -- the functions it calls
               'functions', (SELECT COALESCE(jsonb_agg(DISTINCT jsonb_build_object('schema', fn.nspname, 'name', fp.proname,
                                                                            'argument_types', oidvectortypes(fp.proargtypes))), '[]')
                               FROM pg_rewrite rw
                               JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
                                               AND d.refclassid = 'pg_proc'::regclass
                               JOIN pg_proc fp ON fp.oid = d.refobjid
                               JOIN pg_namespace fn ON fn.oid = fp.pronamespace
                              WHERE rw.ev_class = r.oid AND fn.nspname <> 'pg_catalog'),
               'comment', ds.description) ORDER BY r.nspname, r.relname) AS list
      FROM rel r
      LEFT JOIN view_columns co ON co.attrelid = r.oid
      LEFT JOIN indexes ix ON ix.indrelid = r.oid
      LEFT JOIN triggers tg ON tg.tgrelid = r.oid
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = r.oid AND ds.objsubid = 0
     WHERE r.relkind IN ('v', 'm')
),
sequences AS (
    SELECT json_agg(json_build_object(
               'schema', r.nspname, 'name', r.relname, 'type', format_type(s.seqtypid, NULL),
               'start', s.seqstart, 'increment', s.seqincrement, 'min', s.seqmin, 'max', s.seqmax,
               'cache', s.seqcache, 'cycle', s.seqcycle,
               'owned_by', (SELECT json_build_object('schema', on_.nspname, 'table', oc.relname, 'column', a.attname)
                              FROM pg_depend d JOIN pg_class oc ON oc.oid = d.refobjid
                              JOIN pg_namespace on_ ON on_.oid = oc.relnamespace
                              JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                             WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid
                               AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a'),
               'comment', ds.description) ORDER BY r.nspname, r.relname) AS list
      FROM rel r JOIN pg_sequence s ON s.seqrelid = r.oid
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = r.oid AND ds.objsubid = 0
     WHERE r.relkind = 'S'
       -- identity sequences belong to their column
       AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = r.oid AND d.deptype = 'i')
),
-- CREATE COLLATION objects (an ICU collation has its locale, a libc one its two locales).
collations AS (
    SELECT json_agg(json_build_object(
               'schema', n.nspname, 'name', c.collname,
               'provider', CASE c.collprovider WHEN 'i' THEN 'icu' WHEN 'c' THEN 'libc' ELSE 'default' END,
               'locale', CASE WHEN c.collprovider = 'i' THEN c.colliculocale END,
               'lc_collate', CASE WHEN c.collprovider = 'c' THEN c.collcollate END,
               'lc_ctype', CASE WHEN c.collprovider = 'c' THEN c.collctype END,
               'deterministic', c.collisdeterministic,
               'comment', ds.description) ORDER BY n.nspname, c.collname) AS list
      FROM pg_collation c
      JOIN pg_namespace n ON n.oid = c.collnamespace
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_collation'::regclass AND ds.objoid = c.oid AND ds.objsubid = 0
     WHERE c.collnamespace IN (SELECT oid FROM ns)
       AND NOT EXISTS (SELECT FROM ext_member e WHERE e.classid = 'pg_collation'::regclass AND e.objid = c.oid)
),
enums AS (
    SELECT json_agg(json_build_object(
               'schema', t.nspname, 'name', t.typname,
               'labels', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid),
               'comment', ds.description) ORDER BY t.nspname, t.typname) AS list
      FROM typ t
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_type'::regclass AND ds.objoid = t.oid AND ds.objsubid = 0
     WHERE t.typtype = 'e'
),
domains AS (
    SELECT json_agg(json_build_object(
               'schema', t.nspname, 'name', t.typname, 'type', format_type(t.typbasetype, t.typtypmod),
               'not_null', t.typnotnull, 'default', pg_get_expr(t.typdefaultbin, 0),
               'collation', CASE WHEN t.typcollation <> bt.typcollation
                            THEN (SELECT quote_ident(co.collname) FROM pg_collation co WHERE co.oid = t.typcollation) END,
               'constraints', (SELECT COALESCE(json_agg(json_build_object(
                                   'name', c.conname, 'definition', pg_get_constraintdef(c.oid),
                                   'valid', c.convalidated,
                                   'comment', obj_description(c.oid, 'pg_constraint')) ORDER BY c.conname), '[]')
                                 FROM pg_constraint c WHERE c.contypid = t.oid),
               'comment', ds.description) ORDER BY t.nspname, t.typname) AS list
      FROM typ t JOIN pg_type bt ON bt.oid = t.typbasetype
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_type'::regclass AND ds.objoid = t.oid AND ds.objsubid = 0
     WHERE t.typtype = 'd'
),
composites AS (
    SELECT json_agg(json_build_object(
               'schema', t.nspname, 'name', t.typname,
               'attributes', COALESCE(co.list, '[]'),
               'comment', ds.description) ORDER BY t.nspname, t.typname) AS list
      FROM typ t
      JOIN pg_class k ON k.oid = t.typrelid AND k.relkind = 'c'
      LEFT JOIN composite_attributes co ON co.attrelid = k.oid
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_type'::regclass AND ds.objoid = t.oid AND ds.objsubid = 0
     WHERE t.typtype = 'c'
),
functions AS (
    SELECT json_agg(json_build_object(
               'schema', n.nspname, 'name', p.proname,
               'kind', CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'w' THEN 'window' ELSE 'function' END,
               'arguments', pg_get_function_identity_arguments(p.oid),
               'argument_types', oidvectortypes(p.proargtypes),
               -- the tables and views a SQL-standard body reads
               'depends_on', (SELECT COALESCE(jsonb_agg(DISTINCT jsonb_build_object('schema', dn.nspname, 'name', dc.relname)), '[]')
                                FROM pg_depend d JOIN pg_class dc ON dc.oid = d.refobjid
                                JOIN pg_namespace dn ON dn.oid = dc.relnamespace
                               WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                                 AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'n'),
               'result', pg_get_function_result(p.oid),
               'language', l.lanname,
               'definition', pg_get_functiondef(p.oid),
               'comment', ds.description)
               ORDER BY n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) AS list
      FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace
      JOIN pg_language l ON l.oid = p.prolang
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_proc'::regclass AND ds.objoid = p.oid AND ds.objsubid = 0
     WHERE p.pronamespace IN (SELECT oid FROM ns)
       AND p.prokind <> 'a'  -- aggregates: ender._snapshot_aggregates
       AND NOT EXISTS (SELECT FROM ext_member e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid)
       -- a range type's constructors are the type's
       AND NOT EXISTS (SELECT FROM pg_depend i WHERE i.classid = 'pg_proc'::regclass AND i.objid = p.oid
                                                 AND i.refclassid = 'pg_type'::regclass AND i.deptype = 'i')
),
event_triggers AS (
    SELECT json_agg(json_build_object(
               'name', e.evtname, 'event', e.evtevent, 'function', e.evtfoid::regproc::text,
               'tags', to_json(e.evttags),
               'enabled', CASE e.evtenabled WHEN 'O' THEN 'origin' WHEN 'D' THEN 'disabled'
                          WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always' END,
               'comment', obj_description(e.oid, 'pg_event_trigger')) ORDER BY e.evtname) AS list
      FROM pg_event_trigger e JOIN pg_proc p ON p.oid = e.evtfoid
     WHERE p.pronamespace IN (SELECT oid FROM ns)
       AND NOT EXISTS (SELECT FROM ext_member m WHERE m.classid = 'pg_event_trigger'::regclass AND m.objid = e.oid)
),
extensions AS (
    SELECT json_agg(json_build_object('name', x.extname, 'schema', n.nspname, 'version', x.extversion,
                                      'comment', obj_description(x.oid, 'pg_extension'))
                    ORDER BY x.extname) AS list
      FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace
     WHERE x.extname <> 'ender'
       AND (schemas IS NULL OR x.extnamespace IN (SELECT oid FROM ns))
),
schema_list AS (
    SELECT json_agg(json_build_object('name', n.nspname,
                                      'comment', obj_description(n.oid, 'pg_namespace'))
                    ORDER BY n.nspname) AS list
      FROM pg_namespace n WHERE n.oid IN (SELECT oid FROM ns)
)
SELECT json_build_object(
    'format', 'ender-snapshot', 'version', 1,
    'deparsed_by', current_setting('server_version_num')::integer / 10000,
    'schemas', COALESCE((SELECT list FROM schema_list), '[]'),
    'extensions', COALESCE((SELECT list FROM extensions), '[]'),
    'collations', COALESCE((SELECT list FROM collations), '[]'),
    'enums', COALESCE((SELECT list FROM enums), '[]'),
    'domains', COALESCE((SELECT list FROM domains), '[]'),
    'composite_types', COALESCE((SELECT list FROM composites), '[]'),
    'range_types', COALESCE(ender._snapshot_range_types(covered), '[]'),
    'sequences', COALESCE((SELECT list FROM sequences), '[]'),
    'tables', COALESCE(ender._snapshot_tables(covered), '[]'),
    'views', COALESCE((SELECT list FROM views), '[]'),
    'functions', COALESCE((SELECT list FROM functions), '[]'),
    'aggregates', COALESCE(ender._snapshot_aggregates(covered), '[]'),
    'operators', COALESCE(ender._snapshot_operators(covered), '[]'),
    'casts', COALESCE(ender._snapshot_casts(covered), '[]'),
    'text_search_dictionaries', COALESCE(ender._snapshot_text_search_dictionaries(covered), '[]'),
    'text_search_configurations', COALESCE(ender._snapshot_text_search_configurations(covered), '[]'),
    'event_triggers', COALESCE((SELECT list FROM event_triggers), '[]')));
END
$$;
COMMENT ON FUNCTION ender._snapshot_json(text[]) IS 'reads the live schema from the catalogs as snapshot json text';

-- A snapshot document with the privileges of its objects added (ender_snapshot(privileges =>
-- true)): a second pass over the document, so the common snapshot without them stays one query.
-- Objects are found again by name (the document was read in the same statement); lists keep
-- their order.
CREATE FUNCTION ender._with_privileges(doc jsonb) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
WITH
relations AS (
    SELECT c.oid, n.nspname, c.relname, c.relacl, c.relowner
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
),
types AS (
    SELECT n.nspname, t.typname, t.typacl, t.typowner
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
),
-- The objects of list `key` that carry a relation's or a type's privileges.
with_relation_acl AS (
    SELECT e.key, jsonb_agg(o || jsonb_build_object('privileges', ender._privileges(r.relacl, r.relowner,
                                CASE e.key WHEN 'sequences' THEN 's' ELSE 'r' END::"char"))
                            || CASE WHEN e.key = 'tables' THEN jsonb_build_object('columns',
                                   (SELECT COALESCE(jsonb_agg(col || jsonb_build_object('privileges',
                                               ender._privileges(a.attacl, 0, 'c')) ORDER BY k), '[]')
                                      FROM jsonb_array_elements(o -> 'columns') WITH ORDINALITY AS x(col, k)
                                      JOIN pg_attribute a ON a.attrelid = r.oid AND a.attname = col ->> 'name'))
                               ELSE '{}' END
                            ORDER BY i) AS list
      FROM unnest(ARRAY['tables', 'views', 'sequences']) AS e(key)
      CROSS JOIN LATERAL jsonb_array_elements(doc -> e.key) WITH ORDINALITY AS l(o, i)
      JOIN relations r ON r.nspname = o ->> 'schema' AND r.relname = o ->> 'name'
     GROUP BY e.key
),
with_type_acl AS (
    SELECT e.key, jsonb_agg(o || jsonb_build_object('privileges', ender._privileges(t.typacl, t.typowner, 'T'))
                            ORDER BY i) AS list
      FROM unnest(ARRAY['enums', 'domains', 'composite_types', 'range_types']) AS e(key)
      CROSS JOIN LATERAL jsonb_array_elements(doc -> e.key) WITH ORDINALITY AS l(o, i)
      JOIN types t ON t.nspname = o ->> 'schema' AND t.typname = o ->> 'name'
     GROUP BY e.key
),
with_function_acl AS (
    SELECT jsonb_agg(o || jsonb_build_object('privileges', ender._privileges(p.proacl, p.proowner, 'f'))
                     ORDER BY i) AS list
      FROM jsonb_array_elements(doc -> 'functions') WITH ORDINALITY AS l(o, i)
      JOIN pg_namespace n ON n.nspname = o ->> 'schema'
      JOIN pg_proc p ON p.pronamespace = n.oid AND p.proname = o ->> 'name'
                    AND oidvectortypes(p.proargtypes) = o ->> 'argument_types'
),
with_schema_acl AS (
    SELECT jsonb_agg(o || jsonb_build_object('privileges', ender._privileges(n.nspacl, n.nspowner, 'n'))
                     ORDER BY i) AS list
      FROM jsonb_array_elements(doc -> 'schemas') WITH ORDINALITY AS l(o, i)
      JOIN pg_namespace n ON n.nspname = o ->> 'name'
)
SELECT doc || jsonb_build_object('privileges', true)
           || COALESCE((SELECT jsonb_object_agg(key, list) FROM with_relation_acl), '{}')
           || COALESCE((SELECT jsonb_object_agg(key, list) FROM with_type_acl), '{}')
           || COALESCE((SELECT jsonb_build_object('functions', list) FROM with_function_acl WHERE list IS NOT NULL), '{}')
           || COALESCE((SELECT jsonb_build_object('schemas', list) FROM with_schema_acl WHERE list IS NOT NULL), '{}')
$$;
COMMENT ON FUNCTION ender._with_privileges(jsonb) IS 'adds the privileges of its objects to a snapshot document';

-- The json -> jsonb cast of the document, faster (extension/src/glue/jsonb_build.cpp): the text
-- is parsed by simdjson instead of PostgreSQL's json lexer, which took most of the cast's time.
CREATE FUNCTION ender._jsonb(doc json) RETURNS jsonb
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ender_json_to_jsonb';
COMMENT ON FUNCTION ender._jsonb(json) IS 'converts json text to jsonb as the cast does';

CREATE FUNCTION ender_snapshot(schemas text[] DEFAULT NULL, privileges boolean DEFAULT false) RETURNS jsonb
    LANGUAGE sql STABLE CALLED ON NULL INPUT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT CASE WHEN privileges THEN ender._with_privileges(ender._jsonb(ender._snapshot_json(schemas)))
                ELSE ender._jsonb(ender._snapshot_json(schemas)) END
    $$;
COMMENT ON FUNCTION ender_snapshot(text[], boolean) IS 'reads the live schema from the catalogs as a snapshot document';

-- The diff ------------------------------------------------------------------------------------

CREATE FUNCTION ender._diff(current text, target text, online boolean, renamed text DEFAULT NULL,
        OUT step integer, OUT sql text, OUT reverse_sql text, OUT object_kind text,
        OUT object_name text, OUT hazards text[], OUT in_transaction boolean,
        OUT online_operation text)
    RETURNS SETOF record
    LANGUAGE c IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ender_diff_documents';
COMMENT ON FUNCTION ender._diff(text, text, boolean, text) IS 'computes the steps between two snapshot documents';

CREATE FUNCTION ender._diff_live(target text, online boolean,
        OUT step integer, OUT sql text, OUT reverse_sql text, OUT object_kind text,
        OUT object_name text, OUT hazards text[], OUT in_transaction boolean,
        OUT online_operation text)
    RETURNS SETOF record
    LANGUAGE c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    AS 'MODULE_PATHNAME', 'ender_diff_live';
COMMENT ON FUNCTION ender._diff_live(text, boolean) IS 'computes the steps from the live schema to a snapshot document';

-- The same with the document as jsonb, read from the jsonb value itself (not printed as text and
-- parsed again: extension/src/glue/snapshot_jsonb.cpp).
CREATE FUNCTION ender._diff_live(target jsonb, online boolean,
        OUT step integer, OUT sql text, OUT reverse_sql text, OUT object_kind text,
        OUT object_name text, OUT hazards text[], OUT in_transaction boolean,
        OUT online_operation text)
    RETURNS SETOF record
    LANGUAGE c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    AS 'MODULE_PATHNAME', 'ender_diff_live_jsonb';
COMMENT ON FUNCTION ender._diff_live(jsonb, boolean) IS 'computes the steps from the live schema to a snapshot document given as jsonb';

-- The proof that the live side of ender_diff and ender_check, read from the catalogs straight
-- into the engine's structures (extension/src/glue/live_snapshot.cpp), is the snapshot the
-- engine parses from ender._snapshot_json: null when both are equal, else where they first
-- differ. For tests (test/diff/run.sh runs it on both sides of every pair).
CREATE FUNCTION ender._live_snapshot_mismatch(schemas text[] DEFAULT NULL) RETURNS text
    LANGUAGE c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    AS 'MODULE_PATHNAME', 'ender_live_snapshot_mismatch';
COMMENT ON FUNCTION ender._live_snapshot_mismatch(text[]) IS 'tells where the live snapshot read into structures differs from the parsed document';

-- Volatile: the renames a target declares (renamed_from) are tried in a subtransaction that is
-- rolled back, to diff against the schema they leave; a target not written by ender_snapshot()
-- is normalised by building it in scratch schemas inside another (docs/sql-reference.md). The
-- live snapshot lists privileges when the target does ("privileges": true).
CREATE FUNCTION ender_diff(target jsonb, online boolean DEFAULT true,
        OUT step integer, OUT sql text, OUT reverse_sql text, OUT object_kind text,
        OUT object_name text, OUT hazards text[], OUT in_transaction boolean,
        OUT online_operation text)
    RETURNS SETOF record
    LANGUAGE sql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT d.* FROM ender._diff_live(target, online) d $$;
COMMENT ON FUNCTION ender_diff(jsonb, boolean) IS 'lists the ordered steps that turn the live schema into a target snapshot';

-- The same with the document as text, the way a client sends it: the server does not parse a
-- large document into jsonb only to print it back for the engine. A quoted literal, or a
-- parameter sent without a type, resolves to this form.
CREATE FUNCTION ender_diff(target text, online boolean DEFAULT true,
        OUT step integer, OUT sql text, OUT reverse_sql text, OUT object_kind text,
        OUT object_name text, OUT hazards text[], OUT in_transaction boolean,
        OUT online_operation text)
    RETURNS SETOF record
    LANGUAGE sql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT d.* FROM ender._diff_live(target, online) d $$;
COMMENT ON FUNCTION ender_diff(text, boolean) IS 'lists the ordered steps that turn the live schema into a target snapshot given as json text';

CREATE FUNCTION ender_check(target jsonb) RETURNS boolean
    LANGUAGE sql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT NOT EXISTS (SELECT FROM ender._diff_live(target, true)) $$;
COMMENT ON FUNCTION ender_check(jsonb) IS 'tells whether the live schema equals a target snapshot';

CREATE FUNCTION ender_check(target text) RETURNS boolean
    LANGUAGE sql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT NOT EXISTS (SELECT FROM ender._diff_live(target, true)) $$;
COMMENT ON FUNCTION ender_check(text) IS 'tells whether the live schema equals a target snapshot given as json text';
