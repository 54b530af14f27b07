-- b: values inserted in the middle and at the front (ADD VALUE ... BEFORE)
CREATE TYPE mood AS ENUM ('angry', 'sad', 'ok', 'happy');
CREATE TABLE hero (id int PRIMARY KEY, feeling mood);
