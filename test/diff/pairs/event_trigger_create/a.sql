CREATE TABLE ddl_log (at timestamptz DEFAULT now(), tag text);
CREATE FUNCTION log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.ddl_log (tag) VALUES (tg_tag);
END $$;
