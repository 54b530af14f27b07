-- b: the policy function changes its body, the trigger function too and a second trigger uses it,
--    the policy gets WITH CHECK, the check now uses a new function
CREATE FUNCTION nonblank(t text) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN t <> '';
CREATE TABLE doc (id int PRIMARY KEY, owner text NOT NULL, body text, updated timestamptz,
                  CONSTRAINT doc_owner_check CHECK (nonblank(owner)));
CREATE FUNCTION is_owner(o text) RETURNS boolean LANGUAGE sql STABLE RETURN o = current_user OR o = session_user;
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated := clock_timestamp();
    RETURN NEW;
END $$;
CREATE TRIGGER doc_stamp BEFORE UPDATE ON doc FOR EACH ROW EXECUTE FUNCTION stamp();
CREATE TRIGGER doc_stamp_insert BEFORE INSERT ON doc FOR EACH ROW EXECUTE FUNCTION stamp();
ALTER TABLE doc ENABLE ROW LEVEL SECURITY;
CREATE POLICY doc_owner ON doc USING (is_owner(owner)) WITH CHECK (is_owner(owner));
