"""The `mcn-map` command line: parses options, calls the library, prints. Nothing analytical lives here."""

from __future__ import annotations

import gc
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from .errors import InputError, McnMapError, Problem
from .privacy.scrub import scrub_exception, scrub_identifiers

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "example_landscape.xlsx"


def shipped_example() -> Path:
    """The example workbook: beside the package in a checkout, or inside it when installed."""
    packaged = Path(__file__).resolve().parent / "data" / "example_landscape.xlsx"
    for candidate in (Path("inputs") / "example_landscape.xlsx", EXAMPLE, packaged):
        if candidate.exists():
            return candidate
    raise McnMapError("no INPUT given and the shipped example inputs/example_landscape.xlsx was not found; "
                      "give a workbook or run from the project folder.")


def tally(n: int, one: str, many: str | None = None) -> str:
    """'1 warning', '2 warnings', '1,204 agencies'."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def print_problems(problems: list[Problem] | tuple[Problem, ...], *, err: bool = True) -> None:
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    for group in (errors, warnings):
        for problem in group:
            click.echo(scrub_identifiers(f"  {problem}"), err=err)
    click.echo(f"{tally(len(errors), 'error')}, {tally(len(warnings), 'warning')}.", err=err)


@contextmanager
def importing():
    """A command's imports, without the cyclic garbage collector: pandas, networkx and the rest make some hundreds of
    thousands of lasting objects and almost no garbage, so its passes over them (during the imports and after) were
    about a twentieth of a second of the example's build wasted. Those objects are then frozen (left out of later
    passes) and the collector resumes."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


def protected(input, key_file) -> list[Path]:
    """Files no output may be written over: the input, and the key file when one is given."""
    return [Path(input), *([Path(key_file)] if key_file else [])]


class Command(click.Command):
    """Turns the toolkit's exceptions into a plain message and exit status, never a traceback."""

    def invoke(self, ctx):
        try:
            from .writing.files import output_timestamp

            output_timestamp()  # a bad SOURCE_DATE_EPOCH is refused before any work, not at the first workbook
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader went away (`mcn-map validate | head`): stop quietly, as other command-line tools do.
            _silence_stdout()
            ctx.exit(0)
        except InputError as exc:
            click.echo(scrub_identifiers(f"Error: {exc.summary}:"), err=True)
            print_problems(exc.problems)
            ctx.exit(1)
        except McnMapError as exc:
            click.echo(scrub_identifiers(f"Error: {exc}"), err=True)
            ctx.exit(1)
        except OSError as exc:
            click.echo(scrub_identifiers(f"Error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")), err=True)
            ctx.exit(1)
        except Exception as exc:
            # A bug, not bad input: keep the traceback, but never with a whole NHS number in it.
            scrub_exception(exc)
            raise


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real stdout (a test runner): nothing to silence
        pass


class Group(click.Group):
    command_class = Command


key_file_option = click.option(
    "--key-file", type=click.Path(dir_okay=False), default=None,
    help="File holding the secret key for pseudonyms (else the MCN_MAP_KEY environment variable).")
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress lines on stderr.")
suppression_option = click.option(
    "--no-suppression", is_flag=True,
    help="Show exact counts of people (small numbers are otherwise shown as <8 and others rounded to 5); every page "
         "and sheet is then stamped 'not for circulation'.")

config_option = click.option(
    "--config", type=click.Path(dir_okay=False), default=None,
    help="TOML file of analysis thresholds (default: the built-in ones; see the README's Findings section).")
as_of_option = click.option(
    "--as-of", default=None, metavar="DATE",
    help="Analyse as of this date, written as in the workbook: 2026-10-31, 31/10/2026 or 31 Oct 2026 (default: the "
         "latest date in the data).")


force_option = click.option(
    "--force", is_flag=True,
    help="Replace existing files mcn-map did not write (its own earlier outputs are always replaced).")


def _settings(config, as_of=None, no_suppression: bool = False):
    """The one resolved config of this run: the config file, then the flags. Read and checked before anything is
    written, so a typo costs nothing."""
    from .config import resolve_config

    return resolve_config(config, as_of=as_of or None, suppress=False if no_suppression else None)


