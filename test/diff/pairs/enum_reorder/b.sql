-- b: the same labels in another order (needs a rebuild, the type is unused)
CREATE TYPE size AS ENUM ('small', 'medium', 'large');
