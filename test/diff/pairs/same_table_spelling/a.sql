-- a: a table written one way
CREATE TABLE hero (
    id integer NOT NULL,
    name character varying(50) NOT NULL,
    score numeric(10,2) DEFAULT 0,
    ratio double precision,
    created timestamp with time zone DEFAULT now(),
    flags boolean[] DEFAULT '{}'::boolean[],
    CONSTRAINT hero_pkey PRIMARY KEY (id),
    CONSTRAINT hero_score_check CHECK ((score >= (0)::numeric))
);
CREATE INDEX hero_name_idx ON public.hero USING btree (name);
