-- one_to_one: children that may exist at most once per parent: profiles (FK is the primary key) and passports (FK is UNIQUE NOT NULL).
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(255) NOT NULL UNIQUE
);

CREATE TABLE profiles (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    bio TEXT,
    birth_date DATE
);

CREATE TABLE passports (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL UNIQUE REFERENCES users (id),
    number VARCHAR(20) NOT NULL UNIQUE,
    expires_on DATE NOT NULL
);
