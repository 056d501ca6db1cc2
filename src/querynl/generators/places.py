"""One place per row: street, city, state, postal code, country and coordinates that agree.

Every ``place`` column of a row reads the same drawn place. For the locales below the places
come from a small gazetteer of real cities (name, region, the shape of their postal codes and
their coordinates), so a row's postal code, state and coordinates belong to its city and its
country; other locales fall back to Faker's real place names and coordinates.

Sources: city coordinates (rounded to four decimals) and postal-code prefixes are public
geographic facts (national postal services' code ranges).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from . import register
from .base import BatchContext, Generator, Params, code_width, cut, derive_seed, fit_unique


@dataclass(frozen=True)
class Country:
    name: str  # in the locale's own language
    code: str  # ISO 3166-1 alpha-2
    code3: str  # alpha-3
    # (city, region, region code, postal code pattern, latitude, longitude);
    # pattern: '#' a digit, '?' a capital letter, anything else as written
    cities: tuple[tuple[str, str, str, str, float, float], ...]


GAZETTEER: dict[str, Country] = {
    "US": Country("United States", "US", "USA", (
        ("New York", "New York", "NY", "100##", 40.7128, -74.0060),
        ("Los Angeles", "California", "CA", "900##", 34.0522, -118.2437),
        ("Chicago", "Illinois", "IL", "606##", 41.8781, -87.6298),
        ("Houston", "Texas", "TX", "770##", 29.7604, -95.3698),
        ("Phoenix", "Arizona", "AZ", "850##", 33.4484, -112.0740),
        ("Philadelphia", "Pennsylvania", "PA", "191##", 39.9526, -75.1652),
        ("San Antonio", "Texas", "TX", "782##", 29.4241, -98.4936),
        ("San Diego", "California", "CA", "921##", 32.7157, -117.1611),
        ("Dallas", "Texas", "TX", "752##", 32.7767, -96.7970),
        ("San Jose", "California", "CA", "951##", 37.3382, -121.8863),
        ("Austin", "Texas", "TX", "787##", 30.2672, -97.7431),
        ("Seattle", "Washington", "WA", "981##", 47.6062, -122.3321),
        ("Denver", "Colorado", "CO", "802##", 39.7392, -104.9903),
        ("Boston", "Massachusetts", "MA", "021##", 42.3601, -71.0589),
        ("Miami", "Florida", "FL", "331##", 25.7617, -80.1918),
        ("Atlanta", "Georgia", "GA", "303##", 33.7490, -84.3880),
        ("Portland", "Oregon", "OR", "972##", 45.5152, -122.6784),
        ("Minneapolis", "Minnesota", "MN", "554##", 44.9778, -93.2650),
        ("Nashville", "Tennessee", "TN", "372##", 36.1627, -86.7816),
        ("Columbus", "Ohio", "OH", "432##", 39.9612, -82.9988),
    )),
    "GB": Country("United Kingdom", "GB", "GBR", (
        ("London", "Greater London", "LND", "SW# #??", 51.5074, -0.1278),
        ("Manchester", "Greater Manchester", "MAN", "M# #??", 53.4808, -2.2426),
        ("Birmingham", "West Midlands", "BIR", "B# #??", 52.4862, -1.8904),
        ("Leeds", "West Yorkshire", "LDS", "LS# #??", 53.8008, -1.5491),
        ("Glasgow", "Glasgow City", "GLG", "G# #??", 55.8642, -4.2518),
        ("Liverpool", "Merseyside", "LIV", "L# #??", 53.4084, -2.9916),
        ("Bristol", "Bristol", "BST", "BS# #??", 51.4545, -2.5879),
        ("Edinburgh", "City of Edinburgh", "EDH", "EH# #??", 55.9533, -3.1883),
        ("Sheffield", "South Yorkshire", "SHF", "S# #??", 53.3811, -1.4701),
        ("Cardiff", "Cardiff", "CRF", "CF## #??", 51.4816, -3.1791),
        ("Newcastle upon Tyne", "Tyne and Wear", "NET", "NE# #??", 54.9783, -1.6178),
        ("Nottingham", "Nottinghamshire", "NGM", "NG# #??", 52.9548, -1.1581),
        ("Oxford", "Oxfordshire", "OXF", "OX# #??", 51.7520, -1.2577),
        ("Cambridge", "Cambridgeshire", "CAM", "CB# #??", 52.2053, 0.1218),
        ("Belfast", "County Antrim", "BFS", "BT# #??", 54.5973, -5.9301),
    )),
    "DE": Country("Deutschland", "DE", "DEU", (
        ("Berlin", "Berlin", "BE", "10###", 52.5200, 13.4050),
        ("Hamburg", "Hamburg", "HH", "20###", 53.5511, 9.9937),
        ("München", "Bayern", "BY", "80###", 48.1351, 11.5820),
        ("Köln", "Nordrhein-Westfalen", "NW", "50###", 50.9375, 6.9603),
        ("Frankfurt am Main", "Hessen", "HE", "60###", 50.1109, 8.6821),
        ("Stuttgart", "Baden-Württemberg", "BW", "70###", 48.7758, 9.1829),
        ("Düsseldorf", "Nordrhein-Westfalen", "NW", "40###", 51.2277, 6.7735),
        ("Leipzig", "Sachsen", "SN", "04###", 51.3397, 12.3731),
        ("Dortmund", "Nordrhein-Westfalen", "NW", "44###", 51.5136, 7.4653),
        ("Essen", "Nordrhein-Westfalen", "NW", "45###", 51.4556, 7.0116),
        ("Bremen", "Bremen", "HB", "28###", 53.0793, 8.8017),
        ("Dresden", "Sachsen", "SN", "01###", 51.0504, 13.7373),
        ("Hannover", "Niedersachsen", "NI", "30###", 52.3759, 9.7320),
        ("Nürnberg", "Bayern", "BY", "90###", 49.4521, 11.0767),
        ("Freiburg im Breisgau", "Baden-Württemberg", "BW", "79###", 47.9990, 7.8421),
        ("Mainz", "Rheinland-Pfalz", "RP", "55###", 49.9929, 8.2473),
        ("Kiel", "Schleswig-Holstein", "SH", "24###", 54.3233, 10.1228),
        ("Erfurt", "Thüringen", "TH", "99###", 50.9848, 11.0299),
    )),
    "FR": Country("France", "FR", "FRA", (
        ("Paris", "Île-de-France", "IDF", "750##", 48.8566, 2.3522),
        ("Marseille", "Provence-Alpes-Côte d'Azur", "PAC", "130##", 43.2965, 5.3698),
        ("Lyon", "Auvergne-Rhône-Alpes", "ARA", "6900#", 45.7640, 4.8357),
        ("Toulouse", "Occitanie", "OCC", "310##", 43.6047, 1.4442),
        ("Nice", "Provence-Alpes-Côte d'Azur", "PAC", "060##", 43.7102, 7.2620),
        ("Nantes", "Pays de la Loire", "PDL", "440##", 47.2184, -1.5536),
        ("Strasbourg", "Grand Est", "GES", "670##", 48.5734, 7.7521),
        ("Montpellier", "Occitanie", "OCC", "340##", 43.6108, 3.8767),
        ("Bordeaux", "Nouvelle-Aquitaine", "NAQ", "330##", 44.8378, -0.5792),
        ("Lille", "Hauts-de-France", "HDF", "590##", 50.6292, 3.0573),
        ("Rennes", "Bretagne", "BRE", "350##", 48.1173, -1.6778),
        ("Reims", "Grand Est", "GES", "511##", 49.2583, 4.0317),
        ("Dijon", "Bourgogne-Franche-Comté", "BFC", "210##", 47.3220, 5.0415),
        ("Grenoble", "Auvergne-Rhône-Alpes", "ARA", "380##", 45.1885, 5.7245),
        ("Rouen", "Normandie", "NOR", "760##", 49.4432, 1.0999),
    )),
    "ES": Country("España", "ES", "ESP", (
        ("Madrid", "Comunidad de Madrid", "MD", "280##", 40.4168, -3.7038),
        ("Barcelona", "Cataluña", "CT", "080##", 41.3874, 2.1686),
        ("Valencia", "Comunidad Valenciana", "VC", "460##", 39.4699, -0.3763),
        ("Sevilla", "Andalucía", "AN", "410##", 37.3891, -5.9845),
        ("Zaragoza", "Aragón", "AR", "500##", 41.6488, -0.8891),
        ("Málaga", "Andalucía", "AN", "290##", 36.7213, -4.4214),
        ("Murcia", "Región de Murcia", "MC", "300##", 37.9922, -1.1307),
        ("Palma", "Islas Baleares", "IB", "070##", 39.5696, 2.6502),
        ("Bilbao", "País Vasco", "PV", "480##", 43.2630, -2.9350),
        ("Alicante", "Comunidad Valenciana", "VC", "030##", 38.3452, -0.4810),
        ("Córdoba", "Andalucía", "AN", "140##", 37.8882, -4.7794),
        ("Valladolid", "Castilla y León", "CL", "470##", 41.6523, -4.7245),
        ("Vigo", "Galicia", "GA", "362##", 42.2406, -8.7207),
        ("Granada", "Andalucía", "AN", "180##", 37.1773, -3.5986),
        ("Las Palmas de Gran Canaria", "Canarias", "CN", "350##", 28.1235, -15.4363),
    )),
    "IT": Country("Italia", "IT", "ITA", (
        ("Roma", "Lazio", "RM", "001##", 41.9028, 12.4964),
        ("Milano", "Lombardia", "MI", "201##", 45.4642, 9.1900),
        ("Napoli", "Campania", "NA", "801##", 40.8518, 14.2681),
        ("Torino", "Piemonte", "TO", "101##", 45.0703, 7.6869),
        ("Palermo", "Sicilia", "PA", "901##", 38.1157, 13.3615),
        ("Genova", "Liguria", "GE", "161##", 44.4056, 8.9463),
        ("Bologna", "Emilia-Romagna", "BO", "401##", 44.4949, 11.3426),
        ("Firenze", "Toscana", "FI", "501##", 43.7696, 11.2558),
        ("Bari", "Puglia", "BA", "701##", 41.1171, 16.8719),
        ("Catania", "Sicilia", "CT", "951##", 37.5079, 15.0830),
        ("Venezia", "Veneto", "VE", "301##", 45.4408, 12.3155),
        ("Verona", "Veneto", "VR", "371##", 45.4384, 10.9916),
        ("Padova", "Veneto", "PD", "351##", 45.4064, 11.8768),
        ("Trieste", "Friuli-Venezia Giulia", "TS", "341##", 45.6495, 13.7768),
        ("Cagliari", "Sardegna", "CA", "091##", 39.2238, 9.1217),
    )),
    "BR": Country("Brasil", "BR", "BRA", (
        ("São Paulo", "São Paulo", "SP", "01###-###", -23.5505, -46.6333),
        ("Rio de Janeiro", "Rio de Janeiro", "RJ", "20###-###", -22.9068, -43.1729),
        ("Brasília", "Distrito Federal", "DF", "70###-###", -15.7939, -47.8828),
        ("Salvador", "Bahia", "BA", "40###-###", -12.9777, -38.5016),
        ("Fortaleza", "Ceará", "CE", "60###-###", -3.7319, -38.5267),
        ("Belo Horizonte", "Minas Gerais", "MG", "30###-###", -19.9167, -43.9345),
        ("Manaus", "Amazonas", "AM", "69###-###", -3.1190, -60.0217),
        ("Curitiba", "Paraná", "PR", "80###-###", -25.4284, -49.2733),
        ("Recife", "Pernambuco", "PE", "50###-###", -8.0476, -34.8770),
        ("Porto Alegre", "Rio Grande do Sul", "RS", "90###-###", -30.0346, -51.2177),
        ("Belém", "Pará", "PA", "66###-###", -1.4558, -48.4902),
        ("Goiânia", "Goiás", "GO", "74###-###", -16.6869, -49.2648),
        ("Florianópolis", "Santa Catarina", "SC", "88###-###", -27.5954, -48.5480),
    )),
    "NL": Country("Nederland", "NL", "NLD", (
        ("Amsterdam", "Noord-Holland", "NH", "10## ??", 52.3676, 4.9041),
        ("Rotterdam", "Zuid-Holland", "ZH", "30## ??", 51.9244, 4.4777),
        ("Den Haag", "Zuid-Holland", "ZH", "25## ??", 52.0705, 4.3007),
        ("Utrecht", "Utrecht", "UT", "35## ??", 52.0907, 5.1214),
        ("Eindhoven", "Noord-Brabant", "NB", "56## ??", 51.4416, 5.4697),
        ("Groningen", "Groningen", "GR", "97## ??", 53.2194, 6.5665),
        ("Tilburg", "Noord-Brabant", "NB", "50## ??", 51.5555, 5.0913),
        ("Almere", "Flevoland", "FL", "13## ??", 52.3508, 5.2647),
        ("Breda", "Noord-Brabant", "NB", "48## ??", 51.5719, 4.7683),
        ("Nijmegen", "Gelderland", "GE", "65## ??", 51.8126, 5.8372),
        ("Haarlem", "Noord-Holland", "NH", "20## ??", 52.3874, 4.6462),
        ("Arnhem", "Gelderland", "GE", "68## ??", 51.9851, 5.8987),
        ("Maastricht", "Limburg", "LI", "62## ??", 50.8514, 5.6910),
        ("Leiden", "Zuid-Holland", "ZH", "23## ??", 52.1601, 4.4970),
        ("Zwolle", "Overijssel", "OV", "80## ??", 52.5168, 6.0830),
    )),
    "JP": Country("日本", "JP", "JPN", (
        ("新宿区", "東京都", "13", "160-####", 35.6938, 139.7034),
        ("渋谷区", "東京都", "13", "150-####", 35.6640, 139.6982),
        ("横浜市", "神奈川県", "14", "220-####", 35.4437, 139.6380),
        ("大阪市", "大阪府", "27", "530-####", 34.6937, 135.5023),
        ("名古屋市", "愛知県", "23", "450-####", 35.1815, 136.9066),
        ("札幌市", "北海道", "01", "060-####", 43.0618, 141.3545),
        ("福岡市", "福岡県", "40", "810-####", 33.5904, 130.4017),
        ("神戸市", "兵庫県", "28", "650-####", 34.6901, 135.1955),
        ("京都市", "京都府", "26", "600-####", 35.0116, 135.7681),
        ("川崎市", "神奈川県", "14", "210-####", 35.5308, 139.7030),
        ("さいたま市", "埼玉県", "11", "330-####", 35.8617, 139.6455),
        ("広島市", "広島県", "34", "730-####", 34.3853, 132.4553),
        ("仙台市", "宮城県", "04", "980-####", 38.2682, 140.8694),
        ("千葉市", "千葉県", "12", "260-####", 35.6074, 140.1065),
        ("那覇市", "沖縄県", "47", "900-####", 26.2124, 127.6809),
    )),
    "CN": Country("中国", "CN", "CHN", (
        ("北京市", "北京市", "BJ", "100###", 39.9042, 116.4074),
        ("上海市", "上海市", "SH", "200###", 31.2304, 121.4737),
        ("广州市", "广东省", "GD", "510###", 23.1291, 113.2644),
        ("深圳市", "广东省", "GD", "518###", 22.5431, 114.0579),
        ("成都市", "四川省", "SC", "610###", 30.5728, 104.0668),
        ("杭州市", "浙江省", "ZJ", "310###", 30.2741, 120.1551),
        ("武汉市", "湖北省", "HB", "430###", 30.5928, 114.3055),
        ("西安市", "陕西省", "SN", "710###", 34.3416, 108.9398),
        ("南京市", "江苏省", "JS", "210###", 32.0603, 118.7969),
        ("重庆市", "重庆市", "CQ", "400###", 29.5630, 106.5516),
        ("天津市", "天津市", "TJ", "300###", 39.3434, 117.3616),
        ("苏州市", "江苏省", "JS", "215###", 31.2990, 120.5853),
        ("长沙市", "湖南省", "HN", "410###", 28.2282, 112.9388),
        ("沈阳市", "辽宁省", "LN", "110###", 41.8057, 123.4315),
        ("青岛市", "山东省", "SD", "266###", 36.0671, 120.3826),
    )),
}  # fmt: skip

PARTS = (
    "street",
    "city",
    "state",
    "state_code",
    "postcode",
    "country",
    "country_code",
    "country_code3",
    "lat",
    "lng",
    "full_address",
)
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in postal codes (no C I K M O V)


def pattern_filler(pattern: str) -> Any:
    """A fast ``fill_pattern`` for one pattern: '10###' becomes a prefix and zero-padding."""
    stem = pattern.rstrip("#")
    width = len(pattern) - len(stem)
    if width and not any(c in "#?" for c in stem):
        modulus = 10**width
        return lambda number: f"{stem}{number % modulus:0{width}d}"
    return lambda number: fill_pattern(pattern, number)


def fill_pattern(pattern: str, number: int) -> str:
    """'10###' with 4711 -> '10711': '#' takes digits and '?' letters of ``number``."""
    out = []
    for ch in reversed(pattern):
        if ch == "#":
            number, r = divmod(number, 10)
            out.append("0123456789"[r])
        elif ch == "?":
            number, r = divmod(number, len(_LETTERS))
            out.append(_LETTERS[r])
        else:
            out.append(ch)
    return "".join(reversed(out))


class PlaceModel:
    """The places of one locale: the gazetteer's cities, or Faker's real places."""

    def __init__(self, gen: Generator) -> None:
        locale = gen.env.locale
        code = locale.split("_")[-1].upper() if "_" in locale else "US"
        country = GAZETTEER.get(code)
        self.streets = gen.env.pools.get("street_address")
        if country is not None:
            self.country = country
            self.cities = list(country.cities)
        else:
            self.country, self.cities = _faker_places(locale, code)
        self.streets = [s for s in self.streets if "\n" not in s] or ["1 Main Street"]
        self.fillers = [pattern_filler(city[3]) for city in self.cities]

    def draw(self, ctx: BatchContext) -> dict[str, list[Any]]:
        r = ctx.rng("place").random
        n, ns, count = len(self.cities), len(self.streets), ctx.n
        # big cities get more rows than small ones (the gazetteer lists the biggest first)
        city = [int(n * r() ** 1.6) for _ in range(count)]
        return {
            "city": city,
            "street": [int(r() * ns) for _ in range(count)],
            "number": [int(r() * 10**9) for _ in range(count)],
            "dlat": [(r() - 0.5) * 0.08 for _ in range(count)],
            "dlng": [(r() - 0.5) * 0.08 for _ in range(count)],
        }


def _faker_places(locale: str, code: str) -> tuple[Country, list[Any]]:
    """Real place names and coordinates from Faker for locales outside the gazetteer."""
    from .pools import faker_for

    fake = faker_for(locale)
    fake.seed_instance(derive_seed("places", locale) % 2**32)
    cities = []
    for _ in range(60):
        try:
            lat, lng, city, _cc, _tz = fake.local_latlng(country_code=code)
        except Exception:  # noqa: BLE001 - a locale without coordinates
            lat, lng, city = fake.latitude(), fake.longitude(), fake.city()
        region = getattr(fake, "administrative_unit", None) or getattr(fake, "state", None)
        state = region() if region else ""
        postcode = "".join("#" if c.isdigit() else c for c in fake.postcode())
        cities.append((city, state, state[:2].upper(), postcode, float(lat), float(lng)))
    return Country(code, code, code, tuple(cities)), cities


class PlaceParams(Params):
    part: Literal[
        "street",
        "city",
        "state",
        "state_code",
        "postcode",
        "country",
        "country_code",
        "country_code3",
        "lat",
        "lng",
        "full_address",
    ]


@register
class Place(Generator):
    name = "place"
    summary = "one part of the row's place: street, city, state, postcode, country, lat, lng"
    Params = PlaceParams
    kinds = ("string", "text", "decimal", "float", "unknown")
    natively_unique = True

    def setup(self) -> None:
        models = self.env.shared.setdefault("place_models", {})
        if self.env.locale not in models:
            models[self.env.locale] = PlaceModel(self)
        self.model: PlaceModel = models[self.env.locale]
        self.width = code_width(self.rows)

    def generate(self, ctx: BatchContext) -> list[Any]:
        p = ctx.entity("place", self.model.draw)
        part = self.params.part
        if part in ("lat", "lng"):
            return self._coordinates(p, part)
        values = self._texts(p, part)
        if self.unique:
            values = [f"{v} {i + 1}" for i, v in enumerate(values, ctx.start)]
            return fit_unique(values, ctx.start, self.column.type.length, self.width)
        return cut(values, self.column.type.length)

    def _texts(self, p: dict[str, list[Any]], part: str) -> list[str]:
        cities, country = self.model.cities, self.model.country
        if part == "street":
            streets = self.model.streets
            return [streets[i] for i in p["street"]]
        fillers = self.model.fillers
        if part == "postcode":
            return [fillers[c](k) for c, k in zip(p["city"], p["number"])]
        if part == "full_address":
            streets = self.model.streets
            return [
                f"{streets[s]}, {fillers[c](k)} {cities[c][0]}"
                for s, c, k in zip(p["street"], p["city"], p["number"])
            ]
        fixed = {"country": country.name, "country_code": country.code}
        if part in fixed:
            return [fixed[part]] * len(p["city"])
        if part == "country_code3":
            return [country.code3] * len(p["city"])
        index = {"city": 0, "state": 1, "state_code": 2}[part]
        return [cities[c][index] for c in p["city"]]

    def _coordinates(self, p: dict[str, list[Any]], part: str) -> list[Any]:
        cities = self.model.cities
        k, jitter = (4, p["dlat"]) if part == "lat" else (5, p["dlng"])
        values = [cities[c][k] + d for c, d in zip(p["city"], jitter)]
        kind, scale = self.column.type.kind, self.column.type.scale
        if kind == "float":
            return [round(v, 6) for v in values]
        digits = scale if scale is not None else 6
        texts = [f"{v:.{digits}f}" for v in values]
        return texts if kind in ("string", "text") else [Decimal(t) for t in texts]
