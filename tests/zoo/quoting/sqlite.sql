-- quoting: tables and columns named with reserved words ("order", "select", "group"), spaces, quotes, a percent sign, mixed case, non-ASCII and emoji, linked by foreign keys and checks.
CREATE TABLE "group" (
    "id" INTEGER PRIMARY KEY,
    "select" TEXT NOT NULL,
    "Mixed Case" VARCHAR(40)
);

CREATE TABLE "order" (
    "id" INTEGER PRIMARY KEY,
    "group" INTEGER NOT NULL REFERENCES "group" ("id"),
    "from" DATE,
    "user" VARCHAR(40),
    "col with space" TEXT,
    "discount %" NUMERIC(5, 2) CHECK ("discount %" BETWEEN 0 AND 100)
);

CREATE TABLE "select" (
    "id" INTEGER PRIMARY KEY,
    "order" INTEGER REFERENCES "order" ("id"),
    "where" BOOLEAN
);

CREATE TABLE "Order Items" (
    "Order ID" INTEGER NOT NULL REFERENCES "order" ("id"),
    "Line No" INTEGER NOT NULL,
    "Qty" INTEGER NOT NULL CHECK ("Qty" > 0),
    PRIMARY KEY ("Order ID", "Line No")
);

CREATE TABLE "quote""d 'table'" (
    "id" INTEGER PRIMARY KEY,
    "it's" TEXT,
    "say ""hi""" VARCHAR(50) UNIQUE
);

CREATE TABLE "Ünïcödé 表" (
    "ïd" INTEGER PRIMARY KEY,
    "naïve" TEXT NOT NULL,
    "数量" INTEGER CHECK ("数量" >= 0),
    "order_ref" INTEGER REFERENCES "order" ("id")
);

CREATE TABLE "emoji 🎉" (
    "🔑" INTEGER PRIMARY KEY,
    "ünï" INTEGER REFERENCES "Ünïcödé 表" ("ïd"),
    "🎂 day" DATE
);
