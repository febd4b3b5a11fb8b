"""Read ``options/allocation.yaml`` and ``criteria/countries.csv`` (the resource model).

Schema of allocation.yaml (its header in the shipped case repeats it):
``unit``, ``budget``, ``measures`` (portfolio | all), ``need`` (``floor`` and
``indicators``: per countries.csv column a weight, or ``{weight, missing}`` where
``missing`` is ``drop`` (default) or ``{impute: x, reason: text}``), ``targets``,
``channels``, ``membership``, ``response``, ``measure_settings``, ``shares``.
Everything is checked here, channel availability included, so that
``policyeval validate`` reports what ``allocate`` would.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from policyeval.errors import Issue
from policyeval.io.checks import Checker
from policyeval.model.allocation import AllocationSpec, Indicator

FILE = "options/allocation.yaml"
COUNTRIES = "criteria/countries.csv"
TOP_KEYS = (
    "unit", "budget", "measures", "need", "targets", "channels", "membership",
    "response", "measure_settings", "shares",
)  # fmt: skip


def parse_countries(text: str, issues: list[Issue]) -> dict[str, dict[str, str]]:
    """Rows of countries.csv by country name; a missing 'country' column is an issue."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    if "country" not in header:
        issues.append(
            Issue(
                "missing-column",
                "the first line must name the columns, one of them 'country' (found: "
                f"{', '.join(header) or 'nothing'}); add the header line",
                COUNTRIES,
                "line 1",
            )
        )
        return {}
    return {row["country"]: row for row in reader}


def yes_no(cell: Any) -> bool | None:
    """``yes``/``no`` (any case, or a YAML boolean) as a bool; anything else None."""
    if isinstance(cell, bool):
        return cell
    return {"yes": True, "no": False}.get(str(cell).strip().lower())


def check_allocation(
    data: Any, rows: dict[str, dict[str, str]], measure_ids: list[str], issues: list[Issue]
) -> AllocationSpec | None:
    """Validate a parsed allocation.yaml against the countries and the measures."""
    before = len(issues)
    ck = Checker(FILE, issues)
    data = ck.mapping(data, "", "a mapping (unit, budget, targets, channels, ...)")
    if data is None:
        return None
    ck.keys(data, "", TOP_KEYS, required=("targets", "channels"))
    if len(issues) > before:  # the rest refers to targets and channels: one root error
        return None
    budget = None if data.get("budget") is None else ck.number(data["budget"], "budget", minimum=0)
    measures = data.get("measures", "portfolio")
    ck.choice(measures, "measures", ["portfolio", "all"], "measures mode")
    cols = set(next(iter(rows.values()))) if rows else set()

    targets: list[tuple[str, str]] = []
    if data.get("targets") and not rows:
        ck.add(
            "missing-file",
            "targets",
            f"targets name countries of {COUNTRIES}, which is missing or empty; add it "
            "(a 'country' column and the figures of the need index)",
        )
        return None
    for k, t in enumerate(_items(ck, data.get("targets"), "targets")):
        t = ck.mapping(t, f"targets[{k}]")
        if t is None:
            continue
        ck.keys(t, f"targets[{k}]", ("id", "country", "note"), required=("id", "country"))
        tid = ck.identifier(t.get("id"), f"targets[{k}].id")
        country = ck.ref(t.get("country"), f"targets[{k}].country", rows, "country")
        if tid and country:
            targets.append((tid, country))
    tids = [t for t, _ in targets]

    channels: dict[str, dict[str, Any]] = {}
    for k, c in enumerate(_items(ck, data.get("channels"), "channels")):
        c = ck.mapping(c, f"channels[{k}]")
        if c is None:
            continue
        where = f"channels[{k}]"
        ck.keys(c, where, ("id", "name", "targets", "member_column", "note"), required=("id",))
        cid = ck.identifier(c.get("id"), f"{where}.id")
        scope = c.get("targets", "all")
        if isinstance(scope, list):
            allowed = set(ck.id_list(scope, f"{where}.targets", tids, "target"))
        else:
            ck.choice(scope, f"{where}.targets", ["all"], "targets scope")
            allowed = set(tids)
        member = c.get("member_column")
        if member is not None and rows and member not in cols:
            ck.add(
                "unknown-column", f"{where}.member_column", f"no column '{member}' in countries.csv"
            )
            member = None
        if cid:
            channels[cid] = {"targets": allowed, "member": member, "name": str(c.get("name") or "")}

    membership: dict[str, dict[str, bool]] = {}
    for tid, mcols in (ck.mapping(data.get("membership") or {}, "membership") or {}).items():
        ck.ref(tid, f"membership.{tid}", tids, "target")
        for col, val in (ck.mapping(mcols, f"membership.{tid}") or {}).items():
            flag = yes_no(val)
            if flag is None:
                ck.add("not-yes-no", f"membership.{tid}.{col}", f"expected yes or no, got {val!r}")
            else:
                membership.setdefault(tid, {})[col] = flag

    indicators, floor = _need(ck, data.get("need"), cols)
    response = _segments(ck, data.get("response"), "response") or ((float("inf"), 1.0),)
    settings = _settings(ck, data.get("measure_settings"), measure_ids, tids, channels)
    shares = _shares(ck, data.get("shares"), tids, channels)
    available = {
        tid: tuple(c for c in channels if _open(ck, rows, membership, channels, tid, country, c))
        for tid, country in targets
    }
    if len(issues) > before:
        return None
    return AllocationSpec(
        unit=str(data.get("unit", "")),
        budget=budget,
        measures=measures,
        targets=tuple(targets),
        channels=channels,
        indicators=indicators,
        floor=floor,
        membership=membership,
        response=response,
        settings=settings,
        shares=shares,
        available=available,
    )


