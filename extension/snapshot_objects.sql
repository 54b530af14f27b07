-- ender_snapshot's readers of the aggregates, operators, casts and text search objects of the
-- schemas a snapshot covers, one function per list (called by ender._snapshot_json in
-- extension/snapshot.sql, under its settings). Extension members are left to their extension.
-- Part of the install script: the build puts it between extension/ender.sql and snapshot.sql.

-- The functions of user schemas an object calls (an aggregate's transition and final
-- functions, an operator's function and estimators, a cast's function), as {schema, name,
-- argument_types}: the diff drops the object before any of them is dropped.
CREATE FUNCTION ender._snapshot_calls(classid oid, objid oid) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT COALESCE(jsonb_agg(DISTINCT jsonb_build_object('schema', n.nspname, 'name', p.proname,
                                                          'argument_types', oidvectortypes(p.proargtypes))), '[]')::json
      FROM pg_depend d
      JOIN pg_proc p ON p.oid = d.refobjid
      JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE d.classid = $1 AND d.objid = $2 AND d.refclassid = 'pg_proc'::regclass AND d.deptype = 'n'
       AND n.nspname <> 'pg_catalog'
    $$;
COMMENT ON FUNCTION ender._snapshot_calls(oid, oid) IS 'lists the user functions a catalog object calls';

-- An operator as CREATE OPERATOR and CREATE AGGREGATE name another one: OPERATOR(schema.name).
CREATE FUNCTION ender._operator_reference(operator oid) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT 'OPERATOR(' || quote_ident(n.nspname) || '.' || o.oprname || ')'
      FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
     WHERE o.oid = $1
    $$;
COMMENT ON FUNCTION ender._operator_reference(oid) IS 'names an operator as OPERATOR(schema.name)';

-- CREATE AGGREGATE objects: `options` is the parenthesised part of the statement, written the
-- way pg_dump writes it (defaults left out).
CREATE FUNCTION ender._snapshot_aggregates(schemas oid[]) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT json_agg(json_build_object(
               'schema', n.nspname, 'name', p.proname,
               'arguments', pg_get_function_identity_arguments(p.oid),
               'argument_types', oidvectortypes(p.proargtypes),
               'options', concat_ws(', ',
                   'SFUNC = ' || a.aggtransfn::regproc::text,
                   'STYPE = ' || format_type(a.aggtranstype, NULL),
                   'SSPACE = ' || NULLIF(a.aggtransspace, 0),
                   'FINALFUNC = ' || NULLIF(a.aggfinalfn, 0)::regproc::text,
                   CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
                   CASE WHEN a.aggfinalfn <> 0 AND a.aggfinalmodify <> CASE a.aggkind WHEN 'n' THEN 'r' ELSE 'w' END
                        THEN 'FINALFUNC_MODIFY = ' || CASE a.aggfinalmodify WHEN 'r' THEN 'READ_ONLY'
                                                      WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
                   'COMBINEFUNC = ' || NULLIF(a.aggcombinefn, 0)::regproc::text,
                   'SERIALFUNC = ' || NULLIF(a.aggserialfn, 0)::regproc::text,
                   'DESERIALFUNC = ' || NULLIF(a.aggdeserialfn, 0)::regproc::text,
                   'INITCOND = ' || quote_literal(a.agginitval),
                   'MSFUNC = ' || NULLIF(a.aggmtransfn, 0)::regproc::text,
                   'MINVFUNC = ' || NULLIF(a.aggminvtransfn, 0)::regproc::text,
                   'MSTYPE = ' || format_type(NULLIF(a.aggmtranstype, 0), NULL),
                   'MSSPACE = ' || NULLIF(a.aggmtransspace, 0),
                   'MFINALFUNC = ' || NULLIF(a.aggmfinalfn, 0)::regproc::text,
                   CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
                   CASE WHEN a.aggmfinalfn <> 0 AND a.aggmfinalmodify <> CASE a.aggkind WHEN 'n' THEN 'r' ELSE 'w' END
                        THEN 'MFINALFUNC_MODIFY = ' || CASE a.aggmfinalmodify WHEN 'r' THEN 'READ_ONLY'
                                                       WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
                   'MINITCOND = ' || quote_literal(a.aggminitval),
                   'SORTOP = ' || ender._operator_reference(NULLIF(a.aggsortop, 0)),
                   CASE p.proparallel WHEN 's' THEN 'PARALLEL = SAFE' WHEN 'r' THEN 'PARALLEL = RESTRICTED' END,
                   CASE WHEN a.aggkind = 'h' THEN 'HYPOTHETICAL' END),
               'functions', ender._snapshot_calls('pg_proc'::regclass, p.oid),
               'comment', ds.description)
               ORDER BY n.nspname, p.proname, oidvectortypes(p.proargtypes)) AS list
      FROM pg_proc p
      JOIN pg_aggregate a ON a.aggfnoid = p.oid
      JOIN pg_namespace n ON n.oid = p.pronamespace
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_proc'::regclass AND ds.objoid = p.oid AND ds.objsubid = 0
     WHERE p.pronamespace = ANY ($1)
       AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid
                                                 AND e.deptype = 'e')
    $$;
