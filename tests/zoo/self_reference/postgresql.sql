-- self_reference: a nullable self-referencing FK (employees.manager_id) and a category tree with parent_id.
CREATE TABLE employees (
    id serial PRIMARY KEY,
    name text NOT NULL,
    manager_id integer REFERENCES employees (id)
);

CREATE TABLE categories (
    id serial PRIMARY KEY,
    parent_id integer REFERENCES categories (id) ON DELETE CASCADE,
    name varchar(100) NOT NULL,
    UNIQUE (parent_id, name)
);