def _say_if_unsuppressed(settings, err: bool = False) -> None:
    """Whichever way suppression was turned off (flag or config file), the user is told, as every output is stamped."""
    from .privacy.suppression import UNSUPPRESSED_STAMP

    if not settings.suppress:
        click.echo(f"Counts of people are NOT suppressed; every page and sheet is stamped '{UNSUPPRESSED_STAMP}'.",
                   err=err)


@click.group(cls=Group)
@click.version_option(__version__, prog_name="mcn-map")
def cli():
    """Map the multi-agency meetings of a local health and care system."""


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def template(path, force):
    """Write a blank input workbook with instructions and drop-down lists."""
    from .loading.template import write_template

    written = write_template(path, overwrite=force)
    click.echo(f"Wrote a blank workbook to {written}")


@cli.command()
@click.argument("input", type=click.Path(), required=False)
@key_file_option
@quiet_option
def validate(input, key_file, quiet):
    """Check INPUT (.xlsx or folder of .csv; default: the shipped example) and list every problem; exit 1 on errors."""
    with importing():
        from .loading.validate import check
        from .privacy.keys import resolve_key
        from .running.progress import Progress

    input = Path(input) if input else shipped_example()
    landscape, problems = check(input, key=resolve_key(key_file), progress=Progress(False if quiet else None))
    print_problems(problems, err=False)
    if landscape is None:
        sys.exit(1)
    click.echo(f"{Path(input).name} is valid: {tally(len(landscape.forums), 'forum', 'forums')}, "
               f"{tally(len(landscape.agencies), 'agency', 'agencies')}, {tally(len(landscape.seats), 'seat', 'seats')}.")


@cli.command()
@click.argument("input", type=click.Path(), required=False)
@click.option("-o", "--outdir", type=click.Path(file_okay=False), default=None,
              help="Folder to write into (default outputs/<input name>/).")
@key_file_option
@suppression_option
@config_option
@as_of_option
@force_option
@quiet_option
def build(input, outdir, key_file, no_suppression, config, as_of, force, quiet):
    """Load INPUT (default: the shipped example), analyse it and write every output."""
    with importing():
        from .build import build as run_build
        from .privacy.keys import resolve_key
        from .running.progress import Progress

    input = Path(input) if input else shipped_example()
    settings = _settings(config, as_of, no_suppression)
    key = resolve_key(key_file)
    result = run_build(input, outdir, config=settings, key=key, progress=Progress(False if quiet else None),
                       protect=protected(input, key_file)[1:], force=force)
    _say_if_unsuppressed(settings, err=True)
    if result.landscape.warnings:
        click.echo(f"{tally(len(result.landscape.warnings), 'warning')} in {input.name} "
                   "(run `mcn-map validate` to list them).", err=True)
    click.echo(f"Wrote {tally(len(result.written), 'file')} to {result.outdir}/:")
    for path in result.written:
        click.echo(f"  {path}")
    for path in result.removed:
        click.echo(f"  removed {path} (an earlier build's output this build no longer makes)")
    _open_first(result)


def _open_first(result) -> None:
    """End a build with what to open first and how many findings there are."""
    findings = result.analysis.findings if result.analysis is not None else []
    high = sum(1 for f in findings if f.severity == "high")
    names = {p.name: p for p in result.written}
    first = names.get("report.html") or names.get("map.html") or (result.written[0] if result.written else None)
    click.echo(f"{tally(len(findings), 'finding')} ({high} high severity).")
    if first is not None:
        click.echo(f"Open {first} first" + (", then map.html to explore." if first.name == "report.html" else "."))


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False))
def keygen(path):
    """Make a new secret key for pseudonyms in PATH, readable only by you. Never overwrites."""
    from .privacy.identifiers import key_fingerprint
    from .privacy.keys import read_key, write_key

    written = write_key(path)
    click.echo(f"Wrote a new key to {written} (fingerprint {key_fingerprint(read_key(written))[:8]}).")
    click.echo("Give it to each chair by a separate secure route (never with the case lists), keep it out of any "
               "shared folder or repository, and never send it to whoever combines the snapped lists.")


@cli.command()
@click.argument("caselists", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="CASELIST...")
@click.option("--forum", "forum_id", default=None, help="The forum_id of the meeting whose case list this is.")
@key_file_option
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The shareable file to write: .xlsx or .csv (readable only by you; never over an existing file "
                   "without --force).")
