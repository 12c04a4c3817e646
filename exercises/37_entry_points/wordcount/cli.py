"""The command `wordcount FORMAT WORD...` (pip makes it from [project.scripts] in pyproject.toml)."""
import sys
from collections import Counter

from wordcount import formatters


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    found = formatters.available()
    if not args or args[0] not in found:
        print(f"usage: wordcount FORMAT WORD...  (FORMAT: {', '.join(sorted(found))})", file=sys.stderr)
        return 2
    print(found[args[0]](dict(Counter(args[1:]))))
    return 0
