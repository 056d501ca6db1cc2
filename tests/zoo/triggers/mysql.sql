-- triggers: a BEFORE INSERT trigger that fills a column, an AFTER INSERT trigger that writes an audit table (left to the trigger), and a BEFORE UPDATE trigger that keeps updated_at.
CREATE TABLE products (
    id INT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(80) NOT NULL,
    slug VARCHAR(80),
    price DECIMAL(10, 2) NOT NULL CHECK (price > 0),
    updated_at DATETIME NULL
) ENGINE=InnoDB;

CREATE TABLE product_audit (
    id INT AUTO_INCREMENT PRIMARY KEY,
    product_id INT NOT NULL,
    action VARCHAR(10) NOT NULL,
    logged_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB;

DELIMITER ;;
CREATE TRIGGER products_slug BEFORE INSERT ON products FOR EACH ROW
BEGIN
    SET NEW.slug = LOWER(REPLACE(NEW.name, ' ', '-'));
END;;

CREATE TRIGGER products_audit AFTER INSERT ON products FOR EACH ROW
BEGIN
    INSERT INTO product_audit (product_id, action) VALUES (NEW.id, 'insert');
END;;

CREATE TRIGGER products_touch BEFORE UPDATE ON products FOR EACH ROW
BEGIN
    SET NEW.updated_at = NOW();
END;;
DELIMITER ;