@click.option("--id-column", default=None,
              help="Header of the identifier column (default: person_id, NHS number, NHS No. or NHS_NO).")
@click.option("--date-column", default=None,
              help="Header of the date discussed (default: discussed_on, Date discussed, Meeting date or Date).")
@click.option("--lead-column", default=None,
              help="Header of the lead agency (default: lead_agency, Lead agency or Lead).")
@click.option("--post-column", default=None,
              help="Header of the lead worker's post label, never a name (default: lead_post or Lead worker post).")
@click.option("--date-precision", type=click.Choice(["month", "day"]), default="month", show_default=True,
              help="Keep dates to the month, or to the day (the analyst's choice: days sharpen the contradictory-"
                   "plans and journeys checks but make people easier to recognise).")
@click.option("--landscape", type=click.Path(dir_okay=False), default=None, metavar="WORKBOOK",
              help="Check --forum and the lead agencies against this landscape workbook's forums and agencies.")
@click.option("--combine", is_flag=True,
              help="Merge snapped files (given as CASELIST...) into one cohorts sheet instead; needs no key.")
@click.option("--into", "into", type=click.Path(dir_okay=False), default=None, metavar="WORKBOOK",
              help="With --combine: write a copy of this landscape workbook, its cohorts sheet holding the combined "
                   "lists, to -o NEW.xlsx (the workbook itself is never changed).")
@click.option("--replace", is_flag=True,
              help="With --into: the cohorts sheet holds the combined lists alone, dropping the rows of other forums "
                   "(by default they are kept, and only the rows of the forums the lists bring are replaced).")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it already exists.")
def snap(caselists, forum_id, key_file, output, id_column, date_column, lead_column, post_column, date_precision,
         landscape, combine, into, replace, force):
    """Pseudonymise a meeting's case list for sharing ("Play Snap!"), or --combine snapped lists into cohorts."""
    with importing():
        from .privacy.keys import resolve_key
        from .snap import combine_files, landscape_names, snap_files, write_into, write_table

    if replace and not (combine and into):
        raise McnMapError("--replace belongs to --combine --into: it says the copy's cohorts sheet should hold the "
                          "combined lists alone.")
    if combine:
        if forum_id or id_column or date_column or lead_column or post_column or date_precision != "month":
            raise McnMapError("--combine merges files already snapped; --forum, --id-column, --date-column, "
                              "--lead-column, --post-column and --date-precision belong to snapping a case list.")
        if into and landscape:
            raise McnMapError("give either --into WORKBOOK (checks against it and writes into a copy) or "
                              "--landscape WORKBOOK, not both.")
        names = landscape_names(into or landscape) if (into or landscape) else None
        result = combine_files(caselists, landscape=names)
        inputs = list(caselists) + [p for p in (into, landscape) if p]
    else:
        if into:
            raise McnMapError("--into belongs to --combine: the analyst combines the snapped lists into a copy of "
                              "the landscape workbook.")
        names = landscape_names(landscape) if landscape else None
        result = snap_files(caselists, forum_id, resolve_key(key_file), id_column=id_column, date_column=date_column,
                            lead_column=lead_column, post_column=post_column, date_precision=date_precision,
                            landscape=names)
        inputs = list(caselists) + [p for p in (key_file, landscape) if p]
    if result.problems:
        print_problems(result.problems)
    frame = result.frame
    if into:
        written_into = write_into(frame, into, output, inputs=inputs, force=force, replace=replace)
        written, told = written_into.path, written_into.lines()
    else:
        written = write_table(frame, output, inputs=inputs, force=force, fingerprint=result.summary.fingerprint)
        told = []
    for line in result.summary.lines() + told:
        click.echo(scrub_identifiers(line))  # header names only, but a header could be a number
    forums = frame["forum_id"].nunique()
    where = f"the cohorts sheet of a copy of {Path(into).name}, " if into else ""
    click.echo(f"Wrote {len(frame):,} row{'s' if len(frame) != 1 else ''} "
               f"({forums} forum{'s' if forums != 1 else ''}) to {where}{written}, readable only by you.")
    click.echo("It holds pseudonymised personal data: share it only under your information sharing agreement, "
               "and never together with the key.")


@cli.command()
@click.argument("input", type=click.Path())
@click.option("-o", "--outdir", required=True, type=click.Path(file_okay=False),
              help="Folder to write the forms into, one form-<forum_id>.xlsx per forum still meeting.")
