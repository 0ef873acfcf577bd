"""``okrctl digest``: the weekly post for chat, golden in every format, on a real git history."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.golden import assert_golden
from tests.helpers_git import commit_at, edit, hermetic_git

FRIDAY = "2026-11-27"

IDENTITY = """\
apiVersion: okrctl/v1
kind: CheckIn
owner: identity-platform
date: 2026-11-27
author: lena.weber@example.com
confidence: 2
results:
  kyc-answer-time: 3.9
  kyc-auto-approval: 80.5
  fraud-rate: 0.06
issues:
  - Multi-director KYC needs a new data source from the business registry
  - The KYC vendor is moving data centres <b>& nobody told us</b>
"""
DISCOVER = """\
apiVersion: okrctl/v1
kind: CheckIn
owner: discover
date: 2026-11-27
author: ana.costa@example.com
confidence: 7
results:
  onboarding-completion: 81
issues:
  - Two engineers lent to the card-migration project until end of November
"""


@pytest.fixture
def week(copy_example, git_repo, monkeypatch, tmp_path) -> Path:
    """Banco on Friday 2026-11-27: Identity Platform fell to 2/10, Discover checked in, a target moved."""
    hermetic_git(monkeypatch, tmp_path)
    root = git_repo(copy_example("banco"), commit=False)
    commit_at(root, "2026-11-20", "the quarter so far")
    edit(root / "okrs/2026-Q4/discover.yaml", r"    target: 280", "    target: 300")
    commit_at(
        root, "2026-11-24", "discover: setup-tickets target 300", name="Rui Almeida", email="rui.almeida@example.com"
    )
    # A name that would ping the whole channel if Slack read it as markup.
    edit(root / "units/cards.yaml", r"^name: Cards$", "name: Cards <!channel> & Co")
    (root / "checkins/identity-platform/2026-11-27.yaml").write_text(IDENTITY, encoding="utf-8")
    (root / "checkins/discover/2026-11-27.yaml").write_text(DISCOVER, encoding="utf-8")
    commit_at(root, "2026-11-27", "check-ins of 2026-11-27")
    return root


def digest(cli, root: Path, *args: str):
    return cli("digest", "--repo", str(root), "--today", FRIDAY, *args)


@pytest.mark.parametrize(
    ("fmt", "golden"),
    [("text", "text.txt"), ("markdown", "markdown.md"), ("slack", "slack.json"), ("json", "digest.json")],
)
def test_digest_golden(cli, week, fmt, golden) -> None:
    result = digest(cli, week, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert_golden(f"digest/{golden}", result.stdout)


def test_the_digest_says_what_the_week_brought(cli, week) -> None:
    data = json.loads(digest(cli, week, "-f", "json").stdout)
    due = {d["unit"]: d for d in data["due"]}
    assert sorted(due) == ["banco", "cards", "core-platform", "digital-services", "small-business-app"]
    assert due["cards"]["members"] and not due["cards"]["stale"]
    assert sorted(data["checked_in"]) == ["discover", "identity-platform"]
    assert [(d["objective"], d["before"], d["confidence"]) for d in data["confidence_drops"]] == [
        ("identity-fast-kyc", 8, 2)
    ]
    assert [(o["objective"], o["was"]) for o in data["new_off_track"]] == [("identity-fast-kyc", "on-track")]
    assert [(c["objective"], c["key_result"], c["old"], c["new"]) for c in data["moved_targets"]] == [
        ("discover-first-week", "setup-tickets", 280, 300)
    ]
    risks = {(d["unit"], d["provider"]) for d in data["dependencies_at_risk"]}
    assert risks == {("discover", "identity-platform"), ("small-business-app", "identity-platform")}
    recurring = {(r["unit"], r["checkins"]) for r in data["recurring_issues"]}
    assert ("discover", 3) in recurring and ("identity-platform", 3) in recurring


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_members_are_shown_by_their_e_mail_address_as_it_is(cli, week, fmt) -> None:
    """No chat-handle "@" in front of an address: "@marta.ribeiro@example.com" is neither."""
    out = digest(cli, week, "-f", fmt).stdout
    assert " marta.ribeiro@example.com" in out
    assert "@marta" not in out and " @" not in out


def _slack_lists(payload: dict) -> list[tuple[str, list[str]]]:
    """Each list of a Slack payload: its heading and its entries, as the text Slack shows."""
    out = []
    for block in payload["blocks"]:
        if block["type"] == "rich_text":
            heading, listed = block["elements"]
            assert listed["type"] == "rich_text_list" and listed["style"] == "bullet"
            entries = ["".join(e["text"] for e in item["elements"]) for item in listed["elements"]]
            out.append(("".join(e["text"] for e in heading["elements"]), entries))
    return out


def test_the_slack_payload_fits_block_kit_and_shows_text_as_it_is(cli, week) -> None:
    payload = json.loads(digest(cli, week, "-f", "slack").stdout)
    assert isinstance(payload["text"], str) and payload["text"]
    blocks = payload["blocks"]
    assert 0 < len(blocks) <= 50
    assert blocks[0]["type"] == "header" and len(blocks[0]["text"]["text"]) <= 150
    for block in blocks:
        assert block["type"] in ("header", "context", "divider", "section", "rich_text")
        for element in block.get("elements", []):  # no mrkdwn: nothing a title holds is read as markup
            assert element.get("type") != "mrkdwn"
        if block["type"] == "rich_text":
            texts = [e for part in block["elements"] for item in part["elements"] for e in item.get("elements", [item])]
            assert all(e["type"] == "text" and e["text"] for e in texts)
            assert sum(len(e["text"]) for e in texts) <= 3000
    due = dict(_slack_lists(payload))["Check-in due (5)"]
    # the unit named "Cards <!channel> & Co" is shown as written, in a text element Slack never parses
    assert any(entry.startswith("Cards <!channel> & Co cards — due") for entry in due)
    assert "&lt;" not in json.dumps(payload["blocks"])


def test_slack_shows_markup_characters_of_a_title_literally(cli, week) -> None:
    """mrkdwn has no escape for "*", "_", "~" or "`": a unit named "*urgent* _team_ ~old~ `x`" would
    be bold, italic, struck and code in a mrkdwn section. In a rich_text element it is text."""
    edit(week / "units/cards.yaml", r"^name: .*$", "name: '*urgent* _team_ ~old~ `x`'")
    payload = json.loads(digest(cli, week, "-f", "slack").stdout)
    due = dict(_slack_lists(payload))["Check-in due (5)"]
    assert any(entry.startswith("*urgent* _team_ ~old~ `x` cards — due") for entry in due)
    element = next(
        e
        for b in payload["blocks"]
        if b["type"] == "rich_text"
        for item in b["elements"][1]["elements"]
        for e in item["elements"]
        if e["text"].startswith("*urgent*")
    )
    assert "style" not in element
    code = [
        e
        for b in payload["blocks"]
        if b["type"] == "rich_text"
        for i in b["elements"][1]["elements"]
        for e in i["elements"]
        if e.get("style") == {"code": True}
    ]
    assert "cards" in [e["text"] for e in code]


def test_slack_limits_count_an_emoji_as_two(cli, week) -> None:
    """Slack's limits, counted in UTF-16 code units as a JavaScript string's length counts them: a
    root unit named with 150 rockets and teams named with 700 (each rocket two units) give a header
    and lists within 150 and 3,000 units, cut between two rockets."""
    edit(week / "units/banco.yaml", r"^name: .*$", "name: " + "🚀" * 150)
    for team in ("cards", "discover", "identity-platform"):
        edit(week / f"units/{team}.yaml", r"^name: .*$", "name: " + "🚀" * 700)
    payload = json.loads(digest(cli, week, "-f", "slack").stdout)

    def units(text: str) -> int:
        return len(text.encode("utf-16-le")) // 2

    header = payload["blocks"][0]["text"]["text"]
    assert units(header) <= 150 and "\ufffd" not in header
    assert re.search(r"🚀… · week to \d{4}-\d{2}-\d{2}$", header)  # cut between two rockets, the week kept
    lists = _slack_lists(payload)
    assert lists and all(units(heading) + sum(map(units, entries)) <= 3000 for heading, entries in lists)
    assert any(entry.startswith("🚀" * 20) and entry.endswith("…") for _, entries in lists for entry in entries)


def test_a_long_unit_name_is_cut_in_the_slack_header_not_the_week(cli, week) -> None:
    """The header was cut at 150 characters without "…", losing "week to …" (the text format keeps it)."""
    long_name = "Digital Services and Channels for Retail, Small Business and Private Banking Customers across Portugal"
    edit(week / "units/banco.yaml", r"^name: .*$", "name: " + long_name + ", Spain and Brazil")
    payload = json.loads(digest(cli, week, "-f", "slack").stdout)
    header = payload["blocks"][0]["text"]["text"]
    assert len(header) <= 150
    assert re.fullmatch(r"OKR digest · .*… · week to \d{4}-\d{2}-\d{2}", header), header
    assert payload["text"].endswith(header[-20:])


def test_one_overlong_slack_entry_is_cut_and_the_others_still_listed(cli, week) -> None:
    """A team of 120 members and an issue of 2,160 characters: each is cut with "…", and the
    entries after them are still listed, not hidden behind "… and N more"; every list stays within
    Block Kit's limits."""
    members = ", ".join(f"person.number{i}@example.com" for i in range(120))
    edit(week / "units/cards.yaml", r"^members: .*$", f"members: [{members}]")
    long_issue = "KYC <vendor> & registry " * 90  # 2,160 characters
    checkin = week / "checkins/identity-platform/2026-11-27.yaml"
    checkin.write_text(checkin.read_text(encoding="utf-8") + f"  - {long_issue.strip()}\n", encoding="utf-8")
    payload = json.loads(digest(cli, week, "-f", "slack").stdout)
    lists = _slack_lists(payload)
    assert all(len(heading) + sum(map(len, entries)) <= 3000 for heading, entries in lists)
    heading, due = next((h, e) for h, e in lists if h.startswith("Check-in due"))
    count = int(heading.split("(", 1)[1].split(")", 1)[0])
    assert len(due) == count and "more" not in due[-1]
    cards = next(entry for entry in due if "person.number0@example.com" in entry)
    assert cards.endswith("…") and "person.number119@example.com" not in cards and len(cards) <= 600


