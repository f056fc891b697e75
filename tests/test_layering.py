"""The one-way flow of imports: no package imports the CLI; the shared errors and settings import nothing else."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent

LOADED = """
import importlib, json, pkgutil, sys
{imports}
print(json.dumps(sorted(name for name in sys.modules if name == "nianbao" or name.startswith("nianbao."))))
"""


def project_modules_loaded(imports: str) -> list[str]:
    """The nianbao.* modules a fresh interpreter has loaded after running `imports`."""
    result = subprocess.run([sys.executable, "-c", LOADED.format(imports=imports)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120, check=True)
    return json.loads(result.stdout)


def test_layering_no_package_imports_the_cli() -> None:
    every_module = (
        "import db, parsers, crawler, checks, alerts, scheduler\n"
        "for package in (db, parsers, crawler, checks, alerts):\n"
        "    for module in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        importlib.import_module(module.name)\n")
    loaded = project_modules_loaded(every_module)
    assert "nianbao.cli" not in loaded and "nianbao.commands" not in loaded
    assert not [name for name in loaded if name.startswith("nianbao.commands.")]
    # What they may use: the base modules, nothing else of the CLI package.
    assert set(loaded) <= {"nianbao", "nianbao.errors", "nianbao.config", "nianbao.config_values"}


def test_layering_base_modules_import_nothing_else_of_the_project() -> None:
    code = ("import json, sys\nimport nianbao.errors, nianbao.config, nianbao.config_values\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('nianbao', 'db', 'parsers', 'crawler', 'checks', 'alerts', 'scheduler', 'samples'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                            check=True)
    assert json.loads(result.stdout) == ["nianbao", "nianbao.config", "nianbao.config_values", "nianbao.errors"]
