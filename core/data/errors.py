"""The error every data loader raises: bad data or a bad argument, with the argument named."""


class DataError(ValueError):
    """Bad data or a bad argument to a loader; ``field`` names the argument at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
