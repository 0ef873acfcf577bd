"""What each rule of SPEC §5 means, why it matters, and a bad and a good example (``okrctl rules CODE``).

Kept apart from ``okrctl/catalog.py`` (imported by the config model) so that the long texts load only when
someone asks for them: ``okrctl rules``, and the SARIF rule descriptions.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleDoc:
    what: str  # what the rule checks, in a few sentences
    why: str  # why a team should care
    bad: str  # YAML that triggers the rule
    good: str  # the same YAML, fixed
    # The findings the rule grades lighter than its default, and how: ("info", "a change documented
    # under 'rescoped' within 7 days"). okrctl.yaml's rules.severity leaves them so (``configured_severity``).
    lighter: tuple[str, str] | None = None


DOCS: dict[str, RuleDoc] = {
    "OKR100": RuleDoc(
        what="The file cannot be read as YAML: a syntax error, a key written twice, bytes that are not "
        "UTF-8, a file over 1 MiB, too many aliases or too deep nesting, or a symlink that points outside "
        "the repository.",
        why="A file okrctl cannot read drops silently out of every status, report and check. Duplicate keys "
        "are the sneaky case: most YAML tools keep the last value without a word.",
        bad="""\
apiVersion: okrctl/v1
kind: Objective
id: discover-first-week
title: Make the first week seamless
title: Make week one great          # the same key twice
""",
        good="""\
apiVersion: okrctl/v1
kind: Objective
id: discover-first-week
title: Make the first week seamless
""",
    ),
    "OKR101": RuleDoc(
        what="The document does not fit the schema of its kind: a missing or unknown field, a wrong type, an "
        "id that is not a slug, a value out of range.",
        why="Unknown fields are errors so that a typo never passes: 'targt: 90' would otherwise leave the key "
        "result without a target and nobody would notice until the end of the quarter.",
        bad="""\
apiVersion: okrctl/v1
kind: Objective
id: Discover_First_Week             # ids are lowercase slugs
owner: discover
cycle: 2026-Q1
titel: Make the first week seamless # unknown field (typo)
""",
        good="""\
apiVersion: okrctl/v1
kind: Objective
id: discover-first-week
owner: discover
cycle: 2026-Q1
title: Make the first week seamless
""",
    ),
    "OKR102": RuleDoc(
        what="Two things share an id: units; objectives and strategies (one namespace); key results of one "
        "objective; priorities of one strategy; two check-ins (or readings) of one owner for the same date; or "
        "two end retros of one owner for the same cycle.",
        why="References point at ids. With two objectives called 'first-week', an alignment or a check-in "
        "result could mean either, and reports would count one of them twice or not at all.",
        bad="""\
# okrs/2026-Q1/discover.yaml
apiVersion: okrctl/v1
kind: Objective
id: first-week
owner: discover
cycle: 2026-Q1
title: Make the first week seamless
---
# okrs/2026-Q1/cards.yaml
apiVersion: okrctl/v1
kind: Objective
id: first-week                      # taken by discover
owner: cards
cycle: 2026-Q1
title: Cards in hand in the first week
""",
        good="""\
apiVersion: okrctl/v1
kind: Objective
id: discover-first-week
owner: discover
cycle: 2026-Q1
title: Make the first week seamless
---
apiVersion: okrctl/v1
kind: Objective
id: cards-first-week
owner: cards
cycle: 2026-Q1
title: Cards in hand in the first week
""",
    ),
    "OKR103": RuleDoc(
        what="The document has no apiVersion or kind, or one okrctl does not know.",
        why="Every YAML file in the repository is an okrctl document; 'kind' says what it is. Without it "
        "okrctl cannot tell an objective from a check-in and skips the document.",
        bad="""\
kind: Objectiv                      # no apiVersion, unknown kind
id: discover-first-week
""",
        good="""\
apiVersion: okrctl/v1
kind: Objective
id: discover-first-week
""",
    ),
    "OKR104": RuleDoc(
        what="A reference to something that does not exist: a unit, parent, owner, cycle, alignment target, "
        "dependency, a key result named in a check-in or retro, or a rule code in a '# okrctl: ignore[…]' "
        "comment (a comment names whole codes; prefixes work on the command line only). The finding "
        "suggests the closest id.",
        why="A dangling reference breaks the chain from team to strategy: the objective counts for nobody, "
        "the check-in value is lost.",
        bad="""\