def test_a_unit_narrows_the_digest_and_without_history_moved_targets_are_left_out(cli, week) -> None:
    data = json.loads(digest(cli, week, "--unit", "discover", "-f", "json", "--no-history").stdout)
    assert data["unit"] == "discover" and data["due"] == [] and data["checked_in"] == ["discover"]
    assert data["moved_targets"] is None and data["moved_targets_read"] is False
    assert [d["provider"] for d in data["dependencies_at_risk"]] == ["identity-platform"]
    assert digest(cli, week, "-f", "xml").exit_code == 2
    assert digest(cli, week, "--unit", "nobody").exit_code == 2


@pytest.mark.parametrize("fmt", ["text", "markdown", "slack"])
def test_without_history_every_chat_format_says_the_moved_targets_were_not_read(cli, week, fmt) -> None:
    """A target did move this week: a digest that skipped the history must not read as "none moved"."""
    unread = digest(cli, week, "-f", fmt, "--no-history")
    assert unread.exit_code == 0, unread.output
    read = digest(cli, week, "-f", fmt)
    assert "setup-tickets" in read.stdout and "not read" not in read.stdout
    assert "setup-tickets" not in unread.stdout
    if fmt == "slack":
        blocks = json.loads(unread.stdout)["blocks"]
        assert blocks[-1] == {
            "type": "context",
            "elements": [{"type": "plain_text", "text": "Moved targets were not read (--no-history).", "emoji": False}],
        }
        assert not any(heading.startswith("Moved targets (") for heading, _ in _slack_lists({"blocks": blocks}))
    else:
        assert unread.stdout.endswith(
            "\nMoved targets were not read (--no-history).\n"
            if fmt == "text"
            else "\n_Moved targets were not read (--no-history)._\n"
        )


