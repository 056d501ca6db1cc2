-- autoincrement: SQLite key assignment: INTEGER PRIMARY KEY (rowid alias), AUTOINCREMENT (never reuses ids), and INT PRIMARY KEY (not a rowid alias: no automatic value).
CREATE TABLE rowid_keys (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL
);

CREATE TABLE autoinc_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(50) NOT NULL
);

-- Only the exact type name INTEGER makes a rowid alias; this key must be supplied.
CREATE TABLE int_keys (
    id INT PRIMARY KEY,
    name VARCHAR(50) NOT NULL
);
