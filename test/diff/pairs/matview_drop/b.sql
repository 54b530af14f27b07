-- b: the materialized view is gone
CREATE TABLE hero (id int PRIMARY KEY, team_id int);
