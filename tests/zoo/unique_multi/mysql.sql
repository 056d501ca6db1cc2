-- unique_multi: single and multi-column UNIQUE, UNIQUE on nullable columns, a unique index, and a prefix UNIQUE on a TEXT column (slug(100)).
CREATE TABLE accounts (
    id INT AUTO_INCREMENT PRIMARY KEY,
    tenant_id INT NOT NULL,
    email VARCHAR(255) NOT NULL UNIQUE,
    username VARCHAR(50) NOT NULL,
    phone VARCHAR(30) NULL UNIQUE,
    external_ref VARCHAR(40) NULL,
    profile_slug TEXT NULL,
    CONSTRAINT uq_accounts_username UNIQUE (username),
    CONSTRAINT uq_accounts_tenant_ref UNIQUE (tenant_id, external_ref),
    UNIQUE KEY uq_accounts_profile_slug (profile_slug(100))
) ENGINE=InnoDB;

CREATE TABLE seats (
    id INT AUTO_INCREMENT PRIMARY KEY,
    venue VARCHAR(50) NOT NULL,
    row_label CHAR(2) NOT NULL,
    seat_no SMALLINT NOT NULL,
    code VARCHAR(20) NOT NULL,
    UNIQUE KEY uq_seats_place (venue, row_label, seat_no)
) ENGINE=InnoDB;

CREATE UNIQUE INDEX ux_seats_code ON seats (code);
