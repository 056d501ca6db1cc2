"""Domain vocabularies: what products, films, diagnoses, departments and courses are called.

Faker knows people, places and companies; these tuples cover the things applications store
next to them. Each class is one domain, its tuples are the raw words, and ``VOCABULARY_POOLS``
names the pools built from them (once per run, like the Faker pools): combined names such as
"Ergonomic Steel Chair" come from a seeded product of the tuples, so a pool holds thousands of
distinct values and a unique column numbers them only after they run out.

Sources: the words are common English vocabulary, written for this project; film genres follow
Sakila's category list, diagnoses and drugs are frequent primary-care diagnoses and widely
prescribed generic medicines (WHO essential medicines list), ICD-10 codes are the WHO's.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from itertools import product
from typing import Any

_SEED = 20240301


class Commerce:
    """E-commerce: products, categories, brands, payment and shipping."""

    adjectives = (
        "Ergonomic", "Rustic", "Sleek", "Compact", "Premium", "Classic", "Modern", "Vintage",
        "Lightweight", "Durable", "Handmade", "Organic", "Wireless", "Smart", "Portable",
        "Deluxe", "Essential", "Everyday", "Heavy-Duty", "Eco", "Soft", "Slim", "Foldable",
        "Waterproof", "Insulated", "Adjustable", "Minimalist", "Professional", "Travel", "Mini",
    )  # fmt: skip
    materials = (
        "Cotton", "Steel", "Wooden", "Leather", "Ceramic", "Bamboo", "Glass", "Wool", "Linen",
        "Aluminium", "Marble", "Silicone", "Copper", "Canvas", "Oak", "Granite", "Rubber",
        "Titanium", "Velvet", "Recycled",
    )  # fmt: skip
    nouns = (
        "Chair", "Table", "Lamp", "Backpack", "Water Bottle", "Headphones", "Keyboard", "Mouse",
        "Mug", "Notebook", "Sneakers", "Jacket", "T-Shirt", "Watch", "Wallet", "Sunglasses",
        "Blender", "Kettle", "Pillow", "Blanket", "Desk Organizer", "Phone Case", "Speaker",
        "Charger", "Frying Pan", "Knife Set", "Cutting Board", "Yoga Mat", "Dumbbells", "Tent",
        "Scarf", "Hat", "Gloves", "Candle", "Vase", "Plant Pot", "Bookshelf", "Rug", "Towel Set",
        "Umbrella",
    )  # fmt: skip
    categories = (
        "Electronics", "Computers", "Smartphones", "Home & Kitchen", "Furniture", "Garden",
        "Books", "Toys & Games", "Sports & Outdoors", "Clothing", "Shoes", "Jewelry", "Beauty",
        "Health", "Grocery", "Pet Supplies", "Automotive", "Office Supplies", "Baby", "Music",
        "Movies", "Video Games", "Tools & Home Improvement", "Arts & Crafts", "Luggage",
        "Watches", "Appliances", "Camera & Photo", "Beverages", "Snacks",
    )  # fmt: skip
    payment_methods = (
        "credit_card", "debit_card", "paypal", "bank_transfer", "apple_pay", "google_pay",
        "cash_on_delivery", "gift_card",
    )  # fmt: skip
    shipping_methods = ("standard", "express", "next_day", "pickup", "economy", "same_day")
    units = (
        "10 boxes x 20 bags", "24 - 12 oz bottles", "12 - 550 ml bottles", "48 - 6 oz jars",
        "36 boxes", "12 - 200 ml jars", "1 kg pkg.", "10 - 500 g pkgs.", "20 - 1 kg tins",
        "5 kg pkg.", "24 - 250 g pkgs.", "32 - 500 g boxes", "16 pies", "50 bags x 30 sausgs.",
        "12 - 1 lb pkgs.", "6 - 2 kg boxes",
    )  # fmt: skip


class Media:
    """Films, music and books (Sakila, Chinook, bookshops)."""

    genres = (
        "Action", "Animation", "Children", "Classics", "Comedy", "Documentary", "Drama",
        "Family", "Foreign", "Games", "Horror", "Music", "New", "Sci-Fi", "Sports", "Travel",
    )  # fmt: skip
    music_genres = (
        "Rock", "Jazz", "Metal", "Alternative & Punk", "Rock And Roll", "Blues", "Latin",
        "Reggae", "Pop", "Soundtrack", "Bossa Nova", "Easy Listening", "Heavy Metal",
        "R&B/Soul", "Electronica/Dance", "World", "Hip Hop/Rap", "Classical", "Opera", "Country",
        "Folk", "Indie", "Funk", "Gospel",
    )  # fmt: skip
    media_types = (
        "MPEG audio file", "Protected AAC audio file", "Protected MPEG-4 video file",
        "Purchased AAC audio file", "AAC audio file", "FLAC audio file", "WAV audio file",
        "Ogg Vorbis audio file", "MPEG-4 video file", "WebM video file",
    )  # fmt: skip
    title_adjectives = (
        "Silent", "Golden", "Broken", "Lost", "Hidden", "Endless", "Midnight", "Crimson",
        "Electric", "Wild", "Frozen", "Burning", "Secret", "Last", "Distant", "Fallen", "Bright",
        "Dark", "Lonely", "Restless", "Savage", "Velvet", "Hollow", "Northern", "Little",
    )  # fmt: skip
    title_nouns = (
        "River", "Heart", "City", "Dream", "Empire", "Garden", "Shadow", "Horizon", "Storm",
        "Road", "Summer", "Kingdom", "Ocean", "Mirror", "Memory", "Island", "Fire", "Night",
        "Voyage", "Season", "Promise", "Letter", "Highway", "Echo", "Machine", "Circus",
        "Detective", "Stranger", "Harvest", "Moon",
    )  # fmt: skip
    playlists = (
        "Music", "Movies", "TV Shows", "Audiobooks", "90's Music", "Classical", "Grunge",
        "Brazilian Music", "Heavy Metal Classic", "On-The-Go", "Workout", "Chill", "Road Trip",
        "Focus", "Party", "Sleep", "Throwback", "Morning Coffee", "Top 100", "Discover Weekly",
    )  # fmt: skip
    features = ("Trailers", "Commentaries", "Deleted Scenes", "Behind the Scenes")
    languages = (
        "English", "Italian", "Japanese", "Mandarin", "French", "German", "Spanish",
        "Portuguese", "Dutch", "Korean", "Russian", "Hindi", "Arabic", "Swedish", "Polish",
    )  # fmt: skip


class Blog:
    """Blogs and content sites: post titles, tags, categories."""

    openings = (
        "How to", "Why You Should", "10 Ways to", "The Complete Guide to", "What I Learned",
        "A Beginner's Guide to", "5 Mistakes When You", "Stop Trying to", "The Best Way to",
        "Everything You Need to Know to", "Lessons From Trying to", "Should You",
    )  # fmt: skip
    topics = (
        "Learn Python", "Start a Garden", "Save Money", "Travel on a Budget", "Write Better",
        "Bake Sourdough", "Run a Marathon", "Grow Your Startup", "Work Remotely", "Cook Faster",
        "Sleep Better", "Read More Books", "Build a Habit", "Negotiate a Salary", "Learn Spanish",
        "Design a Logo", "Train Your Dog", "Declutter Your Home", "Invest in Index Funds",
        "Deploy With Docker", "Test Your Code", "Photograph the Night Sky", "Plan a Wedding",
        "Fix a Bike", "Brew Coffee",
    )  # fmt: skip
    tags = (
        "python", "travel", "food", "productivity", "finance", "health", "design", "career",
        "startups", "photography", "fitness", "books", "music", "parenting", "diy", "gardening",
        "javascript", "databases", "devops", "writing", "science", "history", "movies", "news",
    )  # fmt: skip
    categories = (
        "Technology", "Lifestyle", "Travel", "Food & Drink", "Personal Finance", "Health",
        "Business", "Culture", "Science", "Opinion", "Tutorials", "News",
    )  # fmt: skip


class Medical:
    """Clinics and hospitals: diagnoses with ICD-10 codes, drugs, dosages, specialties."""

    diagnoses = (
        ("I10", "Essential hypertension"), ("E11.9", "Type 2 diabetes mellitus"),
        ("J06.9", "Acute upper respiratory infection"), ("M54.5", "Low back pain"),
        ("J45.909", "Asthma"), ("E78.5", "Hyperlipidemia"), ("F32.9", "Major depressive disorder"),
        ("F41.1", "Generalized anxiety disorder"), ("K21.9", "Gastro-esophageal reflux disease"),
        ("N39.0", "Urinary tract infection"), ("J02.9", "Acute pharyngitis"),
        ("E03.9", "Hypothyroidism"), ("M17.9", "Osteoarthritis of knee"), ("G43.909", "Migraine"),
        ("J20.9", "Acute bronchitis"), ("L20.9", "Atopic dermatitis"), ("E66.9", "Obesity"),
        ("I48.91", "Atrial fibrillation"), ("J44.9", "Chronic obstructive pulmonary disease"),
        ("D64.9", "Anemia"), ("K59.00", "Constipation"), ("R51", "Headache"),
        ("H10.9", "Conjunctivitis"), ("B34.9", "Viral infection"), ("S93.401A", "Ankle sprain"),
        ("M79.1", "Myalgia"), ("R05", "Cough"), ("J30.9", "Allergic rhinitis"),
        ("N18.3", "Chronic kidney disease, stage 3"), ("I25.10", "Coronary artery disease"),
    )  # fmt: skip
    drugs = (
        "Atorvastatin", "Levothyroxine", "Metformin", "Lisinopril", "Amlodipine", "Metoprolol",
        "Albuterol", "Omeprazole", "Losartan", "Simvastatin", "Gabapentin", "Hydrochlorothiazide",
        "Sertraline", "Montelukast", "Fluticasone", "Amoxicillin", "Furosemide", "Pantoprazole",
        "Escitalopram", "Rosuvastatin", "Bupropion", "Prednisone", "Tamsulosin", "Ibuprofen",
        "Paracetamol", "Warfarin", "Insulin glargine", "Azithromycin", "Cetirizine",
        "Clopidogrel", "Citalopram", "Tramadol", "Trazodone", "Meloxicam", "Doxycycline",
    )  # fmt: skip
    strengths = ("5 mg", "10 mg", "20 mg", "25 mg", "50 mg", "100 mg", "250 mg", "500 mg")
    frequencies = (
        "once daily", "twice daily", "three times daily", "every 8 hours", "at bedtime",
        "as needed", "once weekly", "every morning",
    )  # fmt: skip
    specialties = (
        "Cardiology", "Dermatology", "Emergency Medicine", "Family Medicine", "Gastroenterology",
        "Neurology", "Obstetrics and Gynecology", "Oncology", "Ophthalmology", "Orthopedics",
        "Pediatrics", "Psychiatry", "Radiology", "Urology", "Internal Medicine", "Anesthesiology",
    )  # fmt: skip
    blood_types = ("O+", "A+", "B+", "O-", "A-", "AB+", "B-", "AB-")
    allergies = (
        "Penicillin", "Peanuts", "Shellfish", "Latex", "Pollen", "Dust mites", "Sulfa drugs",
        "Eggs", "Milk", "Bee stings", "None known",
    )  # fmt: skip


class Finance:
    """Banking and accounting: transaction descriptions, account types, merchants."""

    transaction_types = (
        "deposit", "withdrawal", "transfer", "payment", "refund", "fee", "interest", "purchase",
    )  # fmt: skip
    descriptions = (
        "Card payment - Grocery store", "Salary", "Transfer to savings", "Rent payment",
        "ATM withdrawal", "Electricity bill", "Mobile phone bill", "Online purchase",
        "Restaurant", "Coffee shop", "Fuel station", "Insurance premium", "Gym membership",
        "Streaming subscription", "Interest credit", "Monthly account fee", "Refund",
        "Pharmacy", "Train ticket", "Taxi ride", "Book store", "Hardware store", "Dividend",
        "Loan repayment", "Credit card payment", "Tax refund", "Water bill", "Internet bill",
    )  # fmt: skip
    account_types = ("checking", "savings", "credit", "loan", "mortgage", "investment")
    loan_types = ("personal", "auto", "mortgage", "student", "business")


class People:
    """Work: departments and job titles (HR), titles of courtesy per locale."""

    departments = (
        "Engineering", "Sales", "Marketing", "Finance", "Human Resources", "Customer Support",
        "Operations", "Legal", "Research and Development", "Product", "Quality Management",
        "Production", "Procurement", "IT", "Design", "Logistics", "Administration",
    )  # fmt: skip
    job_titles = (
        "Software Engineer", "Senior Software Engineer", "Engineering Manager", "Data Analyst",
        "Data Scientist", "Product Manager", "Sales Representative", "Account Manager",
        "Sales Manager", "Marketing Specialist", "Marketing Manager", "Accountant",
        "Financial Analyst", "HR Generalist", "Recruiter", "Customer Support Agent",
        "Operations Manager", "Office Manager", "Legal Counsel", "UX Designer",
        "Graphic Designer", "QA Engineer", "DevOps Engineer", "IT Support Specialist",
        "Project Manager", "Business Analyst", "Chief Executive Officer",
        "Chief Financial Officer", "General Manager", "Sales Support Agent", "IT Manager",
        "Staff", "Assistant Engineer", "Technique Leader", "Senior Staff", "Senior Engineer",
    )  # fmt: skip
    # (male, female, doctor) titles of courtesy per language
    courtesy = {
        "en": ("Mr.", "Ms.", "Dr."),
        "de": ("Herr", "Frau", "Dr."),
        "fr": ("M.", "Mme", "Dr"),
        "es": ("Sr.", "Sra.", "Dr."),
        "it": ("Sig.", "Sig.ra", "Dott."),
        "pt": ("Sr.", "Sra.", "Dr."),
        "nl": ("Dhr.", "Mevr.", "Dr."),
        "ja": ("様", "様", "先生"),
        "zh": ("先生", "女士", "博士"),
    }
    skills = (
        "SQL", "Python", "Negotiation", "Public speaking", "Project management", "Excel",
        "Java", "Accounting", "Copywriting", "Customer service", "Leadership", "Figma",
    )  # fmt: skip


class Education:
    """Schools and universities: courses, subjects, grades."""

    levels = ("Introduction to", "Advanced", "Foundations of", "Topics in", "Applied", "Modern")
    subjects = (
        "Biology", "Chemistry", "Physics", "Calculus", "Linear Algebra", "Statistics",
        "Computer Science", "Databases", "Economics", "Psychology", "Sociology", "Philosophy",
        "World History", "Literature", "Creative Writing", "Spanish", "French", "Art History",
        "Music Theory", "Marketing", "Accounting", "Machine Learning", "Astronomy", "Geology",
    )  # fmt: skip
    subject_codes = (
        "BIO", "CHEM", "PHYS", "MATH", "STAT", "CS", "ECON", "PSY", "SOC", "PHIL", "HIST",
        "LIT", "ENG", "ART", "MUS", "BUS",
    )  # fmt: skip
    grades = ("A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D", "F")
    semesters = ("Fall", "Spring", "Summer", "Winter")


class Logistics:
    """Shipping and warehouses: carriers, vehicles, shipment events."""

    carriers = (
        "DHL Express", "UPS", "FedEx", "USPS", "Royal Mail", "DPD", "GLS", "Hermes", "PostNL",
        "La Poste", "Correos", "Poste Italiane", "Yamato Transport", "SF Express",
        "Speedy Express", "United Package", "Federal Shipping",
    )  # fmt: skip
    vehicle_types = ("van", "truck", "semi-trailer", "cargo bike", "motorcycle", "container")
    warehouse_words = ("North", "South", "East", "West", "Central", "Harbor", "Airport")
    warehouse_kinds = ("Distribution Center", "Warehouse", "Fulfillment Center", "Depot", "Hub")
    events = (
        "label created", "picked up", "in transit", "arrived at facility", "out for delivery",
        "delivered", "delivery attempted", "held at customs", "returned to sender",
    )  # fmt: skip


class Common:
    """Small vocabularies used in every domain."""

    priorities = ("low", "medium", "high", "urgent")
    severities = ("minor", "moderate", "major", "critical")
    regions = ("Eastern", "Western", "Northern", "Southern", "Central")
    marital = ("single", "married", "divorced", "widowed")
    units = ("pcs", "kg", "g", "l", "ml", "m", "cm", "box", "pack", "pair")
    devices = ("desktop", "mobile", "tablet")
    browsers = ("Chrome", "Safari", "Firefox", "Edge", "Samsung Internet", "Opera")
    systems = ("Windows", "macOS", "iOS", "Android", "Linux", "ChromeOS")
    channels = ("web", "mobile", "email", "phone", "in_store", "partner")
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    event_kinds = (
        "Conference", "Workshop", "Meetup", "Webinar", "Summit", "Hackathon", "Festival",
        "Concert", "Exhibition", "Seminar",
    )  # fmt: skip
    team_words = (
        "Platform", "Growth", "Payments", "Search", "Mobile", "Data", "Infrastructure", "Core",
        "Identity", "Checkout", "Analytics", "Security",
    )  # fmt: skip
    tag_words = (
        "new", "sale", "featured", "popular", "limited", "gift", "bestseller", "eco",
        "premium", "clearance", "seasonal", "exclusive",
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# pools built from the vocabularies
# ---------------------------------------------------------------------------------------------


def _combine(*parts: Sequence[str], template: str = "", limit: int = 20_000) -> list[str]:
    """Every combination of the parts (shuffled with a fixed seed), at most ``limit``."""
    template = template or " ".join("{}" for _ in parts)
    combos = [template.format(*p) for p in product(*parts)]
    random.Random(_SEED).shuffle(combos)
    return combos[:limit]


def _fixed(values: Sequence[Any]) -> Callable[[], list[Any]]:
    return lambda: list(values)


def _film_titles() -> list[str]:
    m = Media
    pairs = _combine(m.title_adjectives, m.title_nouns)
    the = _combine(m.title_adjectives, m.title_nouns, template="The {} {}")
    of = _combine(m.title_nouns, m.title_nouns, template="{} of the {}")
    mixed = [v for trio in zip(pairs, the, of) for v in trio]
    return [v for v in mixed if v.split()[-1] != v.split()[0]]


def _courses() -> list[str]:
    e = Education
    return _combine(e.levels, e.subjects) + list(e.subjects)


def _blog_titles() -> list[str]:
    return _combine(Blog.openings, Blog.topics)


def _prescriptions() -> list[str]:
    return _combine(Medical.drugs, Medical.strengths)


def _warehouses() -> list[str]:
    return _combine(Logistics.warehouse_words, Logistics.warehouse_kinds)


def _teams() -> list[str]:
    return _combine(Common.team_words, ("Team", "Squad", "Guild", "Group"))


def _events() -> list[str]:
    years = tuple(str(y) for y in range(2019, 2031))
    return _combine(Blog.categories, Common.event_kinds, years, template="{} {} {}")


# pool name -> builder (no arguments: the vocabularies do not depend on the locale)
VOCABULARY_POOLS: dict[str, Callable[[], list[Any]]] = {
    "product_name": lambda: _combine(Commerce.adjectives, Commerce.materials, Commerce.nouns),
    "product_category": _fixed(Commerce.categories),
    "payment_method": _fixed(Commerce.payment_methods),
    "shipping_method": _fixed(Commerce.shipping_methods),
    "quantity_per_unit": _fixed(Commerce.units),
    "film_genre": _fixed(Media.genres),
    "music_genre": _fixed(Media.music_genres),
    "media_type": _fixed(Media.media_types),
    "media_title": _film_titles,
    "playlist": _fixed(Media.playlists),
    "film_feature": _fixed(Media.features),
    "language_name": _fixed(Media.languages),
    "blog_title": _blog_titles,
    "blog_tag": _fixed(Blog.tags),
    "blog_category": _fixed(Blog.categories),
    "diagnosis": lambda: [name for _, name in Medical.diagnoses],
    "icd10_code": lambda: [code for code, _ in Medical.diagnoses],
    "drug": _fixed(Medical.drugs),
    "prescription": _prescriptions,
    "dosage_frequency": _fixed(Medical.frequencies),
    "medical_specialty": _fixed(Medical.specialties),
    "blood_type": _fixed(Medical.blood_types),
    "allergy": _fixed(Medical.allergies),
    "transaction_type": _fixed(Finance.transaction_types),
    "transaction_description": _fixed(Finance.descriptions),
    "account_type": _fixed(Finance.account_types),
    "loan_type": _fixed(Finance.loan_types),
    "department": _fixed(People.departments),
    "job_title": _fixed(People.job_titles),
    "skill": _fixed(People.skills),
    "course": _courses,
    "subject": _fixed(Education.subjects),
    "subject_code": _fixed(Education.subject_codes),
    "grade": _fixed(Education.grades),
    "semester": _fixed(Education.semesters),
    "carrier": _fixed(Logistics.carriers),
    "vehicle_type": _fixed(Logistics.vehicle_types),
    "warehouse": _warehouses,
    "shipment_event": _fixed(Logistics.events),
    "priority": _fixed(Common.priorities),
    "severity": _fixed(Common.severities),
    "sales_region": _fixed(Common.regions),
    "marital_status": _fixed(Common.marital),
    "unit_of_measure": _fixed(Common.units),
    "device": _fixed(Common.devices),
    "browser": _fixed(Common.browsers),
    "operating_system": _fixed(Common.systems),
    "channel": _fixed(Common.channels),
    "weekday": _fixed(Common.days),
    "team": _teams,
    "event_name": _events,
    "tag": _fixed(Common.tag_words + Blog.tags),
}


def courtesy_titles(locale: str) -> tuple[str, str, str]:
    """(male, female, doctor) titles of courtesy in the locale's language."""
    return People.courtesy.get(locale.split("_")[0], People.courtesy["en"])


