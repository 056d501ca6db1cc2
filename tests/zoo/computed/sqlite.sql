-- computed: generated columns, STORED (line_total) and VIRTUAL (label), and a UNIQUE generated column (customers.email_key) that constrains its source column.
CREATE TABLE order_lines (
    id INTEGER PRIMARY KEY,
    product_name TEXT NOT NULL,
    unit_price NUMERIC(10, 2) NOT NULL CHECK (unit_price >= 0),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    line_total NUMERIC GENERATED ALWAYS AS (unit_price * quantity) STORED,
    label TEXT GENERATED ALWAYS AS (upper(product_name)) VIRTUAL
);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    email_key TEXT GENERATED ALWAYS AS (lower(trim(email))) STORED UNIQUE
);
