"""`make bench`: every benchmark in bench/, one table (and the same as Markdown for the README).

Run from the repository root: .venv/bin/python bench/run_all.py [--markdown FILE]

Each benchmark module offers `rows()`; they run one after another, each measuring its own
baseline in the same run, so that the ratios hold on whatever machine runs them.
"""

import argparse
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from table import Row, markdown, print_table

BENCHMARKS = ["matching_bench", "web_bench", "report_bench", "sweep_bench", "pages_bench"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown here")
    parser.add_argument("only", nargs="*", help="run only these benchmarks")
    args = parser.parse_args()
    rows: list[Row] = []
    for name in args.only or BENCHMARKS:
        module = importlib.import_module(name)
        print(f"running {name} ...", flush=True)
        rows += module.rows()
    print_table(rows)
    if args.markdown:
        args.markdown.write_text(markdown(rows) + "\n")
    sys.exit(0 if all(r["holds"] for r in rows) else 1)


if __name__ == "__main__":
    main()