# ---------------------------------------------------------------------------------------------
# status columns: plausible mixes
# ---------------------------------------------------------------------------------------------

# How common a status word is among the rows of a running application: most orders are
# delivered, few are lost. Matched against the words of each legal value.
_STATUS_WORDS: tuple[tuple[float, tuple[str, ...]], ...] = (
    (6.0, (
        "active", "completed", "complete", "delivered", "paid", "shipped", "approved",
        "published", "done", "closed", "resolved", "success", "successful", "succeeded",
        "confirmed", "enabled", "verified", "available", "open", "fulfilled", "finished",
        "settled", "accepted", "posted", "in_stock", "live",
    )),
    (2.0, (
        "pending", "processing", "new", "draft", "in_progress", "progress", "scheduled",
        "waiting", "review", "queued", "created", "sent", "submitted", "partial", "reserved",
        "booked", "unpaid",
    )),
    (0.8, ("inactive", "disabled", "expired", "archived", "returned", "on_hold", "overdue")),
    (0.4, (
        "cancelled", "canceled", "failed", "refunded", "rejected", "declined", "deleted",
        "suspended", "banned", "lost", "blocked", "error", "void", "voided", "fraud",
        "chargeback", "disputed",
    )),
)  # fmt: skip
STATUS_WEIGHTS: dict[str, float] = {w: weight for weight, words in _STATUS_WORDS for w in words}


def status_weights(values: Sequence[Any]) -> list[float] | None:
    """Weights for the legal values of a status column, or None when no word is known."""
    weights = []
    known = False
    for value in values:
        text = str(value).lower().replace("-", "_").replace(" ", "_")
        weight = STATUS_WEIGHTS.get(text)
        if weight is None:
            weight = next((STATUS_WEIGHTS[w] for w in text.split("_") if w in STATUS_WEIGHTS), None)
        known = known or weight is not None
        weights.append(weight if weight is not None else 1.0)
    return normalised(weights) if known else None


def normalised(weights: Sequence[float]) -> list[float]:
    """Weights as shares that add up to 1, rounded for display."""
    total = sum(weights) or 1.0
    return [round(w / total, 3) for w in weights]
