"""The public portal, JSON API, feeds, exports and uploads (``create_app``)."""

from gongbao.web.app import create_app

__all__ = ["create_app"]
