"""Agreement figures of a calibration session, computed from the raters' labels."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from itertools import combinations
from statistics import fmean, stdev

from qa.calibration.scoring import labels_total
from scoring.agreement import cohen_kappa, fleiss_kappa
from scoring.rubric import Rubric

Unit = tuple[int, str]  # (call id, item key)
AUTO = "auto"


@dataclass
class Pair:
    """Cohen's kappa and raw agreement of two raters over the units both answered."""

    a: Hashable
    b: Hashable
    kappa: float | None
    agreement: float | None
    units: int


@dataclass
class ItemAgreement:
    """How far raters agreed on one rubric item across the session's calls."""

    key: str
    title: str
    agreement: float | None  # mean share of agreeing rater pairs per call
    agreed: dict[int, str | None] = field(default_factory=dict)  # call id -> agreed label


@dataclass
class Spread:
    """Totals the raters gave one call."""

    call_id: int
    totals: dict[Hashable, float]
    agreed_total: float | None

    @property
    def low(self) -> float | None:
        """Return the lowest total."""
        return min(self.totals.values()) if self.totals else None

    @property
    def high(self) -> float | None:
        """Return the highest total."""
        return max(self.totals.values()) if self.totals else None

    @property
    def stdev(self) -> float | None:
        """Return the sample standard deviation of the totals (None below two raters)."""
        return stdev(self.totals.values()) if len(self.totals) > 1 else None


@dataclass
class Deviation:
    """One rater against the agreed result: item mismatches and total differences."""

    rater: Hashable
    compared: int
    mismatches: int
    mean_abs_total: float | None
    mean_total: float | None  # signed: positive means more lenient than agreed

    @property
    def mismatch_rate(self) -> float | None:
        """Return the share of compared items where the rater differed."""
        return self.mismatches / self.compared if self.compared else None


@dataclass
class SessionStats:
    """Every figure the session page shows."""

    raters: list[Hashable]
    items: list[ItemAgreement]
    pairs: list[Pair]
    fleiss: float | None
    fleiss_raters: list[Hashable]
    fleiss_units: int
    agreement: float | None
    spreads: list[Spread]
    deviations: list[Deviation]


def agreed_labels(
    units: list[Unit], answers: dict[Hashable, dict[Unit, str]], final: dict[Unit, str]
) -> dict[Unit, str | None]:
    """Return the agreed label per unit: the lead's final answer, else the human majority."""
    agreed: dict[Unit, str | None] = {}
    for unit in units:
        if unit in final:
            agreed[unit] = final[unit]
            continue
        votes = Counter(a[unit] for r, a in answers.items() if r != AUTO and unit in a)
        ranked = votes.most_common(2)
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            agreed[unit] = ranked[0][0]
        else:
            agreed[unit] = None  # no answers, or a tie
    return agreed


def _pair_share(labels: list[str]) -> float | None:
    pairs = list(combinations(labels, 2))
    return sum(x == y for x, y in pairs) / len(pairs) if pairs else None


def _pairs(raters: list[Hashable], answers: dict[Hashable, dict[Unit, str]]) -> list[Pair]:
    out = []
    for a, b in combinations(raters, 2):
        common = sorted(set(answers[a]) & set(answers[b]))
        if not common:
            out.append(Pair(a, b, None, None, 0))
            continue
        la, lb = [answers[a][u] for u in common], [answers[b][u] for u in common]
        share = sum(x == y for x, y in zip(la, lb, strict=True)) / len(common)
        out.append(Pair(a, b, cohen_kappa(la, lb), share, len(common)))
    return out


def _fleiss(
    units: list[Unit], raters: list[Hashable], answers: dict[Hashable, dict[Unit, str]]
) -> tuple[float | None, list[Hashable], int]:
    """Return Fleiss' kappa over units every rater answered (dropping the auto-scorer if it
    leaves no such unit)."""
    for group in (raters, [r for r in raters if r != AUTO]):
        full = [u for u in units if all(u in answers[r] for r in group)]
        if len(group) >= 2 and full:
            return fleiss_kappa([[answers[r][u] for r in group] for u in full]), group, len(full)
    return None, [], 0


def _totals(rubric: Rubric, call_id: int, labels: dict[Unit, str | None]) -> float | None:
    mine = {key: label for (cid, key), label in labels.items() if cid == call_id}
    if not mine or any(label is None for label in mine.values()):
        return None
    return labels_total(rubric, mine)  # type: ignore[arg-type]


def session_stats(
    rubric: Rubric,
    call_ids: list[int],
    answers: dict[Hashable, dict[Unit, str]],
    final: dict[Unit, str] | None = None,
) -> SessionStats:
    """Return agreement, kappas, spreads and deviations of ``answers`` (rater -> unit -> label).

    ``answers`` holds only raters whose answers may be compared (submitted raters and
    the auto-scorer under the key ``AUTO``).
    """
    keys = [i.key for i in rubric.items]
    units = [(c, k) for c in call_ids for k in keys]
    raters = [r for r in answers if answers[r]]
    agreed = agreed_labels(units, answers, final or {})
    items = []
    for item in rubric.items:
        shares = [
            s
            for c in call_ids
            if (
                s := _pair_share(
                    [answers[r][(c, item.key)] for r in raters if (c, item.key) in answers[r]]
                )
            )
            is not None
        ]
        items.append(
            ItemAgreement(
                item.key,
                item.title,
                fmean(shares) if shares else None,
                {c: agreed[(c, item.key)] for c in call_ids},
            )
        )
    fleiss, fleiss_raters, fleiss_units = _fleiss(units, raters, answers)
    spreads = []
    for c in call_ids:
        totals = {}
        for r in raters:
            mine = {u: answers[r][u] for u in units if u[0] == c and u in answers[r]}
            if len(mine) == len(keys):
                totals[r] = labels_total(rubric, {k: v for (_, k), v in mine.items()})
        spreads.append(
            Spread(c, totals, _totals(rubric, c, {u: agreed[u] for u in units if u[0] == c}))
        )
    deviations = []
    for r in raters:
        compared = [u for u in units if agreed[u] is not None and u in answers[r]]
        diffs = [
            s.totals[r] - s.agreed_total
            for s in spreads
            if r in s.totals and s.agreed_total is not None
        ]
        deviations.append(
            Deviation(
                r,
                len(compared),
                sum(answers[r][u] != agreed[u] for u in compared),
                fmean(abs(d) for d in diffs) if diffs else None,
                fmean(diffs) if diffs else None,
            )
        )
    all_shares = [i.agreement for i in items if i.agreement is not None]
    return SessionStats(
        raters=raters,
        items=items,
        pairs=_pairs(raters, answers),
        fleiss=fleiss,
        fleiss_raters=fleiss_raters,
        fleiss_units=fleiss_units,
        agreement=fmean(all_shares) if all_shares else None,
        spreads=spreads,
        deviations=deviations,
    )
