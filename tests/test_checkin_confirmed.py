"""The comment a check-in gets when a far-off value is kept at the prompt (OKR509): the check-in
document's own, in the file's own bytes."""

from __future__ import annotations

from okrctl.checkin.compose import with_confirmed
from okrctl.load.yamlparse import parse_text

LINE = "# okrctl: ignore[OKR509] setup-tickets: far outside the key result's range, confirmed at the check-in."
CHECKIN = "# GRIP check-in.\napiVersion: okrctl/v1\nkind: CheckIn\nowner: discover\ndate: 2026-11-27\nconfidence: 7\n"
OTHER = "---\n# okrctl: ignore[OKR509] the other document's\napiVersion: okrctl/v1\nkind: CheckIn\nowner: cards\n"


def test_a_new_check_in_gets_the_line_first() -> None:
    assert with_confirmed(CHECKIN, None, ["setup-tickets"]) == LINE + "\n" + CHECKIN


def test_the_ignore_comment_of_another_document_is_not_the_check_ins() -> None:
    """A second document whose head comment says ignore[OKR509] kept the check-in from getting its
    own: align asked again about the value just confirmed."""
    text = with_confirmed(CHECKIN + OTHER, 0, ["setup-tickets"])
    assert text == LINE + "\n" + CHECKIN + OTHER
    first, second = parse_text(text)
    assert first.ignore == frozenset({"OKR509 setup-tickets"}) and second.ignore == frozenset({"OKR509"})


def test_the_check_in_second_in_its_file_gets_the_line_after_its_dashes() -> None:
    text = with_confirmed("apiVersion: okrctl/v1\nkind: Unit\nid: x\n---\n" + CHECKIN, 1, ["setup-tickets"])
    assert text == "apiVersion: okrctl/v1\nkind: Unit\nid: x\n---\n" + LINE + "\n" + CHECKIN
    first, second = parse_text(text)
    assert not first.ignore and second.ignore == frozenset({"OKR509 setup-tickets"})


def test_a_byte_order_mark_stays_first_and_crlf_line_ends_are_kept() -> None:
    """The line went in front of the byte-order mark (a raw U+FEFF then stood on line 2) and ended
    in LF in a CRLF file."""
    crlf = "\ufeff" + CHECKIN.replace("\n", "\r\n")
    text = with_confirmed(crlf, 0, ["setup-tickets"])
    assert text == "\ufeff" + LINE + "\r\n" + CHECKIN.replace("\n", "\r\n")
    again = with_confirmed(text, 0, ["onboarding-completion"])
    assert again.count("ignore[OKR509]") == 1 and "setup-tickets, onboarding-completion:" in again
    assert "\n" not in again.replace("\r\n", "")


def test_cr_line_ends_are_kept() -> None:
    """In a file of lone CR line ends the line ended in LF, and went above the check-in's comment."""
    cr = CHECKIN.replace("\n", "\r")
    text = with_confirmed(cr, 0, ["setup-tickets"])
    assert text == LINE + "\r" + cr
    again = with_confirmed(text, 0, ["onboarding-completion"])
    assert again == LINE.replace("setup-tickets:", "setup-tickets, onboarding-completion:") + "\r" + cr