@click.option("--round", "round_name", default=None,
              help="The round's name (default: 1, or the round after the last one INPUT records).")
@click.option("--due", default="", help="The date to ask for the forms back by, shown on each form.")
@key_file_option
@force_option
def forms(input, outdir, round_name, due, key_file, force):
    """Write a form for each forum's chair, pre-filled from INPUT (a landscape, or a roster of forums and agencies)."""
    with importing():
        from .forms.make import load_roster, write_forms
        from .privacy.keys import resolve_key

    landscape = load_roster(input, key=resolve_key(key_file))
    round_, written = write_forms(landscape, outdir, round_name=round_name, due=due,
                                  inputs=protected(input, key_file), force=force)
    click.echo(f"Wrote {tally(len(written), 'form')} for round {round_.name} to {Path(outdir)}.")
    click.echo("Send each chair their own form; collect the returns with "
               f"`mcn-map collect FORMS... --into {Path(input).name} -o NEW.xlsx`.")


@cli.command()
@click.argument("returned", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="FORMS...")
@click.option("--into", "into", type=click.Path(), default=None, metavar="INPUT",
              help="The landscape the forms were made from (never modified).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="The new landscape workbook (.xlsx); with --status, a sheet of who has replied.")
@click.option("--reconciliation", type=click.Path(dir_okay=False), default=None,
              help="Where to write the reconciliation workbook (default: beside OUTPUT, ending -reconciliation.xlsx).")
@click.option("--round", "round_name", default=None, help="The round to collect (default: the forms' own round).")
@click.option("--status", is_flag=True, help="Only say who has replied, the response rate and who to remind.")
@click.option("--approvals", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="A reconciliation workbook with your decisions on the write-ins (approve, reject, correct): applied.")
@key_file_option
@force_option
def collect(returned, into, output, reconciliation, round_name, status, approvals, key_file, force):
    """Merge returned forms into a copy of the landscape (--into INPUT -o NEW.xlsx), or say who has replied (--status)."""
    if status:
        from .forms.status import status_for, status_lines
        from .forms.workbooks import write_status

        result = status_for(returned)
        for line in status_lines(result):
            click.echo(scrub_identifiers(line))
        if output:
            click.echo(f"Wrote {write_status(result, output, inputs=list(returned), force=force)}")
        return
    if not into or not output:
        raise McnMapError("collect needs --into INPUT (the landscape the forms were made from) and -o NEW.xlsx "
                          "(or --status to see who has replied).")
    with importing():
        from .forms.run import collect_round
        from .privacy.keys import resolve_key

    report = collect_round(returned, into, output, reconciliation=reconciliation, round_name=round_name,
                           key=resolve_key(key_file), inputs=protected(into, key_file), force=force,
                           approvals=approvals)
    if report.problems:
        print_problems(report.problems)
    for line in report.lines:
        click.echo(scrub_identifiers(line))
    if report.set_aside:
        sys.exit(1)


@cli.command()
@click.argument("input", type=click.Path(), required=False)
@click.option("--json", "json_path", type=click.Path(dir_okay=False), default=None, help="Write findings.json here.")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), default=None, help="Write findings.xlsx here.")
@config_option
@as_of_option
@key_file_option
@suppression_option
@force_option
@quiet_option
def analyse(input, json_path, xlsx_path, config, as_of, key_file, no_suppression, force, quiet):
    """Analyse INPUT (default: the shipped example): print a summary and the high-severity findings."""
    with importing():
        from .analyses.run import analyse as run_analyse
        from .render.findings_json import findings_json_bytes
        from .render.findings_workbook import findings_xlsx_bytes
        from .loading.validate import load
        from .writing.files import check_target, write_atomic
        from .privacy.keys import resolve_key
        from .running.progress import Progress

    input = Path(input) if input else shipped_example()
    for path in (json_path, xlsx_path):  # refused before any work is printed
        if path:
            check_target(path, inputs=protected(input, key_file), force=force)
    settings = _settings(config, as_of, no_suppression)
    progress = Progress(False if quiet else None)
    landscape = load(input, key=resolve_key(key_file), progress=progress)
    with progress.stage("analyse"):
        result = run_analyse(landscape, settings)
    _say_if_unsuppressed(settings)
    counts = result.counts()
    as_of_text = result.as_of.isoformat() if result.as_of else "unknown"
    click.echo(f"{counts['total']} findings in {input.name} (as of {as_of_text}; thresholds: {result.config.source}).")
    click.echo("By severity: " + ", ".join(f"{k} {v}" for k, v in counts["by_severity"].items()))
    click.echo("By category: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts["by_category"].items()))
    high = [f for f in result.findings if f.severity == "high"]
    if high:
        click.echo("")
        click.echo("High severity:")
        for finding in high:
            click.echo(f"  - {finding.message}")
            if finding.suggestion:
                click.echo(f"    Next step: {finding.suggestion}")
    for path, produce in ((json_path, findings_json_bytes), (xlsx_path, findings_xlsx_bytes)):
        if path:
            click.echo(f"Wrote {write_atomic(path, produce(result), inputs=protected(input, key_file), force=force)}")


@cli.command(name="map")
@click.argument("input", type=click.Path(), required=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="File to write (default outputs/<input name>/map.html, or map-forums.html / map-<forum>.html).")
@click.option("--view", type=click.Choice(["system", "forums", "focus"]), default="system", show_default=True,
              help="system: forums and agencies; forums: forums only, agencies folded into counts; focus: one forum "
                   "and its neighbourhood (give --focus).")
@click.option("--focus", "focus", default=None, metavar="FORUM_ID", help="The forum to centre on (implies --view focus).")
@key_file_option
@suppression_option
@config_option
@as_of_option
@force_option
@quiet_option
def map_command(input, output, view, focus, key_file, no_suppression, config, as_of, force, quiet):
    """Write the interactive map of INPUT (default: the shipped example) as one self-contained HTML file."""
    with importing():
        from .analyses.run import analyse as run_analyse
        from .build import default_outdir
        from .loading.validate import load
        from .writing.files import check_target, write_atomic
        from .privacy.keys import resolve_key
        from .running.progress import Progress
        from .render.map import full_map_notice, render_map

    progress = Progress(False if quiet else None)
    input = Path(input) if input else shipped_example()
    if focus and view == "system":
        view = "focus"
    if view == "focus" and not focus:
        raise click.UsageError("--view focus needs --focus FORUM_ID.")
    if output is None:
        # A forum id may hold any printable character: the file name keeps only the safe ones.
        safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in str(focus))
        name = {"system": "map.html", "forums": "map-forums.html"}.get(view, f"map-{safe}.html")
        output = default_outdir(input) / name
    check_target(output, inputs=protected(input, key_file), force=force)  # before any work is printed
    settings = _settings(config, as_of, no_suppression)
    landscape = load(input, key=resolve_key(key_file), progress=progress)
    if view == "focus" and focus not in landscape.forum_name:
        from .loading.problems import did_you_mean

        raise McnMapError(f"forum '{focus}' is not in the forums sheet of {input.name}."
                          f"{did_you_mean(focus, landscape.forum_name)}")
    with progress.stage("analyse"):
        analysis = run_analyse(landscape, settings)
    with progress.stage("map"):
        html = render_map(landscape, analysis, view=view, focus=focus)
    _say_if_unsuppressed(settings, err=True)
    notice = full_map_notice(landscape, analysis.findings) if view == "system" else ""
    if notice:
        click.echo(notice, err=True)
    click.echo(f"Wrote {write_atomic(output, html, inputs=protected(input, key_file), force=force)}")


