-- partitioned: declarative partitioning: RANGE by date (rows must fall in a partition), LIST on part of a composite key, HASH sub-partitions with a DEFAULT partition, and foreign keys to and from partitioned tables.
CREATE TABLE measurements (
    id bigint NOT NULL,
    taken_on date NOT NULL,
    reading numeric(8, 2) NOT NULL,
    PRIMARY KEY (id, taken_on)
) PARTITION BY RANGE (taken_on);
CREATE TABLE measurements_2024 PARTITION OF measurements
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurements_2025 PARTITION OF measurements
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');

-- The key (id, region): region has three values, id carries the uniqueness.
CREATE TABLE shops (
    id integer NOT NULL,
    region text NOT NULL,
    name varchar(60) NOT NULL,
    PRIMARY KEY (id, region)
) PARTITION BY LIST (region);
CREATE TABLE shops_north PARTITION OF shops FOR VALUES IN ('north', 'east');
CREATE TABLE shops_south PARTITION OF shops FOR VALUES IN ('south');

-- PostgreSQL copies a key that references a partitioned table once per partition.
CREATE TABLE orders (
    id integer PRIMARY KEY,
    shop_id integer NOT NULL,
    shop_region text NOT NULL,
    placed_at timestamp NOT NULL,
    FOREIGN KEY (shop_id, shop_region) REFERENCES shops (id, region)
);

CREATE TABLE events (
    id integer NOT NULL,
    kind smallint NOT NULL,
    order_id integer REFERENCES orders (id),
    PRIMARY KEY (id, kind)
) PARTITION BY RANGE (kind);
CREATE TABLE events_low PARTITION OF events FOR VALUES FROM (0) TO (10) PARTITION BY HASH (id);
CREATE TABLE events_low_0 PARTITION OF events_low FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE events_low_1 PARTITION OF events_low FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE events_other PARTITION OF events DEFAULT;
