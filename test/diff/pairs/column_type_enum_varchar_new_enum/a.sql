CREATE TYPE public.status AS ENUM ('new', 'done');
CREATE TYPE public.old_level AS ENUM ('low', 'high');
CREATE TABLE task (
    id int PRIMARY KEY,
    state public.status NOT NULL DEFAULT 'new',
    note varchar(10),
    level public.old_level DEFAULT 'low',
    levels public.old_level[]
);
INSERT INTO task VALUES (1, 'done', 'new', 'high', '{low,high}'), (2, 'new', NULL, NULL, NULL);
