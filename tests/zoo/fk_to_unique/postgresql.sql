-- fk_to_unique: foreign keys that reference a UNIQUE non-primary-key column (countries.iso_code, airports.iata), two of them to the same column.
CREATE TABLE countries (
    id serial PRIMARY KEY,
    iso_code char(2) NOT NULL UNIQUE,
    name varchar(100) NOT NULL
);

CREATE TABLE cities (
    id serial PRIMARY KEY,
    name varchar(100) NOT NULL,
    country_code char(2) NOT NULL REFERENCES countries (iso_code)
);

CREATE TABLE airports (
    id serial PRIMARY KEY,
    iata char(3) NOT NULL UNIQUE,
    city_id integer NOT NULL REFERENCES cities (id)
);

CREATE TABLE flights (
    id serial PRIMARY KEY,
    origin char(3) NOT NULL REFERENCES airports (iata),
    destination char(3) NOT NULL REFERENCES airports (iata),
    departs_at timestamptz NOT NULL,
    CHECK (origin <> destination)
);
