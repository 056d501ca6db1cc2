-- junction: a many-to-many table (enrollments) whose primary key is the pair of its foreign keys.
CREATE TABLE students (
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE
);

CREATE TABLE courses (
    id INTEGER PRIMARY KEY,
    code VARCHAR(12) NOT NULL UNIQUE,
    title TEXT NOT NULL
);

CREATE TABLE enrollments (
    student_id INTEGER NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    enrolled_on DATE NOT NULL,
    grade CHAR(1),
    PRIMARY KEY (student_id, course_id)
);
