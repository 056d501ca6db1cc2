"""Word tables for the offline request parser: data, not logic.

Everything here is lowercase. Phrases are tuples of words so the parser can match them over its
tokens. To teach the parser a new number word, vague amount, locale, domain or unit, add it
here. Only the connecting words that shape a rule ("each", "per", "between", "the rest") live
in that rule's pattern in ``request_parser``.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

UNITS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        _words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
}
TENS: dict[str, int] = {
    w: 10 * i
    for i, w in enumerate(_words("twenty thirty forty fifty sixty seventy eighty ninety"), 2)
}
SCALES: dict[str, int] = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
HUNDRED = "hundred"
DOZEN = "dozen"

# Suffixes glued to digits: "1k", "2.5k", "1m", "3bn".
NUMBER_SUFFIXES: dict[str, int] = {
    "k": 1_000,
    "m": 1_000_000,
    "mm": 1_000_000,
    "mn": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
}

# Amount phrases. A value of None means "the table is wanted, with the planner's default count".
# The vague ones are written into the request notes so the user sees how they were read.
AMOUNT_PHRASES: dict[tuple[str, ...], int | None] = {
    ("half", "a", "dozen"): 6,
    ("a", "couple", "of"): 2,
    ("a", "couple"): 2,
    ("couple", "of"): 2,
    ("a", "pair", "of"): 2,
    ("a", "few"): 5,
    ("few",): 5,
    ("a", "handful", "of"): 5,
    ("handful", "of"): 5,
    ("several",): 10,
    ("dozens", "of"): 50,
    ("many",): 100,
    ("lots", "of"): 100,
    ("a", "lot", "of"): 100,
    ("plenty", "of"): 100,
    ("loads", "of"): 100,
    ("tons", "of"): 100,
    ("hundreds", "of"): 500,
    ("thousands", "of"): 5_000,
    ("some",): None,
}
EXACT_AMOUNTS = frozenset({("half", "a", "dozen")})  # phrases that are not vague

# Shares of a table: "mostly active users", "half of the products out of stock".
SHARE_PHRASES: dict[tuple[str, ...], float] = {
    ("mostly",): 0.8,
    ("most",): 0.8,
    ("mainly",): 0.8,
    ("largely",): 0.8,
    ("predominantly",): 0.8,
    ("primarily",): 0.8,
    ("the", "majority"): 0.8,
    ("a", "majority"): 0.8,
    ("nearly", "all"): 0.95,
    ("almost", "all"): 0.95,
    ("half",): 0.5,
    ("one", "half"): 0.5,
    ("a", "third"): 1 / 3,
    ("one", "third"): 1 / 3,
    ("two", "thirds"): 2 / 3,
    ("a", "quarter"): 0.25,
    ("one", "quarter"): 0.25,
    ("three", "quarters"): 0.75,
    ("a", "tenth"): 0.1,
    ("one", "tenth"): 0.1,
    ("a", "fifth"): 0.2,
    ("one", "fifth"): 0.2,
}
# Phrases that hold a share word but are no share: "each customer with at most 3 orders".
NOT_SHARES = frozenset({("at", "most"), ("at", "the", "most")})
PERCENT_WORDS: tuple[tuple[str, ...], ...] = (("percent",), ("per", "cent"), ("pct",))

# ---------------------------------------------------------------------------------------------
# Table names: singular and plural
# ---------------------------------------------------------------------------------------------

IRREGULAR_PLURALS: dict[str, str] = {
    "people": "person",
    "children": "child",
    "men": "man",
    "women": "woman",
    "mice": "mouse",
    "geese": "goose",
    "teeth": "tooth",
    "feet": "foot",
    "oxen": "ox",
    "criteria": "criterion",
    "indices": "index",
    "matrices": "matrix",
    "vertices": "vertex",
    "alumni": "alumnus",
    "cacti": "cactus",
    "phenomena": "phenomenon",
    "staff": "staff",
    "series": "series",
    "species": "species",
    "data": "datum",
    "media": "medium",
}
# (plural ending, singular ending), tried together: every candidate is kept.
PLURAL_ENDINGS: tuple[tuple[str, str], ...] = (
    ("ies", "y"),
    ("sses", "ss"),
    ("xes", "x"),
    ("ches", "ch"),
    ("shes", "sh"),
    ("zzes", "z"),
    ("ses", "s"),
    ("ses", "sis"),
    ("zes", "z"),
    ("oes", "o"),
    ("ves", "f"),
    ("ves", "fe"),
    ("s", ""),
)
# Words never read as table names even when a table happens to be called that.
NEVER_TABLES = frozenset(
    _words("a an the of to in on at and or with each every per for by from is are be")
)

# ---------------------------------------------------------------------------------------------
# Words that carry no meaning of their own here, and words that may follow a number
# ---------------------------------------------------------------------------------------------

INTENT_WORDS = frozenset(
    _words("""
    add adds adding create creating generate generating insert inserting fill filling
    populate populating seed seeding load make produce put give need want data dataset
    datasets sample samples rows row records record entries entry everything fake dummy mock
    test tests testing db database databases tables table""")
)
FILLER_WORDS = INTENT_WORDS | frozenset(
    _words("""
    some the a an of to for in into with and or also plus then me us i we you it them its
    their my our this that these those there here please could can would will shall should
    like let's lets just only go do some more new extra additional random realistic
    example examples demo all every each whole entire schema on at by be is are was were
    has have having get gets got about around roughly approximately approx so too as well
    now hey hi ok okay thanks thank quick quickly up few bit lot total altogether overall use
    using who which instead same kind sort type realistic-looking plausible believable other
    recent""")
)
# Units and words that may follow a number without naming a table.
NON_TABLE_WORDS = FILLER_WORDS | frozenset(
    _words("""
    row rows record records entry entries times time days day weeks week months month
    years year hours hour minutes minute seconds second percent pct cent per dollars dollar
    euros euro pounds pound usd eur gbp cents bucks old or more less each apiece one ones
    min mins sec secs hrs km kg cm
    long tall wide high deep heavy big large small short
    and seed than""")
)
CURRENCY_WORDS = frozenset(_words("dollars dollar euros euro pounds pound usd eur gbp bucks"))
REPRODUCIBLE_WORDS = frozenset(
    _words("reproducible reproducibly deterministic deterministically repeatable")
)

# ---------------------------------------------------------------------------------------------
# Columns: verbs and adjectives that point at a column
# ---------------------------------------------------------------------------------------------

# "priced between 5 and 50" -> a column named like price.
COLUMN_STEMS: dict[str, tuple[str, ...]] = {
    "priced": ("price",),
    "pricing": ("price",),
    "costing": ("cost", "price"),
    "costs": ("cost", "price"),
    "cost": ("cost", "price"),
    "rated": ("rating",),
    "ratings": ("rating",),
    "weighing": ("weight",),
    "weighs": ("weight",),
    "earning": ("salary",),
    "earn": ("salary",),
    "paid": ("salary", "amount"),
    "lasting": ("length", "duration"),
    "long": ("length", "duration"),
    "scored": ("score",),
    "stars": ("rating", "stars"),
    "star": ("rating",),
    "quantities": ("quantity",),
    "qty": ("quantity",),
    "discounts": ("discount",),
}
# Used when a range has a currency sign but no column word: "$5 to $50".
MONEY_COLUMNS = ("price", "amount", "total", "cost", "salary", "rate")
NUMERIC_KINDS = frozenset({"integer", "decimal", "float", "money"})
DATE_KINDS = frozenset({"date", "datetime", "year"})

# "created in 2024" -> a date column whose name contains one of these stems.
DATE_STEMS: dict[str, tuple[str, ...]] = {
    "created": ("creat",),
    "placed": ("placed", "order", "creat"),
    "ordered": ("order", "creat"),
    "born": ("birth", "dob", "born"),
    "hired": ("hire",),
    "shipped": ("ship",),
    "paid": ("paid", "payment", "pay"),
    "released": ("release",),
    "updated": ("updat",),
    "joined": ("join", "creat", "regist"),
    "registered": ("regist", "creat", "join", "signup"),
    "signed": ("signup", "creat"),
    "published": ("publish",),
    "rented": ("rental", "rent"),
    "returned": ("return",),
    "invoiced": ("invoice",),
    "dated": ("date",),
    "made": ("creat", "date"),
    "written": ("creat", "publish", "written"),
    "posted": ("post", "creat", "publish"),
    "delivered": ("deliver",),
    "booked": ("book",),
}
RECENT_UNITS: dict[str, int] = {
    "day": 1,
    "days": 1,
    "week": 7,
    "weeks": 7,
    "month": 30,
    "months": 30,
    "year": 365,
    "years": 365,
}
MONTHS: dict[str, int] = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}
AGE_COLUMNS = ("age",)
BIRTH_COLUMNS = ("birth_date", "birthdate", "date_of_birth", "dob", "birthday", "born_on")
OLDEST_AGE = 90  # "older than 65" -> 65..90
YOUNGEST_ADULT = 18  # "younger than 30" -> 18..30

# ---------------------------------------------------------------------------------------------
# Values: words that mean "false" for a yes/no column
# ---------------------------------------------------------------------------------------------

NEGATION_PREFIXES = ("not ", "non ", "non-", "non", "un", "in", "dis", "without ", "no ")
# Negations written as words, read on every yes/no column (CHAR(1) 'Y'/'N', SMALLINT 0/1 too);
# the glued prefixes above only on BOOLEAN columns, where "inactive" cannot be a value.
NEGATION_WORDS = ("not ", "non ", "non-", "without ", "no ")
ANTONYMS: dict[str, str] = {
    "hidden": "visible",
    "invisible": "visible",
    "private": "public",
    "closed": "open",
    "offline": "online",
    "disabled": "enabled",
    "archived": "active",
    "suspended": "active",
    "banned": "active",
    "deleted": "active",
}
# Words for values that schemas often abbreviate: gender ENUM('M','F').
VALUE_ALIASES: dict[str, tuple[str, ...]] = {
    "female": ("f", "w"),
    "females": ("f", "female"),
    "women": ("f", "female", "w"),
    "male": ("m",),
    "males": ("m", "male"),
    "men": ("m", "male"),
    "yes": ("y", "true"),
    "no": ("n", "false"),
}
FLAG_PREFIXES = ("is_", "has_", "can_", "was_", "allow_", "allows_")
FLAG_SUFFIXES = ("_flag", "flag", "bool", "_yn")

# ---------------------------------------------------------------------------------------------
# Locales (Faker locale codes)
# ---------------------------------------------------------------------------------------------

_LOCALE_ROWS: tuple[tuple[str, ...], ...] = (
    ("en_US", "american", "america", "usa", "united states", "english", "us english"),
    (
        "en_GB",
        "british",
        "britain",
        "great britain",
        "uk",
        "united kingdom",
        "england",
        "scottish",
        "scotland",
        "welsh",
        "wales",
        "british english",
    ),
    ("en_IE", "irish", "ireland"),
    ("en_CA", "canadian", "canada"),
    ("en_AU", "australian", "australia", "aussie"),
    ("en_NZ", "new zealand", "kiwi"),
    ("en_IN", "indian", "india"),
    ("en_PH", "filipino", "philippines", "philippine"),
    ("en_NG", "nigerian", "nigeria"),
    ("en_KE", "kenyan", "kenya"),
    ("en_PK", "pakistani", "pakistan"),
    ("de_DE", "german", "germany", "deutsch", "deutschland"),
    ("de_AT", "austrian", "austria"),
    ("de_CH", "swiss", "switzerland"),
    ("fr_FR", "french", "france"),
    ("fr_BE", "belgian", "belgium"),
    ("fr_CA", "quebecois", "québécois", "quebec", "french canadian"),
    ("es_ES", "spanish", "spain", "castilian", "español"),
    ("es_MX", "mexican", "mexico", "latin american"),
    ("es_AR", "argentinian", "argentine", "argentina"),
    ("es_CL", "chilean", "chile"),
    ("es_CO", "colombian", "colombia"),
    ("es_VE", "venezuelan", "venezuela"),
    ("it_IT", "italian", "italy", "italiano"),
    ("pt_PT", "portuguese", "portugal"),
    ("pt_BR", "brazilian", "brazil", "brasil", "brazilian portuguese"),
    ("nl_NL", "dutch", "netherlands", "the netherlands", "holland"),
    ("nl_BE", "flemish", "flanders"),
    ("ja_JP", "japanese", "japan"),
    ("zh_CN", "chinese", "china", "mandarin"),
    ("zh_TW", "taiwanese", "taiwan"),
    ("ko_KR", "korean", "korea", "south korea", "south korean"),
    ("ru_RU", "russian", "russia"),
    ("uk_UA", "ukrainian", "ukraine"),
    ("pl_PL", "polish", "poland"),
    ("cs_CZ", "czech", "czechia", "czech republic"),
    ("sk_SK", "slovak", "slovakia"),
    ("hu_HU", "hungarian", "hungary"),
    ("ro_RO", "romanian", "romania"),
    ("bg_BG", "bulgarian", "bulgaria"),
    ("hr_HR", "croatian", "croatia"),
    ("sl_SI", "slovenian", "slovenia"),
    ("el_GR", "greek", "greece"),
    ("tr_TR", "turkish", "turkey"),
    ("sv_SE", "swedish", "sweden"),
    ("da_DK", "danish", "denmark"),
    ("no_NO", "norwegian", "norway"),
    ("fi_FI", "finnish", "finland"),
    ("et_EE", "estonian", "estonia"),
    ("lv_LV", "latvian", "latvia"),
    ("lt_LT", "lithuanian", "lithuania"),
    ("is_IS", "icelandic", "iceland"),
    ("he_IL", "israeli", "israel", "hebrew"),
    ("ar_AA", "arabic", "arab"),
    ("ar_SA", "saudi", "saudi arabia"),
    ("ar_EG", "egyptian", "egypt"),
    ("ar_AE", "emirati", "uae"),
    ("fa_IR", "persian", "iranian", "iran", "farsi"),
    ("hi_IN", "hindi"),
    ("bn_BD", "bangladeshi", "bangladesh", "bengali"),
    ("th_TH", "thai", "thailand"),
    ("vi_VN", "vietnamese", "vietnam"),
    ("id_ID", "indonesian", "indonesia"),
    ("hy_AM", "armenian", "armenia"),
    ("az_AZ", "azerbaijani", "azerbaijan"),
    ("ne_NP", "nepali", "nepalese", "nepal"),
)
# words that name a language only: its speakers live in several countries, and a country
# named beside it ("Spanish names from Mexico") says which locale is meant
LANGUAGE_WORDS = frozenset(
    ("english", "spanish", "castilian", "español", "french", "german", "deutsch", "portuguese",
     "dutch", "arabic", "chinese", "mandarin", "italian", "italiano")
)  # fmt: skip
LOCALE_PHRASES: dict[tuple[str, ...], str] = {
    tuple(word.split()): row[0] for row in _LOCALE_ROWS for word in row[1:]
}

# Locale codes Faker ships (faker 30); "de_de", "de-DE" and "DE_de" all map to "de_DE".
FAKER_LOCALES: tuple[str, ...] = tuple(
    _words("""
    am_ET ar_AA ar_AE ar_BH ar_DZ ar_EG ar_JO ar_PS ar_SA az_AZ bg_BG bn_BD bs_BA cs_CZ da_DK
    de_AT de_CH de_DE de_LI de_LU dk_DK el_CY el_GR en_AU en_BD en_CA en_GB en_IE en_IN en_KE
    en_MS en_NG en_NZ en_PH en_PK en_TH en_US es_AR es_CA es_CL es_CO es_ES es_MX es_VE et_EE
    fa_IR fi_FI fil_PH fr_BE fr_CA fr_CH fr_DZ fr_FR fr_QC ga_IE gu_IN ha_NG he_IL hi_IN hr_HR
    hu_HU hy_AM id_ID ig_NG is_IS it_CH it_IT ja_JP ka_GE ko_KR lb_LU lt_LT lv_LV mk_MK mr_IN
    mt_MT ne_NP ng_NG nl_BE nl_NL no_NO or_IN pl_PL pt_BR pt_PT ro_RO ru_RU si_LK sk_SK sl_SI
    sq_AL sr_BA sv_SE ta_IN th_TH tl_PH tr_TR tw_GH uk_UA uz_UZ vi_VN yo_NG zh_CN zh_TW
    zu_ZA""")
)
LOCALE_CODES: dict[str, str] = {code.lower(): code for code in FAKER_LOCALES}
LOCALE_TRAILERS = frozenset(_words("locale style format names data language speaking"))

# ---------------------------------------------------------------------------------------------
# Domains (vocabularies the synthesizer can pick)
# ---------------------------------------------------------------------------------------------

_DOMAIN_ROWS: tuple[tuple[str, ...], ...] = (
    (
        "ecommerce",
        "e-commerce",
        "ecommerce",
        "e commerce",
        "shop",
        "shops",
        "webshop",
        "web shop",
        "online store",
        "retail store",
        "web store",
        "online shop",
        "storefront",
        "retail",
        "shopping",
        "marketplace",
        "e-shop",
    ),
    ("blog", "blog", "blogs", "blogging", "cms", "blogger", "bloggers"),
    (
        "social",
        "social",
        "social network",
        "social media",
        "social networking",
        "followers",
        "friendships",
    ),
    (
        "medical",
        "medical",
        "hospital",
        "hospitals",
        "clinic",
        "clinics",
        "patient",
        "patients",
        "doctor",
        "doctors",
        "healthcare",
        "health care",
        "nurse",
        "nurses",
        "prescriptions",
        "diagnoses",
        "ehr",
    ),
    (
        "finance",
        "finance",
        "financial",
        "banking",
        "bank",
        "banks",
        "fintech",
        "loans",
        "trading",
        "accounting",
        "insurance",
    ),
    ("hr", "hr", "human resources", "payroll", "recruiting", "recruitment", "hiring", "personnel"),
    (
        "education",
        "education",
        "educational",
        "school",
        "schools",
        "university",
        "universities",
        "college",
        "students",
        "student",
        "courses",
        "teachers",
        "enrollments",
        "campus",
        "lms",
        "e-learning",
    ),
    (
        "logistics",
        "logistics",
        "warehouse",
        "warehouses",
        "shipments",
        "fleet",
        "supply chain",
        "trucks",
        "carriers",
        "couriers",
        "freight forwarding",
    ),
)
DOMAIN_PHRASES: dict[tuple[str, ...], str] = {
    tuple(word.split()): row[0] for row in _DOMAIN_ROWS for word in row[1:]
}

# How child rows spread over their parents: "evenly" / "uniform" against the default
# popularity skew (a few customers place many orders).
_SPREAD_ROWS: tuple[tuple[str, ...], ...] = (
    (
        "uniform",
        "uniform",
        "uniformly",
        "evenly",
        "even spread",
        "evenly spread",
        "evenly distributed",
        "spread evenly",
        "equally",
        "equal share",
        "no skew",
        "round robin",
    ),
    ("zipf", "zipf", "skewed", "power law", "long tail", "popularity skew"),
)
SPREAD_PHRASES: dict[tuple[str, ...], str] = {
    tuple(word.split()): row[0] for row in _SPREAD_ROWS for word in row[1:]
}
