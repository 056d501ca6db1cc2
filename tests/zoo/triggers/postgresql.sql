-- triggers: a BEFORE INSERT trigger that fills a column, an AFTER INSERT trigger that writes an audit table (left to the trigger), and a BEFORE UPDATE trigger that keeps updated_at.
CREATE TABLE products (
    id serial PRIMARY KEY,
    name varchar(80) NOT NULL,
    slug varchar(80),
    price numeric(10, 2) NOT NULL CHECK (price > 0),
    updated_at timestamptz
);

CREATE TABLE product_audit (
    id serial PRIMARY KEY,
    product_id integer NOT NULL REFERENCES products (id),
    action varchar(10) NOT NULL,
    logged_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION products_slug() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.slug := lower(replace(NEW.name, ' ', '-'));
    RETURN NEW;
END $$;

CREATE FUNCTION products_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO product_audit (product_id, action) VALUES (NEW.id, 'insert');
    RETURN NULL;
END $$;

CREATE FUNCTION products_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END $$;

CREATE TRIGGER products_slug BEFORE INSERT ON products
    FOR EACH ROW EXECUTE FUNCTION products_slug();
CREATE TRIGGER products_audit AFTER INSERT ON products
    FOR EACH ROW EXECUTE FUNCTION products_audit();
CREATE TRIGGER products_touch BEFORE UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION products_touch();
