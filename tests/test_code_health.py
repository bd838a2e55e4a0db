"""Code health, for the whole package: no private name or private memo key crosses a module, no import runs back up a
layer, the model keeps no cache, and the split modules' examples run."""

from __future__ import annotations

import ast
import doctest
import importlib
from pathlib import Path

import mcn_map

PACKAGE = Path(mcn_map.__file__).parent

# The floors of the flow (see ARCHITECTURE.md), lowest first: a module may import its own floor and those below.
FLOORS = [
    ("base", ["mcn_map._version", "mcn_map.errors", "mcn_map.kinds", "mcn_map.memo", "mcn_map.privacy.scrub",
              "mcn_map.privacy.suppression", "mcn_map.privacy.identifiers", "mcn_map.privacy.keys",
              "mcn_map.privacy.freetext", "mcn_map.running",
              "mcn_map.writing"]),
    ("load", ["mcn_map.loading", "mcn_map.privacy.cohorts", "mcn_map.privacy.pasted", "mcn_map.model", "mcn_map.config"]),
    ("graphs", ["mcn_map.graphs"]),
    ("analyse", ["mcn_map.analyses"]),
    ("change", ["mcn_map.change", "mcn_map.snap", "mcn_map.forms"]),
    ("render", ["mcn_map.render"]),
    ("flow", ["mcn_map.build", "mcn_map.notebook"]),
    ("face", ["mcn_map.cli", "mcn_map.__main__", "mcn_map"]),
]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _floor(module: str) -> int:
    best = None
    for level, (_, prefixes) in enumerate(FLOORS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (level, len(prefix))
    assert best is not None, f"{module} is on no floor: add it to FLOORS (and ARCHITECTURE.md)"
    return best[0]


def _imports(module: str, path: Path):
    """(imported module, imported name, line) for every import in ``path``, lazy ones inside functions included."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "mcn_map":
                target = node.module
            else:
                continue
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if submodule in _modules():
                    yield submodule, None, node.lineno
                else:
                    yield target, alias.name, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "mcn_map":
                    yield alias.name, None, node.lineno


def test_no_import_runs_back_up_a_layer():
    upward = []
    for module, path in _modules().items():
        for target, _, line in _imports(module, path):
            if _floor(target) > _floor(module):
                upward.append(f"{path.relative_to(PACKAGE)}:{line} ({FLOORS[_floor(module)][0]}) imports {target} "
                              f"({FLOORS[_floor(target)][0]})")
    assert upward == []


def test_no_private_name_crosses_a_module():
    crossing = []
    for module, path in _modules().items():
        for target, name, line in _imports(module, path):
            if name and name.startswith("_") and not name.startswith("__") and target != module:
                crossing.append(f"{path.relative_to(PACKAGE)}:{line} imports {target}.{name}")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    for alias in node.names if f"{module.rsplit('.', 1)[0]}.{alias.name}" in _modules()}
        for node in ast.walk(tree):  # module._private, on a module imported by name
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in imported
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                crossing.append(f"{path.relative_to(PACKAGE)}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert crossing == []


def test_the_model_keeps_no_cache_and_memo_keys_are_public():
    found = []
    for module, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "cache":
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} uses .cache")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "put")
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "memo" and node.args):
                key = node.args[0]
                texts = [key] if isinstance(key, ast.Constant) else list(getattr(key, "elts", []))[:1]
                if any(isinstance(t, ast.Constant) and str(t.value).startswith("_") for t in texts):
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} keeps a private memo key")
    assert found == []
    from mcn_map.model import Landscape

    assert not any(f == "cache" for f in Landscape.__dataclass_fields__)


def test_renderers_never_analyse():
    """Nothing under render/ calls analyse() or weighs the board's options: they arrive in the Analysis."""
    calls = []
    for module, path in _modules().items():
        if not module.startswith("mcn_map.render"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in ("analyse", "board_options", "try_scenario", "evaluate"):
                    calls.append(f"{path.relative_to(PACKAGE)}:{node.lineno} calls {name}")
    assert calls == []


def test_cohort_keying_lives_beside_the_other_privacy_code():
    from mcn_map.privacy import cohorts

    assert callable(cohorts.key_cohorts) and callable(cohorts.check_nhs_numbers)
    source = (PACKAGE / "loading" / "validate.py").read_text(encoding="utf-8")
    assert "pseudonymise(" not in source and "nhs_valid" not in source  # one NHS-number check, in privacy/


def test_the_loader_can_be_imported_from_its_room():
    from mcn_map.loading.validate import MAX_LISTED, check, load, load_frames

    assert MAX_LISTED == 5 and callable(check) and callable(load) and callable(load_frames)


def test_the_split_modules_examples_run():
    for name in ("mcn_map.loading.cells", "mcn_map.loading.problems", "mcn_map.memo", "mcn_map.privacy.scrub",
                 "mcn_map.config", "mcn_map.snap"):
        module = importlib.import_module(name)
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__
