"""Schemas for parser tests: most built by hand from compact descriptions (no database
needed), and ``zoo/<case>`` ones read from the test zoo by QueryNL's own introspection.

Each table is ``"column type [pk] [null] [-> table]; ..."``, optionally with a list of CHECK
texts. Types: int, smallint, tinyint, bigint, numeric(p,s), real, varchar(n), char(n), text,
bool, date, timestamp, enum(a|b|c), blob, tsvector, uuid. The real-world schemas follow
../shared/schemas/*/*.sql (names, keys and the columns the parser looks at); a test reads the
corpus on those real files too (tests/test_request_parser.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from querynl.models import (
    CheckInfo,
    ColumnInfo,
    ForeignKeyInfo,
    SchemaMetadata,
    TableInfo,
    TypeInfo,
)

Spec = str | tuple[str, list[str]]

_TYPES = {
    "int": ("integer", 32),
    "integer": ("integer", 64),
    "smallint": ("integer", 16),
    "tinyint": ("integer", 8),
    "bigint": ("integer", 64),
    "numeric": ("decimal", None),
    "real": ("float", None),
    "varchar": ("string", None),
    "char": ("string", None),
    "text": ("text", None),
    "bool": ("boolean", None),
    "date": ("date", None),
    "timestamp": ("datetime", None),
    "enum": ("enum", None),
    "blob": ("binary", None),
    "tsvector": ("tsvector", None),
    "uuid": ("uuid", None),
}


def _column(spec: str) -> tuple[ColumnInfo, bool, str | None]:
    m = re.fullmatch(r"(\w+) (\w+)(?:\(([^)]*)\))?((?: pk| null)*)(?: -> (\w+))?", spec.strip())
    assert m, spec
    name, base, args, flags, ref = m.groups()
    kind, bits = _TYPES[base]
    values: tuple[str, ...] = ()
    length = precision = scale = None
    if base == "enum":
        values = tuple(args.split("|"))
    elif base == "numeric" and args:
        precision, scale = (int(x) for x in args.split(","))
    elif args:
        length = int(args)
    sql = f"{base.upper()}({args})" if args else base.upper()
    type_ = TypeInfo(
        kind=kind,
        sql=sql,
        length=length,
        precision=precision,
        scale=scale,
        bits=bits,
        values=values,
    )
    pk = " pk" in (flags or "")
    col = ColumnInfo(name=name, type=type_, nullable=" null" in (flags or ""), autoincrement=pk)
    return col, pk, ref


def table(name: str, spec: Spec, schema: str | None = None) -> TableInfo:
    columns_spec, checks = (spec, []) if isinstance(spec, str) else spec
    columns, pks, fks = [], [], []
    for part in columns_spec.split(";"):
        col, pk, ref = _column(part)
        columns.append(col)
        if pk:
            pks.append(col.name)
        if ref:
            target = ref.split(".")[0]
            fks.append(
                ForeignKeyInfo(
                    name=None, columns=(col.name,), ref_table=target, ref_columns=("id",)
                )
            )
    return TableInfo(
        name=name,
        columns=tuple(columns),
        primary_key=tuple(pks),
        foreign_keys=tuple(fks),
        checks=tuple(CheckInfo(None, c) for c in checks),
        schema=schema,
    )


def build(dialect: str, tables: dict[str, Spec], schema: str | None = None) -> SchemaMetadata:
    return SchemaMetadata(
        dialect=dialect,
        tables={n: table(n, s, schema) for n, s in tables.items()},
        schema=schema,
    )


BLOG = build(
    "sqlite",
    {
        "users": "id int pk; username varchar(40); email varchar(120); is_active bool; "
        "created_at timestamp",
        "posts": "id int pk; user_id int -> users; title varchar(200); body text; "
        "status enum(draft|published|archived); created_at timestamp",
        "comments": "id int pk; post_id int -> posts; user_id int null -> users; body text; "
        "created_at timestamp",
    },
)

SHOP = build(
    "sqlite",
    {
        "customers": "id int pk; first_name varchar(40); last_name varchar(40); "
        "email varchar(120); birth_date date null; country varchar(2); created_at timestamp",
        "addresses": "id int pk; customer_id int -> customers; street varchar(80); "
        "city varchar(40); country varchar(2); is_default bool",
        "categories": "id int pk; parent_id int null -> categories; name varchar(40)",
        "products": "id int pk; category_id int -> categories; name varchar(80); "
        "price numeric(10,2); in_stock bool; created_at timestamp",
        "orders": (
            "id int pk; customer_id int -> customers; address_id int -> addresses; "
            "status varchar(20); total numeric(10,2); created_at timestamp",
            ["status IN ('pending','paid','shipped','delivered','cancelled')"],
        ),
        "order_items": "id int pk; order_id int -> orders; product_id int -> products; "
        "quantity int; unit_price numeric(10,2)",
        "reviews": (
            "id int pk; product_id int -> products; customer_id int -> customers; rating smallint; "
            "body text null; created_at timestamp",
            ["rating BETWEEN 1 AND 5"],
        ),
    },
)

CHINOOK = build(
    "sqlite",
    {
        "Album": "AlbumId int pk; Title varchar(160); ArtistId int -> Artist",
        "Artist": "ArtistId int pk; Name varchar(120) null",
        "Customer": "CustomerId int pk; FirstName varchar(40); LastName varchar(20); "
        "Country varchar(40) null; Email varchar(60); SupportRepId int null -> Employee",
        "Employee": "EmployeeId int pk; LastName varchar(20); FirstName varchar(20); "
        "ReportsTo int null -> Employee; BirthDate timestamp null; "
        "HireDate timestamp null",
        "Genre": "GenreId int pk; Name varchar(120) null",
        "Invoice": "InvoiceId int pk; CustomerId int -> Customer; InvoiceDate timestamp; "
        "BillingCountry varchar(40) null; Total numeric(10,2)",
        "InvoiceLine": "InvoiceLineId int pk; InvoiceId int -> Invoice; TrackId int -> Track; "
        "UnitPrice numeric(10,2); Quantity int",
        "MediaType": "MediaTypeId int pk; Name varchar(120) null",
        "Playlist": "PlaylistId int pk; Name varchar(120) null",
        "PlaylistTrack": "PlaylistId int pk -> Playlist; TrackId int pk -> Track",
        "Track": "TrackId int pk; Name varchar(200); AlbumId int null -> Album; "
        "MediaTypeId int -> MediaType; GenreId int null -> Genre; Milliseconds int; "
        "Bytes int null; UnitPrice numeric(10,2)",
    },
)

_SAKILA_FILM_CHECKS = ["rating in ('G','PG','PG-13','R','NC-17')"]
SAKILA = build(
    "sqlite",
    {
        "actor": "actor_id integer pk; first_name varchar(45); last_name varchar(45); "
        "last_update timestamp",
        "country": "country_id integer pk; country varchar(50); last_update timestamp",
        "city": "city_id integer pk; city varchar(50); country_id int -> country; "
        "last_update timestamp",
        "address": "address_id integer pk; address varchar(50); district varchar(20); "
        "city_id int -> city; phone varchar(20); last_update timestamp",
        "language": "language_id integer pk; name char(20); last_update timestamp",
        "category": "category_id integer pk; name varchar(25); last_update timestamp",
        "customer": "customer_id integer pk; store_id int -> store; first_name varchar(45); "
        "last_name varchar(45); email varchar(50) null; address_id int -> address; "
        "active char(1); create_date timestamp; last_update timestamp",
        "film": (
            "film_id integer pk; title varchar(255); release_year varchar(4) null; "
            "language_id int -> language; rental_duration smallint; rental_rate numeric(4,2); "
            "length smallint null; replacement_cost numeric(5,2); rating varchar(10) null; "
            "last_update timestamp",
            _SAKILA_FILM_CHECKS,
        ),
        "film_actor": "actor_id int pk -> actor; film_id int pk -> film; last_update timestamp",
        "film_category": "film_id int pk -> film; category_id int pk -> category; "
        "last_update timestamp",
        "film_text": "film_id integer pk; title varchar(255); description text null",
        "inventory": "inventory_id integer pk; film_id int -> film; store_id int -> store; "
        "last_update timestamp",
        "staff": "staff_id integer pk; first_name varchar(45); last_name varchar(45); "
        "address_id int -> address; store_id int -> store; active smallint; "
        "username varchar(16); last_update timestamp",
        "store": "store_id integer pk; manager_staff_id int -> staff; address_id int -> address; "
        "last_update timestamp",
        "payment": "payment_id integer pk; customer_id int -> customer; staff_id int -> staff; "
        "rental_id int null -> rental; amount numeric(5,2); payment_date timestamp; "
        "last_update timestamp",
        "rental": "rental_id integer pk; rental_date timestamp; inventory_id int -> inventory; "
        "customer_id int -> customer; return_date timestamp null; staff_id int -> staff; "
        "last_update timestamp",
    },
)

PAGILA = build(
    "postgresql",
    {
        "customer": "customer_id int pk; store_id int -> store; first_name text; last_name text; "
        "email text null; address_id int -> address; activebool bool; "
        "create_date date; last_update timestamp null; active int null",
        "actor": "actor_id int pk; first_name text; last_name text; last_update timestamp",
        "category": "category_id int pk; name text; last_update timestamp",
        "film": "film_id int pk; title text; description text null; release_year int null; "
        "language_id int -> language; rental_rate numeric(4,2); length smallint null; "
        "replacement_cost numeric(5,2); rating enum(G|PG|PG-13|R|NC-17) null; "
        "fulltext tsvector",
        "film_actor": "actor_id int pk -> actor; film_id int pk -> film; last_update timestamp",
        "film_category": "film_id int pk -> film; category_id int pk -> category",
        "address": "address_id int pk; address text; district text; city_id int -> city; "
        "phone text",
        "city": "city_id int pk; city text; country_id int -> country",
        "country": "country_id int pk; country text",
        "inventory": "inventory_id int pk; film_id int -> film; store_id int -> store",
        "language": "language_id int pk; name char(20)",
        "payment": "payment_id int pk; customer_id int -> customer; staff_id int -> staff; "
        "rental_id int -> rental; amount numeric(5,2); payment_date timestamp",
        "rental": "rental_id int pk; rental_date timestamp; inventory_id int -> inventory; "
        "customer_id int -> customer; return_date timestamp null; staff_id int -> staff",
        "staff": "staff_id int pk; first_name text; last_name text; address_id int -> address; "
        "email text null; store_id int -> store; active bool; username text",
        "store": "store_id int pk; manager_staff_id int -> staff; address_id int -> address",
    },
    schema="public",
)

NORTHWIND = build(
    "sqlite",
    {
        "categories": "category_id smallint pk; category_name varchar(15); description text null",
        "customer_demographics": "customer_type_id char(255) pk; customer_desc text null",
        "customers": "customer_id char(255) pk; company_name varchar(40); city varchar(15) null; "
        "country varchar(15) null",
        "customer_customer_demo": "customer_id char(255) pk -> customers; "
        "customer_type_id char(255) pk -> customer_demographics",
        "employees": "employee_id smallint pk; last_name varchar(20); first_name varchar(10); "
        "birth_date date null; hire_date date null; reports_to smallint null -> employees",
        "suppliers": "supplier_id smallint pk; company_name varchar(40); country varchar(15) null",
        "products": "product_id smallint pk; product_name varchar(40); "
        "supplier_id smallint null -> suppliers; category_id smallint null -> categories; "
        "unit_price real null; units_in_stock smallint null; discontinued integer",
        "region": "region_id smallint pk; region_description char(255)",
        "shippers": "shipper_id smallint pk; company_name varchar(40); phone varchar(24) null",
        "orders": "order_id smallint pk; customer_id char(255) null -> customers; "
        "employee_id smallint null -> employees; order_date date null; "
        "shipped_date date null; ship_via smallint null -> shippers; freight real null",
        "territories": "territory_id varchar(20) pk; territory_description char(255); "
        "region_id smallint -> region",
        "employee_territories": "employee_id smallint pk -> employees; "
        "territory_id varchar(20) pk -> territories",
        "order_details": "order_id smallint pk -> orders; product_id smallint pk -> products; "
        "unit_price real; quantity smallint; discount real",
        "us_states": "state_id smallint pk; state_name varchar(100) null; "
        "state_abbr varchar(2) null",
    },
)

EMPLOYEES = build(
    "mysql",
    {
        "employees": "emp_no int pk; birth_date date; first_name varchar(14); "
        "last_name varchar(16); gender enum(M|F); hire_date date",
        "departments": "dept_no char(4) pk; dept_name varchar(40)",
        "dept_manager": "emp_no int pk -> employees; dept_no char(4) pk -> departments; "
        "from_date date; to_date date",
        "dept_emp": "emp_no int pk -> employees; dept_no char(4) pk -> departments; "
        "from_date date; to_date date",
        "titles": "emp_no int pk -> employees; title varchar(50) pk; from_date date pk; "
        "to_date date null",
        "salaries": "emp_no int pk -> employees; salary int; from_date date pk; to_date date",
    },
)

# Odd names the parser must still find: irregular plurals, -es plurals, snake and camel case,
# a schema-qualified table, PostgreSQL-rendered and MySQL-rendered CHECK texts.
MISC = build(
    "postgresql",
    {
        "people": "id int pk; full_name text; age smallint null",
        "children": "id int pk; person_id int -> people; name text",
        "statuses": "id int pk; label text",
        "invoices": "id int pk; person_id int -> people; issued_on date; amount numeric(12,2)",
        "line_items": "id int pk; invoice_id int -> invoices; amount numeric(12,2)",
        "audit_log": "id int pk; message text; logged_at timestamp",
        "tasks": (
            "id int pk; person_id int -> people; state enum(todo|in_progress|done); "
            "priority varchar(10); is_archived bool; due_date date null",
            [
                "((priority)::text = ANY ((ARRAY['low'::character varying, "
                "'medium'::character varying, 'high'::character varying])::text[]))"
            ],
        ),
        "OrderItem": (
            "id int pk; delivery varchar(20)",
            ["(`delivery` in (_utf8mb4'standard',_utf8mb4'express',_utf8mb4'same day'))"],
        ),
    },
)


def zoo(name: str) -> SchemaMetadata:
    """A schema of the test zoo as the database reports it: tests/zoo/<name>/sqlite.sql loaded
    into an in-memory SQLite database and read by QueryNL's own introspection."""
    from querynl.schema_introspection import introspect

    engine = sa.create_engine("sqlite://", poolclass=StaticPool)
    try:
        with engine.connect() as conn:
            ddl = (Path(__file__).parent / "zoo" / name / "sqlite.sql").read_text("utf-8")
            conn.connection.driver_connection.executescript(ddl)
        return introspect(engine)
    finally:
        engine.dispose()


ZOO_CASES = ("shop", "blog", "junction", "quoting", "self_reference", "cycle_nullable")

SCHEMAS: dict[str, SchemaMetadata] = {
    "blog": BLOG,
    "shop": SHOP,
    "chinook": CHINOOK,
    "sakila": SAKILA,
    "pagila": PAGILA,
    "northwind": NORTHWIND,
    "employees": EMPLOYEES,
    "misc": MISC,
    **{f"zoo/{name}": zoo(name) for name in ZOO_CASES},
}
