-- fk_to_unique: foreign keys that reference a UNIQUE non-primary-key column (countries.iso_code, airports.iata), two of them to the same column.
CREATE TABLE countries (
    id INT AUTO_INCREMENT PRIMARY KEY,
    iso_code CHAR(2) NOT NULL UNIQUE,
    name VARCHAR(100) NOT NULL
) ENGINE=InnoDB;

CREATE TABLE cities (
    id INT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    country_code CHAR(2) NOT NULL,
    CONSTRAINT fk_cities_country FOREIGN KEY (country_code) REFERENCES countries (iso_code)
) ENGINE=InnoDB;

CREATE TABLE airports (
    id INT AUTO_INCREMENT PRIMARY KEY,
    iata CHAR(3) NOT NULL UNIQUE,
    city_id INT NOT NULL,
    CONSTRAINT fk_airports_city FOREIGN KEY (city_id) REFERENCES cities (id)
) ENGINE=InnoDB;

CREATE TABLE flights (
    id INT AUTO_INCREMENT PRIMARY KEY,
    origin CHAR(3) NOT NULL,
    destination CHAR(3) NOT NULL,
    departs_at DATETIME NOT NULL,
    CONSTRAINT ck_flights_route CHECK (origin <> destination),
    CONSTRAINT fk_flights_origin FOREIGN KEY (origin) REFERENCES airports (iata),
    CONSTRAINT fk_flights_destination FOREIGN KEY (destination) REFERENCES airports (iata)
) ENGINE=InnoDB;
