"""The portal as an importable ASGI app for multi-worker servers: the database is ``$GONGBAO_DB``."""

import os

from gongbao.web.app import create_app

app = create_app(os.environ.get("GONGBAO_DB", "gongbao.db"))
