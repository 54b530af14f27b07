CREATE TYPE size AS ENUM ('small', 'large', 'medium');
