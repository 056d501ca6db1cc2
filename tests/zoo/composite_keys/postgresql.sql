-- composite_keys: composite primary keys (regions, order_lines) and composite FKs referencing them, NOT NULL and nullable.
CREATE TABLE regions (
    country_code char(2) NOT NULL,
    region_code varchar(10) NOT NULL,
    name varchar(100) NOT NULL,
    PRIMARY KEY (country_code, region_code)
);

CREATE TABLE stores (
    id serial PRIMARY KEY,
    name varchar(100) NOT NULL,
    country_code char(2) NOT NULL,
    region_code varchar(10) NOT NULL,
    CONSTRAINT fk_stores_region FOREIGN KEY (country_code, region_code)
        REFERENCES regions (country_code, region_code)
);

-- Both columns nullable: MATCH SIMPLE, a row with either one NULL references nothing.
CREATE TABLE customers (
    id serial PRIMARY KEY,
    email varchar(255) NOT NULL,
    country_code char(2),
    region_code varchar(10),
    CONSTRAINT fk_customers_region FOREIGN KEY (country_code, region_code)
        REFERENCES regions (country_code, region_code)
);

CREATE TABLE orders (
    id serial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    ordered_at timestamptz NOT NULL
);

-- Part of the key is itself a foreign key: line numbers restart for every order.
CREATE TABLE order_lines (
    order_id integer NOT NULL REFERENCES orders (id),
    line_no smallint NOT NULL,
    quantity integer NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE refunds (
    id serial PRIMARY KEY,
    order_id integer NOT NULL,
    line_no smallint NOT NULL,
    amount numeric(10, 2) NOT NULL,
    CONSTRAINT fk_refunds_line FOREIGN KEY (order_id, line_no)
        REFERENCES order_lines (order_id, line_no)
);
