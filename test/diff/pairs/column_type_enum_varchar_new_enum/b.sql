-- b: task.state moves from an enum to varchar (through text), note from varchar to that enum,
-- level and levels to an enum type the diff creates (with more labels and another default);
-- public.old_level is no longer used and goes.
CREATE TYPE public.status AS ENUM ('new', 'done');
CREATE TYPE public.level AS ENUM ('low', 'mid', 'high');
CREATE TABLE task (
    id int PRIMARY KEY,
    state varchar(10) NOT NULL DEFAULT 'new',
    note public.status,
    level public.level DEFAULT 'mid',
    levels public.level[]
);
