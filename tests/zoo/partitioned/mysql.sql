-- partitioned: RANGE on YEAR() and on TO_DAYS() with HASH sub-partitions, RANGE COLUMNS, LIST and multi-column LIST COLUMNS (rows outside every partition are refused), HASH and KEY (any row fits); MySQL allows no foreign keys on partitioned tables.
CREATE TABLE sales (
    id INT NOT NULL,
    sold_on DATE NOT NULL,
    amount DECIMAL(8, 2) NOT NULL,
    PRIMARY KEY (id, sold_on)
) PARTITION BY RANGE (YEAR(sold_on)) (
    PARTITION p2023 VALUES LESS THAN (2024),
    PARTITION p2024 VALUES LESS THAN (2025),
    PARTITION p2025 VALUES LESS THAN (2026)
);

CREATE TABLE archive (
    id INT NOT NULL,
    logged_at DATETIME NOT NULL,
    PRIMARY KEY (id, logged_at)
) PARTITION BY RANGE (TO_DAYS(logged_at)) SUBPARTITION BY HASH (id) SUBPARTITIONS 2 (
    PARTITION y2006 VALUES LESS THAN (TO_DAYS('2007-01-01')),
    PARTITION y2007 VALUES LESS THAN (TO_DAYS('2008-01-01'))
);

CREATE TABLE bookings (
    id INT NOT NULL,
    booked_for DATE NOT NULL,
    PRIMARY KEY (id, booked_for)
) PARTITION BY RANGE COLUMNS (booked_for) (
    PARTITION early VALUES LESS THAN ('2024-01-01'),
    PARTITION late VALUES LESS THAN ('2025-06-01')
);

CREATE TABLE shops (
    id INT NOT NULL,
    region_code INT NOT NULL,
    name VARCHAR(60) NOT NULL,
    PRIMARY KEY (id, region_code)
) PARTITION BY LIST (region_code) (
    PARTITION north VALUES IN (1, 2, 3),
    PARTITION south VALUES IN (4, 5)
);

CREATE TABLE stock (
    id INT NOT NULL,
    warehouse CHAR(1) NOT NULL,
    bay INT NOT NULL,
    PRIMARY KEY (id, warehouse, bay)
) PARTITION BY LIST COLUMNS (warehouse, bay) (
    PARTITION a VALUES IN (('A', 1), ('A', 2)),
    PARTITION b VALUES IN (('B', 1), ('C', 3))
);

CREATE TABLE hits (
    id INT NOT NULL PRIMARY KEY,
    path VARCHAR(100)
) PARTITION BY HASH (id) PARTITIONS 4;

CREATE TABLE settings (
    name VARCHAR(40) NOT NULL PRIMARY KEY,
    value INT
) PARTITION BY KEY (name) PARTITIONS 3;
