"""A seedable corpus of news-like conflict articles whose cast grows as real coverage does.

Every person and organisation slot in an article is filled the way Simon's model of word frequencies
works: with a small probability by someone never seen before, otherwise by someone already in the story,
chosen in proportion to how often they appeared. A few actors end up in thousands of articles, most in one
or two, and new names keep appearing however large the corpus (about one new actor per article). People
get names from pools of given names and of real and syllable-built surnames, so names do not run out.
Publication dates are spread over six years; each article carries dated events and statements by many
speakers ("X said", quotations, "according to X").

The corpus is a prefix: the first 100 articles of a 1,000-article corpus are the 100-article corpus.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

FIRST_YEAR, LAST_YEAR = 2019, 2024
NEW_PERSON = 0.12  # chance that a person slot is filled by someone new
NEW_ORGANISATION = 0.06


def _words(text: str) -> list[str]:
    return text.split()


GIVEN = _words("""Khalid Omar Yusuf Ali Hassan Ibrahim Tariq Samir Nabil Walid Karim Adel Fathi Mustafa Salah
Hamid Anwar Jamal Rashid Ziad Faisal Mahmoud Bashir Idris Osman Suleiman Musa Abdullah Amina Fatima Leila
Mariam Nadia Huda Samira Rania Zainab Aisha Hana Salma Igor Dmitry Viktor Pavel Oleg Nikolai Andrei Boris
Mikhail Sergei Yuri Alexei Anatoly Irina Olga Tatiana Elena Natalia Svetlana Marina Pierre Jean Philippe
Olivier Antoine Laurent Claire Sophie Isabelle Camille Hélène Giovanni Marco Luca Paolo Giulia Francesca
James John Robert Michael David Richard Thomas Sarah Emily Laura Rachel Hannah Catherine Mehmet Ahmet
Mustafa Emre Kemal Ayşe Zeynep Elif Moussa Amadou Ousmane Mamadou Seydou Boubacar Aminata Fatoumata Kwame
Kofi Yaw Abena Chinedu Emeka Ngozi Tunde Bola Juma Baraka Wanjiru Abiy Lemma Tesfaye Meles Almaz Hiwot
Getachew Berhanu Ahmad Hamid Farid Gul Rahim Karzai Nasrin Shirin Parisa Reza Ali Javad Hossein Mohsen
Ravi Arjun Priya Anil Sunil Kavita Wei Jun Lei Ming Hui Min Jae Hyun Seo Daniel Gabriel Lucas Mateo Sofia
Valentina Carlos Diego Alejandro Luis Ana Lucia""")
SURNAMES = _words("""Mansour Haddad Qasimi Barghouti Zawawi Obeidi Senussi Warfalli Tarhouni Misrati Zintani
Gharyani Fezzani Kikhia Jadallah Volkov Sokolov Lebedev Kozlov Novikov Morozov Pavlov Orlov Belov Gusev
Titov Dubois Lefebvre Moreau Girard Fontaine Rossi Bianchi Romano Colombo Ricci Marino Smith Johnson
Williams Brown Miller Davis Wilson Anderson Taylor Moore Yilmaz Kaya Demir Sahin Celik Ozturk Traore Diallo
Keita Coulibaly Toure Sangare Diarra Mensah Owusu Boateng Okafor Adeyemi Balogun Kamau Otieno Mwangi
Tesfaye Gebremedhin Haile Abebe Wolde Rahimi Ahmadi Karimi Hosseini Sharma Gupta Patel Wang Zhang Chen Liu
Kim Park Lee Garcia Martinez Lopez Gonzalez Fernandez""")
_ONSETS = _words("b d f g h j k l m n r s t v z kh sh ch br dr gr kr tr")
_VOWELS = _words("a e i o u a a o")
_CODAS = ["", "", "", "n", "r", "l", "m", "s", "t", "k"]
_ENDINGS = _words("ov ova ev ski enko ani i ou ema ando ez ian uddin allah ade ine elli")

ORG_ADJECTIVES = _words("""Northern Southern Eastern Western Central Coastal Popular National Revolutionary
Free United Patriotic Islamic Democratic Independent Sovereign Unified Liberation Republican""")
ORG_NOUNS = _words("""Shield Dawn Lions Falcons Guard Front Alliance Council Movement Forces Army Brigade
Battalion Resistance Coalition Union League Command""")
ORG_KINDS = _words("Brigade Forces Army Front Movement Council Alliance Battalion Coalition Militia")
COMPANY_KINDS = ["Logistics", "Security", "Holdings", "Petroleum", "Mining", "Group", "Contractors"]
INSTITUTE_FIELDS = _words("""Strategic Security Conflict Peace Policy Defence International Regional
Development Humanitarian Democracy""")
INSTITUTE_KINDS = [
    "Institute for {} Studies",
    "Centre for {} Research",
    "{} Policy Forum",
    "Council on {} Affairs",
]
PLACES = _words("""Tripoli Benghazi Misrata Sirte Derna Sabha Tobruk Zawiya Gharyan Ajdabiya Khartoum Omdurman
El-Fasher Nyala Geneina Kadugli Juba Malakal Bentiu Goma Bukavu Beni Bunia Uvira Mopti Gao Timbuktu Kidal
Menaka Niamey Agadez Tillaberi Diffa Maiduguri Bama Kano Mekelle Adigrat Shire Axum Gondar Bahir Dar Aleppo
Idlib Homs Hama Raqqa Deir ez-Zor Afrin Manbij Mosul Kirkuk Erbil Fallujah Ramadi Basra Aden Sanaa Taiz
Hodeidah Marib Mukalla Kabul Kandahar Herat Kunduz Jalalabad Mazar-i-Sharif Donetsk Luhansk Mariupol
Kharkiv Kherson Zaporizhzhia Bakhmut Avdiivka Odesa Mykolaiv Bangui Bria Kaga-Bandoro Mogadishu Kismayo
Baidoa Beledweyne Garowe""")
COUNTRIES = [  # name, adjective, capital
    tuple(entry.split("/"))
    for entry in _words("""Russia/Russian/Moscow Egypt/Egyptian/Cairo Turkey/Turkish/Ankara
