-- computed: generated columns (PostgreSQL has STORED only: line_total, label) and a UNIQUE generated column (customers.email_key) that constrains its source column.
CREATE TABLE order_lines (
    id serial PRIMARY KEY,
    product_name text NOT NULL,
    unit_price numeric(10, 2) NOT NULL CHECK (unit_price >= 0),
    quantity integer NOT NULL CHECK (quantity > 0),
    line_total numeric(12, 2) GENERATED ALWAYS AS (unit_price * quantity) STORED,
    label text GENERATED ALWAYS AS (upper(product_name)) STORED
);

CREATE TABLE customers (
    id serial PRIMARY KEY,
    email text NOT NULL,
    email_key text GENERATED ALWAYS AS (lower(trim(email))) STORED UNIQUE
);
