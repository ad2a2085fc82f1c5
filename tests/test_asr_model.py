"""The bundled Whisper base model: assembled, verified, rebuilt when damaged, and loadable."""

from __future__ import annotations

from pathlib import Path

import pytest

from asr.models import BUNDLED_SHA256, ensure_bundled_model, is_valid, sha256_file


def test_assembled_model_is_verified_and_a_damaged_one_rebuilt(tmp_path: Path) -> None:
    model_dir = ensure_bundled_model(tmp_path)
    assert sha256_file(model_dir / "model.bin") == BUNDLED_SHA256
    assert is_valid(model_dir)
    with (model_dir / "model.bin").open("r+b") as fh:  # a partial copy after a crash
        fh.truncate(1000)
    assert not is_valid(model_dir)
    again = ensure_bundled_model(tmp_path)
    assert again == model_dir and is_valid(again)
    (model_dir / "tokenizer.json").unlink()  # without it faster-whisper would go online
    assert not is_valid(model_dir)
    assert is_valid(ensure_bundled_model(tmp_path))


@pytest.mark.slow
def test_bundled_model_transcribes_real_vietnamese_offline(
    tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from faster_whisper import WhisperModel

    manifest = (shared_data / "speech" / "dev" / "vivos_manifest.tsv").read_text().splitlines()
    header = manifest[0].split("\t")
    row = dict(zip(header, manifest[1].split("\t"), strict=True))
    audio = shared_data / "speech" / "dev" / row["audio"]
    model = WhisperModel(str(ensure_bundled_model(tmp_path)), device="cpu", compute_type="int8")
    segments, info = model.transcribe(str(audio), language="vi", beam_size=5)
    text = " ".join(s.text for s in segments).lower()
    assert info.language == "vi"
    ref_words = set(row["text"].split())
    assert len(ref_words & set(text.split())) >= len(ref_words) // 3, (text, row["text"])
