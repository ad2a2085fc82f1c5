"""Normalisation, error rates and hallucination filters (no model needed)."""

from __future__ import annotations

import pytest

from asr.metrics import corpus_error, edit_distance
from asr.normalize import normalize, number_words
from asr.transcribe import (
    Segment,
    collapse_repeats,
    echoes_prompt,
    hotwords_for,
    is_hallucination,
)


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (25, "hai mươi lăm"),
        (30, "ba mươi"),
        (105, "một trăm linh năm"),
        (115, "một trăm mười lăm"),
        (1500, "một nghìn năm trăm"),
        (2025, "hai nghìn không trăm hai mươi lăm"),
        (2005, "hai nghìn không trăm linh năm"),
        (15500, "mười lăm nghìn năm trăm"),
        (1_200_000, "một triệu hai trăm nghìn"),
        (3_000_000_000, "ba tỷ"),
    ],
)
def test_numbers_are_read_as_vietnamese_words(n: int, words: str) -> None:
    assert number_words(n) == words


def test_normalize() -> None:
    assert normalize("Năm 2025, có 1.500 người!") == (
        "năm hai nghìn không trăm hai mươi lăm có một nghìn năm trăm người"
    )
    assert normalize("Tăng 3,5% so với 2024.") == (
        "tăng ba phẩy năm phần trăm so với hai nghìn không trăm hai mươi bốn"
    )
    decomposed = "Vie\u0302\u0323t Nam"  # NFD: the same letters, other code points
    assert normalize(decomposed) == "việt nam"
    assert normalize("  «Chủ tọa»:   đồng ý… ") == "chủ tọa đồng ý"


def test_error_rates() -> None:
    assert edit_distance(["a", "b", "c"], ["a", "x", "c", "d"]) == 2
    pairs = [("xin chào các bạn", "xin chào bạn"), ("một hai", "một hai")]
    assert corpus_error(pairs) == pytest.approx(1 / 6)
    assert corpus_error([("ab", "ac")], unit="char") == pytest.approx(0.5)
    assert corpus_error([("ab cd", "ab  cx")], unit="char") == pytest.approx(1 / 5)


def test_hallucinations_are_filtered() -> None:
    outro = Segment(0, 3, "Hãy subscribe cho kênh Ghiền Mì Gõ để không bỏ lỡ những video hấp dẫn")
    assert is_hallucination(outro)
    loop = Segment(0, 9, " ".join(["cảm ơn"] * 10))
    assert is_hallucination(loop)
    silence = Segment(0, 2, "ừ", avg_logprob=-1.5, no_speech_prob=0.95)
    assert is_hallucination(silence)
    real = Segment(0, 4, "Tôi đề nghị Ủy ban làm rõ nguồn vốn đối ứng.", -0.3, 0.05)
    assert not is_hallucination(real)
    assert collapse_repeats("đồng ý đồng ý đồng ý đồng ý với tờ trình") == (
        "đồng ý đồng ý với tờ trình"
    )


def test_hotwords_from_roster_and_agenda() -> None:
    words = hotwords_for(["Nguyễn Văn An"], ["Tờ trình về đầu tư công"])
    assert "Nguyễn Văn An" in words and "chủ tọa" in words and len(words) <= 800


def test_a_segment_that_reads_out_the_hotwords_is_recognised() -> None:
    hotwords = hotwords_for(
        ["Trần Thị Bích Ngọc", "Lê Hoàng Dũng", "Vũ Thị Thu Hà", "Đỗ Văn Hải", "Lý Thị Tuyết"],
        ["Đề án sáp nhập thôn Đồng Xoài và thôn Bến Cát"],
    )
    # what the model wrote for an unclear recording: the roster, not the speech
    echo = "Bùi Thị Bích Ngọc, Lê Hoàng Dũng, Phạm Thị Thu Hà, Đỗ Văn Hải, Ngô Thị Tuyết"
    assert echoes_prompt(echo, hotwords)
    # a real sentence that merely mentions an agenda title is kept
    speech = "tôi đề nghị xem xét kỹ đề án sáp nhập thôn trước khi biểu quyết vì cử tri còn lo"
    assert not echoes_prompt(speech, hotwords)
    assert not echoes_prompt("Lê Hoàng Dũng", hotwords)  # too short to judge


def test_long_loops_are_cut() -> None:
    loop = "năm 2027, Đề án sáp nhập ư công năm 2028, " * 4
    assert collapse_repeats(loop.strip()).count("sáp nhập") == 2