apiVersion: okrctl/v1
kind: Objective
id: discover-first-week
owner: discovr                      # no such unit
cycle: 2026-Q1
title: Make the first week seamless
aligns:
  - {to: digital-first-wek}         # no such objective
""",
        good="""\
apiVersion: okrctl/v1
kind: Objective
id: discover-first-week
owner: discover
cycle: 2026-Q1
title: Make the first week seamless
aligns:
  - {to: digital-first-week}
""",
    ),
    "OKR105": RuleDoc(
        what="The repository has no Config document in okrctl.yaml at its root, or more than one Config.",
        why="okrctl.yaml marks the root of the repository and holds the settings every command uses "
        "(cycles, check-in scale, limits, rules). Two of them would disagree.",
        bad="""\
# drafts/okrctl.yaml - a second Config, outside the root
apiVersion: okrctl/v1
kind: Config
organization: Banco Exemplo
""",
        good="""\
# okrctl.yaml at the root, and only there
apiVersion: okrctl/v1
kind: Config
organization: Banco Exemplo
""",
    ),
    "OKR106": RuleDoc(
        what="The unit tree has a loop (a unit is its own ancestor) or more than one root (more than one "
        "unit without a parent).",
        why="Alignment, roll-up reports and 'okrctl plan' walk the tree up to its root. A loop or a second "
        "root leaves teams outside the organisation.",
        bad="""\
apiVersion: okrctl/v1
kind: Unit
id: discover
parent: digital-services
---
apiVersion: okrctl/v1
kind: Unit
id: digital-services
type: business-unit
parent: discover                    # loop: discover -> digital-services -> discover
""",
        good="""\
apiVersion: okrctl/v1
kind: Unit
id: discover
parent: digital-services
---
apiVersion: okrctl/v1
kind: Unit
id: digital-services
type: business-unit
parent: banco                       # the chain ends at the single root unit
""",
    ),
    "OKR107": RuleDoc(
        what="A comment meant for okrctl that okrctl cannot follow: its text starts with 'okrctl:' (in any "
        "case, or with a space before the colon) or 'okrctl ignore[', and it is not '# okrctl: ignore[CODE, "
        "…]' with at least one code and the codes separated by commas — a misspelt 'ignroe', codes without "
        "brackets, an unclosed bracket. A well-formed comment that names a code of no rule is OKR104.",
        why="Such a comment silences nothing, while whoever wrote it believes a finding is silenced; the "
        "finding they meant to silence is still reported, and nobody sees why.",
        bad="""\
apiVersion: okrctl/v1
kind: Objective
id: kyc-vendor-switch
owner: identity-platform
cycle: 2026-Q4
title: Be ready to switch KYC vendors   # okrctl: ignroe[OKR201]
""",
        good="""\
apiVersion: okrctl/v1
kind: Objective
id: kyc-vendor-switch
owner: identity-platform
cycle: 2026-Q4
title: Be ready to switch KYC vendors   # okrctl: ignore[OKR201]
""",
    ),
    "OKR201": RuleDoc(
        what="An objective of a team (a unit of type team) has no 'aligns' at all: it links up to no "
        "strategy priority and no objective or key result of a parent unit.",
        why="Team OKRs are written by the team, but for the strategy. An objective that serves nothing "
        "above it is either missing its link or is work the organisation did not ask for; both are worth "
        "a conversation before the quarter starts.",
        bad="""\
apiVersion: okrctl/v1
kind: Objective
id: discover-first-week
owner: discover
cycle: 2026-Q1
title: Make the first week seamless
key_results: [...]
""",
        good="""\
apiVersion: okrctl/v1
kind: Objective
id: discover-first-week
owner: discover
cycle: 2026-Q1
title: Make the first week seamless
aligns:
  - {to: digital-first-week}        # an objective of the parent unit
key_results: [...]
""",
    ),
    "OKR202": RuleDoc(
        what="A priority of a strategy, or an objective of a company or business unit, that no objective "
        "of an overlapping cycle aligns to (directly, or to one of the objective's key results).",
        why="A priority nobody works on is a wish. A strategic objective without contributors will be "
        "reported red at the end of the quarter and nobody will have owned it.",
        bad="""\