def test_a_shallow_clone_that_starts_inside_the_week_says_moved_targets_may_be_missing(cli, week, tmp_path) -> None:
    """CI checks out one commit by default: the target moved on 2026-11-24 is beyond that clone's
    history, so "Moved targets: none" would be a false all-clear. A note on stderr says why, for the
    digest and the report; a clone whose history reaches before the period shows the change and
    says nothing."""
    import subprocess

    clones = {}
    for depth in (1, 3):
        clone = tmp_path / f"depth-{depth}"
        subprocess.run(
            ["git", "clone", "-q", "--depth", str(depth), f"file://{week}", str(clone)], check=True, capture_output=True
        )
        clones[depth] = clone
    shallow = digest(cli, clones[1], "-f", "json")
    assert shallow.exit_code == 0, shallow.output
    assert json.loads(shallow.stdout)["moved_targets"] == []
    assert json.loads(shallow.stdout)["moved_targets_read"] is True
    assert "shallow clone whose history starts at 2026-11-27" in shallow.stderr
    assert "fetch-depth: 0" in shallow.stderr and shallow.stderr.count("\n") == 1
    report = cli("report", "--repo", str(clones[1]), "--today", FRIDAY, "--format", "markdown")
    assert report.exit_code == 0 and "targets that moved since 2026-11-01" in report.stderr
    deep = digest(cli, clones[3], "-f", "json")
    assert [c["key_result"] for c in json.loads(deep.stdout)["moved_targets"]] == ["setup-tickets"]
    assert deep.stderr == ""


def test_slack_text_keeps_the_joiners_that_spell_it() -> None:
    from okrctl.render.digest.slack import escape

    assert escape("Onboarding 👩\u200d💻 می\u200cخواهیم <b>\u202e") == "Onboarding 👩\u200d💻 می\u200cخواهیم &lt;b&gt;"


def test_the_slack_fallback_text_is_never_cut_inside_an_escape() -> None:
    from okrctl.render.digest.slack import MAX_HEADER, _shortened, escape

    header = _shortened(escape("A" * 145 + " & Co"), MAX_HEADER)
    assert len(header) <= MAX_HEADER and header.endswith("…") and "&amp" not in header.replace("&amp;", "")


def test_a_key_result_reworded_after_the_cycle_began_is_a_moved_target(cli, week) -> None:
    """The title of a key result is part of its goalpost ("… from 48% to 75%" → "… to 70%"): the
    digest and the report list its change, quoted; an objective's own new title is not a target."""
    edit(week / "okrs/2026-Q4/cards.yaml", r"from 48% to 75%$", "from 48% to 70%")
    edit(week / "okrs/2026-Q4/cards.yaml", r"^title: Make the first card moment", "title: Make the first card")
    commit_at(week, "2026-11-26", "cards: reword")
    data = json.loads(digest(cli, week, "-f", "json").stdout)
    moved = [(c["objective"], c["key_result"], c["field"]) for c in data["moved_targets"]]
    assert moved == [
        ("discover-first-week", "setup-tickets", "target"),
        ("first-card-moment", "card-activation-7d", "title"),
    ]
    text = digest(cli, week).stdout
    assert (
        "title of card-activation-7d “New customers activating their card within 7 days rise from 48% to 75%” → "
        in text
    )
    report = cli("report", "--repo", str(week), "--today", FRIDAY, "--format", "json")
    assert report.exit_code == 0, report.stderr
    assert [(c["key_result"], c["field"], c["new"]) for c in json.loads(report.stdout)["moved_targets"]] == [
        ("setup-tickets", "target", 300),
        ("card-activation-7d", "title", "New customers activating their card within 7 days rise from 48% to 70%"),
    ]
    markdown = cli("report", "--repo", str(week), "--today", FRIDAY, "--format", "markdown").stdout
    assert "| title | “New customers activating their card within 7 days rise from 48% to 75%” → " in markdown


