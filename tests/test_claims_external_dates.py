"""Date claims on news nobody here wrote: TimeBank floors, and the patterns behind them.

The floors sit on the measured (held-out) part of TimeBank's seeded split (see
tests/eval_dates.py) and only ever rise. The sentences below were written for these tests;
none is copied from the evaluation data.
"""

from __future__ import annotations

import datetime

import pytest

import eval_dates
from factwatch.claims import extract_claims
from factwatch.extract.article import extract_article

TUE = datetime.date(2024, 11, 12)  # a Tuesday in November
MEASURE_FLOORS = {  # what the measured part scores, rounded down to 2 decimals
    "span_recall": 0.95, "value_recall": 0.89, "value_accuracy": 0.94, "precision": 1.0, "dct_read": 1.0,
}


@pytest.fixture(scope="module")
def figures():
    result = eval_dates.evaluate()
    if result is None:
        pytest.skip("../shared/external/timebank is absent")
    return result


@pytest.mark.parametrize("name", sorted(MEASURE_FLOORS))
def test_timebank_measured_part_floors(figures, name):
    assert figures["measure"][name] >= MEASURE_FLOORS[name], figures["measure"]


def _dates(text, published=TUE):
    return [(c.text, c.value) for c in extract_claims(text, published) if c.claim_type == "date"]


