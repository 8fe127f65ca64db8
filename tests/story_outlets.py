"""Three outlets reporting one event (a ferry sinking), written for factwatch and modelled on wire and local
reporting of Lake Victoria ferry accidents. Tolls rise at different times, and one outlet corrects its toll
silently. Used by tests/test_stories_flow.py."""

from __future__ import annotations

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | {outlet}</title>
<meta property="og:title" content="{title}"><meta property="article:published_time" content="2024-05-02T09:00:00+03:00">
</head><body><header><nav><a href="/">Home</a> <a href="/africa">Africa</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By {author} · 2 May 2024</p>{body}</article></main>
<aside><h3>Most read</h3><ol><li><a href="/x">Fire at market leaves 3 dead</a></li></ol></aside>
<footer>© 2024 {outlet}</footer></body></html>"""

WIRE = ["MWANZA, Tanzania — {lead} when a passenger ferry capsized on Lake Victoria near Mwanza on Wednesday night, "
        "police said.",
        "The MV Neema was carrying about 90 passengers and sacks of maize from Ukerewe island when it overturned in a "
        "storm roughly three kilometres from the shore, according to the Tanzania Ports Authority.",
        "Regional police commander Wilbrod Mutafungwa said 31 people had been rescued and divers were searching the "
        "water for others on Thursday.",
        "“The ferry was carrying more people than it was allowed to,” Mr Mutafungwa told reporters at the harbour.",
        "President Samia Suluhu Hassan ordered an investigation into the licensing of lake vessels."]
LOCAL = ["{lead}, the regional commissioner said on Thursday, as divers searched Lake Victoria off Ukerewe island "
         "where the MV Neema sank.",
         "Survivors said the ferry listed sharply in high waves before it overturned. Police commander Wilbrod "
         "Mutafungwa said 31 people had been pulled from the water near Mwanza.",
         "Relatives waited at the port of Mwanza for news, and the captain was detained for questioning.",
         "Ferry accidents are frequent on the lake, which is shared by Tanzania, Uganda and Kenya."]


def page(outlet: str, author: str, paragraphs: list[str], lead: str, title: str) -> str:
    """One outlet's article page."""
    body = "".join(f"<p>{p.format(lead=lead)}</p>" for p in paragraphs)
    return PAGE.format(title=title, outlet=outlet, author=author, body=body)


# outlet -> its versions; which version each of the four runs serves.
OUTLETS = {
    "lakepost": [page("The Lake Post", "Amina Said", WIRE, "At least 13 people were killed",
                      "Ferry capsizes on Lake Victoria, killing at least 13"),
                 page("The Lake Post", "Amina Said", WIRE, "At least 17 people were killed",
                      "Ferry capsizes on Lake Victoria, killing at least 17")],
    "dailyeast": [page("Daily East", "Wire staff", WIRE[:4], "At least 13 people were killed",
                       "Tanzania ferry disaster on Lake Victoria"),
                  page("Daily East", "Wire staff", WIRE[:4], "At least 17 people were killed",
                       "Tanzania ferry disaster on Lake Victoria")],
    "coastnews": [page("Coast News", "Joseph Kimaro", LOCAL, "Fourteen people died when the MV Neema capsized",
                       "MV Neema: divers search Lake Victoria"),
                  page("Coast News", "Joseph Kimaro", LOCAL, "Thirteen people died when the MV Neema capsized",
                       "MV Neema: divers search Lake Victoria")],
}
RUNS = [{"lakepost": 0, "dailyeast": 0, "coastnews": 0},   # 13, 13, 14: within 10%, no disagreement
        {"lakepost": 1, "dailyeast": 0, "coastnews": 0},   # 17, 13, 14: the outlets disagree
        {"lakepost": 1, "dailyeast": 0, "coastnews": 1},   # coastnews cuts 14 to 13 with no notice
        {"lakepost": 1, "dailyeast": 1, "coastnews": 1}]   # dailyeast catches up: 17, 17, 13
