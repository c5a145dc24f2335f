"""gongbao (公报): a digital database for Chinese government gazettes."""

__version__ = "0.1.0"