COMMENT ON FUNCTION ender._snapshot_aggregates(oid[]) IS 'reads the aggregates of the given schemas as snapshot json';

-- CREATE OPERATOR objects (shell operators, made by a commutator that was never defined, are
-- left out, as pg_dump does). Operators named by an operator are written OPERATOR(schema.op).
CREATE FUNCTION ender._snapshot_operators(schemas oid[]) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT json_agg(json_build_object(
               'schema', n.nspname, 'name', o.oprname,
               'left', format_type(NULLIF(o.oprleft, 0), NULL),
               'right', format_type(o.oprright, NULL),
               'function', o.oprcode::regproc::text,
               'commutator', ender._operator_reference(NULLIF(o.oprcom, 0)),
               'negator', ender._operator_reference(NULLIF(o.oprnegate, 0)),
               'restrict', NULLIF(o.oprrest, 0)::regproc::text,
               'join', NULLIF(o.oprjoin, 0)::regproc::text,
               'hashes', o.oprcanhash, 'merges', o.oprcanmerge,
               'functions', ender._snapshot_calls('pg_operator'::regclass, o.oid),
               'comment', ds.description)
               ORDER BY n.nspname, o.oprname, format_type(o.oprleft, NULL), format_type(o.oprright, NULL)) AS list
      FROM pg_operator o
      JOIN pg_namespace n ON n.oid = o.oprnamespace
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_operator'::regclass AND ds.objoid = o.oid AND ds.objsubid = 0
     WHERE o.oprnamespace = ANY ($1) AND o.oprcode <> 0
       AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_operator'::regclass AND e.objid = o.oid
                                                 AND e.deptype = 'e')
    $$;
COMMENT ON FUNCTION ender._snapshot_operators(oid[]) IS 'reads the operators of the given schemas as snapshot json';

-- CREATE CAST objects: casts belong to no schema; those whose source type, target type or
-- function is in one of the schemas are read (not those a type made for itself: a range
-- type's cast to its multirange type).
CREATE FUNCTION ender._snapshot_casts(schemas oid[]) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT json_agg(json_build_object(
               'source', format_type(c.castsource, NULL), 'target', format_type(c.casttarget, NULL),
               'method', CASE c.castmethod WHEN 'f' THEN 'function' WHEN 'b' THEN 'binary' ELSE 'inout' END,
               'function', NULLIF(c.castfunc, 0)::regprocedure::text,
               'context', CASE c.castcontext WHEN 'e' THEN 'explicit' WHEN 'a' THEN 'assignment' ELSE 'implicit' END,
               'functions', ender._snapshot_calls('pg_cast'::regclass, c.oid),
               'comment', ds.description)
               ORDER BY format_type(c.castsource, NULL), format_type(c.casttarget, NULL)) AS list
      FROM pg_cast c
      JOIN pg_type s ON s.oid = c.castsource
      JOIN pg_type t ON t.oid = c.casttarget
      LEFT JOIN pg_proc f ON f.oid = c.castfunc
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_cast'::regclass AND ds.objoid = c.oid AND ds.objsubid = 0
     WHERE (s.typnamespace = ANY ($1) OR t.typnamespace = ANY ($1) OR f.pronamespace = ANY ($1))
       AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_cast'::regclass AND e.objid = c.oid
                                                 AND e.deptype IN ('e', 'i'))
    $$;
COMMENT ON FUNCTION ender._snapshot_casts(oid[]) IS 'reads the casts of the given schemas'' types and functions as snapshot json';

