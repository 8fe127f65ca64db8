"""The report of one story as one self-contained HTML page: toll timeline, reconciled figures, version history.

Pure: it takes the rows storage read (plain dicts) and returns HTML. plotly's
JavaScript is inlined once, so the page opens with no network.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:0 1rem 2rem;color:#1b1b1b;
     line-height:1.5;max-width:60rem;margin-inline:auto}
h1{font-size:1.5rem;margin:1rem 0 .25rem} h2{font-size:1.2rem;margin-top:2rem} h3{font-size:1rem}
.meta{color:#555;font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.9rem} th,td{border-bottom:1px solid #ddd;padding:.35rem;text-align:left;
     vertical-align:top} .scroll{overflow-x:auto}
del{background:#fde2e2;color:#8a1c1c} ins{background:#dcf5dc;color:#14532d;text-decoration:none;font-weight:600}
mark.notice{background:#fff3bf} .badge{display:inline-block;border-radius:.3rem;padding:0 .4rem;font-size:.8rem;
     margin-left:.3rem} .silent{background:#8a1c1c;color:#fff} .disagree{background:#b45309;color:#fff}
.ok{background:#14532d;color:#fff} details{border:1px solid #ddd;border-radius:.4rem;margin:.5rem 0;padding:.25rem .75rem}
summary{cursor:pointer;font-weight:600} .chart{width:100%;min-height:320px} p.text{white-space:pre-wrap}
ul.flags{font-size:.9rem;padding-left:1.2rem}
"""
SYMBOLS = {"first": "circle", "up": "triangle-up", "down": "x", "same": "circle-open"}


def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def _when(value) -> str:
    return value.isoformat(timespec="seconds") if hasattr(value, "isoformat") else str(value)


def toll_chart(points: Sequence[dict], outcome: str, group: str, div_id: str) -> str:
    """A step chart of each outlet's value over time for one toll; rises and cuts marked with their own symbols."""
    fig = go.Figure()
    for outlet in sorted({p["outlet"] for p in points}):
        mine = [p for p in points if p["outlet"] == outlet]
        marks, previous = [], None
        for p in mine:
            marks.append("first" if previous is None else "up" if p["high"] > previous
                         else "down" if p["high"] < previous else "same")
            previous = p["high"]
        fig.add_trace(go.Scatter(
            x=[_when(p["fetched_at"]) for p in mine], y=[p["high"] for p in mine], name=outlet,
            mode="lines+markers", line_shape="hv", marker={"size": 11, "symbol": [SYMBOLS[m] for m in marks]},
            text=[f"{p['qualifier']} {p['value']}".strip() + ("" if m in ("first", "same") else f" (revised {m})")
                  for p, m in zip(mine, marks)],
            hovertemplate="%{x}<br>%{text}<extra>" + html.escape(outlet) + "</extra>"))
    fig.update_layout(title=f"{outcome} ({group}) by outlet", autosize=True, height=360,
                      margin={"l": 40, "r": 10, "t": 40, "b": 40}, legend={"orientation": "h", "y": -0.2},
                      yaxis={"rangemode": "tozero", "title": outcome}, template="plotly_white")
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                       config={"responsive": True, "displaylogo": False})


def _tolls_table(tolls: Sequence[dict]) -> str:
    # What a reader on a phone needs first (the status and the figures) comes before what needs scrolling to.
    head = ("<tr><th>toll</th><th>status</th><th>low</th><th>best</th><th>high</th><th>latest</th>"
            "<th>outlets</th><th>who says what</th></tr>")
    body = []
    for t in tolls:
        status = ('<span class="badge disagree">outlets disagree</span>' if t["disagree"]
                  else '<span class="badge ok">agree</span>')
        if t["lagging_outlets"]:
            status += f' <span class="badge disagree">{t["lagging_outlets"]} lagging</span>'
        body.append(f'<tr class="toll"><td>{_e(t["outcome"])} ({_e(t["victim_group"])})</td><td>{status}</td>'
                    f'<td class="low">{t["low"]}</td><td>{t["best"]}</td><td class="high">{t["high"]}</td>'
                    f'<td class="latest">{_e(t["latest"])}</td><td>{t["outlets"]}</td><td>{_e(t["sources"])}</td></tr>')
    return f'<div class="scroll"><table id="tolls">{head}{"".join(body)}</table></div>'


def _outlets_table(rows: Sequence[dict]) -> str:
    head = "<tr><th>outlet</th><th>toll</th><th>says now</th><th>since</th><th>revisions</th><th>article</th></tr>"
    body = [f'<tr><td>{_e(r["outlet"])}</td><td>{_e(r["outcome"])} ({_e(r["victim_group"])})</td>'
            f'<td>{_e((r["qualifier"] + " " + r["value"]).strip())}</td><td>{_e(_when(r["reported_at"]))}</td>'
            f'<td>{r["revisions"]} ({r["revised_down"]} down)</td>'
            f'<td><a href="{_e(r["url"])}">{_e(r["url"])}</a></td></tr>' for r in rows]
    return f'<div class="scroll"><table id="outlets">{head}{"".join(body)}</table></div>'


