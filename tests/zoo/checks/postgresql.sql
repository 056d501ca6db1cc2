-- checks: CHECK constraints of every common shape: constants, BETWEEN, IN, LIKE, column vs column, length(), AND/OR/NOT, IS NOT NULL, two FK columns (follower_id <> followee_id, tag1 < tag2).
CREATE TABLE users (
    id serial PRIMARY KEY,
    email varchar(255) CHECK (email LIKE '%_@_%'),
    phone varchar(30),
    age integer CHECK (age >= 13),
    CONSTRAINT ck_users_contact CHECK (email IS NOT NULL OR phone IS NOT NULL)
);

CREATE TABLE products (
    id serial PRIMARY KEY,
    sku char(8) NOT NULL UNIQUE CHECK (length(sku) = 8),
    name varchar(100) NOT NULL CHECK (length(name) BETWEEN 2 AND 100),
    price numeric(10, 2) NOT NULL CHECK (price > 0),
    stock integer NOT NULL DEFAULT 0 CHECK (stock >= 0),
    rating smallint CHECK (rating BETWEEN 1 AND 5),
    status varchar(10) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'retired')),
    discount_pct numeric(5, 2),
    CONSTRAINT ck_products_discount CHECK (discount_pct IS NULL OR (discount_pct > 0 AND discount_pct < 100)),
    CONSTRAINT ck_products_retired_stock CHECK (NOT (status = 'retired' AND stock > 0))
);

CREATE TABLE promotions (
    id serial PRIMARY KEY,
    product_id integer NOT NULL REFERENCES products (id),
    start_date date NOT NULL,
    end_date date NOT NULL,
    CONSTRAINT ck_promotions_dates CHECK (end_date > start_date)
);

CREATE TABLE follows (
    follower_id integer NOT NULL REFERENCES users (id),
    followee_id integer NOT NULL REFERENCES users (id),
    PRIMARY KEY (follower_id, followee_id),
    CONSTRAINT ck_follows_not_self CHECK (follower_id <> followee_id)
);

CREATE TABLE tags (
    id serial PRIMARY KEY,
    name varchar(30) NOT NULL UNIQUE
);

-- Each unordered pair once: the smaller id first.
CREATE TABLE tag_pairs (
    tag1 integer NOT NULL REFERENCES tags (id),
    tag2 integer NOT NULL REFERENCES tags (id),
    PRIMARY KEY (tag1, tag2),
    CHECK (tag1 < tag2)
);
