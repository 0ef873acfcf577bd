"""``--output FILE`` holds the bytes standard output would have held, an empty output included."""

from __future__ import annotations

from tests.conftest import DEMO_DAY


def test_an_empty_output_is_an_empty_file_not_one_blank_line(cli, copy_example, git_repo, tmp_path) -> None:
    """No finding in ``--format concise`` and no reviewer in ``diff --reviewers`` print nothing; the
    file held one line break, which a ``while read`` loop takes for an empty entry."""
    root = git_repo(copy_example("banco"))
    args = ["--repo", str(root), "--today", DEMO_DAY]
    printed = cli("align", *args, "--format", "concise", "--select", "OKR601")
    assert (printed.exit_code, printed.stdout) == (0, "")
    written = tmp_path / "findings.txt"
    assert cli("align", *args, "--format", "concise", "--select", "OKR601", "-o", str(written)).exit_code == 0
    assert written.read_bytes() == b""
    reviewers = tmp_path / "reviewers.txt"
    assert cli("diff", "HEAD", *args, "--reviewers").stdout == ""
    assert cli("diff", "HEAD", *args, "--reviewers", "-o", str(reviewers)).exit_code == 0
    assert reviewers.read_bytes() == b""
