-- fk_to_unique: foreign keys that reference a UNIQUE non-primary-key column (countries.iso_code, airports.iata), two of them to the same column.
CREATE TABLE countries (
    id INTEGER PRIMARY KEY,
    iso_code CHAR(2) NOT NULL UNIQUE,
    name VARCHAR(100) NOT NULL
);

CREATE TABLE cities (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    country_code CHAR(2) NOT NULL REFERENCES countries (iso_code)
);

CREATE TABLE airports (
    id INTEGER PRIMARY KEY,
    iata CHAR(3) NOT NULL UNIQUE,
    city_id INTEGER NOT NULL REFERENCES cities (id)
);

CREATE TABLE flights (
    id INTEGER PRIMARY KEY,
    origin CHAR(3) NOT NULL REFERENCES airports (iata),
    destination CHAR(3) NOT NULL REFERENCES airports (iata),
    departs_at TIMESTAMP NOT NULL,
    CHECK (origin <> destination)
);
