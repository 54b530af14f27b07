#!/usr/bin/env bash
# Issue 16, item 7: the trigger an online change adds resolves its expressions with the job's
# search_path, not with that of each session that writes: an application whose search_path
# lacks the schema of a function the USING expression calls keeps writing through the whole
# window, through the old shape and the new.
. "$(dirname "$0")/lib.sh"

as deployer >/dev/null <<'SQL'
CREATE SCHEMA conv;
CREATE FUNCTION conv.cents(integer) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT $1::bigint * 100';
GRANT USAGE ON SCHEMA conv TO app;
CREATE TABLE item (id int PRIMARY KEY, price integer NOT NULL);
INSERT INTO item SELECT g, g FROM generate_series(1, 1000) g;
GRANT SELECT, INSERT, UPDATE ON item TO app;
SELECT ender_register($f$-- ender:revision sp1
-- ender:online alter_column item price type bigint using (cents(price)) down ((price / 100)::integer)
-- ender:upgrade
$f$);
SET search_path = conv, public;
SELECT ender_upgrade();
SQL
wait_for "SELECT phase FROM ender.online_job" ready

echo "   an application session without the schema on its search_path writes"
as app >/dev/null <<'SQL'
SET search_path = public;
INSERT INTO item VALUES (1001, 7);
UPDATE item SET price = 8 WHERE id = 1;
SET search_path = ender_sp1, public;
INSERT INTO item (id, price) VALUES (1002, 900);
SQL
same "$(q -c "SELECT string_agg(id || '=' || _ender_new_price, ',' ORDER BY id) FROM item WHERE id IN (1, 1001, 1002)")" \
    "1=800,1001=700,1002=900" "the new column, written from both shapes"
same "$(as deployer -c "SELECT ender_complete('sp1')")" sp1 "ender_complete"
same "$(q -c "SELECT price FROM item WHERE id = 1002")" 900 "after complete"
echo "   test/security/search_path.sh: passed"
