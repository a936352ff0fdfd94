"""Views modules do not import each other: what two pages share (a query, a form, a helper) lives in a query,
form or helper module of its package. The one exception is a blueprint split across files of one package,
whose other files take ``bp`` from the package's ``views.py``."""

import ast
from pathlib import Path

LEARNING = Path(__file__).resolve().parents[2] / "learning"


def _is_views(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return module.startswith("learning.") and (last == "views" or last.endswith("_views"))


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(LEARNING.parent).with_suffix("").parts)


def views_imported(source: str, importer: str) -> list[str]:
    """The views modules ``importer`` (a dotted name) imports, leaving out its own package's ``bp``."""
    package = importer.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _is_views(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(importer.split(".")[: -node.level] + ([base] if base else []))
            names = [alias.name for alias in node.names]
            if _is_views(base) and not (base == f"{package}.views" and names == ["bp"]):
                found.append(base)
            found += [f"{base}.{name}" for name in names if _is_views(f"{base}.{name}")]
    return [name for name in found if name != importer]


def _views_modules() -> list[Path]:
    return sorted(p for p in LEARNING.rglob("*.py") if p.stem == "views" or p.stem.endswith("_views"))


def test_the_checker_sees_a_views_module_importing_another():
    assert views_imported("from learning.par.views import table_for", "learning.api.views") == ["learning.par.views"]
    assert views_imported("from learning.par import views", "learning.api.views") == ["learning.par.views"]
    assert views_imported("from learning.assignments import exemption_views  # noqa", "learning.assignments.views") \
        == ["learning.assignments.exemption_views"]
    assert views_imported("from .views import bp, helper", "learning.org.unit_views") == ["learning.org.views"]
    # A blueprint split over files of one package is fine, another package's blueprint is not.
    assert views_imported("from learning.api.views import bp", "learning.api.textcheck_views") == []
    assert views_imported("from learning.api.views import bp", "learning.org.views") == ["learning.api.views"]
    assert views_imported("from learning.par.queries import table_for", "learning.api.views") == []


def test_no_views_module_imports_another_views_module():
    modules = _views_modules()
    assert len(modules) > 10
    offenders = {}
    for path in modules:
        name = _module_name(path)
        found = views_imported(path.read_text(encoding="utf-8"), name)
        if found:
            offenders[name] = found
    assert offenders == {}