@pytest.mark.parametrize(
    "text, published, expected",
    [
        # Tense decides the side of publication.
        ("The festival will begin on April 7.", TUE, [("April 7", "2025-04-07")]),
        ("The road stays closed until 30 April.", TUE, [("30 April", "2025-04-30")]),
        ("Negotiations are set to resume Monday.", TUE, [("Monday", "2024-11-18")]),
        ("The strike was called off on Monday.", TUE, [("on Monday", "2024-11-11")]),
        ("The hearing will be held Friday, a clerk said.", TUE, [("Friday", "2024-11-15")]),
        ("The bridge reopened on Tuesday.", TUE, [("on Tuesday", "2024-11-12")]),
        ("Flights were cancelled due to the storm on Monday.", TUE, [("on Monday", "2024-11-11")]),
        ("The ferry is due to sail on Monday.", TUE, [("on Monday", "2024-11-18")]),
        ("The band shared its plans at its Sunday concert.", TUE, [("Sunday", "2024-11-10")]),
        ("Aides said the mayor has decided that cancelling a scheduled Dec. 15 poll is wise.", TUE,
         [("Dec. 15", "2024-12-15")]),
        ("He repeated his pledge on Monday that there would be no new taxes.", TUE, [("on Monday", "2024-11-11")]),
        ("The launch will be moved from Thursday to Saturday.", TUE,
         [("Thursday", "2024-11-14"), ("Saturday", "2024-11-16")]),
        ("The team in October revealed plans to expand the stadium.", TUE, [("October", "2024-10-01/2024-10-31")]),
        ("The fair – which will be in its tenth year in January – drew big crowds.", TUE,
         [("January", "2025-01-01/2025-01-31")]),
        ("The firm said it would publish its accounts on Thursday.", TUE, [("on Thursday", "2024-11-14")]),
        ("The firm would have published its accounts on Thursday.", TUE, [("on Thursday", "2024-11-07")]),
        ("Fares rise by 5% beginning January 1.", TUE, [("January 1", "2025-01-01")]),
        ("The board declared a dividend payable Dec. 1.", TUE, [("Dec. 1", "2024-12-01")]),
        ("The deadline was extended to Nov. 30.", TUE, [("Nov. 30", "2024-11-30")]),
        ("The council will vote on Tuesday.", TUE, [("on Tuesday", "2024-11-12")]),
        ("The derby is on May 2 at the new stadium.", TUE, [("May 2", "2025-05-02")]),
        ("A memorial service on December 2 will honour the crew.", TUE, [("December 2", "2024-12-02")]),
        ("The warehouse burned down on May 2.", TUE, [("May 2", "2024-05-02")]),
        ("The inquest was adjourned until March.", TUE, [("March", "2025-03-01/2025-03-31")]),
        ("The truce, signed in January, held for weeks.", TUE, [("January", "2024-01-01/2024-01-31")]),
        ("In August, floods swept away the old mill.", TUE, [("August", "2024-08-01/2024-08-31")]),
        # The clause's cue is read past an aside in brackets and a few words in quotes.
        ("The rebels would hold their fire from noon (0900 GMT) on Friday.", TUE, [("on Friday", "2024-11-15")]),
        ('The mayor will give a "major speech" on Thursday.', TUE, [("on Thursday", "2024-11-14")]),
        # A hyphenated -ed word is an adjective, not a past verb.
        ("The chef will cook at council-funded fairs Saturday.", TUE, [("Saturday", "2024-11-16")]),
        # "by" before a possessive names a cause, not a deadline.
        ("The village was shaken by Sunday's landslide.", TUE, [("Sunday", "2024-11-10")]),
        # The past perfect overrides "until" only when it is the clause's nearest verb.
        ("The pier had been shut until March.", TUE, [("March", "2024-03-01/2024-03-31")]),
        ("The judge had other cases and would not sit until Monday.", TUE, [("Monday", "2024-11-18")]),
        ("Staff would have to wait on Friday for their pay.", TUE, [("on Friday", "2024-11-15")]),
        ("The kidnappers had promised the crew would be freed by Nov. 8.", TUE, [("Nov. 8", "2024-11-08")]),
        # An active past verb right before "until/through" looks back; a passive one may not.
        ("Shelling continued through Sunday.", datetime.date(2024, 11, 15), [("Sunday", "2024-11-10")]),
        ("The pass remained shut until Oct. 30.", TUE, [("Oct. 30", "2024-10-30")]),
        ("The museum is expected to stay shut until Sunday.", TUE, [("Sunday", "2024-11-17")]),
        ("The match was rained off and rescheduled for Friday.", TUE, [("Friday", "2024-11-15")]),
        # A date between a determiner and a noun names an event: the verb dates something else.
        ("The coach named his squad for the December 3 final.", TUE, [("December 3", "2024-12-03")]),
        ("Fans queued early for a Nov. 2 derby.", TUE, [("Nov. 2", "2024-11-02")]),
        ("Two strikers were named for the Nov. 19 Nations League tie.", TUE, [("Nov. 19", "2024-11-19")]),
        # A past cue still takes a day one to three days after publication (a wire date's lag).
        ("The magazine's issue, dated Nov. 14, sold out.", TUE, [("Nov. 14", "2024-11-14")]),
        ("The shop closed on Nov. 30.", TUE, [("Nov. 30", "2023-11-30")]),
        # A subject pronoun after the date starts the report's content ("that" left out).
        ("The council said in a letter late on Friday it would shut the pool.", TUE,
         [("on Friday", "2024-11-08")]),
        ("On Friday they will shut the pool.", TUE, [("On Friday", "2024-11-15")]),
        # Plans: "be to", "set/planned for", and a past perfect after an opening "By".
        ("The ministers are to meet Sunday in Oslo.", TUE, [("Sunday", "2024-11-17")]),
        ("A retrial was set for Oct. 28.", datetime.date(2024, 10, 2), [("Oct. 28", "2024-10-28")]),
        ("Local polls are planned for March.", TUE, [("March", "2025-03-01/2025-03-31")]),
        ("By Friday, the floods had gone.", TUE, [("Friday", "2024-11-08")]),
        ("The new toll takes effect Jan. 1.", TUE, [("Jan. 1", "2025-01-01")]),
        ("Peace talks resume on Monday.", TUE, [("on Monday", "2024-11-18")]),
        ("Her task was to sign the lease in May.", TUE, [("May", "2024-05-01/2024-05-31")]),
        # "compared with" is a preposition; "and" + an auxiliary starts another verb phrase.
        ("The mill will post its best month in late November compared with last year.", TUE,
         [("late November", "2024-11-21/2024-11-30")]),
        ("Guards held the reporter on Sunday and would not say why.", TUE, [("on Sunday", "2024-11-10")]),
        ("Wages grew in the months from April through June.", TUE,
         [("April", "2024-04-01/2024-04-30"), ("June", "2024-06-01/2024-06-30")]),
        ("Snow is forecast to reach the hills late Thursday.", TUE, [("Thursday", "2024-11-14")]),
        ("The play closed in London last month and opens nationwide in March.", TUE,
         [("last month", "2024-10-01/2024-10-31"), ("March", "2025-03-01/2025-03-31")]),
        # "this Friday" is the Friday of publication's week, whichever side it falls.
        ("The market is shut this Friday.", TUE, [("this Friday", "2024-11-15")]),
        ("Crowds gathered this Monday.", TUE, [("this Monday", "2024-11-11")]),
        ("The panel may name them on Monday next week.", TUE, [("on Monday", "2024-11-18")]),
        ("The panel met on Thursday last week.", TUE, [("on Thursday", "2024-11-07")]),
        # A capitalised word is a name, not a verb ("the Fed" is not "fed", "United" not an -ed form).
        ("Traders expect the Fed to raise rates in December.", TUE, [("December", "2024-12-01/2024-12-31")]),
        ("The league said the club hosts Carlisle United on Nov. 30.", TUE, [("Nov. 30", "2024-11-30")]),
        # ... but the clause's first word is capitalised as a first word: it still counts.
        ("Scheduled for Friday, the count may take days.", TUE, [("Friday", "2024-11-15")]),
        ("Arrested in December, the driver awaits trial.", TUE, [("December", "2023-12-01/2023-12-31")]),
        # A participle after "being"/"been" has no tense of its own; a place name's comma ends no clause.
        ("Fares will start being reduced from the middle of December.", TUE,
         [("the middle of December", "2024-12-11/2024-12-20")]),
        ("A fair to be held in Lyon, France from Dec. 4 needs more trained helpers.", TUE, [("Dec. 4", "2024-12-04")]),
        # A relative clause between commas is an aside: the main verb decides.
        ("The fair, which opened on Nov. 2, shuts on Nov. 24 and moves to Leeds.", TUE,
         [("Nov. 2", "2024-11-02"), ("Nov. 24", "2024-11-24")]),
        # "may/might/could" before the date point ahead, unless "have" or "not" follows; after it
        # they guess about an event, not its time.
        ("The two envoys could meet on Thursday.", TUE, [("on Thursday", "2024-11-14")]),
        ("The board might decide as soon as Friday.", TUE, [("Friday", "2024-11-15")]),
        ("The crash on Sunday may be the worst in years.", TUE, [("on Sunday", "2024-11-10")]),
        ("The guard may have left on Sunday.", TUE, [("on Sunday", "2024-11-10")]),
        # The present of a timetable verb points ahead.
        ("The autumn term begins on Monday.", TUE, [("on Monday", "2024-11-18")]),
        ("The offer expires Nov. 29.", TUE, [("Nov. 29", "2024-11-29")]),
        # Months after more prepositions, as modifiers, and joined to another month.
        ("Rents have risen steadily from June.", TUE, [("June", "2024-06-01/2024-06-30")]),
        ("The ban was lifted after March.", TUE, [("March", "2024-03-01/2024-03-31")]),
        ("Officials released the September jobless figures.", TUE, [("September", "2024-09-01/2024-09-30")]),
        ("A faction staged a July uprising.", TUE, [("July", "2024-07-01/2024-07-31")]),
        ("The region's April harvest failed.", TUE, [("April", "2024-04-01/2024-04-30")]),
        ("The rains came late, slated for a January planting.", TUE, [("January", "2025-01-01/2025-01-31")]),
        ("Storms struck the coast in February and March.", TUE,
         [("February", "2024-02-01/2024-02-29"), ("March", "2024-03-01/2024-03-31")]),
        ("The season ran from October to January.", datetime.date(2024, 6, 5),
         [("October", "2023-10-01/2023-10-31"), ("January", "2024-01-01/2024-01-31")]),
        ("Output fell between April and June 2019.", TUE,
         [("April", "2019-04-01/2019-04-30"), ("June 2019", "2019-06-01/2019-06-30")]),
        ("She met Jack and May in June.", TUE, [("June", "2024-06-01/2024-06-30")]),
        ("Riots spread in April and May, 2000 people were held.", TUE,
         [("April", "2024-04-01/2024-04-30"), ("May", "2024-05-01/2024-05-31")]),
        # Months and relative periods.
        ("The exhibition runs through June.", TUE, [("June", "2025-06-01/2025-06-30")]),
        ("Bread prices rose in December.", TUE, [("December", "2023-12-01/2023-12-31")]),
        ("The mine closed in May 2010.", TUE, [("May 2010", "2010-05-01/2010-05-31")]),
        ("The mill was founded in August, 1911.", TUE, [("August, 1911", "1911-08-01/1911-08-31")]),
        ("Rallies grew in March, 2000 people marched.", TUE, [("March", "2024-03-01/2024-03-31")]),
        ("Exports fell this month.", TUE, [("this month", "2024-11-01/2024-11-30")]),
        ("Exports fell last month.", TUE, [("last month", "2024-10-01/2024-10-31")]),
        ("The ferry sank two weeks ago.", TUE, [("two weeks ago", "2024-10-29")]),
        ("The ferry sank a week or so ago.", TUE, [("a week or so ago", "2024-11-05")]),
        ("The museum reopened last April.", TUE, [("last April", "2024-04-01/2024-04-30")]),
        ("The trial opens next month.", TUE, [("next month", "2024-12-01/2024-12-31")]),
        ("The games open this September.", datetime.date(2024, 2, 13), [("this September", "2024-09-01/2024-09-30")]),
        ("The vote was held on Jan. 5 last year.", TUE, [("Jan. 5 last year", "2023-01-05")]),
        ("The talks broke down earlier this month.", TUE, [("earlier this month", "2024-11-01/2024-11-12")]),
        # A weekday with its date is one date, the year chosen so they agree.
        ("The parade took place on Saturday, May 18.", datetime.date(2024, 5, 20),
         [("Saturday, May 18", "2024-05-18")]),
        ("Tickets go on sale Friday, Dec. 6.", TUE, [("Friday, Dec. 6", "2024-12-06")]),
        ("The gallery said on Tuesday, November 19 it had closed.", datetime.date(2024, 11, 21),
         [("Tuesday, November 19", "2024-11-19")]),
        ("The fair opens on Friday, Jan. 3.", datetime.date(2024, 12, 2), [("Friday, Jan. 3", "2025-01-03")]),
        # ... but a weekday that is a slip (no nearby year agrees) does not move the date a year.
        ("Banks will shut on Monday, Dec. 1, for the holiday.", TUE, [("Monday, Dec. 1", "2024-12-01")]),
        ("Tomorrow's vote could topple the government.", TUE, [("Tomorrow", "2024-11-13")]),
        ("Shelling hit the port last night.", TUE, [("last night", "2024-11-11")]),
        ("This morning, the river burst its banks.", TUE, [("This morning", "2024-11-12")]),
    ],
)
def test_date_patterns(text, published, expected):
    assert _dates(text, published) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The mayor told NBC's Today show that the bridge was safe.",
        "The interview ran in USA Today.",
        "He appeared on the Tonight Show.",
        "The market opens every Monday at dawn.",
        "The club meets on Monday and Thursday evenings.",
        "Farmers May Face Drought Early May Brings Rain",
        "Officials may decide soon.",
        "Ministers in May's cabinet resigned.",
        "Shoppers queued for Black Friday deals.",
        "She wrote a column for the Sunday Times.",
        "The fund was set up in 2009.",
    ],
)
def test_not_dates(text):
    assert _dates(text) == []


