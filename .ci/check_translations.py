"""Check that the committed translations match the code (run by `make test`).

1. makemessages, run on a temporary copy of the tree, finds exactly the msgids of the committed
   locale/nl/LC_MESSAGES/django.po (locations and POT-Creation-Date are ignored);
2. the committed django.mo holds exactly what msgfmt makes of the committed django.po.

Fix either with `make messages`. Run with the project's Python: `.venv/bin/python .ci/...`.
"""

import ast
import gettext
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = Path("locale/nl/LC_MESSAGES/django.po")
MO = PO.with_suffix(".mo")
# Keep in sync with MAKEMESSAGES in the Makefile.
MAKEMESSAGES = ["makemessages", "-l", "nl", "--ignore=.venv", "--ignore=node_modules",
                "--ignore=var", "--ignore=tests", "--ignore=bench", "--ignore=build",
                "--add-location=file", "--no-obsolete"]
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "node_modules", "var", "__pycache__",
                                    ".pytest_cache", ".ruff_cache", "*.egg-info", "test-results")


def msgids(po_file: Path) -> set[tuple[str | None, str, str | None]]:
    """(msgctxt, msgid, msgid_plural) of every live entry; obsolete (#~) entries are skipped."""
    entries, current, field = set(), {}, None

    def flush():
        if "msgid" in current and current["msgid"] != "":
            entries.add((current.get("msgctxt"), current["msgid"], current.get("msgid_plural")))
        current.clear()

    for raw in po_file.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            if field in ("msgctxt", "msgid", "msgid_plural"):
                current[field] += ast.literal_eval(line)
            continue
        keyword, _, value = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and "msgid" in current:
            flush()  # a new entry begins
        field = "msgstr" if keyword.startswith("msgstr") else keyword
        if field in ("msgctxt", "msgid", "msgid_plural"):
            current[field] = ast.literal_eval(value)
    flush()
    return entries


def catalog(mo_file: Path) -> dict:
    with mo_file.open("rb") as fh:
        return dict(gettext.GNUTranslations(fh)._catalog)


def check_msgids() -> list[str]:
    with tempfile.TemporaryDirectory(prefix="opgroeien-messages-") as tmp:
        copy = Path(tmp) / "tree"
        shutil.copytree(ROOT, copy, ignore=NOT_COPIED)
        subprocess.run([sys.executable, "manage.py", *MAKEMESSAGES], cwd=copy, check=True,
                       stdout=subprocess.DEVNULL)
        fresh = msgids(copy / PO)
    committed = msgids(ROOT / PO)
    problems = []
    for label, ids in (("missing from", fresh - committed), ("stale in", committed - fresh)):
        for ctxt, msgid, plural in sorted(ids, key=lambda e: (e[1], e[0] or "")):
            extra = (f" (plural {plural!r})" if plural else "") + (
                f" (context {ctxt!r})" if ctxt else "")
            problems.append(f"  {label} {PO}: {msgid!r}{extra}")
    return problems


def check_mo() -> list[str]:
    if not (ROOT / MO).is_file():
        return [f"  {MO} is missing."]
    with tempfile.TemporaryDirectory(prefix="opgroeien-mo-") as tmp:
        fresh = Path(tmp) / "django.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(ROOT / PO)],
                       check=True)
        if catalog(fresh) != catalog(ROOT / MO):
            return [f"  {MO} does not match {PO} (compile it)."]
    return []


def main() -> int:
    problems = check_msgids() + check_mo()
    if problems:
        print("Translations are out of date:", *problems, sep="\n")
        print("Run `make messages` and commit locale/.")
        return 1
    print(f"Translations: {PO} and {MO} match the code.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
