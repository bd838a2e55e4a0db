"""Build the same inputs with an earlier commit and with the working tree, and compare every output byte for byte.

    python scripts/same_outputs.py 48af6b6                      # the example, its 2027 snapshot, borough and region
    python scripts/same_outputs.py 48af6b6 outputs/bench/nation.xlsx

A speed change must not change an output: this is how the README's "no output changed" is checked. The earlier
commit is checked out into a temporary git worktree and run with this environment's packages. Exits 1 if any output
differs (and names the files), 2 if a build fails.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


def default_inputs() -> list[Path]:
    import bench  # a sibling script: generates (and caches) the presets' workbooks

    return [ROOT / "inputs" / "example_landscape.xlsx", ROOT / "inputs" / "example_landscape_2027.xlsx",
            bench.landscape_file("borough"), bench.landscape_file("region")]


def build(code: Path, source: Path, outdir: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONHASHSEED": "0"}
    result = subprocess.run([sys.executable, "-m", "mcn_map", "build", str(source), "-o", str(outdir), "--quiet",
                             "--force"], cwd=code, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"the build of {source.name} with {code} failed:\n{result.stderr[-2000:]}")


def differing(one: Path, two: Path) -> list[str]:
    names = sorted({p.name for p in one.iterdir()} | {p.name for p in two.iterdir()})
    return [n for n in names if not ((one / n).exists() and (two / n).exists()
                                     and filecmp.cmp(one / n, two / n, shallow=False))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ref", help="the earlier commit (or branch, or tag)")
    parser.add_argument("inputs", nargs="*", type=Path, help="workbooks to build (default: the example and presets)")
    args = parser.parse_args(argv)
    inputs = [p.resolve() for p in args.inputs] or default_inputs()
    with tempfile.TemporaryDirectory() as temp:
        temp = Path(temp)
        earlier = temp / "earlier"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(earlier), args.ref], cwd=ROOT, check=True)
        try:
            changed = 0
            for source in inputs:
                before, after = temp / f"before-{source.stem}", temp / f"after-{source.stem}"
                build(earlier, source, before)
                build(ROOT, source, after)
                different = differing(before, after)
                files = len(list(after.iterdir()))
                print(f"{source.name}: " + (f"identical ({files} files)" if not different
                                            else f"DIFFERENT: {', '.join(different)}"))
                changed += bool(different)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(earlier)], cwd=ROOT, check=False)
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
