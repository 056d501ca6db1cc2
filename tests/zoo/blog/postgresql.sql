-- blog: the basic case: users (unique email and username), posts by users, comments on posts by (optionally) users.
CREATE TABLE users (
    id serial PRIMARY KEY,
    email varchar(255) NOT NULL UNIQUE,
    username varchar(50) NOT NULL UNIQUE,
    full_name varchar(100),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE posts (
    id serial PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id),
    title varchar(200) NOT NULL,
    body text,
    published_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE comments (
    id serial PRIMARY KEY,
    post_id integer NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id integer REFERENCES users (id),
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
