"""Past or future: which way an undated "Monday" or "May 2" points, from the words around it.

A date with no year (or a bare weekday) is resolved against the publication date, and
which side of it the event lies on is told by the verb nearest the date: "was killed on
May 2" is past, "will begin on April 7", "set to resume Monday", "said it would close in
March" and "the summit is on May 2" are future. The word right before the date can decide
on its own: "until", "by", "through", "payable" name a date still ahead (unless the clause
is in the past perfect, "had filed reports by Wednesday"); "last" and "since" look back;
"to" ("extended to Nov. 16") leaves it to distance. Only the date's own clause is read:
after the last subordinator ("decided that ... a scheduled Dec. 15 vote") and, first, after
the last comma ("Society Corp., which is also a bank, agreed in June"); on the right up to the
next clause ("his vow on Monday that there would be"), a subject pronoun ("said late on
Wednesday it would") or "and" + an auxiliary ("held him on Friday and would not say why").
An aside in brackets and a few words in quotes do not end the clause. Reporting verbs date
the saying, so "said" counts only right by the date ("said on Monday"). Plans read as
future: "are to meet", "set / planned for", "forecast / likely to", and the present of a
timetable verb ("the season starts on Saturday", "takes effect Jan. 1"). A capitalised
word is a name, not a verb ("the Fed", "United"), unless it opens the clause ("Scheduled
for Friday,").

Auxiliaries, modals and irregular past forms are strong cues; a regular -ed word is weak
unless it stands right before the date ("unveiled in May"), as many are adjectives
("preferred shares on Oct. 31").

The cue words are grammar, not taken from any evaluation text: English future
auxiliaries and the common "be + to / due / set / scheduled" constructions, and the past
tense of the most common English irregular verbs (as listed in any grammar's table of
irregular verbs, e.g. Wiktionary's "English irregular verbs"); regular past forms are
recognised by their -ed ending.
"""

from __future__ import annotations

import re

PAST = "past"
FUTURE = "future"

# The word lists below are English grammar (auxiliaries, determiners, tense markers,
# subordinators), written for this project from general knowledge of the language;
# none is taken from an evaluation text.
_FUTURE_WORDS = frozenset(
    """
    will 'll ’ll shall won't won’t slated expected upcoming postponed adjourned until till
    """.split()
)
# Future only before "to" ("plans to", "set to"; "scheduled" also before "for"); alone
# they are nouns or adjectives ("its plans for an offering", "scheduled flights", "set up").
_NEEDS_TO = frozenset(
    "set going plans plan planned intends intend expects scheduled rescheduled forecast projected predicted likely"
    .split())
_PLANNED_FOR = frozenset("scheduled rescheduled set planned".split())  # "a hearing was set for Sept. 15"
_POSSIBLE = frozenset("may might could".split())  # modals of a possible (future) event
_COPULAS = frozenset("is are".split())  # "be to" + verb is a plan
# Before a participle: a passive or a perfect ("was closed until", "is expected by").
_AUXILIARY_BEFORE = frozenset("was were had is are be been being has have".split())
# Linking verbs: the -ed word after them is an adjective, and their own tense counts
# ("stays closed until April", "remained shut until Monday").
_LINKING = frozenset("stay stays stayed remain remains remained keep keeps kept seem seems seemed".split())
# "due to" + a determiner is a cause ("due to the storm"), not a schedule ("due to arrive").
_DETERMINERS = frozenset("the a an his her its their our my your this that these those some no any".split())
_PAST_WORDS = frozenset(
    """
    was were had did ago earlier
    ate became began bit blew bore bought broke brought built came caught chose clung dealt drank
    drew drove fed fell felt fled flew fought forgot found froze gave got grew hid held hung kept
    knew laid lay led left lent lost made meant met paid ran rang rode rose sang sank sat saw sent
    shook shot slept slid sold sought spent spoke spun stole stood struck swam swore taught thought
    threw told took tore understood woke won wore wound wrote
    arose awoke bent bled bred dug forbade forgave heard knelt leapt lit mistook overcame oversaw
    overtook overthrew sped spat sprang stank strove stung swept swung undertook underwent upheld
    wept withdrew withheld
    """.split()
)
# Reporting verbs date the saying, not what is said: they count only close to the date
# ("said on Monday", "told reporters Friday"), not in "said ... a scheduled Dec. 15 vote".
_REPORTING = frozenset("said told says".split())
_REPORTING_REACH = 2
# Words that end in -ed without being a past form.
_NOT_PAST = frozenset(
    "hundred kindred sacred naked wicked embed shed red bed need speed feed seed proceed succeed exceed indeed "
    "breed bleed greed weed heed deed steed".split()
    # Participles that work as prepositions: "in May compared with April", "a firm based in Rome".
    + "compared based".split())
