"""The gongbao database: schema and migrations, ingest of parsed issues, and reads.

Use ``open_store(path or postgresql:// URL)``; see docs/store.md for the schema, the ids and the API.
"""

from gongbao.store.engine import open_store
from gongbao.store.ids import issue_key, number_id
from gongbao.store.sqlite import Filters, Store
from gongbao.store.write import IngestResult

__all__ = ["Filters", "IngestResult", "Store", "issue_key", "number_id", "open_store"]
