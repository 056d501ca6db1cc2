-- quoting: tables and columns named with reserved words ("order", "select", "group"), spaces, quotes, a percent sign, mixed case, non-ASCII and emoji, linked by foreign keys and checks.
CREATE TABLE "group" (
    "id" integer PRIMARY KEY,
    "select" text NOT NULL,
    "Mixed Case" varchar(40)
);

CREATE TABLE "order" (
    "id" integer PRIMARY KEY,
    "group" integer NOT NULL REFERENCES "group" ("id"),
    "from" date,
    "user" varchar(40),
    "col with space" text,
    "discount %" numeric(5, 2) CHECK ("discount %" BETWEEN 0 AND 100)
);

CREATE TABLE "select" (
    "id" integer PRIMARY KEY,
    "order" integer REFERENCES "order" ("id"),
    "where" boolean
);

CREATE TABLE "Order Items" (
    "Order ID" integer NOT NULL REFERENCES "order" ("id"),
    "Line No" integer NOT NULL,
    "Qty" integer NOT NULL CHECK ("Qty" > 0),
    PRIMARY KEY ("Order ID", "Line No")
);

CREATE TABLE "quote""d 'table'" (
    "id" integer PRIMARY KEY,
    "it's" text,
    "say ""hi""" varchar(50) UNIQUE
);

CREATE TABLE "Ünïcödé 表" (
    "ïd" integer PRIMARY KEY,
    "naïve" text NOT NULL,
    "数量" integer CHECK ("数量" >= 0),
    "order_ref" integer REFERENCES "order" ("id")
);

CREATE TABLE "emoji 🎉" (
    "🔑" integer PRIMARY KEY,
    "ünï" integer REFERENCES "Ünïcödé 表" ("ïd"),
    "🎂 day" date
);
