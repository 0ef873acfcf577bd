"""OKR102 duplicate ids, OKR104 dangling references, OKR105 the Config, OKR106 the unit tree."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import date

from okrctl.findings import Finding
from okrctl.load.declared import Declared
from okrctl.load.discover import CONFIG_NAME
from okrctl.load.documents import Doc, calendar_guess
from okrctl.load.index import Repo
from okrctl.model import CheckIn, Objective, Reading, Retro, Strategy, Unit
from okrctl.model.base import REF_PATTERN, SLUG_PATTERN
from okrctl.model.checkin import ResultEntry
from okrctl.rules.base import RuleContext

_SLUG = re.compile(SLUG_PATTERN)
_REF = re.compile(REF_PATTERN)


def check(ctx: RuleContext) -> Iterator[Finding]:
    yield from _config(ctx)
    # The second of two documents with one id (or one team's date) is the one later by path: a file
    # renamed past the other moves the finding to that other file. It is about the id (its facts),
    # wherever it is shown, so its fingerprint leaves the path out (``Finding.representative``).
    # A team's second check-in, reading or end retro names the kind too: a duplicate check-in and a
    # duplicate reading of one team and day are two findings, not one numbered twice.
    for finding in _duplicates(ctx):
        yield replace(finding, representative=True) if "first" in finding.data else finding
    yield from _references(ctx)
    yield from _tree(ctx)


def _config(ctx: RuleContext) -> Iterator[Finding]:
    repo = ctx.repo
    yield from repo.config_problems(own_rules_only=True)
    for doc in repo.docs:
        if doc.kind == "Config" and doc.path != CONFIG_NAME:
            yield repo.finding(
                "OKR105",
                doc,
                ("kind",),
                f"a Config outside the root {CONFIG_NAME}",
                "keep exactly one Config, in okrctl.yaml at the root",
            )


def _where(repo: Repo, doc: Doc, loc: tuple[object, ...]) -> str:
    """``path:line`` of ``loc`` (the id, the date) in ``doc``: where the first of a duplicate says it."""
    line, _column, _about = repo.place(doc, loc)
    return f"{doc.path}:{line or doc.line}"


def _duplicates(ctx: RuleContext) -> Iterator[Finding]:
    repo = ctx.repo
    seen_units: dict[str, Doc] = {}
    seen_ids: dict[str, Doc] = {}
    seen_checkins: dict[tuple[str, object], Doc] = {}
    seen_readings: dict[tuple[str, object], Doc] = {}
    seen_end_retros: dict[tuple[str, str], Doc] = {}
    # The check-ins and readings with errors whose owner and date can be read (``load.declared``).
    dated = {
        id(said.doc): (said.kind, said.owner, said.day)
        for said in ctx.echo.broken.documents
        if said.doc.model is None and said.kind in ("CheckIn", "Reading") and said.owner and said.day is not None
    }
    for doc in repo.docs:
        model = doc.model
        if isinstance(model, Unit):
            first = seen_units.setdefault(model.id, doc)
            if first is not doc:
                yield repo.finding(
                    "OKR102",
                    doc,
                    ("id",),
                    f"duplicate unit id '{model.id}' (first at {_where(repo, first, ('id',))})",
                    "give every unit its own id",
                    first=first.path,
                    unit=model.id,
                )
        elif isinstance(model, (Objective, Strategy)):
            first = seen_ids.setdefault(model.id, doc)
            if first is not doc:
                yield repo.finding(
                    "OKR102",
                    doc,
                    ("id",),
                    f"duplicate id '{model.id}' (first at {_where(repo, first, ('id',))}); objectives and strategies share one namespace",
                    "rename one of them",
                    first=first.path,
                    id=model.id,
                )
            if isinstance(model, Objective):
                yield from _duplicate_items(ctx, doc, "key_results", [kr.id for kr in model.key_results], "key result")
            else:
                yield from _duplicate_items(ctx, doc, "priorities", [p.id for p in model.priorities], "priority")
        elif isinstance(model, Reading):
            first = seen_readings.setdefault((model.owner, model.date), doc)
            first = repo.first_with_errors("Reading", model.owner, model.date, first) or first
            if first is not doc:
                yield _second_of_the_day(repo, doc, "Reading", model.owner, model.date, first)
        elif isinstance(model, Retro) and model.stage == "end":
            first = seen_end_retros.setdefault((model.owner, str(model.cycle)), doc)
            if first is not doc:
                # Only the first is read (its scores are the cycle's): the second is silently lost.
                yield repo.finding(
                    "OKR102",
                    doc,
                    ("stage",),
                    f"second end retro of '{model.owner}' for {model.cycle} (first at {_where(repo, first, ('stage',))})",
                    "keep one end retro per team and cycle: move what this one adds into the first",
                    first=first.path,
                    kind=doc.kind or "",
                    unit=model.owner,
                    cycle=str(model.cycle),
                )
        elif isinstance(model, CheckIn):
            first = seen_checkins.setdefault((model.owner, model.date), doc)
            first = repo.first_with_errors("CheckIn", model.owner, model.date, first) or first
            if first is not doc:
                yield _second_of_the_day(repo, doc, "CheckIn", model.owner, model.date, first)
        elif model is None and id(doc) in dated:
            # One with errors is still of its team and date (rules.md, one finding per cause): a
            # second of the day is OKR102 now, not once its own error is fixed.
            kind, owner, day = dated[id(doc)]
            first = (seen_checkins if kind == "CheckIn" else seen_readings).get((owner, day), doc)
            first = repo.first_with_errors(kind, owner, day, first) or first
            if first is not doc:
                yield _second_of_the_day(repo, doc, kind, owner, day, first)


def _second_of_the_day(repo: Repo, doc: Doc, kind: str, owner: str, day: date, first: Doc) -> Finding:
    """OKR102 on ``doc``, a second check-in or reading (``kind``) of ``owner`` for ``day`` after
    ``first``; about the kind, the owner and the day, wherever it is shown."""
    what, hint = (
        ("check-in", "keep one check-in per team and date; edit the first with 'okrctl checkin --amend'")
        if kind == "CheckIn"
        else ("reading", "keep one reading per team and date: 'okrctl measure' adds to the day's reading")
    )
    return repo.finding(
        "OKR102",
        doc,
        ("date",),
        f"second {what} of '{owner}' for {day} (first at {_where(repo, first, ('date',))})",
        hint,
        first=first.path,
        kind=kind,
        unit=owner,
        date=day.isoformat(),
    )


def _duplicate_items(ctx: RuleContext, doc: Doc, field: str, ids: list[str], what: str) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for index, item_id in enumerate(ids):
        if item_id in seen:
            yield ctx.repo.finding(
                "OKR102",
                doc,
                (field, index, "id"),
                f"duplicate {what} id '{item_id}' (first is {field}[{seen[item_id]}])",
                f"give every {what} of the document its own id",
            )
        else:
            seen[item_id] = index


def _unit_ref(ctx: RuleContext, doc: Doc, loc: tuple, unit_id: str, role: str) -> Iterator[Finding]:
    if unit_id not in ctx.repo.units and not ctx.echo.unit(unit_id):
        hint = (
            ctx.repo.suggestions.did_you_mean(unit_id, list(ctx.repo.units))
            or "declare the unit (kind: Unit) or fix the id"
        )
        yield ctx.repo.finding("OKR104", doc, loc, f"{role} '{unit_id}' is not a unit", hint)


def _cycle_ref(ctx: RuleContext, doc: Doc, cycle_id: str) -> Iterator[Finding]:
    if ctx.repo.cycle(cycle_id) is None and not ctx.echo.cycle(cycle_id):
        # A bare number is read as the year it names: ``cycle: 0000`` is the cycle '0', which the
        # user never wrote. The message echoes the file.
        written = ctx.repo.spelled(doc, ("cycle",), cycle_id)
        guess = calendar_guess(cycle_id)
        if guess is not None and ctx.repo.cycle(guess) is not None:
            hint = f"did you mean '{guess}'?"
        else:
            hint = ctx.repo.suggestions.did_you_mean(written, sorted(ctx.repo.cycles.known_ids())) or (
                "use YYYY, YYYY-Qn or YYYY-Hn, or declare the cycle under 'cycles' in okrctl.yaml"
            )
        yield ctx.repo.finding("OKR104", doc, ("cycle",), f"unknown cycle '{written}'", hint)


def _references(ctx: RuleContext) -> Iterator[Finding]:
    repo = ctx.repo
    # What each broken document declares, as the echo index read it once for every rule.
    declared = {id(said.doc): said for said in ctx.echo.broken.documents if said.doc.model is None}
    for doc in repo.docs:
        if not ctx.wanted(doc):
            continue  # every finding here is placed on the document itself
        model = doc.model
        if isinstance(model, Unit):
            if model.parent:
                yield from _unit_ref(ctx, doc, ("parent",), model.parent, "parent")
        elif isinstance(model, Strategy):
            yield from _unit_ref(ctx, doc, ("owner",), model.owner, "owner")
            yield from _cycle_ref(ctx, doc, model.cycle)
        elif isinstance(model, Objective):
            yield from _objective_refs(ctx, doc, model)
        elif isinstance(model, CheckIn):
            yield from _unit_ref(ctx, doc, ("owner",), model.owner, "owner")
            yield from _checkin_refs(ctx, doc, model.owner, model.date, model.results, model.confidence)
        elif isinstance(model, Reading):
            yield from _unit_ref(ctx, doc, ("owner",), model.owner, "owner")
            yield from _result_refs(ctx, doc, model.owner, model.date, model.values, "values", "value")
        elif isinstance(model, Retro):
            yield from _unit_ref(ctx, doc, ("owner",), model.owner, "owner")
            yield from _cycle_ref(ctx, doc, model.cycle)
            yield from _retro_refs(ctx, doc, model.owner, str(model.cycle), model.scores)
        elif model is None and id(doc) in declared:
            yield from _broken_refs(ctx, doc, declared[id(doc)])


def _broken_refs(ctx: RuleContext, doc: Doc, said: Declared) -> Iterator[Finding]:
    """The references a broken document validly declares (``load.declared``), judged like a valid
    document's: its schema error is one cause, an owner or target that does not exist another, and
    both are reported in the same run. Only fields spelled as such are judged (a misspelt key is
    its own OKR101)."""
    data = doc.data
    if not isinstance(data, dict):
        return
    if said.kind == "Unit" and said.parent and "parent" in data:
        yield from _unit_ref(ctx, doc, ("parent",), said.parent, "parent")
    if said.owner and "owner" in data and said.kind in ("Objective", "Strategy", "CheckIn", "Reading", "Retro"):
        yield from _unit_ref(ctx, doc, ("owner",), said.owner, "owner")
    if said.cycle and "cycle" in data and said.kind in ("Objective", "Strategy", "Retro"):
        yield from _cycle_ref(ctx, doc, said.cycle)
    if said.kind in ("CheckIn", "Reading", "Retro"):
        yield from _broken_keys(ctx, doc, said)
    if said.kind != "Objective":
        return
    repo = ctx.repo
    for i, item in enumerate(_listed(data.get("aligns"))):
        target = item.get("to") if isinstance(item, dict) else item
        if not isinstance(target, str) or target not in said.aligns:
            continue  # not a reference that passes its own check: the schema finding says why
        if repo.resolve(target) is None and not ctx.echo.target(target):
            hint = (
                repo.suggest_ref(target, said.id, said.owner)
                or "point at an objective, objective/kr, strategy or strategy/priority"
            )
            loc = ("aligns", i, "to") if isinstance(item, dict) else ("aligns", i)
            yield repo.finding("OKR104", doc, loc, f"alignment target '{target}' does not exist", hint)
    kr_ids = _kr_ids(data)
    for i, item in enumerate(_listed(data.get("depends_on"))):
        if not isinstance(item, dict):
            continue
        unit = item.get("unit")
        if isinstance(unit, str) and _SLUG.match(unit):
            yield from _unit_ref(ctx, doc, ("depends_on", i, "unit"), unit, "dependency on")
        needed_for = item.get("for")
        if kr_ids is not None and isinstance(needed_for, str) and _SLUG.match(needed_for):
            yield from _dependency_for(ctx, doc, i, needed_for, said.id, kr_ids)
    for i, supported in enumerate(_listed(data.get("supports"))):
        if supported in said.supports and supported not in repo.objectives and not ctx.echo.target(supported):
            hint = (
                repo.suggestions.did_you_mean(supported, list(repo.objectives))
                or "list the id of the peer objective you help"
            )
            yield repo.finding(
                "OKR104", doc, ("supports", i), f"supported objective '{supported}' does not exist", hint
            )


def _broken_keys(ctx: RuleContext, doc: Doc, said: Declared) -> Iterator[Finding]:
    """The keys of a broken check-in's ``results`` and ``confidence``, a broken reading's
    ``values`` and a broken retro's ``scores``, judged like a valid document's once its owner and
    date (a retro: its cycle) can be read. Only keys that pass their own check: a key that does not
    is its own OKR101."""
    data = doc.data
    if not isinstance(data, dict) or said.owner is None:
        return
    if said.kind == "Retro":
        if said.cycle is not None:
            yield from _retro_refs(ctx, doc, said.owner, said.cycle, _keyed(data.get("scores"), _REF))
        return
    if said.day is None:
        return
    if said.kind == "Reading":
        yield from _result_refs(ctx, doc, said.owner, said.day, _keyed(data.get("values"), _REF), "values", "value")
        return
    confidence = data.get("confidence")
    per_objective = _keyed(confidence, _SLUG) if isinstance(confidence, dict) else None
    yield from _checkin_refs(ctx, doc, said.owner, said.day, _keyed(data.get("results"), _REF), per_objective)


def _keyed(value: object, pattern: re.Pattern[str]) -> dict[str, object]:
    """The entries of a mapping read from a broken document whose key passes its own check."""
    if not isinstance(value, dict):
        return {}
    return {key: entry for key, entry in value.items() if isinstance(key, str) and pattern.match(key)}


def _kr_ids(data: dict[str, object]) -> list[str] | None:
    """The key-result ids of a broken objective; None when one of them cannot be read (a dependency
    may be for that one)."""
    items = data.get("key_results")
    if not isinstance(items, list):
        return None
    ids = [item.get("id") if isinstance(item, dict) else None for item in items]
    if not all(isinstance(kr_id, str) and _SLUG.match(kr_id) for kr_id in ids):
        return None
    return [kr_id for kr_id in ids if isinstance(kr_id, str)]


def _listed(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _dependency_for(
    ctx: RuleContext, doc: Doc, index: int, needed_for: str, objective_id: str | None, kr_ids: list[str]
) -> Iterator[Finding]:
    """``depends_on[index].for`` names a key result of the objective itself."""
    if needed_for in kr_ids:
        return
    hint = ctx.repo.suggestions.did_you_mean(needed_for, kr_ids) or "name one of this objective's key results"
    named = f"'{objective_id}'" if objective_id else "this objective"
    yield ctx.repo.finding(
        "OKR104",
        doc,
        ("depends_on", index, "for"),
        f"dependency is for '{needed_for}', which is not a key result of {named}",
        hint,
    )


def _objective_refs(ctx: RuleContext, doc: Doc, model: Objective) -> Iterator[Finding]:
    repo = ctx.repo
    yield from _unit_ref(ctx, doc, ("owner",), model.owner, "owner")
    yield from _cycle_ref(ctx, doc, model.cycle)
    for i, link in enumerate(model.aligns):
        if repo.resolve(link.to) is None and not ctx.echo.target(link.to):
            hint = (
                repo.suggest_ref(link.to, model.id, model.owner)
                or "point at an objective, objective/kr, strategy or strategy/priority"
            )
            yield repo.finding("OKR104", doc, ("aligns", i, "to"), f"alignment target '{link.to}' does not exist", hint)
    kr_ids = [kr.id for kr in model.key_results]
    for i, dep in enumerate(model.depends_on):
        yield from _unit_ref(ctx, doc, ("depends_on", i, "unit"), dep.unit, "dependency on")
        if dep.for_:
            yield from _dependency_for(ctx, doc, i, dep.for_, model.id, kr_ids)
    for i, supported in enumerate(model.supports):
        if supported not in repo.objectives and not ctx.echo.target(supported):
            hint = (
                repo.suggestions.did_you_mean(supported, list(repo.objectives))
                or "list the id of the peer objective you help"
            )
            yield repo.finding(
                "OKR104", doc, ("supports", i), f"supported objective '{supported}' does not exist", hint
            )


def _result_value(entry: object) -> object:
    """The value of a result or reading entry, written alone or as ``{value: ..., note: ...}`` (a
    model's, or as a broken document reads)."""
    if isinstance(entry, ResultEntry):
        return entry.value
    return entry.get("value") if isinstance(entry, dict) else entry


def _result_refs(
    ctx: RuleContext,
    doc: Doc,
    owner: str,
    day: date,
    entries: Mapping[str, object],
    field: str,
    what: str,
    settled: bool = False,
    elsewhere: dict[tuple[str, str], list[Objective]] | None = None,
) -> Iterator[Finding]:
    """Every key of a check-in's results or a reading's values names a KR of the owner on the date
    (``settled``: the caller knows the owner has objectives that day, none of them broken;
    ``elsewhere``: the document's keys that name objectives of the owner of other cycles, when the
    caller has them, ``Echoes.of_other_cycles``)."""
    repo = ctx.repo
    if not settled:
        if not repo.objectives_on(owner, day):
            return  # OKR502 says the document is outside every cycle of the owner
        if ctx.echo.owner_unsettled(owner, day):
            return  # one of the owner's objectives is broken: its own finding says so
    known = repo.result_keys(owner, day)
    named: dict[tuple[str, str], str] = {}  # each key result given, by the first key that names it
    names: list[str] | None = None  # the keys a result can be written with, once a key is none of them
    for key in entries:
        matches = known.get(key, ())
        if len(matches) == 1:
            first = named.setdefault((matches[0][0].id, matches[0][1].id), key)
            if first != key:
                yield _given_twice(repo, doc, (field, key), what, matches[0][0].id, matches[0][1].id, first, key)
        # Judged for key results of the selected cycles: the check-ins a scoped load reads
        # (``rules.needs``: one in the cycle of a judged objective of its owner is needed).
        value = _result_value(entries[key])
        if (
            len(matches) == 1
            and matches[0][1].type != "milestone"
            and isinstance(value, bool)
            and ctx.selected(str(matches[0][0].cycle))
        ):
            kr = matches[0][1]
            place = (field, key, "value") if isinstance(entries[key], (ResultEntry, dict)) else (field, key)
            written = repo.spelled(doc, place, "true" if value else "false")
            yield repo.finding(
                "OKR101",
                doc,
                place,
                f"{what} for '{key}' is {written}, but '{kr.id}' is a {kr.type} key result: its value is a number",
                "true and false are for milestone key results (done or not); write the measured number",
            )
        if key not in known:
            if names is None:  # once for the mapping, not once for each of its slips
                objectives = [d.model for d in repo.objectives_on(owner, day)]
                names = sorted(
                    {kr.id for o in objectives for kr in o.key_results}
                    | {f"{o.id}/{kr.id}" for o in objectives for kr in o.key_results}
                )
            if elsewhere is None:
                elsewhere = ctx.echo.of_other_cycles(owner, day, {field: entries})
            listed = f"key results of {owner} on {day}: " + ", ".join(names[:8])
            found = elsewhere.get((field, key))
            if found:
                # Exactly a key result of the owner's, of another cycle: no slip to guess at.
                said = _of_another_cycle(ctx, owner, found)
                if said is not None:
                    message = f"{what} for '{key}', which is a key result of {said}, not of its objectives on {day}"
                    yield repo.finding("OKR104", doc, (field, key), message, listed, key=True)
                continue
            hint = repo.suggestions.did_you_mean(key, names) or listed
            yield repo.finding(
                "OKR104",
                doc,
                (field, key),
                f"{what} for '{key}', which is not a key result of {owner}'s objectives on {day}",
                hint,
                key=True,
            )


def _of_another_cycle(ctx: RuleContext, owner: str, found: list[Objective]) -> str | None:
    """How a key that names ``found``, objectives of ``owner`` of other cycles, says so ("alpha's
    objective alpha-b of 2026-Q3"); None when it names one objective that check-ins name outside
    its cycle: that is one mistake, reported once about the objective (OKR502), not on every key."""
    if len(found) == 1 and found[0].id in ctx.echo.named_outside_their_cycle():
        return None
    listed = ", ".join(f"{o.id} of {o.cycle}" for o in found)
    return f"{owner}'s objective{'s' if len(found) > 1 else ''} {listed}"


def _given_twice(
    repo: Repo, doc: Doc, place: tuple[str, str], what: str, objective: str, kr: str, first: str, key: str
) -> Finding:
    """A key result named twice in one mapping (``x`` and ``objective/x``): the views would read
    one of the two values by the order of the lines, silently."""
    return repo.finding(
        "OKR102",
        doc,
        place,
        f"{what} for '{objective}/{kr}' is given twice, as '{first}' and as '{key}'",
        "keep one of the two lines",
        key=True,
    )


def _checkin_refs(
    ctx: RuleContext, doc: Doc, owner: str, day: date, results: Mapping[str, object], confidence: object
) -> Iterator[Finding]:
    repo = ctx.repo
    objectives = [d.model for d in repo.objectives_on(owner, day)]
    if not objectives:
        return  # OKR502 says the check-in is outside every cycle of the owner
    if ctx.echo.owner_unsettled(owner, day):
        return  # one of the owner's objectives is broken: its own finding says so
    per_objective = confidence if isinstance(confidence, dict) else {}
    elsewhere = ctx.echo.of_other_cycles(owner, day, {"confidence": per_objective, "results": results})
    yield from _result_refs(ctx, doc, owner, day, results, "results", "result", settled=True, elsewhere=elsewhere)
    if isinstance(confidence, dict):
        ids = [o.id for o in objectives]
        known = set(ids)
        for key in confidence:
            found = elsewhere.get(("confidence", key))
            if found:
                # The id of an objective of the owner's, of another cycle: no slip to guess at.
                if _of_another_cycle(ctx, owner, found) is not None:
                    yield repo.finding(
                        "OKR104",
                        doc,
                        ("confidence", key),
                        f"confidence for '{key}', which is {owner}'s objective of {found[0].cycle}, "
                        f"not one of its objectives on {day}",
                        "objectives: " + ", ".join(ids),
                        key=True,
                    )
                continue
            if key not in known:
                hint = repo.suggestions.did_you_mean(key, ids) or "objectives: " + ", ".join(ids)
                yield repo.finding(
                    "OKR104",
                    doc,
                    ("confidence", key),
                    f"confidence for '{key}', which is not an objective of {owner} on {day}",
                    hint,
                    key=True,
                )


def _retro_refs(
    ctx: RuleContext, doc: Doc, owner: str, cycle_id: str, scores: Mapping[str, object]
) -> Iterator[Finding]:
    repo = ctx.repo
    objectives = [d.model for d in repo.objectives_of(owner, cycle_id)]
    cycle = repo.cycle(cycle_id)
    if ctx.echo.owner_unsettled(owner, cycle.start if cycle else None):
        return  # one of the owner's objectives is broken: its own finding says so
    # Each key a score can be written with (``kr`` or ``objective/kr``) -> the key results it names.
    names: dict[str, list[tuple[str, str]]] = {}
    for o in objectives:
        for kr in o.key_results:
            names.setdefault(kr.id, []).append((o.id, kr.id))
            names.setdefault(f"{o.id}/{kr.id}", []).append((o.id, kr.id))
    in_order: list[str] | None = None
    elsewhere: dict[tuple[str, str], list[Objective]] | None = None
    named: dict[tuple[str, str], str] = {}
    for key in scores:
        owner_of = names.get(key, [])
        if len(owner_of) == 1:
            first = named.setdefault(owner_of[0], key)
            if first != key:
                yield _given_twice(repo, doc, ("scores", key), "score", *owner_of[0], first, key)
        if key not in names:
            in_order = sorted(names) if in_order is None else in_order
            if elsewhere is None:
                elsewhere = ctx.echo.scores_of_other_cycles(owner, cycle_id, scores)
            cycle_named = repo.spelled(doc, ("cycle",), cycle_id)
            listed = "score the key results of the owner's objectives in this cycle"
            found = elsewhere.get(("scores", key))
            if found:
                said = _of_another_cycle(ctx, owner, found)
                if said is not None:
                    message = (
                        f"score for '{key}', which is a key result of {said}, not of its objectives of {cycle_named}"
                    )
                    yield repo.finding("OKR104", doc, ("scores", key), message, listed, key=True)
                continue
            hint = repo.suggestions.did_you_mean(key, in_order) or listed
            yield repo.finding(
                "OKR104",
                doc,
                ("scores", key),
                f"score for '{key}', which is not a key result of {owner} in {cycle_named}",
                hint,
                key=True,
            )


def _tree(ctx: RuleContext) -> Iterator[Finding]:
    repo = ctx.repo
    reported: set[str] = set()
    settled: set[str] = set()  # units whose chain of parents has been followed to its end already
    for unit_id in sorted(repo.units):
        # Each unit is walked once over the whole loop below: linear in the number of units.
        path: list[str] = []
        on_path: dict[str, int] = {}
        current: str | None = unit_id
        while current is not None and current in repo.units and current not in on_path and current not in settled:
            on_path[current] = len(path)
            path.append(current)
            current = repo.units[current].model.parent
        settled.update(path)
        if current is not None and current in on_path:
            loop = path[on_path[current] :]
            if reported.isdisjoint(loop):
                reported.update(loop)
                first = min(loop)
                cycle = " → ".join(loop[loop.index(first) :] + loop[: loop.index(first)] + [first])
                yield repo.finding(
                    "OKR106",
                    repo.units[first],
                    ("parent",),
                    f"the unit tree has a loop: {cycle}",
                    "every unit's chain of parents must end at the root unit",
                )
    roots = repo.root_units()
    if len(roots) > 1:
        # ``root_units`` puts the root it keeps first (the company, else the largest tree).
        for extra in roots[1:]:
            yield repo.finding(
                "OKR106",
                repo.units[extra],
                ("id",),
                f"more than one root unit ({', '.join(sorted(roots))}): '{extra}' has no parent",
                "give every unit but the single root a parent",
            )
