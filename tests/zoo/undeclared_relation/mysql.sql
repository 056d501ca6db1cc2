-- undeclared_relation: orders.user_id names users.id by convention only, with no FOREIGN KEY constraint.
CREATE TABLE users (
    id INT AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(255) NOT NULL UNIQUE
) ENGINE=InnoDB;

CREATE TABLE orders (
    id INT AUTO_INCREMENT PRIMARY KEY,
    user_id INT NOT NULL,
    total DECIMAL(10, 2) NOT NULL,
    placed_at DATETIME NOT NULL
) ENGINE=InnoDB;
