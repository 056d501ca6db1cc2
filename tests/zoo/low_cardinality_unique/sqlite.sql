-- low_cardinality_unique: UNIQUE columns whose declared type allows few values (SMALLINT, CHAR(2)) and a unique BOOLEAN in its own table.
CREATE TABLE levels (
    id INTEGER PRIMARY KEY,
    level SMALLINT NOT NULL UNIQUE,
    code CHAR(2) NOT NULL UNIQUE,
    name VARCHAR(50) NOT NULL
);

-- At most two non-NULL rows can exist.
CREATE TABLE flags (
    id INTEGER PRIMARY KEY,
    is_default BOOLEAN UNIQUE,
    label VARCHAR(20) NOT NULL
);
