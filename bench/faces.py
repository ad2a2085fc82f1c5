"""Face check-in figures on a photo folder (default: ../shared/data/faces/dev): the evaluation
of ``meetingapp faces eval`` plus the latency per 640×480 frame (detect + encode + match
against 500 templates) and of matching alone. Prints JSON.

    python bench/faces.py [DIR]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from attendance.evaluation import evaluate, frame_latency  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "faces" / "dev"


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    result = evaluate(root)
    result["latency"] = frame_latency(root, templates=500, frames=60)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