def test_a_repository_with_no_commit_yet_is_not_called_no_git_repository(cli, copy_example, git_repo) -> None:
    """``git init`` done, nothing committed: the moved targets were not read because no commit holds
    the objective files (docs/friday.md), not because the folder is no git repository."""
    root = git_repo(copy_example("banco"), commit=False)
    result = digest(cli, root)
    assert result.exit_code == 0, result.stderr
    assert "Moved targets were not read (no commit holds the objective files)." in result.stdout
    assert "not a git repository" not in result.stdout + result.stderr


def test_a_digest_of_a_cycle_with_nothing_active_names_that_cycle(cli) -> None:
    """``--cycle 2027-Q1`` before the quarter: the summary named no cycle, as if none were asked for."""
    result = cli("digest", "--repo", str(EXAMPLES / "banco"), "--cycle", "2027-Q1", "--today", "2026-12-01")
    assert result.exit_code == 0, result.stderr
    assert "No objective of 2027-Q1 is active on 2026-12-01." in result.stdout


def test_a_digest_of_a_unit_with_no_objective_speaks_for_that_unit_only(cli, copy_example) -> None:
    """A new team with no objective yet: its digest said "No objective of 2026-Q4 is active on
    2026-11-20", though seven units of the organisation hold active objectives that day."""
    root = copy_example("banco")
    (root / "units/newcomers.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: newcomers\nname: Newcomers\nparent: digital-services\n",
        encoding="utf-8",
    )
    args = ("digest", "--repo", str(root), "--today", "2026-11-20", "--no-history")
    for fmt in ("text", "markdown", "slack"):
        shown = cli(*args, "--unit", "newcomers", "--format", fmt)
        assert shown.exit_code == 0, shown.stderr
        assert "No objective of 2026-Q4 held by Newcomers is active on 2026-11-20." in shown.stdout, shown.stdout
    whole = cli(*args, "--unit", "banco").stdout
    assert "7 of 7 units checked in this week" in whole


def test_a_cadence_longer_than_a_week_counts_the_teams_not_due_yet(cli, copy_example) -> None:
    """With check-ins every 14 days, a week without one said "No objective of 2026-Q4 is active"
    and listed the teams nowhere."""
    root = copy_example("banco")
    config = root / "okrctl.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("cadence_days: 7 ", "cadence_days: 14"), "utf-8")
    result = cli("digest", "--repo", str(root), "--today", "2026-11-27", "--no-history")
    assert result.exit_code == 0, result.stderr
    assert "0 of 7 units checked in this week (since 2026-11-21); 7 are not due yet (every 14 days)." in result.stdout
    payload = json.loads(
        cli("digest", "--repo", str(root), "--today", "2026-11-27", "--no-history", "--format", "json").stdout
    )
    assert len(payload["not_due_yet"]) == 7 and payload["due"] == []


def test_a_team_stale_within_the_week_is_due_as_align_says(cli, copy_example) -> None:
    """stale_after_days: 3 and a check-in 5 days ago: OKR501 and the report say stale, the digest
    said "Check-in due: none"."""
    root = copy_example("banco")
    config = root / "okrctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("stale_after_days: 10 ", "stale_after_days: 3  "), "utf-8"
    )
    payload = json.loads(
        cli("digest", "--repo", str(root), "--today", "2026-11-25", "--no-history", "--format", "json").stdout
    )
    stale = [d["unit"] for d in payload["due"] if d["stale"]]
    assert len(stale) == 7
    findings = json.loads(cli("align", "--repo", str(root), "--today", "2026-11-25", "--format", "json").stdout)[
        "findings"
    ]
    assert len([f for f in findings if f["code"] == "OKR501"]) == len(stale)


# Discover's check-in of 2026-11-20 broken three ways; align reports only that error (no OKR501).
BROKEN_LAST_CHECKIN = {
    "schema error": (r"^confidence: 8$", "confidence: 8/10"),
    "date placed by the file name": (r"^date: 2026-11-20$", "date: 20-11-2026"),
    "yaml error": (r"^plan:$", "plan:\n  - Vendor update: KYC slow: 3x since Monday"),
}


