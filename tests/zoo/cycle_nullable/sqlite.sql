-- cycle_nullable: departments.head_id -> employees (nullable) and employees.department_id -> departments (NOT NULL).
CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    head_id INTEGER REFERENCES employees (id)
);

CREATE TABLE employees (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    department_id INTEGER NOT NULL REFERENCES departments (id)
);
