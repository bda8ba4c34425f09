"""Errors a user can act on. The CLI prints them as one line and exits 1."""


class VocError(Exception):
    """Base class: the message is shown to the user as is, so it must say what to do."""


class InputError(VocError):
    """An input file or record cannot be read as asked."""


class LexiconError(VocError):
    """A lexicon file is invalid. Holds every problem found, not just the first."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        head = f"{len(self.problems)} lexicon problem(s):\n  " + "\n  ".join(self.problems[:50])
        super().__init__(head)


class ConfigError(VocError):
    """A pipeline setting or registry name is wrong."""


class BackendError(VocError):
    """A model backend cannot be loaded or disagrees with its configuration."""
