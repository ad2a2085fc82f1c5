"""Vietnamese text normalisation for scoring: NFC, lowercase, numbers spelled out the way they
are read, punctuation removed, spaces collapsed. Reference transcripts of the development sets
are written this way, so hypotheses must be too (specs/asr.md)."""

from __future__ import annotations

import re
import unicodedata

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
SCALES = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"]


def _tens(n: int) -> list[str]:
    """1–99."""
    tens, unit = divmod(n, 10)
    if tens == 0:
        return [DIGITS[unit]]
    words = ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if unit == 1 and tens > 1:
        words.append("mốt")
    elif unit == 5:
        words.append("lăm")
    elif unit:
        words.append(DIGITS[unit])
    return words


def _hundreds(n: int, full: bool) -> list[str]:
    """0–999; ``full`` when a higher group precedes it (then 25 reads "không trăm hai mươi
    lăm", as in 2025)."""
    hundreds, rest = divmod(n, 100)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if rest:
        if rest < 10 and words:
            words.append("linh")
        words += _tens(rest)
    return words


def number_words(n: int) -> str:
    """An integer as Vietnamese words: 2025 → "hai nghìn không trăm hai mươi lăm"."""
    if n == 0:
        return "không"
    if n < 0:
        return "âm " + number_words(-n)
    groups = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for i in range(len(groups) - 1, -1, -1):
        group = groups[i]
        if group == 0:
            continue
        higher = any(groups[j] for j in range(i + 1, len(groups)))
        words += _hundreds(group, full=higher)
        if i:
            words.append(SCALES[min(i, len(SCALES) - 1)])
    return " ".join(words)


_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


def _spell(match: re.Match[str]) -> str:
    text = match.group(0)
    whole, _, frac = text.partition(",")
    value = number_words(int(whole.replace(".", "")))
    if frac:  # 3,5 → "ba phẩy năm"; long fractions are read digit by digit
        spoken = (
            number_words(int(frac))
            if len(frac) <= 2 and frac[0] != "0"
            else " ".join(DIGITS[int(d)] for d in frac)
        )
        value += " phẩy " + spoken
    return f" {value} "


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    text = text.replace("%", " phần trăm ")
    text = _NUMBER.sub(_spell, text)
    text = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in text)
    return " ".join(text.split())