@pytest.mark.parametrize("broken", list(BROKEN_LAST_CHECKIN))
def test_a_team_whose_latest_check_in_has_errors_is_due_not_stale_as_align_says(
    cli, copy_example, git_repo, broken
) -> None:
    """Discover checked in 7 days ago in a file with an error: the digest said "stale: last check-in
    2026-11-13, 14 days ago" while OKR501 counts that check-in (docs/cadence-rules.md)."""
    root = copy_example("banco")
    edit(root / "checkins/discover/2026-11-20.yaml", *BROKEN_LAST_CHECKIN[broken])
    git_repo(root)
    findings = json.loads(cli("align", "--repo", str(root), "--today", FRIDAY, "--format", "json").stdout)["findings"]
    assert [f["code"] for f in findings if f["code"] == "OKR501"] == []
    assert any(f["path"] == "checkins/discover/2026-11-20.yaml" for f in findings)
    payload = json.loads(digest(cli, root, "--no-history", "--format", "json").stdout)
    [discover] = [d for d in payload["due"] if d["unit"] == "discover"]
    assert (discover["last_checkin"], discover["days_since"], discover["stale"]) == ("2026-11-20", 7, False)
    text = digest(cli, root, "--no-history")
    assert text.exit_code == 0, text.output
    assert "  - Discover discover — due: last check-in 2026-11-20, 7 days ago " in text.stdout
    assert "stale" not in text.stdout


# How GitHub and GitLab find a mention: an "@" after no ASCII letter, digit or "_" (their "\\w"),
# then the start of a name.
MENTION = re.compile(r"(?<![A-Za-z0-9_])@[A-Za-z0-9_.]")


def _markdown_of_the_week(cli, week: Path) -> dict[str, str]:
    """The digest and the diff of the last commit, in Markdown."""
    return {
        "digest": digest(cli, week, "-f", "markdown").stdout,
        "diff": cli("diff", "HEAD~1", "--repo", str(week), "--today", FRIDAY, "-f", "markdown").stdout,
    }


def test_markdown_from_repository_text_mentions_nobody(cli, week) -> None:
    """A unit named "Discover @all @channel (cc @rui-almeida)" and a retitled objective "… @all
    @group/team" are shown as written, but a word joiner after each "@" keeps a GitLab
    merge-request note or a GitHub comment from notifying anyone (GitLab's "@all" is every member).
    Addresses stay as they are."""
    edit(week / "units/discover.yaml", r"^name: Discover$", "name: Discover @all @channel (cc @rui-almeida)")
    edit(week / "okrs/2026-Q4/discover.yaml", r"^title: (.*)$", r"title: \1 @all @group/team")
    commit_at(week, "2026-11-27", "mentions")
    shown = _markdown_of_the_week(cli, week)
    joined = "@\u2060"
    assert f"{joined}all {joined}channel (cc {joined}rui-almeida)" in shown["digest"]
    assert f"{joined}all {joined}group/team" in shown["diff"]
    for text in shown.values():
        assert MENTION.search(text) is None, text
    assert " ana.costa@example.com" in shown["digest"]  # an address is no mention


def test_an_at_after_punctuation_or_a_letter_outside_ascii_mentions_nobody_either(cli, week) -> None:
    """GitHub and GitLab read "-@all", ".@all", "+@all" and "café@all" as mentions too (a word, for
    them, is ASCII letters, digits and "_"): a recurring check-in issue "Blocked -@all …" in the
    digest, and an objective retitled so in the diff the GitLab template posts as a merge-request
    note, once notified every member. An address keeps its "@" as it is."""
    hostile = "Blocked -@all .@all +@all café@all, cc ana@example.com"
    for path in sorted((week / "checkins/discover").glob("*.yaml")):
        path.write_text(path.read_text("utf-8").replace("Two engineers lent", hostile), encoding="utf-8")
    edit(week / "okrs/2026-Q4/discover.yaml", r"^title: (.*)$", r"title: \1 (-@all)")
    commit_at(week, "2026-11-27", "mentions")
    shown = _markdown_of_the_week(cli, week)
    joined = "@\u2060all"
    said = f"Blocked -{joined} .{joined} \\+{joined} café{joined}, cc ana@example.com"
    assert said in shown["digest"]
    assert f"(-{joined})" in shown["diff"]
    for text in shown.values():
        assert MENTION.search(text) is None, text


def test_a_web_address_in_repository_text_is_one_whole_link_in_markdown(cli, week) -> None:
    """GitHub links a bare address from the Markdown source: a recurring issue "… see
    https://jira.example.com/browse/TAX_RULES-12?focusedId=3&page=full#comment-3" was written with
    "TAX\\_RULES", "&amp;" and "\\#comment" in it, which the link and its text then kept, and the
    digest's closing quote "”" became part of the link. In the digest and in the diff (a retitled
    objective) the link now goes to the address as written, its text reads so, and the quote and
    the sentence's ")" are left out of it."""
    import html

    import cmarkgfm  # GitHub's renderer, in the test extra

    url = "https://jira.example.com/browse/TAX_RULES-12?focusedId=3&page=full#comment-3"
    for path in sorted((week / "checkins/discover").glob("*.yaml")):
        text = path.read_text("utf-8").replace("until end of November", f"until end of November, see {url}")
        path.write_text(text, encoding="utf-8")
    edit(week / "okrs/2026-Q4/discover.yaml", r"^title: (.*)$", rf"title: \1 (see {url})")
    commit_at(week, "2026-11-27", "links")
    shown = {
        name: cmarkgfm.github_flavored_markdown_to_html(markdown)
        for name, markdown in _markdown_of_the_week(cli, week).items()
    }
    link = f'<a href="{html.escape(url)}">{html.escape(url)}</a>'
    assert f"until end of November, see {link}” — in 3 check-ins" in shown["digest"], shown["digest"]
    assert f"(see {link})" in shown["diff"], shown["diff"]


