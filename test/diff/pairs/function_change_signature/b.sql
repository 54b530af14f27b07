-- b: the function takes a second argument (a different function; the old one goes)
CREATE FUNCTION greeting(who text, punctuation text) RETURNS text LANGUAGE sql IMMUTABLE
    RETURN 'hello ' || who || punctuation;
