"""Countries and named groups of countries, defined once for every guide.

Guides name where they apply with ISO 3166-1 alpha-2 codes ("DE", "US") or a
group below ("EU", "EEA", "UK"). The app asks the user for one country code and
uses `applies` to decide which guides and steps are for them.

People do not type codes: they type "USA", "England", "Deutschland" or
"Österreich". `find_country` and `search` accept the English name, common
names and abbreviations, and each country's own name for itself, matched
without accents or case; `country_phrase` puts "the" where English needs it
("You live in the United States").
"""

from __future__ import annotations

import functools
import unicodedata

from walkthrough.safe_text import visible

COUNTRIES: dict[str, str] = {
    "AD": "Andorra", "AE": "United Arab Emirates", "AF": "Afghanistan",
    "AG": "Antigua and Barbuda", "AI": "Anguilla", "AL": "Albania", "AM": "Armenia",
    "AO": "Angola", "AQ": "Antarctica", "AR": "Argentina", "AS": "American Samoa",
    "AT": "Austria", "AU": "Australia", "AW": "Aruba", "AX": "Åland Islands",
    "AZ": "Azerbaijan", "BA": "Bosnia and Herzegovina", "BB": "Barbados",
    "BD": "Bangladesh", "BE": "Belgium", "BF": "Burkina Faso", "BG": "Bulgaria",
    "BH": "Bahrain", "BI": "Burundi", "BJ": "Benin", "BL": "Saint Barthélemy",
    "BM": "Bermuda", "BN": "Brunei", "BO": "Bolivia", "BQ": "Caribbean Netherlands",
    "BR": "Brazil", "BS": "Bahamas", "BT": "Bhutan", "BV": "Bouvet Island",
    "BW": "Botswana", "BY": "Belarus", "BZ": "Belize", "CA": "Canada",
    "CC": "Cocos (Keeling) Islands", "CD": "Congo (Democratic Republic)",
    "CF": "Central African Republic", "CG": "Congo", "CH": "Switzerland",
    "CI": "Côte d'Ivoire", "CK": "Cook Islands", "CL": "Chile", "CM": "Cameroon",
    "CN": "China", "CO": "Colombia", "CR": "Costa Rica", "CU": "Cuba",
    "CV": "Cabo Verde", "CW": "Curaçao", "CX": "Christmas Island", "CY": "Cyprus",
    "CZ": "Czechia", "DE": "Germany", "DJ": "Djibouti", "DK": "Denmark",
    "DM": "Dominica", "DO": "Dominican Republic", "DZ": "Algeria", "EC": "Ecuador",
    "EE": "Estonia", "EG": "Egypt", "EH": "Western Sahara", "ER": "Eritrea",
    "ES": "Spain", "ET": "Ethiopia", "FI": "Finland", "FJ": "Fiji",
    "FK": "Falkland Islands", "FM": "Micronesia", "FO": "Faroe Islands",
    "FR": "France", "GA": "Gabon", "GB": "United Kingdom", "GD": "Grenada",
    "GE": "Georgia", "GF": "French Guiana", "GG": "Guernsey", "GH": "Ghana",
    "GI": "Gibraltar", "GL": "Greenland", "GM": "Gambia", "GN": "Guinea",
    "GP": "Guadeloupe", "GQ": "Equatorial Guinea", "GR": "Greece",
    "GS": "South Georgia and the South Sandwich Islands", "GT": "Guatemala",
    "GU": "Guam", "GW": "Guinea-Bissau", "GY": "Guyana", "HK": "Hong Kong",
    "HM": "Heard Island and McDonald Islands", "HN": "Honduras", "HR": "Croatia",
    "HT": "Haiti", "HU": "Hungary", "ID": "Indonesia", "IE": "Ireland",
    "IL": "Israel", "IM": "Isle of Man", "IN": "India",
    "IO": "British Indian Ocean Territory", "IQ": "Iraq", "IR": "Iran",
    "IS": "Iceland", "IT": "Italy", "JE": "Jersey", "JM": "Jamaica", "JO": "Jordan",
    "JP": "Japan", "KE": "Kenya", "KG": "Kyrgyzstan", "KH": "Cambodia",
    "KI": "Kiribati", "KM": "Comoros", "KN": "Saint Kitts and Nevis",
    "KP": "North Korea", "KR": "South Korea", "KW": "Kuwait", "KY": "Cayman Islands",
    "KZ": "Kazakhstan", "LA": "Laos", "LB": "Lebanon", "LC": "Saint Lucia",
    "LI": "Liechtenstein", "LK": "Sri Lanka", "LR": "Liberia", "LS": "Lesotho",
    "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "LY": "Libya",
    "MA": "Morocco", "MC": "Monaco", "MD": "Moldova", "ME": "Montenegro",
    "MF": "Saint Martin", "MG": "Madagascar", "MH": "Marshall Islands",
    "MK": "North Macedonia", "ML": "Mali", "MM": "Myanmar", "MN": "Mongolia",
    "MO": "Macao", "MP": "Northern Mariana Islands", "MQ": "Martinique",
    "MR": "Mauritania", "MS": "Montserrat", "MT": "Malta", "MU": "Mauritius",
    "MV": "Maldives", "MW": "Malawi", "MX": "Mexico", "MY": "Malaysia",
    "MZ": "Mozambique", "NA": "Namibia", "NC": "New Caledonia", "NE": "Niger",
    "NF": "Norfolk Island", "NG": "Nigeria", "NI": "Nicaragua", "NL": "Netherlands",
    "NO": "Norway", "NP": "Nepal", "NR": "Nauru", "NU": "Niue", "NZ": "New Zealand",
    "OM": "Oman", "PA": "Panama", "PE": "Peru", "PF": "French Polynesia",
    "PG": "Papua New Guinea", "PH": "Philippines", "PK": "Pakistan", "PL": "Poland",
    "PM": "Saint Pierre and Miquelon", "PN": "Pitcairn", "PR": "Puerto Rico",
    "PS": "Palestine", "PT": "Portugal", "PW": "Palau", "PY": "Paraguay",
    "QA": "Qatar", "RE": "Réunion", "RO": "Romania", "RS": "Serbia", "RU": "Russia",
    "RW": "Rwanda", "SA": "Saudi Arabia", "SB": "Solomon Islands", "SC": "Seychelles",
    "SD": "Sudan", "SE": "Sweden", "SG": "Singapore", "SH": "Saint Helena",
    "SI": "Slovenia", "SJ": "Svalbard and Jan Mayen", "SK": "Slovakia",
    "SL": "Sierra Leone", "SM": "San Marino", "SN": "Senegal", "SO": "Somalia",
    "SR": "Suriname", "SS": "South Sudan", "ST": "São Tomé and Príncipe",
    "SV": "El Salvador", "SX": "Sint Maarten", "SY": "Syria", "SZ": "Eswatini",
    "TC": "Turks and Caicos Islands", "TD": "Chad",
    "TF": "French Southern Territories", "TG": "Togo", "TH": "Thailand",
    "TJ": "Tajikistan", "TK": "Tokelau", "TL": "Timor-Leste", "TM": "Turkmenistan",
    "TN": "Tunisia", "TO": "Tonga", "TR": "Türkiye", "TT": "Trinidad and Tobago",
    "TV": "Tuvalu", "TW": "Taiwan", "TZ": "Tanzania", "UA": "Ukraine", "UG": "Uganda",
    "UM": "United States Minor Outlying Islands", "US": "United States",
    "UY": "Uruguay", "UZ": "Uzbekistan", "VA": "Vatican City",
    "VC": "Saint Vincent and the Grenadines", "VE": "Venezuela",
    "VG": "British Virgin Islands", "VI": "US Virgin Islands", "VN": "Vietnam",
    "VU": "Vanuatu", "WF": "Wallis and Futuna", "WS": "Samoa", "YE": "Yemen",
    "YT": "Mayotte", "ZA": "South Africa", "ZM": "Zambia", "ZW": "Zimbabwe",
}  # fmt: skip

