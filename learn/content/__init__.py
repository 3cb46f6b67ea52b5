"""Content files (Markdown + YAML front matter) → validated, frozen dataclasses.

No Flask and no database here: parsers collect every problem, each with its
file and line, before anything is written. Public names: ContentError,
ContentProblems, read_front_matter.
"""

from learn.content.base import ContentError, ContentProblems, FrontMatterFile, read_front_matter

__all__ = ["ContentError", "ContentProblems", "FrontMatterFile", "read_front_matter"]
