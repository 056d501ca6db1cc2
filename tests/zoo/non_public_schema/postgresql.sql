-- non_public_schema: tables in schema app (users, posts), a public table referencing app.users across schemas, and a second table named users in public.
CREATE SCHEMA app;

CREATE TABLE app.users (
    id serial PRIMARY KEY,
    email varchar(255) NOT NULL UNIQUE
);

CREATE TABLE app.posts (
    id serial PRIMARY KEY,
    user_id integer NOT NULL REFERENCES app.users (id),
    title text NOT NULL
);

-- Same name as app.users: only the schema tells them apart.
CREATE TABLE public.users (
    id serial PRIMARY KEY,
    note text
);

CREATE TABLE public.audit_log (
    id bigserial PRIMARY KEY,
    user_id integer REFERENCES app.users (id),
    action varchar(20) NOT NULL CHECK (action IN ('login', 'logout', 'post')),
    at timestamptz NOT NULL DEFAULT now()
);
