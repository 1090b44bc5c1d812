"""Plotly figures (JSON) of the dashboard aggregates; the page draws them with Plotly.newPlot.

Figures are written as plain dicts: building hundreds of validated ``plotly.graph_objects``
traces per request (one line per agent) took longer than all the dashboard queries together.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from functools import cache
from typing import Any

from flask_babel import gettext as _

from qa.dashboards.queries import ItemFailure, ScorePoint, WeekFigures
from qa.dashboards.services import DashboardData

LAYOUT = {
    "margin": {"l": 50, "r": 20, "t": 10, "b": 40},
    "height": 300,
    "legend": {"orientation": "h", "y": -0.2},
    "hovermode": "x unified",
}


def _label(text: str) -> str:
    """Return ``text`` shown literally by plotly, which reads a few HTML tags in labels."""
    return html.escape(text, quote=False)


@cache
def _template() -> str:
    """Return plotly's default layout template as JSON (what ``Figure.to_json`` embeds)."""
    import plotly.io as pio

    return json.dumps(pio.templates[pio.templates.default].to_plotly_json())


def _trace(kind: str, **props: Any) -> dict[str, Any]:
    """Return a plotly trace of type ``kind``, leaving out unset (``None``) properties."""
    return {"type": kind, **{k: v for k, v in props.items() if v is not None}}


def _figure(traces: list[dict[str, Any]], **layout: Any) -> str:
    body = json.dumps({**LAYOUT, **layout}, ensure_ascii=False)
    data = json.dumps(traces, ensure_ascii=False)
    return f'{{"data": {data}, "layout": {{"template": {_template()}, {body[1:]}}}'


def score_figure(points: list[ScorePoint]) -> str:
    """Return a line per agent or team and a bold line for everyone: weekly mean score."""
    series: dict[tuple[int | None, str], list[ScorePoint]] = defaultdict(list)
    for p in points:
        series[(p.key, p.label)].append(p)
    traces = []
    for (key, label), rows in series.items():
        everyone = key is None
        traces.append(
            _trace(
                "scatter",
                x=[p.week.isoformat() for p in rows],
                y=[p.mean for p in rows],
                customdata=[p.scorecards for p in rows],
                name=_("All") if everyone else _label(label),
                mode="lines+markers",
                line={"width": 4, "color": "#14213d"} if everyone else {"width": 1.5},
                hovertemplate="%{y:.1f} (n=%{customdata})",
            )
        )
    return _figure(traces, yaxis={"title": {"text": _("Mean score")}, "range": [0, 100]})


def failure_figure(rows: list[ItemFailure]) -> str:
    """Return a horizontal bar per item: failure rate where the item applied."""
    rows = list(reversed(rows))
    bar = _trace(
        "bar",
        x=[round(r.rate, 1) for r in rows],
        y=[_label(f"{r.section} · {r.title}") for r in rows],
        customdata=[[r.failed, r.applicable] for r in rows],
        orientation="h",
        marker={"color": "#cf222e"},
        hovertemplate="%{x:.1f}% (%{customdata[0]}/%{customdata[1]})<extra></extra>",
    )
    height = max(220, 28 * len(rows) + 60)
    return _figure(
        [bar],
        height=height,
        hovermode="closest",
        margin={"l": 260, "r": 20, "t": 10, "b": 40},
        xaxis={"title": {"text": _("Failed where applicable (%)")}, "range": [0, 100]},
    )


def _weekly(rows: list[WeekFigures], key: str) -> tuple[list[str], list[Any]]:
    return [r.week.isoformat() for r in rows], [r.values.get(key) for r in rows]


def agreement_figure(rows: list[WeekFigures]) -> str:
    """Return the weekly share of items left as auto-scored on human-checked calls."""
    x, y = _weekly(rows, "agreement")
    _x, n = _weekly(rows, "items")
    line = _trace(
        "scatter", x=x, y=y, customdata=n, name=_("Unchanged items"), mode="lines+markers",
        hovertemplate="%{y:.1f}% (n=%{customdata})",
    )  # fmt: skip
    return _figure([line], yaxis={"title": {"text": _("Items unchanged (%)")}, "range": [0, 100]})


def volume_figure(days: list[tuple[Any, int]]) -> str:
    """Return a bar per day: number of calls."""
    bar = _trace(
        "bar", x=[d.isoformat() for d, _n in days], y=[n for _d, n in days],
        name=_("Calls"), marker={"color": "#2b5fd9"},
    )  # fmt: skip
    return _figure([bar], yaxis={"title": {"text": _("Calls")}})


def handling_figure(rows: list[WeekFigures]) -> str:
    """Return weekly mean recorded call length and mean imported AHT, in seconds."""
    x, duration = _weekly(rows, "duration")
    _x, aht = _weekly(rows, "aht")
    traces = [_trace("scatter", x=x, y=duration, name=_("Mean call length"), mode="lines+markers")]
    if any(v is not None for v in aht):
        traces.append(_trace("scatter", x=x, y=aht, name=_("AHT (imported)"), mode="lines+markers"))
    return _figure(traces, yaxis={"title": {"text": _("Seconds")}})


def conversation_figure(rows: list[WeekFigures]) -> str:
    """Return the weekly agent talk share (left axis) and mean dead air per call (right)."""
    x, ratio = _weekly(rows, "talk_ratio")
    _x, dead = _weekly(rows, "dead_air")
    traces = [
        _trace("scatter", x=x, y=ratio, name=_("Agent talk share (%)"), mode="lines+markers"),
        _trace("scatter", x=x, y=dead, name=_("Dead air (s)"), mode="lines+markers", yaxis="y2"),
    ]
    return _figure(
        traces,
        yaxis={"title": {"text": _("Agent talk share (%)")}, "range": [0, 100]},
        yaxis2={"title": {"text": _("Dead air (s)")}, "overlaying": "y", "side": "right"},
        margin={"l": 50, "r": 50, "t": 10, "b": 40},
    )


def kpi_figure(weeks: list[tuple[Any, dict[str, float | None]]]) -> str:
    """Return weekly FCR %, CSAT top-2-box % and NPS lines."""
    x = [w.isoformat() for w, _v in weeks]
    names = {"fcr": _("FCR (%)"), "csat_top2": _("CSAT 4-5 (%)"), "nps": _("NPS")}
    traces = [
        _trace("scatter", x=x, y=[v[k] for _w, v in weeks], name=label, mode="lines+markers")
        for k, label in names.items()
    ]
    return _figure(traces, yaxis={"range": [-100, 100]})


def all_figures(data: DashboardData, by_team: bool) -> dict[str, str]:
    """Return every dashboard chart as plotly JSON, by chart name."""
    return {
        "scores": score_figure(data.scores_by_team if by_team else data.scores_by_agent),
        "failures": failure_figure(data.failures),
        "agreement": agreement_figure(data.agreement),
        "volumes": volume_figure(data.volumes),
        "handling": handling_figure(data.handling),
        "conversation": conversation_figure(data.conversation),
        "kpis": kpi_figure(data.kpi_weeks),
    }