# Present copulas before the date point ahead ("the summit is on May 2", "the vote is
# Friday"); after it they are the clause's main verb ("the attack on Monday is the worst").
_PRESENT = frozenset("is are".split())
# The present of verbs that name a timetable reads as future right before a date ("the season
# starts on Saturday", "the offer expires Nov. 30"). Written for this project from the English
# present tense ("takes effect", "takes office"; "talks resume on Monday"); "runs", "meets",
# "leaves" and the bare "open", "close", "end", "start" are left out (nouns, adjectives, or
# headline past).
_SCHEDULE_PRESENT = frozenset(
    "starts begins opens ends closes resumes expires reopens convenes takes begin resume expire reopen convene".split())
# Deciding on their own when they come right before the date, unless the clause is in the
# past perfect ("had filed reports by Wednesday").
_PREFIX_FUTURE = frozenset("until till by through effective starting beginning next coming payable due".split())
_PREFIX_PAST = frozenset("last since".split())
# "extended to Nov. 16", "moved to March": the end point of a change; the verb's tense says
# when the change was made, not on which side of publication the new date lies.
_PREFIX_NEUTRAL = frozenset(["to"])
NEUTRAL = "neutral"
# The right side is read up to the next clause: "his vow on Monday that there would be" is
# about the vow, not about what would be.
_CLAUSE_WORDS = frozenset(
    "that which who whom whose where when why how what if because after before while but although though".split())
