"""``python -m gongbao``: the same as the ``gongbao`` command."""

from gongbao.cli import main

main()