# -- change over time and what-if ---------------------------------------------------------------------------------

def _change_targets(outdir, json_path, inputs, force) -> list[Path]:
    """changes.json, changes.xlsx and compare.html in ``outdir`` (and ``json_path``), each checked against the overwrite
    policy before any work is done, so a refusal costs nothing."""
    from .writing.files import check_target

    outdir = Path(outdir)
    targets = [outdir / "changes.json", outdir / "changes.xlsx", outdir / "compare.html"]
    targets += [Path(json_path)] if json_path else []
    for target in targets:
        check_target(target, inputs=inputs, force=force)
    return targets


def _write_changes(changes, targets, pages, inputs, force) -> list[Path]:
    """Write changes.json, changes.xlsx and compare.html (and a second changes.json where asked) to ``targets``."""
    from .change.compare import changes_document
    from .writing.files import json_bytes, write_atomic
    from .render.compare import changes_xlsx_bytes

    document = json_bytes(changes_document(changes))
    contents = [document, changes_xlsx_bytes(changes), pages()] + [document] * (len(targets) - 3)
    return [write_atomic(target, data, inputs=inputs, force=force) for target, data in zip(targets, contents)]


def _report_changes(changes, written) -> None:
    from .privacy.suppression import UNSUPPRESSED_STAMP
    from .render.compare import summary_lines

    if not changes.suppressed:
        click.echo(f"Counts of people are NOT suppressed; every page and sheet is stamped '{UNSUPPRESSED_STAMP}'.")
    for line in summary_lines(changes):
        click.echo(line)
    click.echo(f"Wrote {len(written)} files:")
    for path in written:
        click.echo(f"  {path}")


