"""The table of column meanings: a name pattern, the type kinds it applies to, and the catalogue
generator (with parameters) that fills such a column.

Patterns are matched, first match wins, against the column's name after ``semantics``
normalised it (snake_case, lower case, abbreviations spelled out: ``fname`` -> ``first_name``,
``qty`` -> ``quantity``, ``dob`` -> ``birth_date``), with and without a table or role prefix
(``cust_email``, ``billing_city``). ``ENTITIES`` says what a table's rows are, which decides
what its ``name`` or ``title`` column holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TEXT = ("string", "text", "unknown")
NUMBER = ("integer", "decimal", "float", "money")
DECIMAL = ("decimal", "float", "money")
INTEGER = ("integer",)
TIME = ("datetime", "date", "string", "text")
FLAG = ("boolean", "integer", "bit")


@dataclass(frozen=True)
class Meaning:
    name: str
    pattern: str
    generator: str
    kinds: tuple[str, ...]
    params: dict[str, Any] = field(default_factory=dict)


def _m(name: str, pattern: str, generator: str, kinds: tuple[str, ...], **params: Any) -> Meaning:
    return Meaning(name, pattern, generator, kinds, params)


def _pool(name: str, pattern: str, pool: str, kinds: tuple[str, ...] = TEXT) -> Meaning:
    return Meaning(name, pattern, "pool", kinds, {"pool": pool})


def _code(name: str, pattern: str, shape: str) -> Meaning:
    return Meaning(name, pattern, "pattern", TEXT, {"pattern": shape})


def _place(name: str, pattern: str, part: str, kinds: tuple[str, ...] = TEXT) -> Meaning:
    return Meaning(name, pattern, "place", kinds, {"part": part})


def _int(name: str, pattern: str, lo: int, hi: int, dist: str = "uniform") -> Meaning:
    params: dict[str, Any] = {"min": lo, "max": hi}
    if dist != "uniform":
        params["distribution"] = dist
    return Meaning(name, pattern, "integer", NUMBER, params)


def _dec(name: str, pattern: str, lo: float, hi: float, style: str = "plain") -> Meaning:
    params: dict[str, Any] = {"min": lo, "max": hi}
    if style != "plain":
        params["style"] = style
    return Meaning(name, pattern, "decimal", NUMBER, params)


def _time(name: str, pattern: str, days_back: int = 730, days_ahead: int = 0) -> Meaning:
    params: dict[str, Any] = {"days_back": days_back}
    if days_ahead:
        params["days_ahead"] = days_ahead
    return Meaning(name, pattern, "datetime", TIME, params)


def _choice(name: str, pattern: str, values: list[Any], weights: list[float] | None = None):  # type: ignore[no-untyped-def]
    params: dict[str, Any] = {"values": values}
    if weights:
        params["weights"] = [round(w / sum(weights), 3) for w in weights]
    return Meaning(name, pattern, "choice", TEXT, params)


# Abbreviations spelled out, word by word, before the patterns are matched.
ABBREVIATIONS: dict[str, str] = {
    "fname": "first_name",
    "firstname": "first_name",
    "givenname": "first_name",
    "lname": "last_name",
    "lastname": "last_name",
    "surname": "last_name",
    "mname": "middle_name",
    "fullname": "full_name",
    "username": "user_name",
    "dob": "birth_date",
    "bday": "birth_date",
    "birthdate": "birth_date",
    "qty": "quantity",
    "quant": "quantity",
    "addr": "address",
    "addr1": "address_1",
    "addr2": "address_2",
    "address1": "address_1",
    "address2": "address_2",
    "zip": "postal_code",
    "zipcode": "postal_code",
    "postcode": "postal_code",
    "plz": "postal_code",
    "lat": "latitude",
    "lng": "longitude",
    "lon": "longitude",
    "long": "longitude",
    "desc": "description",
    "descr": "description",
    "amt": "amount",
    "tel": "phone",
    "telephone": "phone",
    "mob": "mobile",
    "dept": "department",
    "pwd": "password",
    "passwd": "password",
    "msg": "message",
    "img": "image",
    "pic": "picture",
    "qty_ordered": "quantity",
    "num": "number",
    "nr": "number",
    "no": "number",
    "cnt": "count",
    "pct": "percent",
    "yr": "year",
    "mgr": "manager",
    "org": "organization",
    "co": "company",
    "cust": "customer",
    "emp": "employee",
    "prod": "product",
    "cat": "category",
    "ts": "time",
    "dt": "date",
    "tz": "timezone",
    "url": "url",
    "uri": "url",
    "lang": "language",
    "ccy": "currency",
    "curr": "currency",
    "sal": "salary",
    "ht": "height",
    "wt": "weight",
    "temp": "temperature",
    "bp": "blood_pressure",
    "hr": "heart_rate",
    "ssn": "ssn",
    "sku": "sku",
    "upc": "barcode",
    "ean": "barcode",
    "gtin": "barcode",
    "mrn": "medical_record_number",
    "vin": "vin",
    "uid": "uuid",
    "guid": "uuid",
    "ip": "ip_address",
    "ipaddr": "ip_address",
    "ua": "user_agent",
    "createdat": "created_at",
    "updatedat": "updated_at",
    "deletedat": "deleted_at",
    "modifiedat": "modified_at",
}

# Words in front of a column name that say whose value it is, not what it is:
# billing_city is a city, ship_postal_code a postal code.
ROLE_PREFIXES = (
    "billing",
    "bill",
    "shipping",
    "ship",
    "delivery",
    "mailing",
    "postal",
    "home",
    "work",
    "office",
    "primary",
    "secondary",
    "contact",
    "emergency_contact",
    "personal",
    "business",
    "current",
    "default",
    "main",
    "customer",
    "user",
    "author",
    "owner",
    "sender",
    "recipient",
    "receiver",
    "origin",
    "destination",
    "pickup",
    "dropoff",
    "invoice",
    "legal",
)

# First match wins, so specific names come before general ones.
MEANINGS: tuple[Meaning, ...] = (
    # ------------------------------------------------------------------ people
    _m("email", r"(^|_)(e_?mail|email_address|mail_address)$|^mail$", "person.email", TEXT),
    _m(
        "first name",
        r"^(first_name|given_name|forename|christian_name)$",
        "person.first_name",
        TEXT,
    ),
    _m("last name", r"^(last_name|family_name|second_name|maiden_name)$", "person.last_name", TEXT),
    _pool("middle name", r"^middle_(name|initial)s?$", "first_name"),
    _m(
        "full name",
        r"^(full_name|display_name|person_name|real_name|legal_name|name_full|patient_name|"
        r"student_name|employee_name|author_name|customer_name|contact_name|recipient_name|"
        r"cardholder(_name)?|card_holder|holder_name|ship_name|attention|composer|"
        r"signatory|guardian_name|next_of_kin)$",
        "person.full_name",
        TEXT,
    ),
    _m(
        "username",
        r"^(user_name|login(_name)?|handle|screen_name|nick_?name|nick|account_name|"
        r"twitter(_handle)?|instagram|github(_user)?)$",
        "person.username",
        TEXT,
    ),
    _m("gender", r"^(gender|sex)$", "person.gender", TEXT),
    _m(
        "title of courtesy",
        r"^(title_of_courtesy|courtesy_title|salutation|honorific|name_prefix|prefix|"
        r"name_title|form_of_address)$",
        "person.prefix",
        TEXT,
    ),
    _m(
        "password hash",
        r"(password|pass_hash|password_digest|encrypted_password|pw_hash)(_hash|_digest)?$",
        "person.password_hash",
        TEXT + ("binary",),
    ),
    _m(
        "birth date",
        r"^(birth_date|date_of_birth|birthday|born(_on|_at)?|birth)$",
        "person.birth_date",
        TIME,
    ),
    _m("age", r"^age(_years)?$", "person.age", NUMBER),
    _pool("fax number", r"(^|_)fax(_number)?$", "phone_number"),
    _pool("mobile phone", r"(^|_)(mobile|cell|cell_phone|mobile_phone)(_number)?$", "phone_number"),
    _code("phone extension", r"^(phone_)?ext(ension)?$", "###"),
    _pool("phone number", r"(^|_)phone(_number|_no)?$|^(phone|msisdn)", "phone_number"),
    _pool(
        "job title",
        r"^(job_title|job|position|occupation|role_title|designation|profession|"
        r"contact_title|job_position|function)$",
        "job_title",
    ),
    _pool("department", r"^(department|department_name|division|business_unit)$", "department"),
    _pool("nationality", r"^(nationality|citizenship)$", "country"),
    _pool("marital status", r"^marital(_status)?$", "marital_status"),
    _pool("social security number", r"^(ssn|social_security(_number)?|national_id)$", "ssn"),
    _code("passport number", r"^passport(_number|_no)?$", "?########"),
    _code("tax id", r"^(tax_id|vat(_number|_id)?|tin|ein|tax_number)$", "??#########"),
    _code("employee number", r"^(employee_number|employee_code|staff_number|badge)$", "E#####"),
    _code("student number", r"^(student_number|student_code|matriculation)$", "S#######"),
    _code("medical record number", r"^medical_record(_number)?$", "MRN#######"),
    _m("biography", r"^(bio|biography|about(_me)?|profile_text)$", "text", TEXT, style="paragraph"),
    _code(
        "image URL",
        r"(avatar|photo|picture|image|thumbnail|logo|icon|cover)(_url|_path|_link|_uri)$",
        "https://cdn.example.com/images/********.jpg",
    ),
    _pool("blood type", r"^blood_(type|group)$", "blood_type"),
    _pool("allergy", r"^allerg(y|ies)$", "allergy"),
    _int("height in cm", r"^height(_cm)?$", 150, 200),
    _dec("weight in kg", r"^(weight|weight_kg|net_weight|gross_weight)$", 0.5, 120.0),
    # ------------------------------------------------------------------ places
    _place(
        "full address",
        r"^(full_address|formatted_address|mailing_address|postal_address|location_text)$",
        "full_address",
    ),
    _place(
        "street address",
        r"^(street(_address|_line)?(_1)?|address(_line)?(_1)?|line_1|address_street)$",
        "street",
    ),
    _pool(
        "address line 2",
        r"^(address(_line)?_2|line_2|apartment|suite|unit|apt)$",
        "secondary_address",
    ),
    _pool("street name", r"^street_name$", "street_name"),
    _code("house number", r"^(house_number|building_number|street_number)$", "##"),
    _place("city", r"^(city|town|city_name|municipality|locality|place_of_birth)$", "city"),
    _place(
        "state code",
        r"^(state_(code|abbr|abbreviation)|province_code|region_code|state_iso)$",
        "state_code",
    ),
    _place(
        "state",
        r"^(state|province|region|county|district|state_province|state_name|prefecture|"
        r"territory|canton|state_region)$",
        "state",
    ),
    _place("postal code", r"^(postal_code|zip_code|post_code|zip|pincode|cep)$", "postcode"),
    _place(
        "country code",
        r"^(country_code|country_iso(_code)?|iso_country|country_iso2|iso2)$",
        "country_code",
    ),
    _place("country code (3 letters)", r"^(country_iso3|iso3|country_code3)$", "country_code3"),
    _place("country", r"^(country|country_name|nation)$", "country"),
    _place("latitude", r"^(latitude|lat_deg|geo_lat)$", "lat", DECIMAL + ("string",)),
    _place("longitude", r"^(longitude|lon_deg|geo_lng|geo_lon)$", "lng", DECIMAL + ("string",)),
    _int("altitude in metres", r"^(altitude|elevation)$", 0, 3000),
    _pool("timezone", r"^(timezone|time_zone|tz_name)$", "timezone"),
    _pool("locale", r"^(locale|language_code|lang_code|culture)$", "language_code"),
    _code("room", r"^(room|room_number|office_number|cabin)$", "###"),
    _code("floor", r"^floor(_number)?$", "#"),
    # ------------------------------------------------------------------ organisations, web
    _pool(
        "company",
        r"^(company|company_name|organization|organization_name|employer|supplier_name|"
        r"vendor_name|publisher|manufacturer|brand|brand_name|merchant|merchant_name|"
        r"business_name|firm|agency|bank_name|insurer|school_name|university)$",
        "company",
    ),
    _pool("carrier", r"^(carrier|courier|shipper|shipping_company|carrier_name)$", "carrier"),
    _pool("website", r"^(website|web_site|homepage|home_page|web_page|site_url|url|link)$", "url"),
    _pool("domain name", r"^(domain|domain_name|host|hostname|host_name)$", "domain_name"),
    _m(
        "IP address",
        r"^(ip_address|ipv4|remote_address|client_ip|last_ip|ip)$",
        "ipv4",
        TEXT + ("inet",),
    ),
    _m("MAC address", r"^mac(_address)?$", "mac_address", TEXT + ("macaddr",)),
    _pool("user agent", r"^user_agent$", "user_agent"),
    _pool("browser", r"^browser(_name)?$", "browser"),
    _pool("operating system", r"^(os|operating_system|platform)$", "operating_system"),
    _pool("device type", r"^device(_type)?$", "device"),
    _pool(
        "channel", r"^(channel|source|utm_source|referral_source|acquisition_channel)$", "channel"
    ),
    _m(
        "UUID",
        r"^(uuid|external_id|public_id|tracking_id|correlation_id|request_id)$",
        "uuid",
        TEXT + ("uuid",),
    ),
    _m(
        "API token",
        r"^(api_key|token|access_token|secret|auth_token|refresh_token|session_id)$",
        "string",
        TEXT,
        alphabet="hex",
        min_length=32,
        max_length=32,
    ),
    _m(
        "checksum",
        r"^(hash|checksum|sha1|sha|digest|etag)$",
        "string",
        TEXT,
        alphabet="hex",
        min_length=40,
        max_length=40,
    ),
    _m("MD5 checksum", r"^md5$", "string", TEXT, alphabet="hex", min_length=32, max_length=32),
    _code("version", r"^(version|app_version|release|semver)$", "#.#.#"),
    _pool("file name", r"^(file_name|filename|attachment|document)$", "file_name"),
    _code("file path", r"^(file_path|path|photo_path|storage_path)$", "/files/2024/********.pdf"),
    _pool("MIME type", r"^(mime_type|content_type|media_type|mimetype)$", "mime_type"),
    _pool("file extension", r"^(extension|file_extension|file_type)$", "file_extension"),
    _int(
        "file size in bytes",
        r"^(file_size|size_bytes|bytes|byte_size|filesize)$",
        1_024,
        50_000_000,
        "skewed",
    ),
    _pool("colour", r"^(colou?r|colou?r_name)$", "color_name"),
    _pool("hex colour", r"^(hex_colou?r|colou?r_hex|colou?r_code|hex)$", "hex_color"),
    # ------------------------------------------------------------------ commerce
    _code(
        "SKU",
        r"^(sku|product_code|item_code|article_number|part_number|model_number)$",
        "???-#####",
    ),
    _pool("barcode", r"^(barcode|ean|ean13|upc|gtin)$", "ean13"),
    _m("ISBN", r"^isbn(_?1[03])?$", "pool", TEXT, pool="isbn13"),
    _code(
        "order number",
        r"^(order_number|order_ref|order_reference|order_code|confirmation_number|booking_reference)$",
        "ORD-########",
    ),
    _code(
        "invoice number",
        r"^(invoice_number|invoice_ref|bill_number|receipt_number)$",
        "INV-########",
    ),
    _code(
        "tracking number", r"^(tracking_number|tracking_code|waybill|awb)$", "1Z****************"
    ),
    _code(
        "coupon code",
        r"^(coupon|coupon_code|promo_code|voucher|voucher_code|discount_code)$",
        "??????##",
    ),
    _code(
        "licence plate",
        r"^(license_plate|licence_plate|plate|plate_number|registration_number)$",
        "???-####",
    ),
    _code("VIN", r"^vin$", "*****************"),
    _pool(
        "payment method",
        r"^(payment_method|payment_type|pay_method|tender_type)$",
        "payment_method",
    ),
    _pool(
        "shipping method",
        r"^(shipping_method|ship_via_name|delivery_method|shipping_type)$",
        "shipping_method",
    ),
    _pool("quantity per unit", r"^(quantity_per_unit|pack_size|package)$", "quantity_per_unit"),
    _choice(
        "clothing size",
        r"^(size|clothing_size|shirt_size)$",
        ["XS", "S", "M", "L", "XL", "XXL"],
        [1, 3, 5, 5, 3, 1],
    ),
    _pool("product name", r"^(product_name|item_name|product_title|article_name)$", "product_name"),
    _pool("product category", r"^(category|category_name|product_category)$", "product_category"),
    _code(
        "card number",
        r"^(card_number|credit_card(_number)?|cc_number|pan|masked_card)$",
        "XXXX XXXX XXXX ####",
    ),
    _pool("card brand", r"^(card_type|card_brand|cc_type|card_network)$", "credit_card_provider"),
    _pool("IBAN", r"^iban$", "iban"),
    _pool("SWIFT/BIC", r"^(swift|bic|swift_code|bic_code)$", "swift"),
    _code(
        "account number", r"^(account_number|acct_number|account_no|bank_account)$", "##########"
    ),
    _code("routing number", r"^(routing_number|sort_code|aba)$", "#########"),
    _dec(
        "shipping cost",
        r"^(freight|shipping(_cost|_fee|_amount)?|delivery_fee|postage)$",
        0.0,
        150.0,
    ),
    _dec("tax amount", r"^(tax|tax_amount|vat_amount|sales_tax)$", 0.0, 120.0),
    _dec("discount rate", r"^(discount|discount_rate|discount_percent)$", 0.0, 0.3),
    _dec("tax rate", r"^(tax_rate|vat_rate)$", 0.0, 0.25),
    _dec("interest rate", r"^(interest_rate|apr|rate_of_interest)$", 0.5, 15.0),
    _dec("exchange rate", r"^(exchange_rate|fx_rate|conversion_rate)$", 0.5, 2.0),
    _dec("commission rate", r"^(commission_pct|commission_rate)$", 0.0, 0.2),
    _dec(
        "salary",
        r"^(salary|annual_salary|base_salary|yearly_salary|gross_salary|income)$",
        30_000.0,
        150_000.0,
    ),
    _dec("hourly wage", r"^(hourly_rate|hourly_wage|wage|pay_rate)$", 12.0, 80.0),
    _dec("bonus", r"^(bonus|commission|commission_amount)$", 0.0, 20_000.0),
    _dec("credit limit", r"^(credit_limit|overdraft_limit|spending_limit)$", 500.0, 25_000.0),
    _dec(
        "account balance",
        r"^(balance|account_balance|current_balance|available_balance)$",
        0.0,
        25_000.0,
    ),
    _dec(
        "budget",
        r"^(budget|revenue|annual_revenue|turnover|funding|valuation)$",
        10_000.0,
        5_000_000.0,
    ),
    _dec("rental rate", r"^(rental_rate|daily_rate|nightly_rate|rent)$", 0.99, 4.99, "price"),
    _dec(
        "price",
        r"(^|_)(price|cost|unit_price|list_price|sale_price|msrp|replacement_cost|unit_cost|"
        r"retail_price|price_per_unit|fare)$",
        1.0,
        500.0,
        "price",
    ),
    _dec(
        "amount",
        r"(^|_)(amount|total|subtotal|sub_total|grand_total|total_amount|payment|paid|"
        r"due|fee|charge|net|gross|value|refund)$",
        1.0,
        500.0,
        "price",
    ),
    _int(
        "stock level",
        r"^(units_in_stock|stock|stock_quantity|quantity_on_hand|in_stock_count|inventory)$",
        0,
        500,
        "skewed",
    ),
    _int("units on order", r"^(units_on_order|on_order|backorder)$", 0, 100, "skewed"),
    _int("reorder level", r"^(reorder_level|reorder_point|min_stock|safety_stock)$", 0, 30),
    _int("quantity", r"(^|_)(quantity|units|pieces|item_count|qty_ordered)$", 1, 10, "small"),
    _int("rating", r"^(rating|stars|star_rating|review_score|review_rating)$", 1, 5),
    _pool("currency", r"^(currency|currency_code|currency_iso)$", "currency_code"),
    # ------------------------------------------------------------------ finance, HR, education
    _pool(
        "transaction type",
        r"^(transaction_type|txn_type|entry_type|operation)$",
        "transaction_type",
    ),
    _pool(
        "transaction description",
        r"^(memo|narrative|transaction_description|payee|counterparty)$",
        "transaction_description",
    ),
    _pool("account type", r"^account_type$", "account_type"),
    _pool("loan type", r"^loan_type$", "loan_type"),
    _choice(
        "employment type",
        r"^(employment_type|contract_type|employment_status)$",
        ["full_time", "part_time", "contract", "intern"],
        [7, 2, 1.5, 0.5],
    ),
    _pool("skill", r"^skills?$", "skill"),
    _pool("course name", r"^(course|course_name|course_title|class_name|module_name)$", "course"),
    _code("course code", r"^(course_code|course_number|class_code|module_code)$", "???###"),
    _pool("subject", r"^(subject_name|discipline|major|field_of_study)$", "subject"),
    _pool("letter grade", r"^(grade|letter_grade|final_grade|mark)$", "grade"),
    _dec("GPA", r"^(gpa|grade_point_average)$", 2.0, 4.0),
    _int("credits", r"^(credits|credit_hours|ects)$", 1, 6),
    _pool("semester", r"^(semester|term|academic_term)$", "semester"),
    # ------------------------------------------------------------------ medical
    _pool(
        "diagnosis",
        r"^(diagnosis|condition|diagnosis_name|complaint|chief_complaint)$",
        "diagnosis",
    ),
    _pool("ICD-10 code", r"^(icd_?10(_code)?|icd(_code)?|diagnosis_code)$", "icd10_code"),
    _pool("drug", r"^(drug|drug_name|medication|medicine|medication_name)$", "drug"),
    _choice(
        "dosage",
        r"^(dosage|dose|strength)$",
        ["5 mg", "10 mg", "20 mg", "50 mg", "100 mg", "250 mg", "500 mg"],
    ),
    _pool("dosage frequency", r"^(frequency|dosage_frequency|schedule)$", "dosage_frequency"),
    _pool("medical specialty", r"^(specialty|speciality|specialization)$", "medical_specialty"),
    _int("heart rate", r"^(heart_rate|pulse|bpm)$", 55, 110),
    _int("systolic pressure", r"^(systolic|bp_systolic|systolic_pressure)$", 100, 160),
    _int("diastolic pressure", r"^(diastolic|bp_diastolic|diastolic_pressure)$", 60, 100),
    _dec("body temperature", r"^(temperature|body_temperature|temperature_c)$", 36.0, 39.5),
    # ------------------------------------------------------------------ logistics
    _pool("vehicle type", r"^vehicle(_type)?$", "vehicle_type"),
    _pool("warehouse", r"^(warehouse|warehouse_name|depot|hub)$", "warehouse"),
    _pool("shipment event", r"^(event|last_event|tracking_event|scan_event)$", "shipment_event"),
    _code("dock", r"^(dock|bay|gate|aisle|bin|shelf)$", "?#"),
    # ------------------------------------------------------------------ media
    _pool("genre", r"^(genre|genre_name)$", "music_genre"),
    _int("duration in milliseconds", r"^(milliseconds|duration_ms|length_ms)$", 60_000, 600_000),
    _int(
        "duration in seconds",
        r"^(duration|duration_seconds|duration_sec|seconds|length_seconds)$",
        30,
        3600,
    ),
    _int(
        "duration in minutes", r"^(length|runtime|duration_minutes|minutes|running_time)$", 46, 185
    ),
    _int("rental duration in days", r"^(rental_duration|loan_period|rental_days)$", 3, 7),
    _pool("special features", r"^special_features$", "film_feature"),
    _pool("language name", r"^(language|language_name|spoken_language)$", "language_name"),
    # ------------------------------------------------------------------ text
    _m(
        "description",
        r"^(description|body|content|comment|comments|notes?|about|text|message|review|"
        r"details|remarks|feedback|review_text|comment_text|instructions|answer|reason|"
        r"explanation|observation|post_body|article_body)$",
        "text",
        TEXT,
        style="paragraph",
    ),
    _m(
        "summary",
        r"^(summary|excerpt|teaser|abstract|tagline|slogan|short_description|subtitle|caption)$",
        "text",
        TEXT,
        style="sentence",
    ),
    _m(
        "title",
        r"^(title|subject|headline|heading|label|question)$",
        "text",
        TEXT,
        style="title",
        min_words=2,
        max_words=6,
    ),
    _pool("tags", r"^(tags?|keywords?|hashtags?|labels|topics?)$", "tag"),
    # ------------------------------------------------------------------ times (ordered in the plan)
    _time(
        "creation time",
        r"^(created|created_at|created_on|creation_date|creation_time|date_created|inserted_at|registered_at|registration_date|signup_date|signed_up_at|joined_at|join_date|joined_on|create_date|create_time|created_date|opened_at|open_date|added_at|date_added)$",
    ),
    _time("hire date", r"^(hire_date|hired_on|hired_at|start_of_employment|employment_date)$"),
    _time(
        "order time",
        r"^(order_date|ordered_at|order_time|purchase_date|purchased_at|placed_at|booking_date|booked_at|invoice_date|transaction_date|payment_date|paid_at|rental_date|issue_date|issued_at|posted_at|sale_date)$",
    ),
    _time(
        "publication time",
        r"^(published_at|publish_date|published_on|publication_date|release_date|released_at|go_live)$",
    ),
    _time(
        "start time",
        r"^(start|start_date|start_time|starts_at|started_at|begin_date|begins_at|from_date|valid_from|effective_date|check_in|checkin|departure|departure_time|enrollment_date|enrolled_at|admission_date|admitted_at|scheduled_at|appointment_date|appointment_time)$",
    ),
    _time(
        "shipping time", r"^(shipped_date|shipped_at|ship_date|dispatched_at|sent_at|sent_date)$"
    ),
    _time(
        "delivery time",
        r"^(delivered_at|delivery_date|delivered_on|received_at|received_date|arrival|arrival_time|arrived_at|completed_at|completion_date|finished_at|closed_at|resolved_at|return_date|returned_at|discharge_date|discharged_at)$",
    ),
    _time(
        "end time",
        r"^(end|end_date|end_time|ends_at|ended_at|to_date|valid_to|valid_until|check_out|checkout|termination_date|terminated_at|graduation_date)$",
    ),
    _time(
        "due date",
        r"^(due_date|due_at|required_date|deadline|expires_at|expiry_date|expiration_date|expires_on|renewal_date|next_billing_date)$",
        30,
        180,
    ),
    _time(
        "last login",
        r"^(last_login|last_login_at|last_seen|last_seen_at|last_active_at|last_activity)$",
        90,
    ),
    _time(
        "update time",
        r"^(updated|updated_at|updated_on|modified|modified_at|modified_on|last_modified|last_update|last_updated|date_modified|changed_at|update_time|updated_date)$",
        365,
    ),
    _time(
        "deletion time",
        r"^(deleted_at|deleted_on|archived_at|removed_at|cancelled_at|canceled_at|deactivated_at)$",
        180,
    ),
    Meaning(
        "year",
        r"^(year|release_year|model_year|fiscal_year|graduation_year|enrollment_year|year_built|vintage)$",
        "integer",
        NUMBER + ("year",) + TEXT,
        {"min": 1990, "max": 2025},
    ),
    _int("month", r"^(month|birth_month|billing_month)$", 1, 12),
    _pool("weekday", r"^(weekday|day_of_week|day_name)$", "weekday"),
    _int("hour", r"^(hour|hour_of_day)$", 0, 23),
    # ------------------------------------------------------------------ states and kinds
    Meaning(
        "flag",
        r"^(is|has|can|should|was|allow|allows|enable|enabled|accepts)_\w+|^(active|enabled|"
        r"verified|deleted|archived|published|visible|available|in_stock|discontinued|"
        r"confirmed|approved|paid|locked|blocked|featured|public|private|subscribed|"
        r"newsletter|vip|primary|default|completed|read|seen|pinned|hidden|active_?bool)$|"
        r"_flag$",
        "boolean",
        FLAG + TEXT,
        {"p_true": 0.7},
    ),
    _choice("status", r"(^|_)status$|^state_of_", ["active", "pending", "inactive"], [7, 2, 1]),
    _pool("priority", r"^priority$", "priority"),
    _pool("severity", r"^severity$", "severity"),
    _choice("visibility", r"^visibility$", ["public", "private", "unlisted"], [6, 3, 1]),
    _choice(
        "user role",
        r"^(role|user_role|access_level|permission_level)$",
        ["member", "editor", "admin", "viewer"],
        [6, 2, 0.5, 3],
    ),
    _choice(
        "level",
        r"^(level|difficulty|skill_level|experience_level)$",
        ["beginner", "intermediate", "advanced"],
        [3, 4, 2],
    ),
    _pool("unit of measure", r"^(unit|uom|unit_of_measure|measure_unit)$", "unit_of_measure"),
    _choice("type", r"(^|_)(type|kind)$", ["standard", "premium", "basic"], [6, 2, 3]),
    _int(
        "view count",
        r"(^|_)(views|view_count|likes|like_count|clicks|downloads|followers|follower_count|shares|upvotes|votes|visits|impressions)$",
        0,
        10_000,
        "skewed",
    ),
    _int(
        "comment count",
        r"(^|_)(comment_count|comments_count|reply_count|replies)$",
        0,
        50,
        "skewed",
    ),
    _int(
        "position",
        r"^(sort_order|position|rank|display_order|ordinal|seq|sequence_number|priority_order)$",
        1,
        100,
    ),
    _int("percentage", r"^(percent|percentage|progress|completion|completion_percent)$", 0, 100),
    _int("score", r"^(score|points|karma|reputation)$", 0, 100),
    # codes and identifiers held as text (Northwind's customer_id 'ALFKI', dept_no 'd005')
    _code(
        "identifier code", r"(^|_)(id|code|key|number|ref|reference|abbr|abbreviation)$", "?????"
    ),
)

# What a table's rows are, from its name (singular or plural, last word first), and what its
# `name`, `title` or `<entity>_name` column then holds.
ENTITIES: tuple[tuple[str, str], ...] = (
    (r"(city|cities|town|municipalit(y|ies))$", "city"),
    (r"(countr(y|ies)|nations?)$", "country"),
    (r"(states?|provinces?|prefectures?)$", "state"),
    (r"(regions?|areas?|zones?)$", "region"),
    (r"(territor(y|ies))$", "territory"),
    (r"(languages?)$", "language"),
    (r"(currenc(y|ies))$", "currency"),
    (r"(genres?)$", "genre"),
    (r"(categor(y|ies)|product_types?|collections?)$", "category"),
    (r"(tags?|labels?|keywords?|topics?)$", "tag"),
    (r"(departments?|divisions?|depts?)$", "department"),
    (r"(titles?|jobs?|positions?|job_titles?|roles?|occupations?)$", "job"),
    (r"(media_types?|formats?)$", "media_type"),
    (r"(playlists?)$", "playlist"),
    (
        r"(films?|movies?|shows?|episodes?|videos?|albums?|tracks?|songs?|records?|books?|novels?|titles_catalog)$",
        "media",
    ),
    (r"(posts?|articles?|stories|story|entries|entry|blogs?|pages?|news)$", "post"),
    (r"(courses?|classes|class|subjects?|modules?|lessons?)$", "course"),
    (r"(diagnos[ie]s|conditions?|diseases?)$", "diagnosis"),
    (r"(drugs?|medications?|medicines?|prescriptions?)$", "drug"),
    (r"(specialt(y|ies)|specialit(y|ies))$", "specialty"),
    (r"(warehouses?|depots?|hubs?|facilit(y|ies))$", "warehouse"),
    (r"(teams?|squads?|groups?)$", "team"),
    (r"(events?|conferences?|meetups?)$", "event"),
    (r"(skills?)$", "skill"),
    (r"(products?|items?|goods|articles?|skus?|merchandise|parts?|services?|offers?)$", "product"),
    (
        r"(compan(y|ies)|organi[sz]ations?|suppliers?|vendors?|shippers?|publishers?|"
        r"manufacturers?|brands?|carriers?|banks?|employers?|partners?|merchants?|agencies|"
        r"agency|firms?|stores?|shops?|branches|branch|schools?|universit(y|ies)|hospitals?|"
        r"clinics?|insurers?|labels)$",
        "company",
    ),
    (
        r"(users?|customers?|clients?|persons?|people|employees?|staff|members?|authors?|"
        r"students?|teachers?|instructors?|patients?|doctors?|physicians?|nurses?|contacts?|"
        r"actors?|artists?|owners?|buyers?|sellers?|drivers?|players?|guests?|subscribers?|"
        r"candidates?|applicants?|managers?|agents?|profiles?|passengers?|tenants?|"
        r"volunteers?|speakers?|attendees?|accounts?|composers?|musicians?|writers?)$",
        "person",
    ),
)

# entity -> (generator, params, meaning) for its name-like columns
ENTITY_NAMES: dict[str, tuple[str, dict[str, Any], str]] = {
    "city": ("pool", {"pool": "real_city"}, "city name"),
    "country": ("pool", {"pool": "country"}, "country name"),
    "state": ("place", {"part": "state"}, "state name"),
    "region": ("pool", {"pool": "sales_region"}, "region name"),
    "territory": ("pool", {"pool": "real_city"}, "territory name"),
    "language": ("pool", {"pool": "language_name"}, "language name"),
    "currency": ("pool", {"pool": "currency_code"}, "currency"),
    "genre": ("pool", {"pool": "music_genre"}, "genre"),
    "category": ("pool", {"pool": "product_category"}, "category name"),
    "tag": ("pool", {"pool": "tag"}, "tag"),
    "department": ("pool", {"pool": "department"}, "department name"),
    "job": ("pool", {"pool": "job_title"}, "job title"),
    "media_type": ("pool", {"pool": "media_type"}, "media type"),
    "playlist": ("pool", {"pool": "playlist"}, "playlist name"),
    "media": ("pool", {"pool": "media_title"}, "title of a work"),
    "post": ("pool", {"pool": "blog_title"}, "post title"),
    "course": ("pool", {"pool": "course"}, "course name"),
    "diagnosis": ("pool", {"pool": "diagnosis"}, "diagnosis"),
    "drug": ("pool", {"pool": "drug"}, "drug name"),
    "specialty": ("pool", {"pool": "medical_specialty"}, "medical specialty"),
    "warehouse": ("pool", {"pool": "warehouse"}, "warehouse name"),
    "team": ("pool", {"pool": "team"}, "team name"),
    "event": ("pool", {"pool": "event_name"}, "event name"),
    "skill": ("pool", {"pool": "skill"}, "skill"),
    "product": ("pool", {"pool": "product_name"}, "product name"),
    "company": ("pool", {"pool": "company"}, "company name"),
    "person": ("person.full_name", {}, "person's name"),
}

# Domain -> what an ambiguous entity's name means there ("category" in a film schema is a
# film genre, "product" in a pharmacy a drug).
DOMAIN_ENTITY_NAMES: dict[tuple[str, str], tuple[str, dict[str, Any], str]] = {
    ("media", "category"): ("pool", {"pool": "film_genre"}, "film genre"),
    ("blog", "category"): ("pool", {"pool": "blog_category"}, "blog category"),
    ("blog", "tag"): ("pool", {"pool": "blog_tag"}, "blog tag"),
    ("medical", "product"): ("pool", {"pool": "prescription"}, "drug and strength"),
    ("education", "category"): ("pool", {"pool": "subject"}, "subject"),
    ("logistics", "category"): ("pool", {"pool": "product_category"}, "goods category"),
    ("finance", "category"): ("pool", {"pool": "transaction_type"}, "transaction category"),
}

# Table words that say which domain a schema belongs to (for vocabularies); the request's
# own domain ("medical data") wins over these.
DOMAIN_TABLE_WORDS: dict[str, tuple[str, ...]] = {
    "media": ("film", "movie", "track", "album", "artist", "playlist", "actor", "genre", "episode"),
    "blog": ("post", "comment", "article", "blog", "tag", "author", "story"),
    "medical": (
        "patient",
        "doctor",
        "appointment",
        "diagnosis",
        "prescription",
        "medication",
        "clinic",
        "hospital",
        "visit",
    ),
    "finance": (
        "account",
        "transaction",
        "loan",
        "bank",
        "ledger",
        "transfer",
        "card",
        "portfolio",
    ),
    "hr": ("employee", "department", "salary", "salaries", "payroll", "dept", "title", "manager"),
    "education": (
        "student",
        "course",
        "enrollment",
        "teacher",
        "grade",
        "class",
        "lesson",
        "school",
    ),
    "logistics": (
        "shipment",
        "warehouse",
        "carrier",
        "vehicle",
        "route",
        "delivery",
        "parcel",
        "shipper",
    ),
    "ecommerce": (
        "product",
        "order",
        "cart",
        "customer",
        "review",
        "checkout",
        "coupon",
        "wishlist",
    ),
}

# How often an optional (nullable) column of a meaning is NULL; others: 10%.
NULL_RATES: dict[str, float] = {
    **dict.fromkeys(
        ("email", "first name", "last name", "full name", "username", "person's name",
         "product name", "company name", "title of a work", "city", "country", "street address",
         "postal code", "price", "amount", "quantity", "creation time", "order time"),
        0.02,
    ),
    **dict.fromkeys(("phone number", "state", "company", "job title"), 0.1),
    **dict.fromkeys(("address line 2", "middle name", "fax number", "phone extension"), 0.6),
    **dict.fromkeys(("biography", "summary", "description", "image URL", "website"), 0.25),
    "deletion time": 0.85,
    # what an entity table's rows are called is rarely missing
    **{meaning: 0.02 for _, _, meaning in ENTITY_NAMES.values()},
    **{meaning: 0.02 for _, _, meaning in DOMAIN_ENTITY_NAMES.values()},
}  # fmt: skip

# Price ranges where a domain's prices differ from a shop's (a song costs a dollar).
DOMAIN_PRICES: dict[str, tuple[float, float]] = {
    "media": (0.99, 29.99),
    "education": (49.0, 1500.0),
    "medical": (5.0, 400.0),
}