apiVersion: okrctl/v1
kind: Strategy
id: strategy-2026
owner: banco
cycle: 2026
priorities:
  - {id: simplify-onboarding, title: Simplify onboarding}
  - {id: small-business, title: Grow into small business}   # nothing aligns here
""",
        good="""\
# ... and in okrs/2026-Q1/small-business-app.yaml:
apiVersion: okrctl/v1
kind: Objective
id: sme-open-in-app
owner: small-business-app
cycle: 2026-Q1
title: Open a business account from the phone in one sitting
aligns:
  - {to: strategy-2026/small-business}
""",
    ),
    "OKR203": RuleDoc(
        what="An alignment of type explicit points at something other than a key result (an objective, a "
        "strategy or a priority).",
        why="Explicit alignment means the team adopts one parent key result as its objective. Only a key "
        "result can be adopted that way; anything else is guidance, i.e. a directional link.",
        bad="""\
aligns:
  - {to: digital-first-week, type: explicit}       # an objective
""",
        good="""\
aligns:
  - {to: digital-first-week/nps, type: explicit}   # objective-id/kr-id
""",
    ),
    "OKR204": RuleDoc(
        what="An objective has more than one explicit alignment.",
        why="An objective that adopts two parent key results has two goals: its key results cannot be "
        "judged against either. Keep one explicit link and make the others directional.",
        bad="""\
aligns:
  - {to: digital-first-week/nps, type: explicit}
  - {to: digital-first-week/drop-off, type: explicit}
""",
        good="""\
aligns:
  - {to: digital-first-week/nps, type: explicit}
  - {to: digital-first-week/drop-off}               # directional
""",
    ),
    "OKR205": RuleDoc(
        what="An objective aligns to an objective or key result of a unit that is not one of its owner's "
        "ancestors: a peer team, a unit below it, its own unit, or another branch of the tree. A strategy "
        "may belong to the owner itself or to an ancestor.",
        why="Vertical alignment reads from bottom to top: it tells leadership which team work feeds which "
        "strategic goal. Help between peers is horizontal alignment: 'depends_on' on one side, "
        "'supports' on the other.",
        bad="""\
# owner: cards (a team under digital-services)
aligns:
  - {to: discover-first-week}       # an objective of the peer team discover
""",
        good="""\
aligns:
  - {to: digital-first-week}        # an objective of the parent digital-services
depends_on:
  - {unit: discover, need: Card step inside the onboarding flow}
""",
    ),
    "OKR206": RuleDoc(
        what="Following alignments from objective to objective (or key result) leads back to where it started.",
        why="Alignment must end at a strategy. In a loop each objective justifies the other and neither "
        "serves anything; roll-ups would count forever.",
        bad="""\
# okrs/a.yaml                        # okrs/b.yaml
id: growth-q1                         # id: acquisition-q1
aligns: [{to: acquisition-q1}]        # aligns: [{to: growth-q1}]
""",
        good="""\
# okrs/a.yaml                        # okrs/b.yaml
id: growth-q1                         # id: acquisition-q1
aligns: [{to: strategy-2026/grow}]    # aligns: [{to: growth-q1}]
""",
    ),
    "OKR207": RuleDoc(
        what="The alignment target belongs to a cycle that does not overlap the objective's cycle (e.g. a "
        "2026-Q2 objective aligned to a 2026-Q1 objective).",
        why="An objective can only serve a goal that is being pursued at the same time. A link to last "
        "quarter's objective usually means the file was copied forward and the link was not updated.",
        bad="""\
id: discover-onboarding-q2
cycle: 2026-Q2
aligns:
  - {to: digital-first-week-q1}     # a 2026-Q1 objective
""",
        good="""\
id: discover-onboarding-q2
cycle: 2026-Q2
aligns:
  - {to: digital-first-week-q2}     # the parent's objective for 2026-Q2 (or its 2026 one)
""",
    ),
    "OKR208": RuleDoc(
        what="A metric key result repeats a key result of an objective it aligns to: the same metric name "
        "(or the same title, ignoring case and spaces) with the same baseline and target.",
        why="Copying the parent's key results is the 'cascade' anti-pattern: the team inherits a number it "
        "cannot move alone and stops thinking about its own levers. A team's key results say what it will "
        "change so that the parent's number moves.",
        bad="""\