@cli.command()
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("-o", "--outdir", type=click.Path(file_okay=False), default=None,
              help="Folder for changes.json, changes.xlsx and compare.html (default outputs/compare-OLD-NEW/).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), default=None, help="Also write changes.json here.")
@config_option
@key_file_option
@suppression_option
@force_option
@quiet_option
def compare(old, new, outdir, json_path, config, key_file, no_suppression, force, quiet):
    """Compare two snapshots OLD and NEW (.xlsx or CSV folders): what was added, removed and changed."""
    with importing():
        from .analyses.run import analyse as run_analyse
        from .change.compare import compare as run_compare
        from .loading.validate import load
        from .privacy.keys import resolve_key
        from .running.progress import Progress
        from .render.compare import render_compare

    settings = _settings(config, None, no_suppression)
    outdir = outdir or Path("outputs") / f"compare-{Path(old).stem}-{Path(new).stem}"
    inputs = [Path(old), Path(new), *protected(new, key_file)[1:]]
    targets = _change_targets(outdir, json_path, inputs, force)
    progress = Progress(False if quiet else None)
    key = resolve_key(key_file)
    before, after = load(old, key=key, progress=progress), load(new, key=key, progress=progress)
    with progress.stage("analyse"):
        old_analysis = run_analyse(before, settings)
        new_analysis = run_analyse(after, settings)
        changes = run_compare(before, old_analysis, after, new_analysis)
    written = _write_changes(changes, targets, lambda: render_compare(before, after, new_analysis, changes), inputs,
                             force)
    _report_changes(changes, written)


@cli.command()
@click.argument("input", type=click.Path())
@click.argument("scenario", type=click.Path(dir_okay=False, exists=True))
@click.option("-o", "--outdir", type=click.Path(file_okay=False), default=None,
              help="Folder for changes.json, changes.xlsx and compare.html (default outputs/whatif-INPUT-SCENARIO/).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), default=None, help="Also write changes.json here.")
@config_option
@as_of_option
@key_file_option
@suppression_option
@force_option
@quiet_option
def whatif(input, scenario, outdir, json_path, config, as_of, key_file, no_suppression, force, quiet):
    """Apply the SCENARIO file (TOML) to INPUT and show what would change, with meeting-hours before and after."""
    with importing():
        from .analyses.run import analyse as run_analyse
        from .change.scenario import evaluate, read_scenario
        from .loading.validate import load
        from .privacy.keys import resolve_key
        from .running.progress import Progress
        from .render.compare import render_compare

    settings = _settings(config, as_of, no_suppression)
    plan = read_scenario(scenario)  # a bad scenario costs nothing: checked before the workbook is read
    outdir = outdir or Path("outputs") / f"whatif-{Path(input).stem}-{Path(scenario).stem}"
    inputs = [*protected(input, key_file), Path(scenario)]
    targets = _change_targets(outdir, json_path, inputs, force)
    progress = Progress(False if quiet else None)
    baseline = load(input, key=resolve_key(key_file), progress=progress)
    with progress.stage("analyse"):
        analysis = run_analyse(baseline, settings)
        changed, changed_analysis, changes = evaluate(baseline, analysis, plan)
    written = _write_changes(changes, targets, lambda: render_compare(baseline, changed, changed_analysis, changes),
                             inputs, force)
    _report_changes(changes, written)


def main(argv=None):
    cli.main(args=argv, prog_name="mcn-map")


if __name__ == "__main__":  # pragma: no cover
    main()
