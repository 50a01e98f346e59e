"""👍/👎 feedback from the web chat, one JSON line per vote, beside (never inside) the index directory."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

from reportqa.qa.records import Answer

FEEDBACK_FILE = "feedback.jsonl"


def feedback_path(index_dir: Path) -> Path:
    """``feedback.jsonl`` next to ``index_dir``: the versioned index directory is replaced on every rebuild."""
    return Path(index_dir).parent / FEEDBACK_FILE


def vote_name(liked: bool | str) -> str:
    if liked is True:
        return "up"
    if liked is False:
        return "down"
    return str(liked)


def feedback_record(answer: Answer, liked: bool | str, build_id: str) -> dict[str, Any]:
    return {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "question": answer.question,
        "vote": vote_name(liked),
        "abstained": answer.abstained,
        "answer": answer.sentence,
        "passages": [
            {
                "rank": h.rank,
                "score": round(h.score, 4),
                "text": h.text,
                "citation": h.citation.label(),
                "source": h.citation.to_json(),
            }
            for h in answer.hits
        ],
        "build_id": build_id,
    }


class FeedbackLog:
    """Appends records to one JSONL file; safe to share between the server's worker threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def append(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(line)
                f.flush()