# parent digital-first-week has: {id: nps, title: First-week NPS rises from 20 to 35, baseline: 20, target: 35}
aligns: [{to: digital-first-week/nps, type: explicit}]
key_results:
  - {id: nps, title: First-week NPS rises from 20 to 35, baseline: 20, target: 35}
""",
        good="""\
aligns: [{to: digital-first-week/nps, type: explicit}]
key_results:
  - {id: card-activation-7d, title: Cards activated within 7 days rise from 48% to 75%,
     unit: "%", baseline: 48, target: 75}
""",
    ),
    # ----- planning gate (issue 10) ------------------------------------------------------------
    "OKR209": RuleDoc(
        what="An objective of a company or business unit aligns to nothing, although a Strategy covers its "
        "cycle: every alignment chain that runs up through it stops short of the strategy. It is reported "
        "once, on the objective where the chain stops, naming the objectives below it. (A team objective "
        "that aligns to nothing is OKR201; a cycle without any Strategy is OKR210.)",
        why="Alignment is meant to connect every team's work to a strategy priority. A chain that ends in "
        "a strategic objective linked to nothing looks aligned from below, yet serves no priority: "
        "leadership cannot tell which bet it pays into, and the report shows it under no priority.",
        bad="""\
kind: Objective
id: platform-costs
owner: platform          # a business unit
cycle: 2026-Q4
title: Spend less on the cloud
# no aligns: provider-costs aligns to it, and neither reaches the strategy
""",
        good="""\
kind: Objective
id: platform-costs
owner: platform
cycle: 2026-Q4
title: Spend less on the cloud
aligns:
  - {to: strategy-2026/reliable}
""",
    ),
    "OKR210": RuleDoc(
        what="A cycle that is active or planned (it has objectives and has not ended) is covered by no "
        "Strategy: no Strategy document has a cycle that overlaps it. Reported once per cycle, on its first "
        "objective.",
        why="Teams write their objectives from the strategy's priorities. Without a strategy for the "
        "period, every objective aligns to guesses or to nothing, and OKR202 cannot tell which priority "
        "lacks contributors.",
        bad="""\
kind: Objective
id: acme-2027-q1
owner: acme
cycle: 2027-Q1          # strategy/2026.yaml is the only Strategy
""",
        good="""\
kind: Strategy
id: strategy-2027
owner: acme
cycle: 2027
priorities:
  - {id: mid-sized, title: Win mid-sized teams}
""",
    ),
    "OKR301": RuleDoc(
        what="A unit has more objectives in one cycle than limits.objectives_per_team (3 by default).",
        why="OKRs are about focus. A team with five objectives has no priorities; usually one objective "
        "per team and quarter is enough.",
        bad="""\
# okrctl.yaml: limits: {objectives_per_team: 3}
# okrs/2026-Q1/discover.yaml holds four objectives of discover for 2026-Q1
""",
        good="""\
# one or two objectives of discover for 2026-Q1; the rest waits for a later cycle
apiVersion: okrctl/v1
kind: Objective
id: discover-first-week
owner: discover
cycle: 2026-Q1
title: Make the first week seamless
""",
    ),
    "OKR302": RuleDoc(
        what="An objective has fewer or more key results than limits.krs_per_objective ([2, 5] by default).",
        why="One key result is a single number to game; seven are a dashboard. Two to five key results "
        "show from different sides that the objective is reached.",
        bad="""\
key_results:
  - {id: onboarding-completion, title: Onboarding completion rises from 65% to 90%, baseline: 65, target: 90}
""",
        good="""\
key_results:
  - {id: onboarding-completion, title: Onboarding completion rises from 65% to 90%, baseline: 65, target: 90}
  - {id: setup-tickets, title: Account-setup tickets fall from 400 to 280 a week, baseline: 400, target: 280}
""",
    ),
    "OKR303": RuleDoc(
        what="A metric key result without a baseline or a target, or a maintain key result with neither min nor max "
        "(or with a min above its max, which no value fits).",
        why="Without a baseline and a target there is no progress to compute: status, forecast and score "
        "stay empty all quarter.",
        bad="""\
key_results:
  - {id: onboarding-completion, title: Improve onboarding completion, unit: "%"}
""",
        good="""\
key_results:
  - {id: onboarding-completion, title: Onboarding completion rises from 65% to 90%,
     unit: "%", baseline: 65, target: 90}