EU = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
EEA = EU | {"IS", "LI", "NO"}

# Named groups a guide may use beside country codes. Each has a plain name
# for the screen and the countries it stands for.
GROUPS: dict[str, tuple[str, frozenset[str]]] = {
    "EU": ("the European Union", EU),
    "EEA": ("the European Economic Area (EU, Iceland, Liechtenstein, Norway)", EEA),
    "UK": ("the United Kingdom", frozenset({"GB"})),
}


def is_known(code: str) -> bool:
    return code in COUNTRIES or code in GROUPS


def expand(codes: list[str] | None) -> frozenset[str] | None:
    """The countries a list of codes stands for; None means everywhere."""
    if not codes:
        return None
    out: set[str] = set()
    for code in codes:
        out |= GROUPS[code][1] if code in GROUPS else {code}
    return frozenset(out)


def applies(codes: list[str] | None, country: str | None) -> bool:
    """Whether something limited to `codes` applies to a user in `country`.

    With no country chosen yet, everything applies: we would rather show a
    step that may not be for the user than hide one that is.
    """
    countries = expand(codes)
    return countries is None or country is None or country in countries


def describe(codes: list[str] | None, *, articles: bool = False) -> str:
    """Plain words for a region list: 'everywhere', 'EU, UK and Canada'.

    With `articles`, as it reads inside a sentence: 'the EU, the UK and the United States'.
    """
    if not codes:
        return "everywhere"
    if articles:
        names = [f"the {code}" if code in GROUPS else country_phrase(code) for code in codes]
    else:
        names = [code if code in GROUPS else COUNTRIES.get(code, code) for code in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def country_name(code: str) -> str:
    return COUNTRIES.get(code, code)


# ---- what people type ------------------------------------------------------

# Other names people use for a country: common and older names, abbreviations
# (ISO alpha-3 too), and the country's own names in its own languages and
# scripts. Every EU/EEA country, the UK, Switzerland, the US, Canada, Brazil,
# India and Australia, and every country a bundled guide names, is here; a few
# large countries besides. Accents and case do not matter (see `fold`).
ALIASES: dict[str, tuple[str, ...]] = {
    "AT": ("AUT", "Österreich", "Oesterreich"),
    "BE": ("BEL", "België", "Belgique", "Belgien"),
    "BG": ("BGR", "България", "Balgariya"),
    "HR": ("HRV", "Hrvatska"),
    "CY": ("CYP", "Κύπρος", "Kypros", "Kıbrıs", "Kibris"),
    "CZ": ("CZE", "Czech Republic", "Česko", "Česká republika"),
    "DK": ("DNK", "Danmark"),
    "EE": ("EST", "Eesti"),
    "FI": ("FIN", "Suomi"),
    "FR": ("FRA", "République française"),
    "DE": ("DEU", "Deutschland", "Bundesrepublik Deutschland", "Federal Republic of Germany"),
    "GR": ("GRC", "Ελλάδα", "Ελλάς", "Ellada", "Hellas"),
    "HU": ("HUN", "Magyarország"),
    "IE": ("IRL", "Éire", "Republic of Ireland"),
    "IT": ("ITA", "Italia"),
    "LV": ("LVA", "Latvija"),
    "LT": ("LTU", "Lietuva"),
    "LU": ("LUX", "Lëtzebuerg", "Luxemburg"),
    "MT": ("MLT",),
    "NL": ("NLD", "Nederland", "Holland", "The Netherlands"),
    "PL": ("POL", "Polska"),
    "PT": ("PRT",),
    "RO": ("ROU", "România"),
    "SK": ("SVK", "Slovensko", "Slovak Republic"),
    "SI": ("SVN", "Slovenija"),
    "ES": ("ESP", "España", "Espanya"),
    "SE": ("SWE", "Sverige"),
    "IS": ("ISL", "Ísland"),
    "LI": ("LIE",),
    "NO": ("NOR", "Norge", "Noreg"),
    "GB": (
        "UK",
        "U.K.",
        "GBR",
        "Great Britain",
        "Britain",
        "England",
        "Scotland",
        "Wales",
        "Cymru",
        "Northern Ireland",
        "United Kingdom of Great Britain and Northern Ireland",
    ),
    "CH": ("CHE", "Schweiz", "Suisse", "Svizzera", "Svizra", "Helvetia", "Confoederatio Helvetica"),
    "US": ("USA", "U.S.A.", "U.S.", "America", "United States of America", "The States"),
    "CA": ("CAN",),
    "BR": ("BRA", "Brasil"),
    "IN": ("IND", "Bharat", "भारत", "Hindustan"),
    "AU": ("AUS", "Commonwealth of Australia"),
    "NZ": ("NZL", "Aotearoa"),
    "JP": ("JPN", "日本", "Nippon", "Nihon"),
    "KR": ("KOR", "Korea", "Republic of Korea", "대한민국", "Hanguk"),
    "CN": ("CHN", "中国", "Zhongguo", "People's Republic of China"),
    "MX": ("MEX", "México"),
    "ZA": ("ZAF", "RSA"),
    "AE": ("UAE", "ARE", "Emirates"),
    "RU": ("RUS", "Россия", "Rossiya", "Russian Federation"),
    "TR": ("TUR", "Turkey", "Türkiye"),
    "UA": ("UKR", "Україна", "Ukraina"),
    "CI": ("Ivory Coast",),
    "CV": ("Cape Verde",),
    "MK": ("Macedonia",),
    "MM": ("Burma",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor",),
    "VA": ("Holy See", "The Vatican", "Vatican"),
    "KP": ("DPRK",),
}

# Names that take "the" in an English sentence: "You live in the United States".
_PHRASES: dict[str, str] = {
    "CD": "the Democratic Republic of the Congo",
    "CG": "the Republic of the Congo",
    "VA": "Vatican City",
}
_WITH_THE = frozenset("US GB NL AE PH BS GM CF DO KM MV MH SB FO FK CK AX CC VG VI TC MP KY IM UM TF BQ".split())


def fold(text: str) -> str:
    """What is compared when matching names: no accents, no case, no punctuation.

    "Österreich" and "oesterreich" stay different (we list both); "U.S.A." is
    "usa", "Côte d'Ivoire" is "cote divoire", and "the Netherlands" is "netherlands".
    """
    decomposed = unicodedata.normalize("NFKD", text)
    # Drop accents (Mn) but keep the vowel signs some scripts cannot do without (Mc).
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    kept = kept.casefold().replace("&", " and ")
    kept = "".join(ch for ch in kept if ch not in ".'’")
    words = "".join(ch if ch.isalnum() or unicodedata.category(ch).startswith("M") else " " for ch in kept).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _names(code: str) -> tuple[str, ...]:
    """The English name first, then every other name."""
    return (COUNTRIES[code], *ALIASES.get(code, ()))


@functools.cache
def _index() -> dict[str, str]:
    """Every folded name, code and alias -> its country code; built on first use, not at start-up."""
    index: dict[str, str] = {}
    for code in COUNTRIES:
        for name in (code, *_names(code)):
            index.setdefault(fold(name), code)
    return index


def find_country(text: str) -> str | None:
    """The country code for a whole name, code or alias ("usa", "Deutschland", "uk"); None if none is exact."""
    return _index().get(fold(text))


class CountryMatch:
    """One country found for what was typed. A plain class: a dataclass costs start-up time."""

    __slots__ = ("code", "exact", "name", "via")

    def __init__(self, code: str, name: str, via: str | None, exact: bool) -> None:
        self.code = code
        self.name = name  # the English name
        self.via = via  # the other name that matched, when it was not the English name or the code
        self.exact = exact  # what was typed is the whole name, code or alias, not a part of one

    @property
    def label(self) -> str:
        """How the match reads in a list: "Germany (DE)", or "Germany (DE), Deutschland"."""
        return f"{self.name} ({self.code})" + (f", {self.via}" if self.via else "")


def search(query: str) -> list[CountryMatch]:
    """Countries for what was typed, best first: exact names, then names that start with it, then the rest.

    An empty query lists every country by name.
    """
    q = fold(query)
    if not q:
        return [CountryMatch(c, COUNTRIES[c], None, False) for c in sorted(COUNTRIES, key=COUNTRIES.__getitem__)]
    best: dict[str, tuple[int, str | None]] = {}
    for code in COUNTRIES:
        candidates = [(code, None)] + [(n, None if i == 0 else n) for i, n in enumerate(_names(code))]
        for name, via in candidates:
            f = fold(name)
            if f == q:
                rank = 0
            elif f.startswith(q):
                rank = 1 if via is None else 2
            elif any(w.startswith(q) for w in f.split()):
                rank = 3 if via is None else 4
            elif len(q) >= 3 and q in f:
                rank = 5
            else:
                continue
            if name == code:
                via = None
            if code not in best or rank < best[code][0]:
                best[code] = (rank, via)
    ordered = sorted(best, key=lambda c: (best[c][0], COUNTRIES[c]))
    return [CountryMatch(c, COUNTRIES[c], best[c][1], best[c][0] == 0) for c in ordered]


def suggest(text: str, n: int = 3) -> list[str]:
    """Country codes whose names are close to a misspelling ("Germny"), for "Did you mean ...?"."""
    q = fold(text)
    if not q:
        return []
    import difflib

    index = _index()
    close = difflib.get_close_matches(q, list(index), n=n * 3, cutoff=0.6)
    return list(dict.fromkeys(index[m] for m in close))[:n]


def country_phrase(code: str) -> str:
    """The country's name as it reads in a sentence: "the United States", "the Netherlands", "Germany"."""
    if code in GROUPS:
        return GROUPS[code][0]
    if code in _PHRASES:
        return _PHRASES[code]
    name = COUNTRIES.get(code, code)
    return f"the {name}" if code in _WITH_THE else name


def no_match_words(text: str) -> str:
    """What to say when nothing matches what was typed, with the closest names if there are any."""
    close = suggest(text)
    shown = visible(text.strip())
    hint = f" Did you mean {_or([COUNTRIES[c] for c in close])}?" if close else ""
    return f"No country matches '{shown}'.{hint} Try its name in English or in its own language, or a code such as DE."


def _or(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
