-- shop: requests about values: order statuses (an enum type), booleans and yes/no flags (boolean, char(1) 'Y'/'N' and 'T'/'F', smallint 0/1), prices (numeric), birth dates, order dates, and a product/category link table.
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'delivered', 'cancelled');

CREATE TABLE customers (
    id serial PRIMARY KEY,
    first_name varchar(50) NOT NULL,
    last_name varchar(50) NOT NULL,
    email varchar(120) NOT NULL UNIQUE,
    birth_date date,
    country varchar(60),
    is_active boolean NOT NULL DEFAULT true,
    vip char(1) NOT NULL DEFAULT 'N' CHECK (vip IN ('Y', 'N')),
    newsletter char(1) CHECK (newsletter IN ('T', 'F')),
    verified smallint NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
    created_at timestamp NOT NULL
);

CREATE TABLE categories (
    id serial PRIMARY KEY,
    name varchar(80) NOT NULL UNIQUE
);

CREATE TABLE products (
    id serial PRIMARY KEY,
    name varchar(120) NOT NULL,
    price numeric(10, 2) NOT NULL CHECK (price > 0),
    in_stock boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL
);

CREATE TABLE product_categories (
    product_id integer NOT NULL REFERENCES products (id),
    category_id integer NOT NULL REFERENCES categories (id),
    PRIMARY KEY (product_id, category_id)
);

CREATE TABLE orders (
    id serial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    status order_status NOT NULL DEFAULT 'pending',
    ordered_at timestamp NOT NULL,
    total numeric(12, 2) NOT NULL CHECK (total >= 0)
);

CREATE TABLE order_items (
    id serial PRIMARY KEY,
    order_id integer NOT NULL REFERENCES orders (id),
    product_id integer NOT NULL REFERENCES products (id),
    quantity integer NOT NULL CHECK (quantity > 0),
    unit_price numeric(10, 2) NOT NULL
);

CREATE TABLE reviews (
    id serial PRIMARY KEY,
    product_id integer NOT NULL REFERENCES products (id),
    customer_id integer NOT NULL REFERENCES customers (id),
    rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body text,
    created_at timestamp NOT NULL
);