def test_weekday_named_on_publication_day_is_that_day_either_way():
    assert _dates("The bridge will open on Tuesday.") == _dates("The bridge opened on Tuesday.")


def _page(head: str, body: str) -> str:
    return f"<html><head>{head}<title>Old story</title></head><body><article><p>{body}</p></article></body></html>"


_PROSE = "The constitutional convention voted on Friday to put the question to a referendum next year. " * 3


@pytest.mark.parametrize(
    "head, url, expected",
    [
        ('<meta name="date" content="1990-08-15">', None, datetime.date(1990, 8, 15)),
        ('<meta property="article:published_time" content="1989-11-02T10:00:00Z">', None,
         datetime.date(1989, 11, 2)),
        ("", "https://news.example.org/1991/02/25/gulf-story.html", datetime.date(1991, 2, 25)),
        ('<meta name="date" content="2024-11-12">', None, datetime.date(2024, 11, 12)),
    ],
)
def test_publication_dates_before_1995_are_read(head, url, expected):
    assert extract_article(_page(head, _PROSE), url=url).published == expected


def test_historical_dates_in_the_body_are_not_the_publication_date():
    body = "The landings began on 6 June 1944, and a report dated 1944-06-07 followed. " * 3
    assert extract_article(_page("", body)).published is None
