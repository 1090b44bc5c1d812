"""KPI panel figures from the summed KPI values: FCR %, CSAT, NPS and AHT."""

from __future__ import annotations

from collections.abc import Mapping


def kpi_figures(sums: Mapping[str, Mapping[str, float]]) -> dict[str, float | None]:
    """Return FCR rate, mean CSAT, CSAT top-2-box share, NPS and mean AHT from KPI sums.

    ``sums`` maps each kind to ``n``, ``sum`` and the counts ``ge9``, ``le6``, ``ge4``.
    NPS is the share of promoters (9-10) minus the share of detractors (0-6), in points.
    """

    def part(kind: str) -> Mapping[str, float]:
        return sums.get(kind) or {"n": 0}

    fcr, csat, nps, aht = part("fcr"), part("csat"), part("nps"), part("aht")
    return {
        "fcr": round(100.0 * fcr["sum"] / fcr["n"], 1) if fcr["n"] else None,
        "csat": round(csat["sum"] / csat["n"], 2) if csat["n"] else None,
        "csat_top2": round(100.0 * csat["ge4"] / csat["n"], 1) if csat["n"] else None,
        "nps": round(100.0 * (nps["ge9"] - nps["le6"]) / nps["n"], 1) if nps["n"] else None,
        "aht": round(aht["sum"] / aht["n"], 1) if aht["n"] else None,
        "responses": int(sum(part(k)["n"] for k in ("fcr", "csat", "nps"))),
    }