""",
    ),
    "OKR304": RuleDoc(
        what="A metric key result whose target equals its baseline.",
        why="A key result asks for a movement. With no movement it is a KPI relabelled as a goal: either "
        "set the level the team wants to reach, or make it a maintain key result (min/max) if holding "
        "the level is the point.",
        bad="""\
  - {id: fraud-rate, title: Fraud rate at 0.1%, unit: "%", baseline: 0.1, target: 0.1}
""",
        good="""\
  - {id: fraud-rate, type: maintain, title: Fraud stays below 0.1%, unit: "%", max: 0.1}
""",
    ),
    "OKR305": RuleDoc(
        what="A key result whose title starts with launch, build, implement, ship, deliver, create, "
        "complete, release, deploy, migrate, write, design or develop: it reads like a task or an output. "
        "A title that itself says how a metric moves ('Build time falls from 20 to 8 minutes') is not "
        "reported.",
        why="Key results measure outcomes: what changes for customers or the business when the work is "
        "done. Tasks belong in the backlog ('work:' links); they can be finished while nothing improves.",
        bad="""\
  - {id: new-tutorial, type: milestone, title: Launch the new in-app tutorial}
""",
        good="""\
  - {id: tutorial-engagement, title: New users engaging with the tutorial grow from 15% to 50%,
     unit: "%", baseline: 15, target: 50}
""",
    ),
    "OKR306": RuleDoc(
        what="A pace point of a metric key result is dated outside the objective's cycle, or the pace "
        "values do not move step by step from the baseline toward the target (a value goes backwards or "
        "past the target).",
        why="Pace sets the expected progress of each week. A point outside the cycle is never used, and a "
        "pace that goes backwards makes the status flip between on-track and off-track for no reason.",
        bad="""\
  - id: tutorial-engagement
    baseline: 15
    target: 50
    pace: {2026-03-15: 45, 2026-04-15: 40}   # backwards, and 2026-04-15 is after 2026-Q1
""",
        good="""\
  - id: tutorial-engagement
    baseline: 15
    target: 50
    pace: {2026-02-15: 25, 2026-03-15: 45}
""",
    ),
    "OKR307": RuleDoc(
        what="An objective still holds the placeholder text that 'okrctl plan --write' scaffolds (a title, "
        "a key result title or unit, a 'why' or a dependency's need starting with TODO): an error once its "
        "cycle has started, a warning in the 14 days before. Earlier, a draft may hold placeholders. One "
        "finding per objective, at its first placeholder, listing the others.",
        why="The scaffold is valid YAML on purpose, so that a team can commit a draft while it plans. A "
        "draft that reaches the quarter unfinished measures nothing: its baselines are 0 and its targets 1.",
        bad="""\
id: ping-draft
cycle: 2026-Q4          # started
title: "TODO: what will be different at the end of 2026-Q4, in our own words?"
key_results:
  - {id: kr-1, title: "TODO: outcome 1 moves from its baseline to its target", baseline: 0, target: 1}
""",
        good="""\
id: ping-q4
cycle: 2026-Q4
title: Releases stop being an event
key_results:
  - {id: release-days, title: Days between releases fall from 14 to 2, baseline: 14, target: 2}
""",
        lighter=("warning", "a placeholder in the 14 days before the cycle starts"),
    ),
    "OKR401": RuleDoc(
        what="An objective declares 'depends_on' a unit, and no objective of that unit in an overlapping "
        "cycle lists the needing objective under 'supports'.",
        why="A dependency written down by one side only is a hope. The acknowledgement means the other "
        "team has planned the work; without it the dependency is the first thing to slip.",
        bad="""\
# discover's objective
id: discover-first-week
depends_on:
  - {unit: identity-platform, need: KYC answer under 2 s}
# identity-platform's objective has no 'supports'
""",
        good="""\
# identity-platform's objective, same quarter
id: identity-fast-kyc
supports: [discover-first-week]
""",
    ),
    "OKR402": RuleDoc(
        what="Two units depend on each other in overlapping cycles: each has an objective with 'depends_on' the other.",
        why="Mutual dependencies stall easily: each team waits for the other. Not wrong in itself (hence "
        "info), but worth agreeing in planning who delivers what first.",
        bad="""\
