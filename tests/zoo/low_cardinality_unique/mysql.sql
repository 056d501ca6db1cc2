-- low_cardinality_unique: UNIQUE columns with few possible values (SMALLINT, case-insensitive CHAR(2), TINYINT, TINYINT UNSIGNED) and a unique BOOLEAN in its own table.
CREATE TABLE levels (
    id INT AUTO_INCREMENT PRIMARY KEY,
    level SMALLINT NOT NULL UNIQUE,
    code CHAR(2) NOT NULL UNIQUE,
    name VARCHAR(50) NOT NULL
) ENGINE=InnoDB;

-- 256 possible values each.
CREATE TABLE tiny_codes (
    id INT AUTO_INCREMENT PRIMARY KEY,
    code TINYINT NOT NULL UNIQUE,
    ucode TINYINT UNSIGNED NULL UNIQUE
) ENGINE=InnoDB;

-- At most two non-NULL rows can exist.
CREATE TABLE flags (
    id INT AUTO_INCREMENT PRIMARY KEY,
    is_default BOOLEAN NULL UNIQUE,
    label VARCHAR(20) NOT NULL
) ENGINE=InnoDB;
