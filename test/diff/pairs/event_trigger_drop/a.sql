CREATE TABLE ddl_log (at timestamptz DEFAULT now(), tag text);
CREATE FUNCTION log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.ddl_log (tag) VALUES (tg_tag);
END $$;
CREATE EVENT TRIGGER log_tables ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION log_ddl();
CREATE EVENT TRIGGER log_drops ON sql_drop EXECUTE FUNCTION log_ddl();