France/French/Paris Italy/Italian/Rome Qatar/Qatari/Doha Algeria/Algerian/Algiers Tunisia/Tunisian/Tunis
Sudan/Sudanese/Khartoum Jordan/Jordanian/Amman Ethiopia/Ethiopian/Addis-Ababa Kenya/Kenyan/Nairobi
Nigeria/Nigerian/Abuja Mali/Malian/Bamako Niger/Nigerien/Niamey Chad/Chadian/N'Djamena Ukraine/Ukrainian/Kyiv
Syria/Syrian/Damascus Iran/Iranian/Tehran Germany/German/Berlin China/Chinese/Beijing Uganda/Ugandan/Kampala
Rwanda/Rwandan/Kigali""")
]
MONTHS = _words("January February March April May June July August September October November December")
TITLES = [  # (title before the name, apposition after it): the role the text gives a person
    ("Defence Minister", "the {adj} defence minister"),
    ("Foreign Minister", "the {adj} foreign minister"),
    ("Interior Minister", "the {adj} interior minister"),
    ("Prime Minister", "the {adj} prime minister"),
    ("General", "the commander of the {org}"),
    ("Colonel", "a senior officer in the {org}"),
    ("spokesman", "the spokesman for the {org}"),
    ("spokeswoman", "the spokeswoman for the {org}"),
    ("envoy", "the UN special envoy for {country}"),
    ("analyst", "an analyst at the {institute}"),
    ("researcher", "a researcher at the {institute}"),
    ("governor", "the governor of {place}"),
    ("chairman", "the chairman of {company}"),
]
QUOTES = [
    "We will not abandon our people in {place}",
    "There can be no military solution to this conflict",
    "The attacks on {place} must stop before any talks can begin",
    "Our forces remain ready to defend {place} at any cost",
    "We call on the international community to act now",
    "This is a clear violation of the agreement signed in {capital}",
    "The {org} has shown that it cannot be trusted",
    "Civilians in {place} are paying the price for this war",
    "We are open to dialogue, but not under fire",
    "Nobody in {capital} wants another year of fighting",
    "The ceasefire is holding, for now, but it is fragile",
    "Every convoy that reaches {place} saves lives",
]
CLAUSES = [
    "the {org} would withdraw from {place} within weeks",
    "talks with the {org} had stalled over the question of prisoners",
    "more than {n} families had fled {place} since the fighting began",
    "the ceasefire around {place} had been violated {n} times",
    "{country} would not send troops but would keep supplying equipment",
    "the {org} was recruiting fighters in the villages around {place}",
    "aid deliveries to {place} had been blocked for {n} days",
    "the elections planned in {country} would be postponed",
    "drones had struck fuel depots near {place}",
    "the negotiations in {capital} could resume next month",
]
EVENTS = [
    "On {date}, fighters of the {org} attacked {place}, killing {n} people.",
    "The {org} seized control of {place} on {date} after two days of clashes.",
    "On {date}, {person} met {person2} in {capital} to discuss a ceasefire.",
    "{country} announced sanctions against the {org} on {date}.",
    "A drone strike on a market in {place} on {date} killed {n} civilians.",
    "On {date}, the {org} and the {org2} signed a truce in {capital}.",
    "{person} visited {place} on {date}, his first trip to the front line.",
    "Protesters marched through {place} on {date} to demand the release of detainees.",
]
BACKGROUND = [
    "The fighting around {place} has displaced tens of thousands of people, according to aid groups.",
    "Relations between {country} and {country2} have been strained since the border dispute.",
    "The {org} draws most of its fighters from the towns south of {place}.",
    "Diplomats in {capital} say the talks remain the only way out of the crisis.",
    "Fuel shortages have driven up the price of bread in {place}.",
    "The {org} has long accused {country} of arming its rivals.",
    "Roads between {place} and {place2} remain closed to commercial traffic.",
    "{adj} officials have kept a channel open to both sides of the conflict.",
]
HEADLINES = [
    "Fighting around {place} tests the truce",
    "{country} steps up its role in the conflict",
    "The {org} and the battle for {place}",
    "Talks in {capital} stall as clashes continue",
    "What the fall of {place} means for the region",
]


@dataclass
class Cast:
    """Everyone the corpus has named so far; ``tickets`` holds one index per appearance (Simon's model)."""

    names: list[str] = field(default_factory=list)
    tickets: list[int] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)
    by_last_word: dict[str, set[int]] = field(default_factory=dict)

    def pick(self, rng: random.Random, new_chance: float, make, avoid: set[int]) -> int:
        for _ in range(20):
            if not self.tickets or rng.random() < new_chance:
                index = self._new(rng, make)
            else:
                index = rng.choice(self.tickets)
            if index not in avoid:
                self.tickets.append(index)
                return index
        index = self._new(rng, make)
        self.tickets.append(index)
        return index

    def _new(self, rng: random.Random, make) -> int:
        name = make(rng)
        while name in self.taken:
            name = make(rng)
        self.taken.add(name)
        self.names.append(name)
        self.by_last_word.setdefault(name.split()[-1], set()).add(len(self.names) - 1)
        return len(self.names) - 1


