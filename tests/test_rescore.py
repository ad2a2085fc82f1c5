"""N-best rescoring with the Vietnamese syllable LM (asr/rescore.py), on the real word list and
the real Whisper base model on real speech; the session's vocabulary reaching the transcriber."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asr.nbest import NBestDecoder
from asr.rescore import (
    FREQ,
    LEXICON,
    TEXT,
    SyllableLM,
    Vocabulary,
    Weights,
    choose,
    default_lm,
    load_base,
    load_lines,
    score_all,
    syllables,
)
from asr.transcribe import DecodeSettings, Transcriber
from meetingapp.server.speech import Job, SessionWords, TranscriptionQueue, session_words
from meetingapp.store import FileStore
from tests.helpers import make_meeting

CLIP = "VIVOSSPK01_R002.flac"

with gzip.open(LEXICON, "rt", encoding="utf-8") as fh:
    WORDS = [w.strip() for w in fh if " " in w.strip()][::50]


def test_the_lm_prefers_real_vietnamese_to_a_wrong_initial() -> None:
    lm = default_lm()
    good, bad = syllables("ngân sách nhà nước"), syllables("nhân sách nhà nước")
    assert lm.logprob(good) > lm.logprob(bad)
    assert lm.pair_share(good) > lm.pair_share(bad)
    assert lm.pair_share(["một"]) == 0.0  # no pair to judge


def test_the_lm_counts_come_from_the_shipped_running_text_and_frequencies() -> None:
    lm = default_lm()
    text, words = load_lines(TEXT), load_lines(LEXICON)
    assert len(text) > 10_000  # the LibreOffice help's Vietnamese sentences
    # "bạn có" / "có thể chọn" cross word boundaries: no dictionary word holds them, so their
    # counts in the LM are exactly their occurrences in the shipped running text
    for gram in (("bạn", "có"), ("có", "thể", "chọn")):
        k = len(gram)
        in_words = sum(
            tuple(w.split()[i : i + k]) == gram for w in words for i in range(len(w.split()))
        )
        in_text = sum(
            tuple(sy[i : i + k]) == gram
            for s in text
            for sy in [s.split()]
            for i in range(len(sy) - k + 1)
        )
        assert in_words == 0 and in_text > 0
        assert lm.counts[k][gram] == in_text
    # the lowest order leans on the general-language frequencies of the shipped list
    base = load_base(FREQ)
    assert lm.base == base and base["của"] > base["cửa"] > 0
    assert lm.p_uni("của") > lm.p_uni("cửa")
    # a real phrase beats the same phrase with one tone shifted, by more than the word list
    # alone can tell (its cross-word pairs fall back to single syllables)
    words_only = SyllableLM.from_phrases(words)
    for good, bad in (
        ("bạn có thể chọn", "bạn cò thể chọn"),
        ("của chúng ta", "cửa chúng ta"),
        ("trong những năm qua", "trong nhưng năm qua"),
    ):
        g, b = syllables(good), syllables(bad)
        assert lm.logprob(g) > lm.logprob(b), (good, bad)
    g, b = syllables("nếu bạn muốn"), syllables("nếu bạn muộn")
    assert lm.logprob(g) - lm.logprob(b) > words_only.logprob(g) - words_only.logprob(b)


def test_the_running_text_keeps_vietnamese_sentences_and_drops_the_rest() -> None:
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / "build_vi_lexicon.py"
    spec = importlib.util.spec_from_file_location("build_vi_lexicon", path)
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    known = {s for w in load_lines(LEXICON) for s in w.split()}
    page = build.help_text(
        "<html><head><title>Help</title><script>var x = 1;</script></head><body>"
        "<h1>Chèn ảnh</h1><p>Bạn có thể chèn ảnh vào văn bản. Choose Insert - Image.</p>"
        "<p>Nhấn vào nút <b>Mở</b> để chọn 12 tệp.</p><p>=SUM(A1:B2)</p></body></html>"
    )
    assert list(build.sentences(page, known)) == [
        "bạn có thể chèn ảnh vào văn bản",
        "nhấn vào nút mở để chọn mười hai tệp",
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
            st.floats(-40, 0, allow_nan=False),
        ),
        min_size=1,
        max_size=8,
    ),
    st.floats(0, 2),
    st.floats(0, 4),
)
def test_rescoring_changes_a_hypothesis_only_toward_a_higher_combined_score(
    nbest: list[tuple[list[str], float]], a: float, b: float
) -> None:
    lm = default_lm()
    w = Weights(a, b)
    scored = score_all(lm, [" ".join(words) for words, _ in nbest], [lp for _, lp in nbest])
    best = choose(scored, w)
    top = scored[0]  # the model's own choice
    assert all(best.combined(w) >= s.combined(w) for s in scored)
    if best.index != top.index:
        assert best.combined(w) > top.combined(w)
    assert choose(scored, Weights(0, 0)).index == max(
        range(len(scored)), key=lambda i: (scored[i].model, -i)
    )


@pytest.fixture(scope="module")
def model_dir() -> Path:
    from asr.models import ensure_bundled_model

    return ensure_bundled_model()


@pytest.fixture(scope="module")
def transcriber(model_dir: Path) -> Transcriber:
    return Transcriber(model_dir, DecodeSettings())


@pytest.mark.slow
def test_real_nbest_rescored_keeps_times_and_word_probabilities(
    transcriber: Transcriber, shared_data: Path
) -> None:
    from faster_whisper import decode_audio

    audio = decode_audio(str(shared_data / "speech" / "dev" / CLIP))
    decoder: NBestDecoder = transcriber.decoder()
    (window, encoded), *_ = list(decoder.nbest(audio))
    assert 2 <= len(window.hypotheses) <= 8
    scores = [h.score for h in window.hypotheses]
    assert scores == sorted(scores, reverse=True)  # the model's order, best first
    w = Weights(transcriber.settings.lm_weight, transcriber.settings.pair_weight)
    scored = score_all(
        default_lm(), [h.text for h in window.hypotheses], [h.logprob for h in window.hypotheses]
    )
    best = choose(scored, w)
    assert best.combined(w) >= scored[0].combined(w)

    segments = list(transcriber.segments(audio))
    assert segments and segments[0].text
    duration = len(audio) / 16000
    for seg in segments:
        assert 0 <= seg.start < seg.end <= duration + 0.01
        assert seg.words
        for word in seg.words:
            assert seg.start - 0.01 <= word.start <= word.end <= seg.end + 0.01
            assert 0.0 <= word.probability <= 1.0
        assert " ".join(x.text for x in seg.words).split() == seg.text.split()


def _pdf_with(text: str, folder: Path) -> Path:
    from docx import Document

    from exports.pdf import docx_to_pdf

    doc = Document()
    for para in text.split("\n"):
        doc.add_paragraph(para)
    folder.mkdir(parents=True, exist_ok=True)
    doc.save(str(folder / "to-trinh.docx"))
    return docx_to_pdf(folder / "to-trinh.docx", folder)


DOCUMENT = (
    "Tờ trình về dự toán ngân sách xã Đạ Tẻh năm 2027\n"
    "Ủy ban nhân dân xã kính trình Hội đồng nhân dân xem xét thông qua dự toán thu chi "
    "ngân sách, trong đó ưu tiên kiên cố hóa kênh mương nội đồng."
)


@pytest.mark.slow
def test_the_session_vocabulary_reaches_the_transcriber(
    tmp_path: Path, model_dir: Path, shared_data: Path
) -> None:
    mt = make_meeting(tmp_path)
    m = mt.machine
    files = FileStore(tmp_path / "files")
    pdf = _pdf_with(DOCUMENT, tmp_path / "doc")
    digest, _ = files.put(pdf.read_bytes(), kind="documents", suffix=".pdf")
    m.add_document(mt.session, item_id=mt.item, title="Tờ trình dự toán", file_hash=digest)
    words = session_words(m.world, mt.session, files)
    assert {"Đại biểu Số 1", "Tổ 1", "Hội đồng nhân dân xã Thử Nghiệm", "Kỳ họp thứ Nhất"} <= set(
        words.terms
    )
    assert {"Nghị quyết về ngân sách", "Tờ trình dự toán"} <= set(words.terms)
    assert words.documents == (files.path_for(digest, kind="documents", suffix=".pdf"),)

    seen: list[Vocabulary | None] = []
    done: list[list[dict[str, object]]] = []
    queue = TranscriptionQueue(
        lambda: model_dir,
        on_progress=lambda job, p: None,
        on_done=lambda job, segments, asr: done.append(segments),
        on_error=lambda job, exc: done.append([{"error": str(exc)}]),
    )
    original = Transcriber.lm_for

    def spy(self: Transcriber, vocabulary: Vocabulary | None):  # type: ignore[no-untyped-def]
        seen.append(vocabulary)
        return original(self, vocabulary)

    Transcriber.lm_for = spy  # type: ignore[method-assign]
    try:
        queue.start()
        audio = shared_data / "speech" / "dev" / CLIP
        queue.submit(Job(mt.session, "sp-1", audio, "chủ tọa", words))
        queue.submit(Job(mt.session, "sp-2", audio, "chủ tọa", SessionWords()))
        queue.stop()
        queue._thread.join(timeout=240)
    finally:
        Transcriber.lm_for = original  # type: ignore[method-assign]
    assert len(done) == 2 and "error" not in done[0][0], done
    vocab = seen[0]
    assert vocab is not None and vocab.terms == words.terms
    assert "kiên cố hóa kênh mương nội đồng" in " ".join(vocab.text[0].split())
    lm = queue._model.lm_for(vocab)  # type: ignore[union-attr]
    assert ("đạ", "tẻh") in lm.pairs or lm.bi[("đạ", "tẻh")] > 0
    assert lm.bi[("mương", "nội")] > default_lm().bi[("mương", "nội")]
    assert seen[1] is not None and seen[1].empty  # another session: the word list alone
    assert queue._model.lm_for(seen[1]) is default_lm()  # type: ignore[union-attr]
    review = [w for seg in done[0] for w in seg.get("review", [])]  # type: ignore[attr-defined]
    assert all(0 <= w[3] < 0.5 for w in review)


def test_cuda_asked_for_without_a_gpu_falls_back_to_the_cpu_with_a_message(
    model_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import ctranslate2

    if ctranslate2.get_cuda_device_count() > 0:
        pytest.skip("a GPU is present: the fallback path is not taken")
    with caplog.at_level("WARNING", logger="asr.transcribe"):
        tr = Transcriber(model_dir, DecodeSettings(), device="cuda")
    assert (tr.device, tr.compute_type) == ("cpu", "int8")
    assert "CUDA did not start" in tr.fallback and "using the CPU" in caplog.text
    auto = Transcriber(model_dir, DecodeSettings())
    assert (auto.device, auto.compute_type, auto.fallback) == ("cpu", "int8", "")
