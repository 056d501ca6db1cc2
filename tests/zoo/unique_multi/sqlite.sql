-- unique_multi: single and multi-column UNIQUE, UNIQUE on nullable columns, a unique index, a case-insensitive (COLLATE NOCASE) and a partial unique index.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL,
    email VARCHAR(255) NOT NULL UNIQUE,
    username VARCHAR(50) NOT NULL,
    phone VARCHAR(30) UNIQUE,
    external_ref VARCHAR(40),
    display_name VARCHAR(80),
    deleted_at TIMESTAMP,
    CONSTRAINT uq_accounts_username UNIQUE (username),
    CONSTRAINT uq_accounts_tenant_ref UNIQUE (tenant_id, external_ref)
);

CREATE UNIQUE INDEX ux_accounts_email_nocase ON accounts (email COLLATE NOCASE);

-- Only live accounts need a unique display name.
CREATE UNIQUE INDEX ux_accounts_live_display_name ON accounts (display_name) WHERE deleted_at IS NULL;

CREATE TABLE seats (
    id INTEGER PRIMARY KEY,
    venue VARCHAR(50) NOT NULL,
    row_label CHAR(2) NOT NULL,
    seat_no SMALLINT NOT NULL,
    code VARCHAR(20) NOT NULL,
    UNIQUE (venue, row_label, seat_no)
);

CREATE UNIQUE INDEX ux_seats_code ON seats (code);