-- CREATE TYPE … AS RANGE: the subtype and, where they are not the subtype's defaults, its
-- operator class and collation; the canonical and subtype_diff functions; the name of the
-- multirange type the range makes for itself (in its schema). The constructor functions it makes
-- are the range's: the functions list leaves them out.
CREATE FUNCTION ender._snapshot_range_types(schemas oid[]) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT json_agg(json_build_object(
               'schema', n.nspname, 'name', t.typname,
               'subtype', format_type(r.rngsubtype, NULL),
               'subtype_opclass', CASE WHEN NOT oc.opcdefault
                                  THEN quote_ident(ocn.nspname) || '.' || quote_ident(oc.opcname) END,
               'collation', CASE WHEN r.rngcollation <> st.typcollation
                            THEN CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                                      ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END END,
               'canonical', NULLIF(r.rngcanonical, 0)::regproc::text,
               'subtype_diff', NULLIF(r.rngsubdiff, 0)::regproc::text,
               'multirange', mt.typname,
               'comment', ds.description) ORDER BY n.nspname, t.typname) AS list
      FROM pg_range r
      JOIN pg_type t ON t.oid = r.rngtypid
      JOIN pg_namespace n ON n.oid = t.typnamespace
      JOIN pg_type st ON st.oid = r.rngsubtype
      JOIN pg_opclass oc ON oc.oid = r.rngsubopc
      JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
      LEFT JOIN pg_collation co ON co.oid = r.rngcollation
      LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
      LEFT JOIN pg_type mt ON mt.oid = r.rngmultitypid
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_type'::regclass AND ds.objoid = t.oid AND ds.objsubid = 0
     WHERE t.typnamespace = ANY ($1)
       AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid
                                                 AND e.deptype = 'e')
    $$;
COMMENT ON FUNCTION ender._snapshot_range_types(oid[]) IS 'reads the range types of the given schemas as snapshot json';

-- CREATE TEXT SEARCH DICTIONARY objects: `options` as the server keeps them
-- (pg_ts_dict.dictinitoption, `name = 'value'` joined by commas), null without any.
CREATE FUNCTION ender._snapshot_text_search_dictionaries(schemas oid[]) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT json_agg(json_build_object(
               'schema', n.nspname, 'name', d.dictname,
               'template', CASE WHEN tn.nspname = 'pg_catalog' THEN quote_ident(t.tmplname)
                                ELSE quote_ident(tn.nspname) || '.' || quote_ident(t.tmplname) END,
               'options', d.dictinitoption,
               'comment', ds.description) ORDER BY n.nspname, d.dictname) AS list
      FROM pg_ts_dict d
      JOIN pg_namespace n ON n.oid = d.dictnamespace
      JOIN pg_ts_template t ON t.oid = d.dicttemplate
      JOIN pg_namespace tn ON tn.oid = t.tmplnamespace
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_ts_dict'::regclass AND ds.objoid = d.oid AND ds.objsubid = 0
     WHERE d.dictnamespace = ANY ($1)
       AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_ts_dict'::regclass AND e.objid = d.oid
                                                 AND e.deptype = 'e')
    $$;
COMMENT ON FUNCTION ender._snapshot_text_search_dictionaries(oid[]) IS 'reads the text search dictionaries of the given schemas as snapshot json';

-- CREATE TEXT SEARCH CONFIGURATION objects with their mappings: for each token type (by the
-- parser's alias, in token type order) the dictionaries tried in turn.
CREATE FUNCTION ender._snapshot_text_search_configurations(schemas oid[]) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT json_agg(json_build_object(
               'schema', n.nspname, 'name', c.cfgname,
               'parser', CASE WHEN pn.nspname = 'pg_catalog' THEN quote_ident(p.prsname)
                              ELSE quote_ident(pn.nspname) || '.' || quote_ident(p.prsname) END,
               'mappings', (SELECT COALESCE(json_agg(json_build_object('token', tt.alias, 'dictionaries', m.list)
                                                     ORDER BY tt.tokid), '[]')
                              FROM (SELECT maptokentype, json_agg(mapdict::regdictionary::text ORDER BY mapseqno) AS list
                                      FROM pg_ts_config_map WHERE mapcfg = c.oid GROUP BY maptokentype) m
                              JOIN ts_token_type(c.cfgparser) tt ON tt.tokid = m.maptokentype),
               'comment', ds.description) ORDER BY n.nspname, c.cfgname) AS list
      FROM pg_ts_config c
      JOIN pg_namespace n ON n.oid = c.cfgnamespace
      JOIN pg_ts_parser p ON p.oid = c.cfgparser
      JOIN pg_namespace pn ON pn.oid = p.prsnamespace
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_ts_config'::regclass AND ds.objoid = c.oid AND ds.objsubid = 0
     WHERE c.cfgnamespace = ANY ($1)
       AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_ts_config'::regclass AND e.objid = c.oid
                                                 AND e.deptype = 'e')
    $$;
COMMENT ON FUNCTION ender._snapshot_text_search_configurations(oid[]) IS 'reads the text search configurations of the given schemas as snapshot json';
