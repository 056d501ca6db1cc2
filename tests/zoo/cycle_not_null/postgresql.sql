-- cycle_not_null: two-table cycles with NOT NULL on both edges; teams/players are DEFERRABLE INITIALLY DEFERRED, accounts/contacts are not deferrable.
CREATE TABLE teams (
    id serial PRIMARY KEY,
    name text NOT NULL,
    captain_id integer NOT NULL
);

CREATE TABLE players (
    id serial PRIMARY KEY,
    name text NOT NULL,
    team_id integer NOT NULL
);

ALTER TABLE teams ADD CONSTRAINT fk_teams_captain
    FOREIGN KEY (captain_id) REFERENCES players (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE players ADD CONSTRAINT fk_players_team
    FOREIGN KEY (team_id) REFERENCES teams (id) DEFERRABLE INITIALLY DEFERRED;

-- Not deferrable: the only ways in are disabling triggers (session_replication_role) or
-- inserting both rows in one statement through a data-modifying CTE.
CREATE TABLE accounts (
    id serial PRIMARY KEY,
    name text NOT NULL,
    primary_contact_id integer NOT NULL
);

CREATE TABLE contacts (
    id serial PRIMARY KEY,
    email text NOT NULL,
    account_id integer NOT NULL REFERENCES accounts (id)
);

ALTER TABLE accounts ADD CONSTRAINT fk_accounts_primary_contact
    FOREIGN KEY (primary_contact_id) REFERENCES contacts (id);
