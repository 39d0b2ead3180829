"""Domain errors. The CLI turns each into a one-line message; none carries a traceback to users."""


class BorderkgError(Exception):
    """Base class of every error borderkg raises on purpose."""


class BadInputError(BorderkgError):
    """A source document cannot be read: empty, binary, truncated or of an unknown kind.

    >>> str(BadInputError("a.docx", "not a valid .docx (zip archive is truncated)"))
    'a.docx: not a valid .docx (zip archive is truncated)'
    """

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class StoreError(BorderkgError):
    """The store cannot be opened or written (missing, locked, or corrupt)."""


class QueryError(BorderkgError):
    """A saved query is unknown, a parameter is malformed, or SPARQL is invalid."""


class MissingToolError(BadInputError):
    """A file cannot be read because a system tool its kind needs is not installed; the
    reason names the package to install.

    >>> str(MissingToolError("a.doc", "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"))
    'a.doc: LibreOffice is not installed (apt-get install libreoffice-writer-nogui)'
    """
