"""Regenerate the files the demo ships in meetingapp/demo_assets/ (run once; they are committed).

- astronaut.jpg: the face region of scikit-image's ``astronaut.png`` (NASA photograph of Eileen
  Collins, public domain), taken from the scikit-image wheel.
- speech-N.flac: the demo speeches read by espeak-ng's Vietnamese voice at 100 words a minute,
  16 kHz mono: of the voices and rates measured with the bundled model (bench/demo_voices.py),
  the one it understands best (CER 0.37 against 0.42 at the former 140; the southern and
  central voices 0.67 and 0.56).

Usage: python scripts/make_demo_assets.py [PATH/TO/astronaut.png]  (without it: speeches only)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from meetingapp.demo_script import SPEECHES

ASSETS = Path(__file__).resolve().parents[1] / "meetingapp" / "demo_assets"
VOICE_RATE = "100"  # words a minute (bench/demo_voices.py)


def main() -> None:
    if len(sys.argv) > 1:
        Image.open(sys.argv[1]).convert("RGB").crop((60, 0, 380, 300)).save(
            ASSETS / "astronaut.jpg", quality=92
        )
    with tempfile.TemporaryDirectory() as tmp:
        for i, (_speaker, _item, text) in enumerate(SPEECHES, start=1):
            wav = Path(tmp) / f"{i}.wav"
            subprocess.run(
                ["espeak-ng", "-v", "vi", "-s", VOICE_RATE, "-w", str(wav), text], check=True
            )
            subprocess.run(
                [
                    "sox",
                    str(wav),
                    "-r",
                    "16000",
                    "-c",
                    "1",
                    str(ASSETS / f"speech-{i}.flac"),
                    "gain",
                    "-n",
                    "-1",
                ],
                check=True,
            )


if __name__ == "__main__":
    main()
