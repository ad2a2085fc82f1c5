"""Speech: model location and assembly, recording, transcription, evaluation (Qt-free)."""
