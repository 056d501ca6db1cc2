-- checks: CHECK constraints of every common shape: constants, BETWEEN, IN, LIKE, column vs column, CHAR_LENGTH(), AND/OR/NOT, IS NOT NULL, two FK columns (follower_id <> followee_id, tag1 < tag2); column-level checks included.
CREATE TABLE users (
    id INT AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(255) NULL CHECK (email LIKE '%_@_%'),
    phone VARCHAR(30) NULL,
    age INT NULL CHECK (age >= 13),
    CONSTRAINT ck_users_contact CHECK (email IS NOT NULL OR phone IS NOT NULL)
) ENGINE=InnoDB;

CREATE TABLE products (
    id INT AUTO_INCREMENT PRIMARY KEY,
    sku CHAR(8) NOT NULL UNIQUE CHECK (CHAR_LENGTH(sku) = 8),
    name VARCHAR(100) NOT NULL CHECK (CHAR_LENGTH(name) BETWEEN 2 AND 100),
    price DECIMAL(10, 2) NOT NULL CHECK (price > 0),
    stock INT NOT NULL DEFAULT 0 CHECK (stock >= 0),
    rating SMALLINT NULL CHECK (rating BETWEEN 1 AND 5),
    status VARCHAR(10) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'retired')),
    discount_pct DECIMAL(5, 2) NULL,
    CONSTRAINT ck_products_discount CHECK (discount_pct IS NULL OR (discount_pct > 0 AND discount_pct < 100)),
    CONSTRAINT ck_products_retired_stock CHECK (NOT (status = 'retired' AND stock > 0))
) ENGINE=InnoDB;

CREATE TABLE promotions (
    id INT AUTO_INCREMENT PRIMARY KEY,
    product_id INT NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    CONSTRAINT ck_promotions_dates CHECK (end_date > start_date),
    CONSTRAINT fk_promotions_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB;

CREATE TABLE follows (
    follower_id INT NOT NULL,
    followee_id INT NOT NULL,
    PRIMARY KEY (follower_id, followee_id),
    CONSTRAINT ck_follows_not_self CHECK (follower_id <> followee_id),
    CONSTRAINT fk_follows_follower FOREIGN KEY (follower_id) REFERENCES users (id),
    CONSTRAINT fk_follows_followee FOREIGN KEY (followee_id) REFERENCES users (id)
) ENGINE=InnoDB;

CREATE TABLE tags (
    id INT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(30) NOT NULL UNIQUE
) ENGINE=InnoDB;

-- Each unordered pair once: the smaller id first.
CREATE TABLE tag_pairs (
    tag1 INT NOT NULL,
    tag2 INT NOT NULL,
    PRIMARY KEY (tag1, tag2),
    CONSTRAINT ck_tag_pairs_order CHECK (tag1 < tag2),
    CONSTRAINT fk_tag_pairs_tag1 FOREIGN KEY (tag1) REFERENCES tags (id),
    CONSTRAINT fk_tag_pairs_tag2 FOREIGN KEY (tag2) REFERENCES tags (id)
) ENGINE=InnoDB;
