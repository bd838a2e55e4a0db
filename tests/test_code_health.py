"""Code health the review asked for: no private name crosses a module; the split modules' examples run."""

import ast
import doctest
from pathlib import Path

import mcn_map

PACKAGE = Path(mcn_map.__file__).parent


def _private_imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    yield f"{path.relative_to(PACKAGE)}:{node.lineno} imports {alias.name}"


def test_no_private_name_crosses_a_module_from_the_loader_or_the_privacy_code():
    modules = [*sorted((PACKAGE / "loading").glob("*.py")),
               *sorted((PACKAGE / "privacy").glob("*.py"))]
    found = [hit for path in modules for hit in _private_imports(path)]
    assert found == []


def test_cohort_keying_lives_beside_the_other_privacy_code():
    from mcn_map.privacy import cohorts

    assert callable(cohorts.key_cohorts) and callable(cohorts.check_nhs_numbers)
    source = (PACKAGE / "loading" / "validate.py").read_text(encoding="utf-8")
    assert "pseudonymise(" not in source and "nhs_valid" not in source  # one NHS-number check, in privacy/


def test_the_loader_can_still_be_imported_from_where_it_was():
    from mcn_map.loading.validate import MAX_LISTED, check, load, load_frames

    assert MAX_LISTED == 5 and callable(check) and callable(load) and callable(load_frames)


def test_the_split_modules_examples_run():
    from mcn_map.loading import cells, problems

    for module in (cells, problems):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__