def test_a_web_address_with_an_at_in_it_links_to_the_address_as_written_in_markdown(cli, week) -> None:
    """An npm scoped package, a Medium or YouTube page, a Mastodon account: their addresses hold "/@".
    The word joiner that keeps an "@all" from mentioning anyone was written after that "@" too, in
    the link, so a recurring issue "… see https://www.npmjs.com/package/@babel/core" linked to
    "…/@%E2%81%A0babel/core", a page that does not exist, and so did a key result retitled "… see
    https://medium.com/@cards/x" in the digest's moved titles and an objective retitled in the diff.
    Each link now goes to the address as written and its text reads so; an "@all" beside it still
    mentions nobody."""
    import html

    import cmarkgfm  # GitHub's renderer, in the test extra

    issue = "see https://www.npmjs.com/package/@babel/core and www.youtube.com/@bank, cc @all"
    for path in sorted((week / "checkins/discover").glob("*.yaml")):
        text = path.read_text("utf-8").replace("until end of November", f"until end of November, {issue}")
        path.write_text(text, encoding="utf-8")
    edit(week / "okrs/2026-Q4/cards.yaml", r"from 48% to 75%$", "from 48% to 70%, see https://medium.com/@cards/x")
    edit(week / "okrs/2026-Q4/discover.yaml", r"^title: (.*)$", r"title: \1 (see https://mastodon.social/@bank)")
    commit_at(week, "2026-11-27", "links")
    markdown = _markdown_of_the_week(cli, week)
    assert "cc @\u2060all" in markdown["digest"]
    shown = {name: cmarkgfm.github_flavored_markdown_to_html(text) for name, text in markdown.items()}
    links = {
        "digest": [
            ("https://www.npmjs.com/package/@babel/core", "https://www.npmjs.com/package/@babel/core"),
            ("http://www.youtube.com/@bank", "www.youtube.com/@bank"),
            ("https://medium.com/@cards/x", "https://medium.com/@cards/x"),
        ],
        "diff": [("https://mastodon.social/@bank", "https://mastodon.social/@bank")],
    }
    for name, expected in links.items():
        for href, text in expected:
            assert f'<a href="{html.escape(href)}">{html.escape(text)}</a>' in shown[name], shown[name]
        assert "%E2%81%A0" not in shown[name] and not re.search("<a [^>]*>[^<]*\u2060", shown[name]), shown[name]


def test_a_member_written_in_two_cases_is_mentioned_once(cli, week) -> None:
    """Cards lists Carla twice, in two cases: the digest mentions her once, as first written."""
    unit = week / "units/cards.yaml"
    unit.write_text(
        unit.read_text(encoding="utf-8").replace(
            "members: [carla.mendes@example.com,", "members: [Carla.Mendes@example.com, carla.mendes@example.com,"
        ),
        encoding="utf-8",
    )
    data = json.loads(digest(cli, week, "-f", "json").stdout)
    due = {d["unit"]: d for d in data["due"]}
    assert due["cards"]["members"] == ["Carla.Mendes@example.com", "tomas.ferreira@example.com"]


def test_a_person_in_both_teams_of_a_dependency_is_mentioned_once(cli, week) -> None:
    """Pedro works in Discover (written "Pedro.Santos@…") and in Identity Platform: the entry of
    Discover's dependency on Identity Platform mentioned him twice, in every chat format."""
    edit(week / "units/discover.yaml", r"^members: \[", "members: [Pedro.Santos@example.com, ")
    commit_at(week, "2026-11-27", "Pedro joins Discover")
    entry = "Discover · discover-first-week needs KYC answer under 2 s from Identity Platform"
    mentions = "Pedro.Santos@example.com ana.costa@example.com rui.almeida@example.com sofia.nunes@example.com"
    expected = f"{mentions} lena.weber@example.com"
    text = [line for line in digest(cli, week).stdout.splitlines() if entry in line]
    assert len(text) == 1 and text[0].endswith(f"2026-11-27 {expected}"), text
    markdown = digest(cli, week, "-f", "markdown").stdout
    assert markdown.count("`discover-first-week` needs") == 1
    assert f"2026-11-27 {expected}\n- Small Business App" in markdown, markdown
    risks = dict(_slack_lists(json.loads(digest(cli, week, "-f", "slack").stdout)))["Dependencies at risk (2)"]
    assert next(e for e in risks if e.startswith(entry)).endswith(f"2026-11-27 {expected}"), risks