# ping's objective                   # pong's objective
depends_on: [{unit: pong, need: Cache}]  # depends_on: [{unit: ping, need: Faster CI}]
""",
        good="""\
# only one direction, or one shared objective for the joint work
depends_on: [{unit: pong, need: Cache}]
""",
    ),
    "OKR403": RuleDoc(
        what="Key results of two objectives in overlapping cycles name the same 'metric' and push it in "
        "opposite directions: one target above its baseline, the other below.",
        why="Two teams pulling one number apart cancel each other out, and one of them will fail by "
        "design. Agree on one direction, or name two metrics if they really measure different things.",
        bad="""\
# depender: {id: releases, metric: release-frequency, baseline: 4, target: 12}
# pong:     {id: release-freeze, metric: release-frequency, baseline: 8, target: 2}
""",
        good="""\
# depender: {id: releases, metric: release-frequency, baseline: 4, target: 12}
# pong:     {id: migration-releases, metric: migration-release-frequency, baseline: 8, target: 2}
""",
    ),
    "OKR404": RuleDoc(
        what="An objective depends on a unit ('depends_on') whose objective — the one that acknowledges "
        "the need under 'supports', else the unit's objectives of the cycle — is off-track, or whose "
        "confidence fell by 3 points or more at its latest check-in. The finding sits on the "
        "'depends_on' entry.",
        why="Teams move like a fleet: when the ship you follow loses way, you adjust now, not at the "
        "retro. The needing team rarely reads the other team's check-ins; this puts the news where "
        "its own plan is written.",
        bad="""\
# discover's objective
depends_on:
  - {unit: identity-platform, need: KYC answer under 2 s}
# identity-platform's latest check-ins: confidence 8, then 2; its objective off-track
""",
        good="""\
# identity-platform is on course again (or discover re-planned and dropped the dependency)
depends_on:
  - {unit: identity-platform, need: KYC answer under 2 s}
# identity-platform's latest check-ins: confidence 7, then 7; on-track
""",
    ),
    "OKR501": RuleDoc(
        what="An owner of an active objective has no check-in in the last checkin.stale_after_days days "
        "(10 by default).",
        why="Weekly check-ins are what make OKRs steer the work. A team that stopped checking in has "
        "usually stopped looking at its OKR, and its status in reports is out of date.",
        bad="""\
# today 2026-03-06; the last check-in of discover:
# checkins/discover/2026-02-13.yaml
""",
        good="""\
# checkins/discover/2026-03-06.yaml
apiVersion: okrctl/v1
kind: CheckIn
owner: discover
date: 2026-03-06
confidence: 6
""",
    ),
    "OKR502": RuleDoc(
        what="A check-in (or a reading, or a retro) is dated after tomorrow, or a check-in (or a reading) on "
        "a date outside every cycle of its owner's objectives, or naming an objective of its owner (or one of "
        "its key results) whose cycle does not contain its date. One dated tomorrow is spared: a team in a "
        "time zone ahead of the machine okrctl runs on writes tomorrow's date today.",
        why="A check-in counts for the objectives active on its date. Dated after tomorrow or outside every "
        "cycle, it counts for nothing (usually a typo in the year or the month); what it says of an objective "
        "whose cycle does not contain its date (most often one copied from last quarter's file with its "
        "cycle unchanged) counts for nothing either. A retro is read from its date on: an end retro dated "
        "after tomorrow leaves its scores out of every view.",
        bad="""\
apiVersion: okrctl/v1
kind: CheckIn
owner: discover
date: 2062-03-06                    # typo: the future
confidence: 6
""",
        good="""\
apiVersion: okrctl/v1
kind: CheckIn
owner: discover
date: 2026-03-06
confidence: 6
""",
    ),
    "OKR503": RuleDoc(
        what="A result key of a check-in (or a score key of a retro) names a key result id that more than "
        "one of the owner's active objectives has.",
        why="okrctl cannot tell which objective the value belongs to. Write objective-id/kr-id.",
        bad="""\
# discover has two objectives with a key result 'nps'
results:
  nps: 31
""",
        good="""\
results:
  discover-first-week/nps: 31
""",
    ),
    "OKR504": RuleDoc(
        what="A check-in's confidence is outside the configured scale (checkin.confidence, 0-10 by "
        "default), or missing for one of the owner's objectives when it is given per objective.",
        why="Confidence is the G of the GRIP check-in: the number leadership reads first. Out of scale, "
        "or missing for an objective, it makes status and trends wrong.",
        bad="""\
