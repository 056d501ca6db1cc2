-- composite_keys: composite primary keys (regions, order_lines) and composite FKs referencing them, NOT NULL and nullable.
CREATE TABLE regions (
    country_code CHAR(2) NOT NULL,
    region_code VARCHAR(10) NOT NULL,
    name VARCHAR(100) NOT NULL,
    PRIMARY KEY (country_code, region_code)
);

CREATE TABLE stores (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    country_code CHAR(2) NOT NULL,
    region_code VARCHAR(10) NOT NULL,
    FOREIGN KEY (country_code, region_code) REFERENCES regions (country_code, region_code)
);

-- Both columns nullable: MATCH SIMPLE, a row with either one NULL references nothing.
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    email VARCHAR(255) NOT NULL,
    country_code CHAR(2),
    region_code VARCHAR(10),
    FOREIGN KEY (country_code, region_code) REFERENCES regions (country_code, region_code)
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    ordered_at TIMESTAMP NOT NULL
);

-- Part of the key is itself a foreign key: line numbers restart for every order.
CREATE TABLE order_lines (
    order_id INTEGER NOT NULL REFERENCES orders (id),
    line_no INTEGER NOT NULL,
    quantity INTEGER NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE refunds (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL,
    line_no INTEGER NOT NULL,
    amount NUMERIC(10, 2) NOT NULL,
    FOREIGN KEY (order_id, line_no) REFERENCES order_lines (order_id, line_no)
);
