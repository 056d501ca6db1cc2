-- undeclared_relation: orders.user_id names users.id by convention only, with no FOREIGN KEY constraint.
CREATE TABLE users (
    id serial PRIMARY KEY,
    email varchar(255) NOT NULL UNIQUE
);

CREATE TABLE orders (
    id serial PRIMARY KEY,
    user_id integer NOT NULL,
    total numeric(10, 2) NOT NULL,
    placed_at timestamptz NOT NULL
);
