"""The workspace's folders: in a multi-root workspace each folder is its own repository, with
its own settings (.mindgap.toml, pyproject.toml), developer identity (its git config), region
store (the user's one database, under that identity), that developer's familiarity profile
and quiz-offer policy, learned conventions and top-level modules. A document belongs to the
innermost folder holding it (`MindgapServer.folder_of`, the one lookup every handler uses);
one outside every folder (an untitled buffer, a file elsewhere) to the first folder, as when
the editor sent a single root.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from os import sep
from pathlib import Path
from typing import Any

from pygls.uris import to_fs_path

from mindgap.config import Settings, SettingsError, developer_identity, resolve_settings
from mindgap.gate.policy import QuizPolicy
from mindgap.knowledge.apis import local_top_level_modules
from mindgap.knowledge.profile import Profile
from mindgap.ledger.database import Database
from mindgap.lsp.conventions import ConventionService
from mindgap.provenance.detection import BurstThresholds
from mindgap.provenance.persistence import RegionStore
from mindgap.textfiles import resolved


@dataclass
class Folder:
    root: Path | None  # None: the editor named no folder
    settings: Settings
    developer: str
    store: RegionStore | None
    conventions: ConventionService = field(default_factory=ConventionService)
    local_modules: frozenset[str] = frozenset()
    profile: Profile | None = None  # the developer's, once built from history (else None)
    policy: QuizPolicy = field(default_factory=QuizPolicy)  # when to offer quizzes here

    @property
    def key(self) -> str | None:
        """The resolved root as paths of documents spell it (lsp/convert.path_of)."""
        return str(self.root) if self.root is not None else None

    def holds(self, path: str | None) -> bool:
        key = self.key
        if key is None or path is None:
            return False
        return path == key or path.startswith(key.rstrip(sep) + sep)

    @property
    def thresholds(self) -> BurstThresholds:
        return BurstThresholds(self.settings.burst_min_lines, self.settings.burst_min_chars)

    def use_settings(self, settings: Settings) -> None:
        """New settings: the quiz-offer policy follows them, keeping the offers made."""
        self.settings = settings
        self.policy = QuizPolicy(
            settings.quiz_on_accept,
            settings.quiz_cooldown_minutes * 60,
            settings.quiz_daily_cap,
            offers=self.policy.offers,
        )


def folder_root(uri: str | None, path: str | None = None) -> Path | None:
    """A folder's root from its URI (or the older rootPath), resolved like documents' paths."""
    fs_path = to_fs_path(uri) if uri else path
    return Path(resolved(fs_path)) if fs_path else None


def open_folder(
    root: Path | None,
    editor: dict[str, Any],
    database: Database | None,
    problems: list[str],
) -> Folder:
    """A folder's settings (a bad file is reported in `problems`, the defaults used), its
    developer, and its store in `database`. Its conventions are learned later (`start`)."""
    try:
        settings = resolve_settings(root, editor)
    except SettingsError as error:
        problems.append(f"mindgap: {error}; using the defaults")
        settings = Settings()
    developer = developer_identity(settings, root)
    store = RegionStore(database, developer) if database is not None else None
    folder = Folder(root, settings, developer, store, local_modules=local_top_level_modules(root))
    folder.use_settings(settings)
    return folder


def innermost(folders: list[Folder], path: str | None) -> Folder:
    """The folder holding `path` (a file, or a notebook cell's key), else the first."""
    holding = [folder for folder in folders if folder.holds(path)]
    if not holding:
        return folders[0]
    return max(holding, key=lambda folder: len(folder.key or ""))
