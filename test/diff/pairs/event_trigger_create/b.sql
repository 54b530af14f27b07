-- b: an event trigger with a tag filter (the function exists in both)
CREATE TABLE ddl_log (at timestamptz DEFAULT now(), tag text);
CREATE FUNCTION log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.ddl_log (tag) VALUES (tg_tag);
END $$;
CREATE EVENT TRIGGER log_tables ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')
    EXECUTE FUNCTION log_ddl();
