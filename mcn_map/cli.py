"""The `mcn-map` command line: parses options, calls the library, prints. Nothing analytical lives here."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import InputError, McnMapError, Problem

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "example_landscape.xlsx"


def shipped_example() -> Path:
    """The example workbook: beside the package in a checkout, or inside it when installed."""
    packaged = Path(__file__).resolve().parent / "data" / "example_landscape.xlsx"
    for candidate in (Path("inputs") / "example_landscape.xlsx", EXAMPLE, packaged):
        if candidate.exists():
            return candidate
    raise McnMapError("no INPUT given and the shipped example inputs/example_landscape.xlsx was not found; "
                      "give a workbook or run from the project folder.")


def print_problems(problems: list[Problem] | tuple[Problem, ...], *, err: bool = True) -> None:
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    for group in (errors, warnings):
        for problem in group:
            click.echo(f"  {problem}", err=err)
    click.echo(f"{len(errors)} error{'s' if len(errors) != 1 else ''}, "
               f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}.", err=err)


class Command(click.Command):
    """Turns the toolkit's exceptions into a plain message and exit status, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            click.echo(f"Error: {exc.summary}:", err=True)
            print_problems(exc.problems)
            ctx.exit(1)
        except McnMapError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except OSError as exc:
            click.echo(f"Error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), err=True)
            ctx.exit(1)


class Group(click.Group):
    command_class = Command


key_file_option = click.option(
    "--key-file", type=click.Path(dir_okay=False), default=None,
    help="File holding the secret key for pseudonyms (else the MCN_MAP_KEY environment variable).")
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress lines on stderr.")


@click.group(cls=Group)
@click.version_option(__version__, prog_name="mcn-map")
def cli():
    """Map the multi-agency meetings of a local health and care system."""


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def template(path, force):
    """Write a blank input workbook with instructions and drop-down lists."""
    from .template import write_template

    written = write_template(path, overwrite=force)
    click.echo(f"Wrote a blank workbook to {written}")


@cli.command()
@click.argument("input", type=click.Path())
@key_file_option
def validate(input, key_file):
    """Check INPUT (.xlsx or folder of .csv) and list every problem; exit 1 on errors."""
    from .loading import check
    from .privacy.keys import resolve_key

    landscape, problems = check(input, key=resolve_key(key_file))
    print_problems(problems, err=False)
    if landscape is None:
        sys.exit(1)
    click.echo(f"{Path(input).name} is valid: {len(landscape.forums)} forums, {len(landscape.agencies)} agencies, "
               f"{len(landscape.seats)} seats.")


@cli.command()
@click.argument("input", type=click.Path(), required=False)
@click.option("-o", "--outdir", type=click.Path(file_okay=False), default=None,
              help="Folder to write into (default outputs/<input name>/).")
@key_file_option
@quiet_option
def build(input, outdir, key_file, quiet):
    """Load INPUT (default: the shipped example), analyse it and write every output."""
    from .build import build as run_build
    from .privacy.keys import resolve_key
    from .progress import Progress

    input = Path(input) if input else shipped_example()
    result = run_build(input, outdir, key=resolve_key(key_file), progress=Progress(False if quiet else None))
    if result.landscape.warnings:
        click.echo(f"{len(result.landscape.warnings)} warning(s) in {input.name} (run `mcn-map validate` to list them).",
                   err=True)
    click.echo(f"Wrote {len(result.written)} files to {result.outdir}/:")
    for path in result.written:
        click.echo(f"  {path}")


def main(argv=None):
    cli.main(args=argv, prog_name="mcn-map")


if __name__ == "__main__":  # pragma: no cover
    main()
