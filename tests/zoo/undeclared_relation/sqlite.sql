-- undeclared_relation: orders.user_id names users.id by convention only, with no FOREIGN KEY constraint.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(255) NOT NULL UNIQUE
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    total NUMERIC(10, 2) NOT NULL,
    placed_at TIMESTAMP NOT NULL
);
