"""``okrctl site OUTDIR``: a static website of the whole organisation."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    import os
    from collections.abc import Callable
    from datetime import date

    from okrctl.analysis.changes import TargetChange
    from okrctl.load.index import Repo
    from okrctl.load.pipeline import Scope
    from okrctl.render.site import LinkBase

from okrctl.cli.app import app
from okrctl.cli.common import CycleOption, NoColorOption, RepoOption, TodayOption

MARKER = ".okrctl-site"
MARKER_FIRST_LINE = "okrctl site"


@app.command()
def site(
    outdir: Annotated[str, typer.Argument(metavar="OUTDIR", help="Folder to write the site to (replaced as a whole).")],
    repo: RepoOption = None,
    today: TodayOption = None,
    cycle: CycleOption = None,
    link_base: Annotated[
        Optional[str],
        typer.Option(
            "--link-base",
            metavar="URL",
            help="Link every value, target and confidence to its file and line: a template with {path}, "
            "and optionally {commit} and {line}, e.g. https://git.example/okrs/blob/{commit}/{path}#L{line}.",
            show_default=False,
        ),
    ] = None,
    no_history: Annotated[
        bool,
        typer.Option(
            "--no-history",
            help="Skip what reads git history: the reports' moved targets and OKR601 on the findings page.",
        ),
    ] = False,
    # Every command takes it (SPEC §4); the pages are HTML and the one line said is plain.
    no_color: NoColorOption = False,
) -> None:
    """Build a static website of the whole organisation (no script, works from file:// and any host)."""
    import os
    import sys

    from okrctl.cli.common import open_repo, refuse_broken_config, resolve_today
    from okrctl.errors import UsageError
    from okrctl.render.site import LinkBase, LinkBaseError, site_pages
    from okrctl.rules import run
    from okrctl.views.scope import known_cycle
    from okrctl.views.site import build_site

    if not outdir:
        raise UsageError("OUTDIR: '' is no folder name (the folder to write the site to)")
    if outdir == "-":
        # '-' names standard output everywhere else in okrctl; a site is a folder of pages.
        raise UsageError(
            "OUTDIR: '-' is standard output, which cannot hold a site; name a folder (./- for one named '-')"
        )
    outdir = str(Path(outdir))  # named as given, less a trailing slash ("public/" is public)
    day = resolve_today(today)
    if link_base is not None:
        try:
            LinkBase.check(link_base)
        except LinkBaseError as exc:
            raise UsageError(f"--link-base: {exc}") from None
    check_outdir(outdir)

    repository = open_repo(repo, scope=site_needs(day, cycle))
    refuse_broken_config(repository)
    if cycle is not None:
        known_cycle(repository, cycle)
    base = _link_base(repository.root, link_base) if link_base is not None else None
    findings = run(repository, day, history=not no_history)

    def moved(start: date, end: date) -> list[TargetChange]:
        from okrctl.analysis.history import moved_targets

        # As in ``okrctl report``: only what moved after its cycle had started.
        return [c for c in moved_targets(repository, start, end) if c.cycle_started]

    view = build_site(
        repository,
        today=day,
        findings=findings,
        cycle=cycle,
        with_sources=base is not None,
        moved_targets=None if no_history else moved,
    )
    from okrctl.cli.common import view_notes

    notes = view_notes(repository)  # files with errors left out, history not read: as report says
    if notes:
        sys.stderr.write(f"{notes}\n")
    from okrctl import __version__
    from okrctl.fsutil import replace_folder

    written = [0, 0]  # pages, bytes
    built: list[os.stat_result] = []  # the new folder, once filled: the site is in place when OUTDIR is it

    def fill(folder: Path) -> None:
        # Each page is written as soon as it is rendered: the site is never held whole in memory.
        for relative, text in site_pages(view, base):
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            body = text.encode("utf-8")
            path.write_bytes(body)
            written[0] += 1
            written[1] += len(body)
        (folder / MARKER).write_text(
            f"{MARKER_FIRST_LINE}\nThis folder is written by 'okrctl site' (okrctl {__version__}) and replaced "
            "as a whole on every build.\n",
            encoding="utf-8",
        )
        built.append(os.stat(folder))

    from okrctl.repofiles import Unwritable, folder_for, tracked_entries, unmake
    from okrctl.safetext import shown_path

    made: list[Path] = []
    try:
        try:
            # A file where one of OUTDIR's folders must be is named (exit 1), as for a check-in.
            made = folder_for(Path("."), Path(outdir), "the site")
            # ``check_outdir`` again right before each swap: the pages may have taken a while, and
            # another build (or anyone) may have put a folder there meanwhile.
            # By its absolute path: '.' or 'site/..' has no parent to build beside, nor a name.
            where = Path(os.path.abspath(outdir))
            # A folder named like a killed build's leftover that a commit put there is not okrctl's.
            replace_folder(where, fill, ready=check_outdir, keep=lambda names: tracked_entries(where.parent, names))
        except OSError as exc:
            # A read-only or full file system: exit 1, as a check-in; the folder in place is untouched.
            unmake(made)
            raise Unwritable(str(outdir), exc) from None
        from okrctl.cli.common import saying_what_was_done

        with saying_what_was_done("the site is built") as done:
            # (A folder named with a line break: one line all the same, its name escaped.)
            done.append(f"wrote {written[0]} pages ({written[1] / 1024:,.0f} KiB) to {shown_path(str(outdir))}")
            sys.stdout.write(f"okrctl: {done[-1]}\n")
    except KeyboardInterrupt as stopped:
        # Whether the new site is in place is read from OUTDIR, not from where the signal came: while
        # the previous site was removed, as the build returned, or as it said so, it is.
        if built and _is_folder(where, built[0]):
            stopped.after = f"the site is built all the same (wrote {written[0]} pages to {shown_path(str(outdir))})"  # type: ignore[attr-defined]
        else:
            unmake(made)  # the build is taken away: so are the folders made for it
        raise


def _is_folder(path: Path, folder: os.stat_result) -> bool:
    """Whether ``path`` is the very folder ``folder`` describes (renamed there, it is the same one)."""
    import os

    try:
        return os.path.samestat(os.lstat(path), folder)
    except OSError:
        return False


def site_needs(day: date, cycle: str | None) -> Callable[[Repo], Scope]:
    """The load's scope of ``site``: what the pages read, and what the findings page's rules read
    (as ``align`` does on that day)."""

    def needs(repository: Repo) -> Scope:
        import dataclasses

        from okrctl.rules.needs import align_scope
        from okrctl.views.site import site_scope

        pages = site_scope(repository, day, cycle)
        return dataclasses.replace(pages, also=(*pages.also, align_scope(repository, day).checkins))

    return needs


def check_outdir(outdir: Path | str) -> None:
    """Refuse (exit 2, nothing touched) a path that exists and is not a site okrctl wrote.

    A missing folder or an empty one is fine; a folder holding ``.okrctl-site`` is a previous build.
    """
    import os
    import stat

    from okrctl.errors import UsageError
    from okrctl.repofiles import planted_link
    from okrctl.safetext import shown_path

    link = planted_link(Path(outdir).parent)  # a committed link on the way (OUTDIR's own: below)
    if link is not None:
        raise UsageError(
            f"{shown_path(str(outdir))}: {shown_path(os.path.relpath(link))} is a symbolic link a commit put in the checkout; give the folder it points to"
        )
    from okrctl.gitio.repo import git_owned_words

    owned = git_owned_words(outdir)
    if owned is not None:
        raise UsageError(f"{shown_path(str(outdir))}: {owned}; write the site elsewhere")
    try:
        here = os.path.realpath(os.getcwd())
    except OSError:  # a working folder removed meanwhile holds no site: nothing to refuse here
        here = ""
    there = os.path.realpath(outdir)
    if here and os.path.commonpath([here, there]) == there:
        # Replaced as a whole, the folder okrctl runs in would be gone from under the shell (a
        # listing of '.' would show nothing): said before anything is built or made ('x/..' too).
        raise UsageError(
            f"{shown_path(str(outdir))}: is the folder okrctl runs in, or holds it; the site replaces its folder as a whole: "
            "run okrctl from outside it (e.g. 'cd .. && okrctl site NAME')"
        )
    try:
        info = os.lstat(outdir)
    except (FileNotFoundError, NotADirectoryError):
        return  # a new folder (under a file, its build says it cannot be written: exit 1)
    except OSError as exc:
        raise UsageError(f"{shown_path(str(outdir))}: {exc.strerror or exc}") from None
    if stat.S_ISLNK(info.st_mode):
        raise UsageError(f"{shown_path(str(outdir))}: is a symbolic link; give the folder itself")
    if not stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{shown_path(str(outdir))}: exists and is not a folder; refusing to replace it")
    try:
        entries = os.listdir(outdir)
    except OSError as exc:
        raise UsageError(f"{shown_path(str(outdir))}: {exc.strerror or exc}") from None
    if not entries:
        return
    marker = Path(outdir) / MARKER
    try:
        marker_info = os.lstat(marker)
        first = marker.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
    except OSError:
        first, marker_info = "", None
    if marker_info is None or not stat.S_ISREG(marker_info.st_mode) or first.strip() != MARKER_FIRST_LINE:
        raise UsageError(
            f"{shown_path(str(outdir))}: exists and was not written by 'okrctl site' (no {MARKER}); refusing to replace it"
        )
    # The marker alone proves nothing: a repository may hold one (planted, or a site copied into
    # it). A folder is replaced only when it holds nothing a build does not write: its pages.
    stranger = _not_of_a_site(outdir)
    if stranger is not None:
        raise UsageError(
            f"{shown_path(str(outdir))}: holds {shown_path(stranger)}, which 'okrctl site' does not write; refusing to replace it"
        )


def _not_of_a_site(outdir: Path | str) -> str | None:
    """The first entry below ``outdir`` a build does not write (anything but its ``.html`` pages in
    folders, and the marker), or None. Links are never followed, and never written by a build."""
    import os

    pending = [os.fspath(outdir)]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return folder
        for entry in entries:
            if entry.is_symlink():
                return entry.path
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            elif not (
                entry.is_file(follow_symlinks=False)
                and (entry.name.endswith(".html") or (folder == os.fspath(outdir) and entry.name == MARKER))
            ):
                return entry.path
    return None


def _link_base(root: Path, template: str) -> LinkBase | None:
    """The template with the commit the site is built from and the root's place in the work tree."""
    import os
    import sys

    from okrctl.gitio.repo import GitError, head_state, work_tree
    from okrctl.render.site import LinkBase

    why = f"{root} has none"
    try:
        tree = work_tree(root)
    except GitError as refused:  # a repository git refuses, or no git to read it with
        tree, why = None, str(refused)
    # head_state gives HEAD's hash with a word on shallowness; the hash is the hex word.
    state = [w for w in head_state(root).split() if len(w) >= 40 and all(c in "0123456789abcdef" for c in w)]
    if tree is None or not state:
        if "{commit}" in template:
            # A site without source links beats no site (a copied folder, a CI job without git).
            from okrctl.safetext import shown_path

            note = f"--link-base needs a git commit for {{commit}} and {why}: the site is built without source links"
            sys.stderr.write(f"okrctl: note: {shown_path(note)}\n")
            return None
        return LinkBase(template, "")
    prefix = Path(os.path.relpath(Path(root).resolve(), tree.top.resolve())).as_posix()
    return LinkBase(template, state[0], "" if prefix == "." else prefix)
