-- quoting: tables and columns named with reserved words (`order`, `select`, `group`), spaces, quotes, a backtick, a percent sign, mixed case and non-ASCII (MySQL identifiers cannot hold emoji: BMP only), linked by foreign keys and checks.
CREATE TABLE `group` (
    `id` INT PRIMARY KEY,
    `select` VARCHAR(100) NOT NULL,
    `Mixed Case` VARCHAR(40) NULL
) ENGINE=InnoDB;

CREATE TABLE `order` (
    `id` INT PRIMARY KEY,
    `group` INT NOT NULL,
    `from` DATE NULL,
    `user` VARCHAR(40) NULL,
    `col with space` TEXT NULL,
    `discount %` DECIMAL(5, 2) NULL CHECK (`discount %` BETWEEN 0 AND 100),
    CONSTRAINT `fk order group` FOREIGN KEY (`group`) REFERENCES `group` (`id`)
) ENGINE=InnoDB;

CREATE TABLE `select` (
    `id` INT PRIMARY KEY,
    `order` INT NULL,
    `where` BOOLEAN NULL,
    FOREIGN KEY (`order`) REFERENCES `order` (`id`)
) ENGINE=InnoDB;

CREATE TABLE `Order Items` (
    `Order ID` INT NOT NULL,
    `Line No` INT NOT NULL,
    `Qty` INT NOT NULL CHECK (`Qty` > 0),
    PRIMARY KEY (`Order ID`, `Line No`),
    FOREIGN KEY (`Order ID`) REFERENCES `order` (`id`)
) ENGINE=InnoDB;

CREATE TABLE `quote"d 'table'` (
    `id` INT PRIMARY KEY,
    `it's` TEXT NULL,
    `say "hi"` VARCHAR(50) NULL UNIQUE,
    `back``tick` INT NULL
) ENGINE=InnoDB;

CREATE TABLE `Ünïcödé 表` (
    `ïd` INT PRIMARY KEY,
    `naïve` TEXT NOT NULL,
    `数量` INT NULL CHECK (`数量` >= 0),
    `order_ref` INT NULL,
    FOREIGN KEY (`order_ref`) REFERENCES `order` (`id`)
) ENGINE=InnoDB;
