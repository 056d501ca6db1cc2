-- types: SQLite's loose declared types and the affinity each gets (all_types), and a STRICT table (strict_types) that enforces INT, REAL, TEXT, BLOB and ANY.
CREATE TABLE all_types (
    id INTEGER PRIMARY KEY,
    -- INTEGER affinity
    c_int INT,
    c_integer INTEGER,
    c_tinyint TINYINT,
    c_smallint SMALLINT,
    c_mediumint MEDIUMINT,
    c_bigint BIGINT,
    c_unsigned_big UNSIGNED BIG INT,
    c_int8 INT8,
    c_floating_point FLOATING POINT,   -- contains "INT": INTEGER affinity, not REAL
    -- TEXT affinity
    c_varchar VARCHAR(255),
    c_nvarchar NVARCHAR(100),
    c_character CHARACTER(20),
    c_text TEXT,
    c_clob CLOB,
    -- BLOB affinity
    c_blob BLOB,
    c_untyped,
    -- REAL affinity
    c_real REAL,
    c_double DOUBLE,
    c_double_precision DOUBLE PRECISION,
    c_float FLOAT,
    -- NUMERIC affinity
    c_numeric NUMERIC,
    c_decimal DECIMAL(10, 5),
    c_boolean BOOLEAN,
    c_date DATE,
    c_datetime DATETIME,
    c_timestamp TIMESTAMP,
    c_time TIME,
    c_json JSON,
    c_uuid UUID,
    c_string STRING                    -- NUMERIC affinity: '0012' is stored as 12
);

CREATE TABLE strict_types (
    id INTEGER PRIMARY KEY,
    c_int INT,
    c_integer INTEGER NOT NULL,
    c_real REAL,
    c_text TEXT,
    c_blob BLOB,
    c_any ANY
) STRICT;