def test_a_unit_names_outer_white_space_never_breaks_an_entry(cli, week) -> None:
    """A name written as a YAML block scalar ends in a line break ("Cards\n"): the text digest
    split its entry over two lines. A name with leading blanks made a Markdown item an indented
    code block. Every format now gives each entry one line that starts with the name."""
    edit(week / "units/cards.yaml", r"^name: .*$", "name: |\n  Cards <!channel> & Co")
    edit(week / "units/core-platform.yaml", r"^name: .*$", 'name: "     Core *Platform* & Ops"')
    commit_at(week, "2026-11-27", "names with white space around them")
    text = digest(cli, week).stdout
    assert "\n  - Cards <!channel> & Co cards — due: last check-in 2026-11-20" in text, text
    assert "\n  - Core *Platform* & Ops core-platform — due: last check-in 2026-11-20" in text, text
    markdown = digest(cli, week, "-f", "markdown").stdout
    assert "\n- Cards \\<\\!channel\\> &amp; Co `cards` — due:" in markdown, markdown
    assert "\n- Core \\*Platform\\* &amp; Ops `core-platform` — due:" in markdown, markdown
    due = dict(_slack_lists(json.loads(digest(cli, week, "-f", "slack").stdout)))["Check-in due (5)"]
    assert any(e.startswith("Cards <!channel> & Co cards — due:") for e in due), due
    assert any(e.startswith("Core *Platform* & Ops core-platform — due:") for e in due), due
    assert not any("\n" in e for e in due), due


def test_the_text_summary_shows_a_units_name_on_one_line_without_escapes(cli, week) -> None:
    """A unit with no objective yet, named with a line break, terminal colours and a right-to-left
    override: the title was cleaned, but the summary that names the unit printed all three raw."""
    (week / "units/lab.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: lab\n"
        'name: "Lab\\nsecond line \\e[31mRED\\e[0m \\u202eevil"\nparent: digital-services\n',
        encoding="utf-8",
    )
    commit_at(week, "2026-11-27", "a new unit")
    result = digest(cli, week, "--unit", "lab")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [
        "OKR digest · Banco Exemplo · Lab second line RED evil · week to 2026-11-27",
        "No objective of 2026-Q4 held by Lab second line RED evil is active on 2026-11-27.",
        "",
    ]
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout


