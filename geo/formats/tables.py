"""Reading register tables (CSV) with the columns they must have; one clear error per unusable file."""

from pathlib import Path

import pandas as pd

from geo.core.errors import SourceError
from geo.formats.readers import check_table_bounds, require_file


def read_table(path: Path, required: list[str], **kwargs) -> pd.DataFrame:
    """A CSV as a DataFrame; SourceError naming the file when it cannot be read or lacks a column."""
    path = check_table_bounds(require_file(path))
    try:
        df = pd.read_csv(path, **kwargs)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise SourceError(f"{path}: not a readable CSV table ({str(err).splitlines()[0]})") from err
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise SourceError(f"{path}: missing columns {missing}; has {list(df.columns)}")
    return df
