-- cycle_not_null: a two-table cycle with NOT NULL on both edges (MySQL has no deferrable constraints: rows go in with FOREIGN_KEY_CHECKS=0).
CREATE TABLE accounts (
    id INT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    primary_contact_id INT NOT NULL
) ENGINE=InnoDB;

CREATE TABLE contacts (
    id INT AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(255) NOT NULL,
    account_id INT NOT NULL,
    CONSTRAINT fk_contacts_account FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB;

ALTER TABLE accounts ADD CONSTRAINT fk_accounts_primary_contact
    FOREIGN KEY (primary_contact_id) REFERENCES contacts (id);
