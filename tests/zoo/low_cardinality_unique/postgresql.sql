-- low_cardinality_unique: UNIQUE columns with few possible values (SMALLINT, CHAR(2)) and a unique BOOLEAN in its own table.
CREATE TABLE levels (
    id serial PRIMARY KEY,
    level smallint NOT NULL UNIQUE,
    code char(2) NOT NULL UNIQUE,
    name varchar(50) NOT NULL
);

-- At most two non-NULL rows can exist.
CREATE TABLE flags (
    id serial PRIMARY KEY,
    is_default boolean UNIQUE,
    label varchar(20) NOT NULL
);
