"""Column meaning from names, types and the table's meaning: a lookup table, not an if-chain.

``guess(column, table)`` returns the catalogue generator and parameters for a column whose name
says what it holds (``email``, ``first_name``, ``unit_price``, ``created_at``...), or None when
the name says nothing and the type decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .models import ColumnInfo, TableInfo

TEXT = ("string", "text")
NUMBER = ("integer", "decimal", "float", "money")
TIME = ("datetime", "date")
ANY_TEXTISH = TEXT + ("unknown",)


@dataclass(frozen=True)
class Rule:
    pattern: str
    generator: str
    params: dict[str, Any]
    kinds: tuple[str, ...]
    meaning: str


def _r(pattern: str, generator: str, kinds: tuple[str, ...], meaning: str, **params: Any) -> Rule:
    return Rule(pattern, generator, params, kinds, meaning)


# Matched against the normalised column name (snake_case, lower case), first match wins.
RULES: tuple[Rule, ...] = (
    # people
    _r(r"(e_?mail|email_address|mail_address|^mail)$", "person.email", TEXT, "email"),
    _r(
        r"^(first_?name|fname|given_name|forename|firstname)$",
        "person.first_name",
        TEXT,
        "first name",
    ),
    _r(r"^(last_?name|lname|surname|family_name|lastname)$", "person.last_name", TEXT, "last name"),
    _r(
        r"^(full_?name|contact_name|display_name|person_name|customer_name|employee_name|author_name|"
        r"owner_name|user_name_full|patient_name|student_name)$",
        "person.full_name",
        TEXT,
        "full name",
    ),
    _r(
        r"^(user_?name|login|handle|screen_name|nickname|nick)$",
        "person.username",
        TEXT,
        "username",
    ),
    _r(r"^(gender|sex)$", "person.gender", TEXT, "gender"),
    _r(
        r"^(title_of_courtesy|salutation|honorific|name_prefix|prefix)$",
        "person.prefix",
        TEXT,
        "title",
    ),
    _r(
        r"(password|passwd|pwd)(_hash|_digest)?$|^pass_hash$",
        "person.password_hash",
        TEXT + ("binary",),
        "password hash",
    ),
    _r(
        r"^(birth_?date|date_of_birth|dob|birthday|born(_on)?)$",
        "person.birth_date",
        TIME + TEXT,
        "birth date",
    ),
    _r(r"^age$", "person.age", NUMBER, "age"),
    _r(
        r"(phone|mobile|cell|fax|telephone|tel)(_?(number|no|num))?$",
        "pool",
        TEXT,
        "phone",
        pool="phone_number",
    ),
    _r(r"^(job_?title|job|position|occupation|role_title)$", "pool", TEXT, "job title", pool="job"),
    # places
    _r(
        r"^(street|street_address|address_?(line)?_?1?|addr_?1?|address)$",
        "place",
        TEXT,
        "street",
        part="street",
    ),
    _r(
        r"^(address_?(line)?_?2|addr_?2|apartment|suite|unit)$",
        "pool",
        TEXT,
        "address line 2",
        pool="secondary_address",
    ),
    _r(r"^(city|town|ship_city|billing_city|municipality)$", "place", TEXT, "city", part="city"),
    _r(
        r"^(state|province|region|ship_region|county|district|state_province)$",
        "place",
        TEXT,
        "state",
        part="state",
    ),
    _r(
        r"^(zip|zip_?code|postal_?code|postcode|post_code|ship_postal_code)$",
        "place",
        TEXT,
        "postal code",
        part="postcode",
    ),
    _r(
        r"^(country_?code|iso_country|country_iso)$",
        "place",
        TEXT,
        "country code",
        part="country_code",
    ),
    _r(r"^(country|country_name|ship_country|nation)$", "place", TEXT, "country", part="country"),
    _r(r"^(lat|latitude)$", "place", ("decimal", "float", "string"), "latitude", part="lat"),
    _r(
        r"^(lng|lon|long|longitude)$",
        "place",
        ("decimal", "float", "string"),
        "longitude",
        part="lng",
    ),
    # organisations and the internet
    _r(
        r"^(company|company_name|organization|organisation|employer|supplier_name|vendor_name|"
        r"publisher|manufacturer|brand)$",
        "pool",
        TEXT,
        "company",
        pool="company",
    ),
    _r(
        r"^(url|website|web_site|homepage|home_page|link|image_url|avatar_url|photo_url)$",
        "pool",
        TEXT,
        "URL",
        pool="url",
    ),
    _r(r"^(domain|domain_name|host|hostname)$", "pool", TEXT, "domain", pool="domain_name"),
    _r(
        r"^(ip|ip_?address|ipv4|remote_addr|client_ip|last_ip)$",
        "ipv4",
        TEXT + ("inet",),
        "IP address",
    ),
    _r(r"^(mac|mac_address)$", "mac_address", TEXT + ("macaddr",), "MAC address"),
    _r(r"^(user_agent|ua)$", "pool", TEXT, "user agent", pool="user_agent"),
    _r(r"^(uuid|guid|external_id|public_id|token)$", "uuid", TEXT + ("uuid",), "UUID"),
    _r(
        r"^(slug|permalink)$", "string", TEXT, "slug", alphabet="lower", min_length=8, max_length=16
    ),
    # commerce and money
    _r(
        r"(price|cost|amount|total|subtotal|sub_total|balance|salary|fee|freight|revenue|tax|"
        r"discount_amount|payment|budget|wage)$",
        "decimal",
        NUMBER,
        "amount",
        min=1.0,
        max=500.0,
        style="price",
    ),
    _r(
        r"^(discount|discount_rate|tax_rate|rate|percentage|percent|commission_pct)$",
        "decimal",
        NUMBER,
        "rate",
        min=0.0,
        max=0.3,
    ),
    _r(
        r"(quantity|qty|units_in_stock|units_on_order|stock|reorder_level|quantity_per_unit_n)$",
        "integer",
        ("integer", "decimal"),
        "quantity",
        min=1,
        max=20,
        distribution="small",
    ),
    _r(r"^(rating|stars|score)$", "integer", NUMBER, "rating", min=1, max=5),
    _r(r"^(currency|currency_code)$", "pool", TEXT, "currency", pool="currency_code"),
    _r(
        r"^(sku|product_code|item_code|barcode|upc|ean)$",
        "string",
        TEXT,
        "SKU",
        alphabet="upper",
        min_length=8,
        max_length=10,
    ),
    _r(
        r"^isbn(_?1[03])?$", "string", TEXT, "ISBN", alphabet="digits", min_length=13, max_length=13
    ),
    _r(r"^(colou?r|color_name)$", "pool", TEXT, "colour", pool="color_name"),
    # text
    _r(
        r"^(description|body|content|comment|comments|notes?|bio|about|summary|text|message|"
        r"review|details|remarks|feedback)$",
        "text",
        TEXT,
        "text",
        style="paragraph",
    ),
    _r(
        r"^(title|subject|headline|heading|caption|label)$",
        "text",
        TEXT,
        "title",
        style="title",
        min_words=2,
        max_words=6,
    ),
    _r(
        r"^(language|language_code|lang|locale)$",
        "pool",
        TEXT,
        "language code",
        pool="language_code",
    ),
    _r(r"^(timezone|time_zone|tz)$", "pool", TEXT, "timezone", pool="timezone"),
    _r(r"^(file_?name|filename|path|file_path)$", "pool", TEXT, "file name", pool="file_name"),
    _r(r"^(mime_type|content_type|media_type)$", "pool", TEXT, "MIME type", pool="mime_type"),
    # time
    _r(
        r"^(created|created_at|created_on|creation_date|date_created|inserted_at|registered_at|"
        r"signup_date|joined_at|join_date|hire_date|hired_on|order_date|ordered_at|"
        r"registration_date|create_date|create_time|createdat)$",
        "datetime",
        TIME + TEXT,
        "creation time",
        days_back=730,
    ),
    _r(
        r"^(updated|updated_at|updated_on|modified|modified_at|last_modified|last_update|"
        r"date_modified|changed_at|updatedat)$",
        "datetime",
        TIME + TEXT,
        "update time",
        days_back=365,
    ),
    _r(
        r"^(deleted_at|deleted_on|archived_at|removed_at)$",
        "datetime",
        TIME + TEXT,
        "deletion time",
        days_back=180,
    ),
    _r(
        r"(_at|_on|_date|_time|date|time)$",
        "datetime",
        TIME + TEXT,
        "a point in time",
        days_back=730,
    ),
    # flags
    _r(
        r"^(is|has|can|should|was|allow|enable)_\w+|^(active|enabled|verified|deleted|archived|"
        r"published|visible|available|in_stock|discontinued|confirmed)$",
        "boolean",
        ("boolean", "integer", "bit"),
        "flag",
        p_true=0.7,
    ),
)

_COMPILED = tuple((re.compile(r.pattern), r) for r in RULES)

PERSON_TABLES = re.compile(
    r"(user|customer|client|person|people|employee|staff|member|author|student|teacher|"
    r"patient|doctor|contact|actor|artist|owner|account_holder|buyer|seller|driver|player)s?$"
)
COMPANY_TABLES = re.compile(
    r"(compan(y|ies)|organi[sz]ations?|suppliers?|vendors?|shippers?|"
    r"publishers?|manufacturers?|brands?|carriers?|banks?)$"
)
PRODUCT_TABLES = re.compile(
    r"(products?|items?|goods|articles?|skus?|merchandise|tracks?|"
    r"albums?|films?|movies?|books?|courses?)$"
)
PLACE_TABLES = {
    "cities": "city",
    "city": "city",
    "countries": "country",
    "country": "country",
    "states": "state",
    "regions": "state",
    "region": "state",
    "territories": "state",
}


def normalise(name: str) -> str:
    """'OrderDate' -> 'order_date', 'Unit Price' -> 'unit_price'."""
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name.strip())
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    return re.sub(r"[^0-9a-zA-Z]+", "_", s).strip("_").lower()


def _table_word(table: TableInfo) -> str:
    return normalise(table.name).split("_")[-1]


def _candidates(column: ColumnInfo, table: TableInfo) -> list[str]:
    """The name, then without a table prefix (cust_email -> email, customer_name -> name)."""
    name = normalise(column.name)
    out = [name]
    parts = name.split("_")
    table_norm = normalise(table.name)
    if len(parts) > 1:
        head = parts[0]
        if table_norm.startswith(head[:3]) or head in table_norm:
            out.append("_".join(parts[1:]))
    return out


def guess(column: ColumnInfo, table: TableInfo) -> tuple[str, dict[str, Any], str] | None:
    """(generator, params, meaning) from the column's name and its table, or None."""
    kind = column.type.kind
    names = _candidates(column, table)
    if any(n in ("name", "title") for n in names[-1:]) or names[0] == "name":
        named = _entity_name(table, kind)
        if named:
            return named
    for candidate in names:
        for pattern, rule in _COMPILED:
            if kind in rule.kinds and pattern.search(candidate):
                return rule.generator, dict(rule.params), rule.meaning
    return None


def _entity_name(table: TableInfo, kind: str) -> tuple[str, dict[str, Any], str] | None:
    """What ``name`` means in this table: a person, a company, a product, a city..."""
    if kind not in TEXT:
        return None
    word = normalise(table.name)
    if word in PLACE_TABLES:
        return "place", {"part": PLACE_TABLES[word]}, PLACE_TABLES[word]
    if PERSON_TABLES.search(word):
        return "person.full_name", {}, "person's name"
    if COMPANY_TABLES.search(word):
        return "pool", {"pool": "company"}, "company name"
    if PRODUCT_TABLES.search(word):
        return "text", {"style": "title", "min_words": 2, "max_words": 4}, "product name"
    return "text", {"style": "title", "min_words": 1, "max_words": 3}, "name"
