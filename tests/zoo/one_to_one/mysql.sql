-- one_to_one: children that may exist at most once per parent: profiles (FK is the primary key) and passports (FK is UNIQUE NOT NULL).
CREATE TABLE users (
    id INT AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(255) NOT NULL UNIQUE
) ENGINE=InnoDB;

CREATE TABLE profiles (
    user_id INT PRIMARY KEY,
    bio TEXT NULL,
    birth_date DATE NULL,
    CONSTRAINT fk_profiles_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE passports (
    id INT AUTO_INCREMENT PRIMARY KEY,
    user_id INT NOT NULL UNIQUE,
    number VARCHAR(20) NOT NULL UNIQUE,
    expires_on DATE NOT NULL,
    CONSTRAINT fk_passports_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB;
