-- b: the event trigger is enabled (a guard that forbids drops: the diff must not drop anything)
CREATE FUNCTION no_drops() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'no drops';
END $$;
CREATE EVENT TRIGGER guard ON sql_drop EXECUTE FUNCTION no_drops();