confidence: 12                      # scale is 0-10
""",
        good="""\
confidence: 7
# or, with several objectives: {discover-first-week: 7, discover-activation: 5}
""",
    ),
    "OKR505": RuleDoc(
        what="The confidence of an objective dropped by 3 points or more between the last two check-ins.",
        why="A sudden drop is the moment to ask for help, not to wait for the retro. The finding points "
        "leadership and peers at it while there is still time to act.",
        bad="""\
# checkins/discover/2026-02-27.yaml: confidence: 8
# checkins/discover/2026-03-06.yaml: confidence: 4
""",
        good="""\
# the drop is raised and discussed; the next check-ins show the recovery
# checkins/discover/2026-03-13.yaml: confidence: 6
""",
    ),
    "OKR506": RuleDoc(
        what="Optimism gap: the latest confidence is at 70% of the scale or more while the objective is "
        "off-track by its progress.",
        why="High confidence with little progress is either information the numbers do not show yet "
        "(then say it in the check-in) or wishful thinking that will surprise everybody at the end.",
        bad="""\
confidence: 9
results:
  onboarding-completion: 66         # 65 -> 90, two thirds of the quarter gone
""",
        good="""\
confidence: 4
results:
  onboarding-completion: 66
issues: [KYC answers are still slow]
""",
    ),
    "OKR507": RuleDoc(
        what="A cycle ended in the last 45 days and an owner of its objectives has no end retro "
        "(kind: Retro, stage: end) for it.",
        why="The end retro is where a cycle's lessons and scores are written down; without it the next "
        "quarter repeats the same mistakes.",
        bad="""\
# 2026-Q1 ended on 2026-03-31; today 2026-04-20; no retros/2026-Q1/discover-end.yaml
""",
        good="""\
apiVersion: okrctl/v1
kind: Retro
owner: discover
cycle: 2026-Q1
stage: end
date: 2026-04-03
""",
    ),
    "OKR508": RuleDoc(
        what="A key result reported with the same value in the last 4 check-ins while it is on-track.",
        why="A number that never changes is usually not being measured any more: it is copied from the "
        "last check-in. On-track status built on a stale number hides real trouble.",
        bad="""\
# four check-ins in a row:
results: {onboarding-completion: 72}
""",
        good="""\
results: {onboarding-completion: 74.5}   # measured this week
""",
    ),
    "OKR509": RuleDoc(
        what="A check-in result or a reading value of a metric key result lies beyond its baseline and "
        "target by more than the whole baseline → target distance (for 65 → 90: below 40 or above 115).",
        why="A slipped digit (810 for 81, 9 for 90) turns progress, status and the forecast into "
        "nonsense for everyone who reads them. A real value that far out is rare enough to deserve a "
        "second look; 'okrctl checkin' asks for one on a terminal.",
        bad="""\
# KR onboarding-completion: baseline 65, target 90
results:
  onboarding-completion: 810
""",
        good="""\
results:
  onboarding-completion: 81
# a value that really is that far out: keep it and say so
# okrctl: ignore[OKR509]
""",
    ),
    "OKR601": RuleDoc(
        what="From git history: a key result's target, baseline, min, max or pace was changed after its "
        "cycle started. A key result (or objective) taken out after the start and put back later is "
        "compared with what it held when it was taken out: two commits move a target as one does. "
        "A merge moves what it sets itself, a value neither side held (a conflict resolved to a new "
        "target). A change counts when the objective's cycle had started on its day (before or after "
        "the commit) and the cycle it has now had too: a target changed before the objective was "
        "moved to a later cycle was planning for that cycle. With an entry under 'rescoped' within 7 days of the change it is reported as "
        "info instead.",
        why="Moving the goal posts mid-quarter makes every progress figure and score meaningless. "
        "Sometimes it is right to rescope, and then it should be written down and visible.",
        bad="""\
# commit of 2026-02-20 changed onboarding-completion target 90 -> 80, no note
""",
        good="""\
rescoped:
  - {date: 2026-02-20, note: Target cut after the KYC vendor change}
""",
        lighter=("info", "a change documented under 'rescoped' within 7 days"),
    ),
}