def test_one_day_and_one_week_are_said_in_the_singular(cli, copy_example) -> None:
    """A team with no check-in on the cycle's second day was "(1 days in)"; an issue raised on
    Thursday and again on Friday was "in 2 check-ins over 1 weeks"."""
    root = copy_example("banco")
    for path in (root / "checkins").glob("*/2026-10-02.yaml"):
        path.unlink()
    second_day = cli("digest", "--repo", str(root), "--today", "2026-10-02", "--no-history")
    assert second_day.exit_code == 0, second_day.stderr
    assert "  - Cards cards — due: no check-in yet this cycle (1 day in) " in second_day.stdout
    assert "days in" not in second_day.stdout
    thursday = DISCOVER.replace("2026-11-27", "2026-11-19").replace("  - Two engineers", "  - Staging down\n  - Two")
    (root / "checkins/discover/2026-11-19.yaml").write_text(thursday, encoding="utf-8")
    friday = root / "checkins/discover/2026-11-20.yaml"
    friday.write_text(friday.read_text(encoding="utf-8").replace("issues:\n", "issues:\n  - Staging down\n"), "utf-8")
    for fmt in ("text", "markdown", "slack"):
        result = cli("digest", "--repo", str(root), "--today", "2026-11-20", "--no-history", "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert "Discover: “Staging down” — in 2 check-ins over 1 week" in result.stdout
        assert "1 weeks" not in result.stdout


def test_a_cycle_that_has_ended_is_shown_as_of_its_last_day(cli, week) -> None:
    """``--cycle 2026-Q4`` on 2027-01-02, the quarter's closing digest: it said "No objective of
    2026-Q4 is active on 2027-01-02" with every section "none" (docs/friday.md: with --cycle C, the
    objectives of C). It is now the week to 2026-12-31, with that day's confidence drop."""
    cards = (week / "checkins" / "cards" / "2026-11-20.yaml").read_text(encoding="utf-8")
    late = re.sub(r"date: \S+", "date: 2026-12-31", cards)
    (week / "checkins" / "cards" / "2026-12-31.yaml").write_text(
        re.sub(r"confidence: \S+", "confidence: 1", late), encoding="utf-8"
    )
    args = ("digest", "--repo", str(week), "--cycle", "2026-Q4", "--no-history")
    text = cli(*args, "--today", "2027-01-02")
    assert text.exit_code == 0, text.output
    assert "OKR digest · Banco Exemplo · week to 2026-12-31" in text.stdout
    assert "1 of 7 units checked in this week (since 2026-12-25)." in text.stdout
    assert "is active on" not in text.stdout
    payload = json.loads(cli(*args, "--today", "2027-01-02", "--format", "json").stdout)
    assert payload["since"] == "2026-12-25" and payload["checked_in"] == ["cards"]
    assert [(d["objective"], d["before"], d["confidence"], d["date"]) for d in payload["confidence_drops"]] == [
        ("first-card-moment", 6, 1, "2026-12-31")
    ]
    on_the_last_day = json.loads(cli(*args, "--today", "2026-12-31", "--format", "json").stdout)
    assert payload == on_the_last_day


def test_the_slack_header_keeps_a_joined_emoji(cli, week) -> None:
    """The header cut with "…" went through the terminal's cleaning, which takes out the zero-width
    joiner: 👩‍💻 fell apart into two emoji (in the notification's text too)."""
    edit(week / "units/banco.yaml", r"^name: .*$", 'name: "Banco 👩\u200d💻"')
    payload = json.loads(digest(cli, week, "-f", "slack").stdout)
    assert "👩\u200d💻" in payload["blocks"][0]["text"]["text"]
    assert "👩\u200d💻" in payload["text"]


@pytest.mark.parametrize(
    "emoji",
    # a joined emoji, a flag, a skin tone, an accent; a vowel sign (का), a conjunct (क्ष), a
    # Hangul syllable written as three jamo (각)
    ["👩\u200d💻", "🇵🇹", "👍🏽", "e\u0301", "\u0915\u093e", "\u0915\u094d\u0937", "\u1100\u1161\u11a8"],
)
def test_the_slack_headers_cut_never_parts_a_character_as_seen(cli, week, emoji: str) -> None:
    """A long name cut with "…" ended in a woman and a dangling joiner, a lone flag letter, or a
    thumb without its skin tone: the cut counted code points."""
    from okrctl.render.digest.slack import MAX_HEADER, units

    edit(week / "units/banco.yaml", r"^name: .*$", f'name: "{emoji * 60}"')
    header = json.loads(digest(cli, week, "-f", "slack").stdout)["blocks"][0]["text"]["text"]
    kept = header.split("…")[0].rsplit(" · ", 1)[1]  # (after the organisation's name)
    assert kept and kept.replace(emoji, "") == "", header
    assert units(header) <= MAX_HEADER


def test_moved_targets_are_those_of_the_objectives_the_digest_is_about(cli, week) -> None:
    """A target of last quarter's objective moved this week (after that cycle started) is not this
    week's news of the objectives active today; with --cycle 2026-Q3, none of 2026-Q3 is active and
    2026-Q4's moves are not listed either (docs/friday.md: every section is about the objectives
    active that day, or those of --cycle)."""
    (week / "okrs/q3-discover.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: discover-q3\nowner: discover\ncycle: 2026-Q3\n"
        "title: Last quarter's objective\nkey_results:\n"
        "  - {id: signups, title: Sign-ups grow from 0 to 100, baseline: 0, target: 100}\n",
        encoding="utf-8",
    )
    commit_at(week, "2026-11-25", "last quarter's objective, as it was")
    edit(week / "okrs/q3-discover.yaml", r"target: 100}", "target: 80}")
    commit_at(week, "2026-11-26", "discover-q3: target 80")
    data = json.loads(digest(cli, week, "-f", "json").stdout)
    assert [c["objective"] for c in data["moved_targets"]] == ["discover-first-week"]
    assert "discover-q3" not in digest(cli, week).stdout
    past = json.loads(digest(cli, week, "--cycle", "2026-Q3", "-f", "json").stdout)
    assert past["moved_targets"] == []


def test_an_objective_off_track_for_weeks_is_not_new_off_track_the_week_its_first_value_is_written(cli, week) -> None:
    """An objective of the quarter that Cards covered by its single confidence and gave no value
    for was off-track for weeks in ``status``; the digest of the week its first value was written
    listed it as "New off-track" ("a week ago no-data"). A week ago is judged with today's file."""
    (week / "okrs/2026-Q4/cards-wallet.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: cards-wallet\nowner: cards\ncycle: 2026-Q4\n"
        "title: Put our cards in every phone wallet\naligns: [{to: sme-bank-of-choice}]\nkey_results:\n"
        "  - {id: wallet-adds, title: Cards added to wallets grow from 0 to 5000, unit: cards, baseline: 0,"
        " target: 5000}\n",
        encoding="utf-8",
    )
    (week / "checkins/cards/2026-11-27.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: cards\ndate: 2026-11-27\n"
        "author: tomas.ferreira@example.com\nconfidence: 6\nresults:\n  wallet-adds: 50\n",
        encoding="utf-8",
    )
    commit_at(week, "2026-11-27", "cards: check-in")
    a_week_ago = cli("status", "--repo", str(week), "--team", "cards", "--today", "2026-11-20", "--format", "json")
    assert a_week_ago.exit_code == 0, a_week_ago.output
    assert {o["id"]: o["status"] for o in json.loads(a_week_ago.stdout)["objectives"]}["cards-wallet"] == "off-track"
    data = json.loads(digest(cli, week, "-f", "json").stdout)
    assert "cards-wallet" not in [o["objective"] for o in data["new_off_track"]]
    for fmt in ("text", "markdown", "slack"):
        shown = digest(cli, week, "-f", fmt)
        assert shown.exit_code == 0, shown.stderr
        assert "cards-wallet" not in shown.stdout, fmt
