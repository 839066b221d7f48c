"""Trusted documents: with TRUSTED_DOCUMENTS set, the server runs only the operations its front ends were built with.

The manifest is what graphql-codegen's client preset (`persistedDocuments`, sha256) and Relay's persisted queries
write: a JSON object from each document's sha256 hash (hex, optionally prefixed "sha256:") to its text. A client
sends `{"documentId": "sha256:<hash>"}` (or `?documentId=` over GET), or the full text of a document in the
manifest; anything else is refused before it is parsed. README.md shows a front-end team how to make the manifest.
"""

import hashlib
import json
from pathlib import Path

PREFIX = "sha256:"


def document_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class TrustedDocuments:
    def __init__(self, documents: dict[str, str]) -> None:
        self.documents = documents

    @classmethod
    def from_file(cls, path: Path) -> "TrustedDocuments":
        """The manifest, checked: a key that is not the hash of its document means the file is not what the front
        end was built with, and the server refuses to start rather than refuse that front end's every request."""
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SystemExit(f"TRUSTED_DOCUMENTS {path} cannot be read as JSON: {exc}") from None
        if not isinstance(manifest, dict) or not all(isinstance(text, str) for text in manifest.values()):
            raise SystemExit(f"TRUSTED_DOCUMENTS {path} must be a JSON object of sha256 hash to document text")
        documents = {key.removeprefix(PREFIX).lower(): text for key, text in manifest.items()}
        wrong = [key for key, text in documents.items() if document_hash(text) != key]
        if wrong:
            raise SystemExit(
                f"TRUSTED_DOCUMENTS {path}: {len(wrong)} keys are not the sha256 of their document, e.g. {wrong[0]}"
            )
        return cls(documents)

    def text_of(self, document_id: object) -> str | None:
        """The document a `documentId` names, or None."""
        if not isinstance(document_id, str):
            return None
        return self.documents.get(document_id.removeprefix(PREFIX).lower())

    def trusts(self, text: str) -> bool:
        return document_hash(text) in self.documents