@dataclass(frozen=True)
class Person:
    name: str
    role: str  # the apposition that introduces them: "the spokesman for the Free Lions Brigade"
    title: str  # or the title before the name: "spokesman"

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


@dataclass(frozen=True)
class Article:
    text: str
    persons: tuple[str, ...]  # planted, for checking what extraction finds
    organisations: tuple[str, ...]
    events: int
    statements: int


def _surname(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return rng.choice(SURNAMES)
    syllables = "".join(
        rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(rng.randint(1, 2))
    )
    return (syllables + rng.choice(_ENDINGS)).capitalize()


def _person_name(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} {_surname(rng)}"


def _organisation_name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.6:
        return f"{rng.choice(ORG_ADJECTIVES)} {rng.choice(ORG_NOUNS)} {rng.choice(ORG_KINDS)}"
    if roll < 0.8:
        return f"{_surname(rng)} {rng.choice(COMPANY_KINDS)}"
    return rng.choice(INSTITUTE_KINDS).format(rng.choice(INSTITUTE_FIELDS))


class Generator:
    """Articles in order; the cast carries over from one article to the next."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.people = Cast()
        self.roles: list[tuple[str, str]] = []  # per person, fixed when they first appear
        self.organisations = Cast()

    def article(self) -> Article:
        rng = self.rng
        span = (dt.date(LAST_YEAR, 12, 31) - dt.date(FIRST_YEAR, 1, 1)).days
        published = dt.date(FIRST_YEAR, 1, 1) + dt.timedelta(days=rng.randrange(span))
        orgs = [self.organisations.names[i] for i in self._picks(self.organisations, 4, NEW_ORGANISATION)]
        persons = self._persons(rng.randint(6, 10))
        (country, adj, capital), (country2, _, _) = rng.sample(COUNTRIES, 2)
        places = rng.sample(PLACES, 4)
        fill = {
            "country": country, "country2": country2, "adj": adj, "capital": capital.replace("-", " "),
            "place": places[0], "place2": places[1], "org": orgs[0], "org2": orgs[1],
        }  # fmt: skip
        days_back = sorted(rng.sample(range(1, 120), 5), reverse=True)
        plan: list[tuple[str, object]] = [("event", published - dt.timedelta(days=day)) for day in days_back]
        plan += [("background", None) for _ in range(rng.randint(2, 4))]
        background = rng.sample(BACKGROUND, len(BACKGROUND))
        plan += [("statement", person) for person in persons]
        lede = plan.pop(rng.randrange(len(days_back)))  # news opens with what happened
        rng.shuffle(plan)
        plan.insert(0, lede)
        introduced: set[str] = set()

        def who(person: Person) -> str:
            """The full name with its role the first time, the surname afterwards."""
            if person.name in introduced:
                return person.surname
            introduced.add(person.name)
            return f"{person.title} {person.name}" if rng.random() < 0.5 else f"{person.name}, {person.role},"

        paragraphs = []
        for kind, item in plan:
            place, place2 = rng.sample(places, 2)
            here = {**fill, "place": place, "place2": place2, "n": rng.randint(3, 900)}
            if kind == "event":
                template = rng.choice(EVENTS)
                first, second = rng.sample(persons, 2)
                text = template.format(
                    **here,
                    date=_date(item, published, rng),
                    person=who(first) if "{person}" in template else "",
                    person2=who(second) if "{person2}" in template else "",
                )
            elif kind == "background":
                text = " ".join(background.pop().format(**here) for _ in range(2))
            else:
                text = _statement(rng, who(item), here, published)
            paragraphs.append(text[0].upper() + text[1:])
        author = _person_name(rng)
        text = (
            f"---\ntitle: {rng.choice(HEADLINES).format(**fill)}\nauthor: {author}\n"
            f"published: {published.isoformat()}\nsource: Generated benchmark corpus\n---\nBy {author}\n\n"
            + "\n\n".join(paragraphs)
            + "\n"
        )
        named = tuple(org for org in orgs if org in text)
        return Article(text, tuple(p.name for p in persons), named, len(days_back), len(persons))

    def _persons(self, count: int) -> list[Person]:
        chosen = self._picks(self.people, count, NEW_PERSON, surname_unique=True)
        while len(self.roles) < len(self.people.names):  # a newcomer's role, with their own organisation
            title, role = self.rng.choice(TITLES)
            (country, adj, _) = self.rng.choice(COUNTRIES)
            kind = next((k for k in ("institute", "company", "org") if "{" + k + "}" in role), "org")
            role = role.format(
                adj=adj, country=country, place=self.rng.choice(PLACES), **{kind: self._org(kind)}
            )
            self.roles.append((title, role))
        return [Person(self.people.names[i], self.roles[i][1], self.roles[i][0]) for i in chosen]

    def _org(self, kind: str) -> str:
        """An organisation of this kind already in the corpus (most often a frequent one), else a new one."""
        for _ in range(20):
            name = self.organisations.names[self.rng.choice(self.organisations.tickets)]
            if _kind(name) == kind:
                return name
        while _kind(name := _organisation_name(self.rng)) != kind:
            pass
        return name

    def _picks(self, cast: Cast, count: int, new_chance: float, surname_unique: bool = False) -> list[int]:
        chosen: list[int] = []
        avoid: set[int] = set()
        make = _person_name if surname_unique else _organisation_name
        for _ in range(count):
            index = cast.pick(self.rng, new_chance, make, avoid)
            chosen.append(index)
            avoid.add(index)
            if surname_unique:  # two people with one surname in an article would be one to a reader
                avoid |= cast.by_last_word[cast.names[index].split()[-1]]
        return chosen


def _kind(organisation: str) -> str:
    if organisation.split()[-1] in COMPANY_KINDS:
        return "company"
    return (
        "institute"
        if any(word in organisation for word in ("Studies", "Research", "Policy", "Affairs"))
        else "org"
    )


def _date(when: dt.date, published: dt.date, rng: random.Random) -> str:
    """ "12 March 2021", or "12 March" when it is the publication's year, as news writes them."""
    day_month = f"{when.day} {MONTHS[when.month - 1]}"
    if when.year != published.year or rng.random() < 0.3:
        return f"{day_month} {when.year}"
    return day_month


def _statement(rng: random.Random, speaker: str, fill: dict[str, object], published: dt.date) -> str:
    quote = rng.choice(QUOTES).format(**fill)
    clause = rng.choice(CLAUSES).format(**fill)
    when = _date(published - dt.timedelta(days=rng.randint(0, 6)), published, rng)
    form = rng.randrange(5)
    if form == 0:
        return f"“{quote},” said {speaker.rstrip(',')}."
    if form == 1:
        return f"{speaker} said on {when} that {clause}."
    if form == 2:
        return f"According to {speaker.rstrip(',')}, {clause}."
    if form == 3:
        return f"“{quote}.” {speaker} told reporters on {when}."
    return f"{speaker} told reporters that {clause}."


def generate(count: int, seed: int = 1) -> list[Article]:
    generator = Generator(seed)
    return [generator.article() for _ in range(count)]


def write_corpus(folder: Path, count: int, seed: int = 1) -> list[Path]:
    """``count`` articles as ``generated-NNNNN.txt`` files in ``folder``."""
    generator = Generator(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"generated-{number:05d}.txt"
        path.write_text(generator.article().text, encoding="utf-8")
        paths.append(path)
    return paths
