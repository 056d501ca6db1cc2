-- cycle_not_null: two-table cycles with NOT NULL on both edges; teams/players are DEFERRABLE INITIALLY DEFERRED, accounts/contacts are immediate.
CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    captain_id INTEGER NOT NULL REFERENCES players (id) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE players (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    team_id INTEGER NOT NULL REFERENCES teams (id) DEFERRABLE INITIALLY DEFERRED
);

-- Immediate constraints: rows can only go in with PRAGMA defer_foreign_keys or foreign_keys=OFF.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    primary_contact_id INTEGER NOT NULL REFERENCES contacts (id)
);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts (id)
);
