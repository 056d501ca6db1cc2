-- computed: generated columns, STORED (line_total) and VIRTUAL (label), and a UNIQUE generated column (customers.email_key) that constrains its source column.
CREATE TABLE order_lines (
    id INT AUTO_INCREMENT PRIMARY KEY,
    product_name VARCHAR(100) NOT NULL,
    unit_price DECIMAL(10, 2) NOT NULL CHECK (unit_price >= 0),
    quantity INT NOT NULL CHECK (quantity > 0),
    line_total DECIMAL(12, 2) AS (unit_price * quantity) STORED,
    label VARCHAR(100) AS (UPPER(product_name)) VIRTUAL
) ENGINE=InnoDB;

CREATE TABLE customers (
    id INT AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(255) NOT NULL,
    email_key VARCHAR(255) AS (LOWER(TRIM(email))) STORED UNIQUE
) ENGINE=InnoDB;
