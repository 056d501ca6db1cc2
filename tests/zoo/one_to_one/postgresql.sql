-- one_to_one: children that may exist at most once per parent: profiles (FK is the primary key) and passports (FK is UNIQUE NOT NULL).
CREATE TABLE users (
    id serial PRIMARY KEY,
    email varchar(255) NOT NULL UNIQUE
);

CREATE TABLE profiles (
    user_id integer PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    bio text,
    birth_date date
);

CREATE TABLE passports (
    id serial PRIMARY KEY,
    user_id integer NOT NULL UNIQUE REFERENCES users (id),
    number varchar(20) NOT NULL UNIQUE,
    expires_on date NOT NULL
);