def highlight_version(text: str, flags: Sequence[dict], notices: Sequence[str]) -> str:
    """The version's text as HTML: each changed value shown as old struck through, new marked; notices marked."""
    spans: list[tuple[int, int, str]] = []
    for flag in flags:
        sentence, new = flag.get("new_sentence") or "", flag.get("new_text") or ""
        at = text.find(sentence) if sentence and new else -1
        inner = sentence.find(new) if at >= 0 else -1
        if inner < 0:
            continue
        start = at + inner
        old = f'<del>{_e(flag["old_text"])}</del> ' if flag.get("old_text") else ""
        silent = ' <span class="badge silent">silent correction</span>' if (
            flag["change_kind"] == "correction" and not flag.get("notice")) else ""
        spans.append((start, start + len(new), f'{old}<ins title="{_e(flag["reason"])}">{_e(new)}</ins>{silent}'))
    for notice in notices:
        at = text.find(notice)
        if at >= 0:
            spans.append((at, at + len(notice), f'<mark class="notice">{_e(notice)}</mark>'))
    out, pos = [], 0
    for start, end, replacement in sorted(spans):
        if start < pos:
            continue  # overlapping marks: the first one wins
        out += [_e(text[pos:start]), replacement]
        pos = end
    out.append(_e(text[pos:]))
    return "".join(out)


def _flag_list(flags: Sequence[dict]) -> str:
    if not flags:
        return ""
    items = []
    for f in flags:
        silent = ' <span class="badge silent">silent correction</span>' if (
            f["change_kind"] == "correction" and not f.get("notice")) else ""
        items.append(f'<li>{_e(f["change_kind"])}: {_e(f["reason"])}{silent}</li>')
    return f'<ul class="flags">{"".join(items)}</ul>'


def _article_section(article: dict) -> str:
    versions = article["versions"]
    parts = [f'<section class="article"><h3>{_e(article["outlet"])}: <a href="{_e(article["url"])}">'
             f'{_e(versions[-1]["title"] or article["url"])}</a></h3>']
    for i, v in enumerate(versions):
        parts.append(f'<details{" open" if i == len(versions) - 1 else ""}><summary>version {v["version_no"]} · '
                     f'{_e(_when(v["fetched_at"]))} · {len(v["flags"])} change(s)</summary>{_flag_list(v["flags"])}'
                     f'<p class="text">{highlight_version(v["text"], v["flags"], v["notices"])}</p></details>')
    return "".join(parts) + "</section>"


def render_report(story: dict) -> str:
    """One self-contained HTML page for a story (the dict storage.story_report.report_data returns)."""
    charts = []
    for n, toll in enumerate(story["tolls"]):
        points = [p for p in story["timeline"]
                  if (p["outcome"], p["victim_group"]) == (toll["outcome"], toll["victim_group"])]
        charts.append(f'<div class="chart">{toll_chart(points, toll["outcome"], toll["victim_group"], f"chart-{n}")}'
                      f'</div>')
    flags = "".join(f'<li>{_e(f["kind"])} since {_e(_when(f["raised_at"]))}'
                    f'{"" if f["resolved_at"] is None else " (ended " + _e(_when(f["resolved_at"])) + ")"}: '
                    f'{_e(f["detail"])}</li>' for f in story["flags"])
    title = story["title"] or f"story {story['story_id']}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} — factwatch story {story["story_id"]}</title>
<style>{STYLE}</style>
<script>{get_plotlyjs()}</script>
</head><body>
<h1>{_e(title)}</h1>
<p class="meta">factwatch story {story["story_id"]} · {len(story["articles"])} articles from
{len({a["outlet"] for a in story["articles"]})} outlets · report made {_e(_when(story["made_at"]))}</p>
<h2>Reconciled figures</h2>
<p class="meta">low: the most conservative current figure (as ACLED records it); best: the median of the outlets'
current figures; high: the highest; latest: the figure reported most recently.</p>
{_tolls_table(story["tolls"]) if story["tolls"] else "<p>No outlet states a toll.</p>"}
{("<ul class='flags' id='story-flags'>" + flags + "</ul>") if flags else ""}
<h2>Toll timeline</h2>
{"".join(charts) or "<p>No toll to chart.</p>"}
<h2>Who says what</h2>
{_outlets_table(story["outlet_tolls"])}
<h2>Version history</h2>
<p class="meta"><del>struck through</del>: the old value; <ins>marked</ins>: the new one;
<mark class="notice">highlighted</mark>: a correction notice.</p>
{"".join(_article_section(a) for a in story["articles"])}
</body></html>
"""
