-- composite_keys: composite primary keys (regions, order_lines) and composite FKs referencing them, NOT NULL and nullable.
CREATE TABLE regions (
    country_code CHAR(2) NOT NULL,
    region_code VARCHAR(10) NOT NULL,
    name VARCHAR(100) NOT NULL,
    PRIMARY KEY (country_code, region_code)
) ENGINE=InnoDB;

CREATE TABLE stores (
    id INT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    country_code CHAR(2) NOT NULL,
    region_code VARCHAR(10) NOT NULL,
    CONSTRAINT fk_stores_region FOREIGN KEY (country_code, region_code)
        REFERENCES regions (country_code, region_code)
) ENGINE=InnoDB;

-- Both columns nullable: MATCH SIMPLE, a row with either one NULL references nothing.
CREATE TABLE customers (
    id INT AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(255) NOT NULL,
    country_code CHAR(2) NULL,
    region_code VARCHAR(10) NULL,
    CONSTRAINT fk_customers_region FOREIGN KEY (country_code, region_code)
        REFERENCES regions (country_code, region_code)
) ENGINE=InnoDB;

CREATE TABLE orders (
    id INT AUTO_INCREMENT PRIMARY KEY,
    customer_id INT NOT NULL,
    ordered_at DATETIME NOT NULL,
    CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB;

-- Part of the key is itself a foreign key: line numbers restart for every order.
CREATE TABLE order_lines (
    order_id INT NOT NULL,
    line_no SMALLINT NOT NULL,
    quantity INT NOT NULL,
    PRIMARY KEY (order_id, line_no),
    CONSTRAINT fk_order_lines_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB;

CREATE TABLE refunds (
    id INT AUTO_INCREMENT PRIMARY KEY,
    order_id INT NOT NULL,
    line_no SMALLINT NOT NULL,
    amount DECIMAL(10, 2) NOT NULL,
    CONSTRAINT fk_refunds_line FOREIGN KEY (order_id, line_no)
        REFERENCES order_lines (order_id, line_no)
) ENGINE=InnoDB;
