-- without_rowid: SQLite WITHOUT ROWID tables, with a TEXT key and a composite key, referenced by single and composite foreign keys.
CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE grid (
    x INTEGER NOT NULL,
    y INTEGER NOT NULL,
    label TEXT,
    PRIMARY KEY (x, y)
) WITHOUT ROWID;

CREATE TABLE marks (
    id INTEGER PRIMARY KEY,
    setting TEXT NOT NULL REFERENCES settings (name),
    x INTEGER,
    y INTEGER,
    FOREIGN KEY (x, y) REFERENCES grid (x, y)
);
