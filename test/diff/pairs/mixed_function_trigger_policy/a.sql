-- a: one function used by a trigger, another by a policy and a check
CREATE TABLE doc (id int PRIMARY KEY, owner text NOT NULL, body text, updated timestamptz,
                  CONSTRAINT doc_owner_check CHECK (owner <> ''));
CREATE FUNCTION is_owner(o text) RETURNS boolean LANGUAGE sql STABLE RETURN o = current_user;
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated := now();
    RETURN NEW;
END $$;
CREATE TRIGGER doc_stamp BEFORE UPDATE ON doc FOR EACH ROW EXECUTE FUNCTION stamp();
ALTER TABLE doc ENABLE ROW LEVEL SECURITY;
CREATE POLICY doc_owner ON doc USING (is_owner(owner));
