-- cycle_nullable: departments.head_id -> employees (nullable) and employees.department_id -> departments (NOT NULL).
CREATE TABLE departments (
    id serial PRIMARY KEY,
    name varchar(100) NOT NULL UNIQUE,
    head_id integer
);

CREATE TABLE employees (
    id serial PRIMARY KEY,
    name text NOT NULL,
    department_id integer NOT NULL REFERENCES departments (id)
);

ALTER TABLE departments
    ADD CONSTRAINT fk_departments_head FOREIGN KEY (head_id) REFERENCES employees (id);
