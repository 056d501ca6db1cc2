-- checks: CHECK constraints of every common shape: constants, BETWEEN, IN, LIKE, column vs column, length(), AND/OR/NOT, IS NOT NULL, two FK columns (follower_id <> followee_id, tag1 < tag2).
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(255) CHECK (email LIKE '%_@_%'),
    phone VARCHAR(30),
    age INTEGER CHECK (age >= 13),
    CONSTRAINT ck_users_contact CHECK (email IS NOT NULL OR phone IS NOT NULL)
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    sku CHAR(8) NOT NULL UNIQUE CHECK (length(sku) = 8),
    name VARCHAR(100) NOT NULL CHECK (length(name) BETWEEN 2 AND 100),
    price NUMERIC(10, 2) NOT NULL CHECK (price > 0),
    stock INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    rating SMALLINT CHECK (rating BETWEEN 1 AND 5),
    status VARCHAR(10) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'retired')),
    discount_pct NUMERIC(5, 2),
    CONSTRAINT ck_products_discount CHECK (discount_pct IS NULL OR (discount_pct > 0 AND discount_pct < 100)),
    CONSTRAINT ck_products_retired_stock CHECK (NOT (status = 'retired' AND stock > 0))
);

CREATE TABLE promotions (
    id INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    CONSTRAINT ck_promotions_dates CHECK (end_date > start_date)
);

CREATE TABLE follows (
    follower_id INTEGER NOT NULL REFERENCES users (id),
    followee_id INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (follower_id, followee_id),
    CONSTRAINT ck_follows_not_self CHECK (follower_id <> followee_id)
);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name VARCHAR(30) NOT NULL UNIQUE
);

-- Each unordered pair once: the smaller id first.
CREATE TABLE tag_pairs (
    tag1 INTEGER NOT NULL REFERENCES tags (id),
    tag2 INTEGER NOT NULL REFERENCES tags (id),
    PRIMARY KEY (tag1, tag2),
    CHECK (tag1 < tag2)
);