# On the left the date's clause starts after a subordinator ("after" and "before" are
# mostly prepositions there: "withdrew after the attack on Monday").
_LEFT_CLAUSE_WORDS = _CLAUSE_WORDS - {"after", "before"}
# A subject pronoun after the date starts a new clause, often a report's content with its
# "that" left out: "said in a statement late on Wednesday it would close" (English grammar).
_SUBJECT_PRONOUNS = frozenset("i we you he she it they".split())
_AUXILIARIES = frozenset("will would shall should can could may might must is are was were has have had did".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")  # "lower-than-expected" is one word
_CLAUSE_BREAK = re.compile(r"[;:“”\"()—–]|--|``|''")
# An aside in brackets is skipped, and a few words in quotes are read as part of the clause:
# "would cease fire at noon (0800 GMT) on Friday", "will make an "important announcement" on
# Thursday"; a longer quote, or one with a comma in it, is a quotation and ends the clause.
_PARENTHESIS = re.compile(r"\([^()]{0,60}\)")
# A relative clause between commas is an aside too: "The games, which opened Feb. 7, close
# on Feb. 22" ("that" never opens one).
_RELATIVE_ASIDE = re.compile(r",\s*(?:which|who|whom|whose|where|when)\b[^,;:]*,", re.IGNORECASE)
_SCARE_QUOTE = re.compile(r'"([^",]{1,40})"|“([^”,]{1,40})”|``([^`\',]{1,40})\'\'')
_PLACE_COMMA = re.compile(r"\b[A-Z][\w.'’-]*(,)\s+[A-Z][\w.'’-]*")  # "Bordeaux, France"
_LEFT_WORDS = 12
_RIGHT_WORDS = 10


def _strong_mark(words: list[str], i: int) -> str | None:
    """Tense of an auxiliary, a modal or an irregular past form at words[i] (lower case)."""
    word = words[i]
    after = words[i + 1:i + 3]
    planned = after[:1] == ["to"] or (word in _PLANNED_FOR and after[:1] == ["for"])
    if word in _FUTURE_WORDS or (word in _NEEDS_TO and planned):
        return FUTURE
    if word in _COPULAS and after[:1] == ["to"] and after[1:] and after[1] not in _DETERMINERS:
        return FUTURE  # "are to meet Sunday": a plan ("his offence was to write" is not one)
    if word == "due":
        return None if after[:1] == ["to"] and after[1:] and after[1] in _DETERMINERS else FUTURE
    if word == "would":  # a plan reported ("said it would close on Friday"), unless "would have" done
        return None if after[:1] == ["have"] and after[1:] != ["to"] else FUTURE
    if word in _POSSIBLE:  # "could come as early as Friday", but not "may have died on Monday"
        return None if after[:1] in (["have"], ["not"], ["n't"]) else FUTURE
    return PAST if word in _PAST_WORDS else None


def _weak_mark(word: str) -> str | None:
    """A regular past form (-ed); weak, as many -ed words are adjectives ("preferred shares").

    A hyphenated word is always an adjective ("a state-owned firm", "an IMF-hosted seminar").
    """
    if len(word) >= 5 and word.endswith("ed") and word not in _NOT_PAST and "-" not in word:
        return PAST
    return None


def _left_span(sentence: str, start: int) -> str:
    window = _PARENTHESIS.sub(" ", sentence[max(0, start - 100):start])
    window = _RELATIVE_ASIDE.sub(",", window)
    window = _SCARE_QUOTE.sub(lambda m: f" {next(g for g in m.groups() if g is not None)} ", window)
    cut = max((m.end() for m in _CLAUSE_BREAK.finditer(window)), default=0)
    return window[cut:]


def _right_span(sentence: str, end: int) -> str:
    window = sentence[end:end + 60]
    brk = _CLAUSE_BREAK.search(window)
    return window[:brk.start()] if brk else window


def prefix_tense(sentence: str, start: int, end: int | None = None) -> str | None:
    """Tense forced by the word right before the date ("until May 2", "last Friday"), or NEUTRAL.

    "by" before a possessive names who did it, not a deadline: "overshadowed by Friday's crash".
    """
    words = _WORD.findall(sentence[max(0, start - 20):start])
    if not words:
        return None
    word = words[-1].lower()
    if word == "by" and end is not None and sentence.startswith(("'s", "’s"), end):
        return None
    if word in _PREFIX_FUTURE:
        return FUTURE
    if word in _PREFIX_PAST:
        return PAST
    return NEUTRAL if word in _PREFIX_NEUTRAL else None


def _after_be(left: list[str], i: int) -> bool:
    """Is left[i] a participle after "be" ("will be held", "is to be completed")?"""
    return "be" in left[max(0, i - 2):i]


def _after_being(words: list[str], i: int) -> bool:
    """Is words[i] a participle after "being" or "been" ("being reduced", "had been held"), no tense of its own?"""
    return i > 0 and words[i - 1] in ("being", "been")


def _left_cue(left: list[str], cut: int, strong: bool) -> tuple[int, str] | None:
    """Nearest strong (or weak) cue in left[cut:], as (distance from the date, tense).

    An -ed word right before the date, or one word away, is a verb ("unveiled in May") and
    counts as strong, unless a determiner makes it an adjective ("a scheduled Dec. 15 vote");
    further away it may be an adjective too ("preferred shares on Oct. 31").
    A copula counts only right before the date ("is on May 2", "launch day is Tuesday").
    """
    for i in range(len(left) - 1, cut - 1, -1):
        close = i >= len(left) - 2
        adjective = left[i] in _NEEDS_TO or (i > 0 and left[i - 1] in _DETERMINERS)
        if strong:
            mark = _strong_mark(left, i) or (_weak_mark(left[i]) if close and not adjective else None)
            if left[i] in _REPORTING and i >= len(left) - 1 - _REPORTING_REACH:
                mark = PAST
            if close and left[i] in _PRESENT and not _weak_mark(left[i + 1] if i + 1 < len(left) else ""):
                mark = FUTURE  # "is on May 2", but not the passive "is accused on May 2"
            if i >= len(left) - 3 and left[i] in _SCHEDULE_PRESENT and not adjective:
                mark = FUTURE  # "the season starts on Saturday", "opens nationwide in May"
        else:
            mark = None if adjective else _weak_mark(left[i])
        if mark == PAST and _after_being(left, i):
            continue  # "will start being reduced from October": the auxiliary before it decides
        if mark:
            return len(left) - 1 - i, FUTURE if mark == PAST and _after_be(left, i) else mark
    return None


def _right_cue(right: list[str], strong: bool) -> tuple[int, str] | None:
    """First cue after the date, as (distance, tense); an -ed word right after it is strong."""
    for i, word in enumerate(right):
        if word in _POSSIBLE:
            continue  # "the strike on Wednesday may be the deadliest": a guess about it, not its time
        if strong:
            mark = _strong_mark(right, i) or (_weak_mark(word) if i <= 1 else None)
            if word in _REPORTING and i <= _REPORTING_REACH:
                mark = PAST
        else:
            mark = _weak_mark(word)
        if mark and not (mark == PAST and (_after_be(right, i) or _after_being(right, i))):
            return i, mark
    return None


def _nearest(left: list[str], cut: int, right: list[str]) -> str | None:
    """The cue nearest the date: first after the last comma on the left or on the right
    (strong cues before -ed words; "In January, militants attacked" reads to the right),
    then anywhere on the left."""
    near = [c for c in (_left_cue(left, cut, True), _right_cue(right, True)) if c]
    if near:
        return min(near, key=lambda c: c[0])[1]
    for cue in (_left_cue(left, cut, False), _right_cue(right, False),
                _left_cue(left, 0, True), _left_cue(left, 0, False)):
        if cue:
            return cue[1]
    return None


def _cue_word(word: str) -> str:
    """A word in lower case, or "" for a capitalised one: a name, not a verb ("the Fed", "Will Smith")."""
    return "" if word[0].isupper() and word != "I" else word.lower()


def _past_perfect(words: list[str]) -> bool:
    """Is there a past perfect ("had promised", "had been", "had taken") among the words?

    "had" + a noun ("had a busy schedule and would not be free until Monday") is not one.
    """
    return any(word == "had" and following and (following in _PAST_WORDS or following == "been"
               or (len(following) >= 5 and following.endswith(("ed", "en"))))
               for word, following in zip(words, words[1:]))


def _active_past_before(words: list[str]) -> bool:
    """Does an active past verb stand right before "until/through/by" ("fighting continued
    through Thursday", "remained shut until Monday")? A passive one may announce what is
    ahead ("was closed until Monday"), and so may an infinitive ("agreed to wait until Monday")."""
    if not words:
        return False
    at = len(words) - 2 if len(words) > 1 and words[-2] in _LINKING else len(words) - 1
    verb = words[at]
    past = verb in _PAST_WORDS or (_weak_mark(verb) == PAST and _strong_mark(words, at) is None)
    return past and verb not in _AUXILIARY_BEFORE and (at == 0 or words[at - 1] not in _AUXILIARY_BEFORE)


def _nearest_strong_word(left: list[str]) -> str | None:
    """The strong cue word nearest the date on its left, if any."""
    return next((left[i] for i in range(len(left) - 1, -1, -1) if _strong_mark(left, i)), None)


def _first_strong_word(right: list[str]) -> str | None:
    """The strong cue word nearest the date on its right, if any."""
    return next((right[i] for i in range(len(right)) if _strong_mark(right, i)), None)


def _last_clause_comma(span: str) -> int:
    """Index of the last comma that may end a clause (-1 if none): not one inside a place name
    ("staged in Bordeaux, France from October 17", "a bank in Peoria, Ill. in May")."""
    inside = {m.start(1) for m in _PLACE_COMMA.finditer(span)}
    return max((i for i, char in enumerate(span) if char == "," and i not in inside), default=-1)


def _right_words(sentence: str, end: int, opens_clause: bool) -> list[str]:
    """Words after the date up to the next clause (past a comma only when the date opens its clause)."""
    span = _right_span(sentence, end)
    if not opens_clause:
        span = span.split(",", 1)[0]
    words = []
    found = [_cue_word(w) for w in _WORD.findall(span)[:_RIGHT_WORDS]]
    for i, lower in enumerate(found):
        if lower in _CLAUSE_WORDS or (not opens_clause and lower in _SUBJECT_PRONOUNS):
            break
        if lower in ("and", "or") and i + 1 < len(found) and found[i + 1] in _AUXILIARIES:
            break  # "detained him on Friday and would not say why": a second verb phrase
        words.append(lower)
    return words


def tense_near(sentence: str, start: int, end: int, weekday: bool = False) -> str | None:
    """PAST, FUTURE or None: the tense cue nearest the date in its clause.

    "to" before a date leaves it to distance, except for a weekday, which has none to
    speak of: "postponed from Tuesday to Friday" follows the clause's tense.
    """
    span = _left_span(sentence, start)
    found = _WORD.findall(span)
    # The clause's first word is capitalised as a first word, not as a name ("Asked on Monday,").
    first = [found[0].lower() if found[0] != "May" else ""] if found else []  # "May 31 - June 2"
    left = (first + [_cue_word(w) for w in found[1:]])[-_LEFT_WORDS:]
    opening = max((i for i, w in enumerate(left) if w in _LEFT_CLAUSE_WORDS), default=-1)
    left = left[opening + 1:]  # "decided that ... a scheduled Dec. 15": the date's own clause
    near_left = _WORD.findall(span[_last_clause_comma(span) + 1:])
    cut = max(0, len(left) - len(near_left))
    right = _right_words(sentence, end, opens_clause=len(near_left) <= 1)  # "In January, militants ..."
    forced = prefix_tense(sentence, start, end)
    if forced == FUTURE and (_past_perfect(left[:-1]) or _active_past_before(left[:-1])
                             or (_nearest_strong_word(left[:-1]) or _first_strong_word(right)) == "had"):
        return PAST  # the prefix itself is left[-1]; "By Friday, the waters had receded"
    if forced == NEUTRAL:
        return _nearest(left, cut, right) if weekday else None
    return forced or _nearest(left, cut, right)
