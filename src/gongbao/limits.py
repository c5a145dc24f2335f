"""The bounds on work and input, in one place, each configurable by an environment variable.

A public portal is probed by attackers and a gazette office's files are messy: every request
and command does bounded work.  Each limit is ``GONGBAO_<NAME>`` in the environment (read
when used, so a test or an operator can change it without a restart of the library);
README "Limits" lists them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from gongbao.errors import UsageError


@dataclass(frozen=True, slots=True)
class Limit:
    name: str  # the environment variable is GONGBAO_<name>
    default: float
    minimum: float
    meaning: str  # in Chinese, for the README table and messages

    def value(self) -> float:
        raw = os.environ.get(f"GONGBAO_{self.name}")
        if raw is None or raw.strip() == "":
            return self.default
        try:
            number = float(raw)
        except ValueError:
            raise UsageError(f"环境变量 GONGBAO_{self.name} 应为数字：{raw!r}") from None
        if number != number or number < self.minimum:  # NaN or below the floor
            raise UsageError(f"环境变量 GONGBAO_{self.name} 不能小于 {self.minimum:g}：{raw!r}")
        return number


MAX_QUERY_CHARS = Limit("MAX_QUERY_CHARS", 256, 1, "检索式最多字符数")
MAX_QUERY_TERMS = Limit("MAX_QUERY_TERMS", 32, 1, "检索式最多检索词数（去重后）")
MAX_QUERY_UNITS = Limit("MAX_QUERY_UNITS", 96, 1, "检索式切分后最多的索引词元数")
QUERY_SECONDS = Limit("QUERY_SECONDS", 5, 0.01, "一次请求或检索命令在数据库中的时间预算（秒）")
MAX_CONCURRENT = Limit("MAX_CONCURRENT", 32, 1, "门户同时处理的请求数，超出即答 503")
MAX_FILE_BYTES = Limit("MAX_FILE_BYTES", 20 * 1024 * 1024, 1, "单个输入文件的最大字节数")
MAX_LINE_CHARS = Limit("MAX_LINE_CHARS", 20_000, 80, "输入文件单行最多字符数")
MAX_TITLE_CHARS = Limit("MAX_TITLE_CHARS", 500, 20, "公文标题最多字符数（超出截断并记警告）")

ALL = (MAX_QUERY_CHARS, MAX_QUERY_TERMS, MAX_QUERY_UNITS, QUERY_SECONDS, MAX_CONCURRENT, MAX_FILE_BYTES,
       MAX_LINE_CHARS, MAX_TITLE_CHARS)
