-- triggers: a BEFORE/AFTER INSERT trigger that fills a column, an AFTER INSERT trigger that writes an audit table (left to the trigger), and an UPDATE trigger that keeps updated_at.
CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    name VARCHAR(80) NOT NULL,
    slug VARCHAR(80),
    price NUMERIC(10, 2) NOT NULL CHECK (price > 0),
    updated_at TIMESTAMP
);

CREATE TABLE product_audit (
    id INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    action VARCHAR(10) NOT NULL,
    logged_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TRIGGER products_slug AFTER INSERT ON products
BEGIN
    UPDATE products SET slug = lower(replace(NEW.name, ' ', '-')) WHERE id = NEW.id;
END;

CREATE TRIGGER products_audit AFTER INSERT ON products
BEGIN
    INSERT INTO product_audit (product_id, action) VALUES (NEW.id, 'insert');
END;

CREATE TRIGGER products_touch AFTER UPDATE OF price ON products
BEGIN
    UPDATE products SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;
