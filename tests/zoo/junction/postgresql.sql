-- junction: a many-to-many table (enrollments) whose primary key is the pair of its foreign keys.
CREATE TABLE students (
    id serial PRIMARY KEY,
    full_name text NOT NULL,
    email varchar(255) NOT NULL UNIQUE
);

CREATE TABLE courses (
    id serial PRIMARY KEY,
    code varchar(12) NOT NULL UNIQUE,
    title text NOT NULL
);

CREATE TABLE enrollments (
    student_id integer NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    course_id integer NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    enrolled_on date NOT NULL,
    grade char(1),
    PRIMARY KEY (student_id, course_id)
);
