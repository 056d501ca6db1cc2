-- unique_multi: single and multi-column UNIQUE, UNIQUE on nullable columns (one NULLS NOT DISTINCT), a unique index, an expression (lower(email)) and a partial unique index.
CREATE TABLE accounts (
    id serial PRIMARY KEY,
    tenant_id integer NOT NULL,
    email varchar(255) NOT NULL UNIQUE,
    username varchar(50) NOT NULL,
    phone varchar(30) UNIQUE,
    external_ref varchar(40),
    invite_code varchar(20) UNIQUE NULLS NOT DISTINCT,
    display_name varchar(80),
    deleted_at timestamptz,
    CONSTRAINT uq_accounts_username UNIQUE (username),
    CONSTRAINT uq_accounts_tenant_ref UNIQUE (tenant_id, external_ref)
);

CREATE UNIQUE INDEX ux_accounts_lower_email ON accounts (lower(email));

-- Only live accounts need a unique display name.
CREATE UNIQUE INDEX ux_accounts_live_display_name ON accounts (display_name) WHERE deleted_at IS NULL;

CREATE TABLE seats (
    id serial PRIMARY KEY,
    venue varchar(50) NOT NULL,
    row_label char(2) NOT NULL,
    seat_no smallint NOT NULL,
    code varchar(20) NOT NULL,
    UNIQUE (venue, row_label, seat_no)
);

CREATE UNIQUE INDEX ux_seats_code ON seats (code);