def _items(ck: Checker, value: Any, entry: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        ck.add("wrong-type", entry, f"expected a list of {entry}")
        return []
    return value


def _need(ck: Checker, value: Any, cols: set[str]) -> tuple[tuple[Indicator, ...], float]:
    """``need.indicators`` and ``need.floor``; a global ``missing`` rule is refused."""
    need = ck.mapping(value or {}, "need") or {}
    ck.keys(need, "need", ("indicators", "missing", "floor"))
    if "missing" in need:
        ck.add(
            "no-global-imputation",
            "need.missing",
            "a missing figure is never filled in for every indicator at once; remove "
            "need.missing and say per indicator what a missing figure means: "
            "missing: drop (the default: the target's index rests on its other figures) or "
            "missing: {impute: VALUE, reason: WHY}",
        )
    out = []
    raw = ck.mapping(need.get("indicators") or {}, "need.indicators") or {}
    for col, spec in raw.items():
        where = f"need.indicators.{col}"
        if col not in cols and not {f"{col}_low", f"{col}_high"} <= cols:
            ck.add("unknown-column", where, f"no column '{col}' in countries.csv")
        if not isinstance(spec, dict):
            w = ck.number(spec, where, minimum=0)
            if w is not None:
                out.append(Indicator(col, w))
            continue
        ck.keys(spec, where, ("weight", "missing"), required=("weight",))
        w = ck.number(spec.get("weight"), f"{where}.weight", minimum=0)
        miss = spec.get("missing", "drop")
        if isinstance(miss, dict):
            ck.keys(miss, f"{where}.missing", ("impute", "reason"), required=("impute", "reason"))
            x = ck.number(miss.get("impute"), f"{where}.missing.impute", minimum=0)
            reason = ck.text(miss.get("reason"), f"{where}.missing.reason")
            if w is not None and x is not None and reason:
                out.append(Indicator(col, w, "impute", x, reason))
        elif ck.choice(miss, f"{where}.missing", ["drop"], "missing rule") and w is not None:
            out.append(Indicator(col, w))
    floor = ck.number(need.get("floor", 0.0), "need.floor", minimum=0, maximum=1) or 0.0
    return tuple(out), floor


def _settings(
    ck: Checker,
    value: Any,
    measure_ids: list[str],
    tids: list[str],
    channels: dict[str, dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    settings: dict[str, dict[str, Any]] = {}
    for mid, s in (ck.mapping(value or {}, "measure_settings") or {}).items():
        where = f"measure_settings.{mid}"
        ck.ref(mid, where, measure_ids, "measure")
        s = ck.mapping(s, where) or {}
        ck.keys(s, where, ("targets", "channels", "fit", "response", "setup_cost", "note"))
        out: dict[str, Any] = {}
        if "targets" in s:
            out["targets"] = set(ck.id_list(s["targets"], f"{where}.targets", tids, "target"))
        if "channels" in s:
            out["channels"] = set(
                ck.id_list(s["channels"], f"{where}.channels", channels, "channel")
            )
        fit = {}
        for cid, f in (ck.mapping(s.get("fit") or {}, f"{where}.fit") or {}).items():
            ck.ref(cid, f"{where}.fit.{cid}", channels, "channel")
            fit[cid] = ck.number(f, f"{where}.fit.{cid}", minimum=0) or 0.0
        out["fit"] = fit
        if "response" in s:
            out["response"] = _segments(ck, s["response"], f"{where}.response")
        if "setup_cost" in s:
            out["setup_cost"] = ck.number(s["setup_cost"], f"{where}.setup_cost", minimum=0)
        settings[mid] = out
    return settings


def _shares(
    ck: Checker, value: Any, tids: list[str], channels: dict[str, dict[str, Any]]
) -> dict[str, dict[str, dict[str, float]]]:
    shares: dict[str, dict[str, dict[str, float]]] = {}
    known = {"target": tids, "channel": list(channels), "recommendation": None}
    for kind, spec in (ck.mapping(value or {}, "shares") or {}).items():
        if ck.choice(kind, f"shares.{kind}", list(known), "share kind") is None:
            continue
        for key, mm in (ck.mapping(spec, f"shares.{kind}") or {}).items():
            where = f"shares.{kind}.{key}"
            if known[kind] is not None:
                ck.ref(key, where, known[kind], kind)
            mm = ck.mapping(mm, where) or {}
            ck.keys(mm, where, ("min", "max"))
            bounds = {b: ck.number(v, f"{where}.{b}", minimum=0, maximum=1) for b, v in mm.items()}
            shares.setdefault(kind, {})[str(key)] = {
                b: v for b, v in bounds.items() if v is not None
            }
    return shares


def _open(
    ck: Checker,
    rows: dict[str, dict[str, str]],
    membership: dict[str, dict[str, bool]],
    channels: dict[str, dict[str, Any]],
    tid: str,
    country: str,
    cid: str,
) -> bool:
    """Whether channel ``cid`` reaches target ``tid`` (its member column, else membership)."""
    ch = channels[cid]
    if tid not in ch["targets"]:
        return False
    col = ch["member"]
    if col is None:
        return True
    flag = yes_no(rows[country].get(col) or "")
    if flag is None:
        flag = membership.get(tid, {}).get(col)
    if flag is None:
        ck.add(
            "unknown-membership",
            f"membership.{tid}",
            f"countries.csv has no yes/no '{col}' for {country}; declare it under "
            f"membership.{tid}.{col}",
        )
        return False
    return flag


def _segments(ck: Checker, value: Any, entry: str) -> tuple[tuple[float, float], ...] | None:
    """``[[width, slope], ...]`` with non-increasing positive slopes (concave)."""
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        ck.add("wrong-type", entry, "expected a list of [width, slope] segments")
        return None
    out: list[tuple[float, float]] = []
    for k, seg in enumerate(value):
        if not (isinstance(seg, list) and len(seg) == 2):
            ck.add("wrong-type", f"{entry}[{k}]", "expected [width, slope]")
            return None
        w = ck.number(seg[0], f"{entry}[{k}][0]", minimum=0)
        s = ck.number(seg[1], f"{entry}[{k}][1]", minimum=0)
        if w is None or s is None:
            return None
        if out and s > out[-1][1]:
            ck.add(
                "not-concave",
                f"{entry}[{k}]",
                f"slope {s:g} is above the previous slope {out[-1][1]:g}; slopes must not "
                "increase (diminishing returns)",
            )
            return None
        out.append((w, s))
    return tuple(out)
