-- domains: PostgreSQL domains whose CHECKs and NOT NULL are the column's: an IN list over char(2), a LIKE over varchar with NOT NULL and UNIQUE on the column, a BETWEEN, and a domain built on another domain.
CREATE DOMAIN us_state AS char(2) CHECK (VALUE IN ('CA', 'NY', 'TX', 'WA'));
CREATE DOMAIN email_address AS varchar(80) NOT NULL CHECK (VALUE LIKE '%_@_%');
CREATE DOMAIN small_rank AS smallint CHECK (VALUE BETWEEN 1 AND 50);
CREATE DOMAIN top_rank AS small_rank CHECK (VALUE <= 20);

CREATE TABLE people (
    id serial PRIMARY KEY,
    state us_state,
    email email_address UNIQUE,
    best top_rank NOT NULL,
    score small_rank
);
