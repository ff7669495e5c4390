"""One table for every benchmark: each measure, the baseline measured in the same run, the
ratio, the goal and whether it holds. Each benchmark's `rows()` returns its rows as dicts."""

Row = dict[str, object]


def row(measure: str, baseline: float, value: float, goal: float, unit: str) -> Row:
    """A measure whose goal is a ratio to a baseline measured in the same run."""
    ratio = value / baseline if baseline else float("inf")
    return {
        "measure": measure,
        "baseline": f"{baseline:.1f} {unit}",
        "value": f"{value:.1f} {unit}",
        "ratio": ratio,
        "goal": f"<= {goal:g}x",
        "holds": ratio <= goal,
    }


def measured(measure: str, baseline: float, value: float, unit: str, goal: str, holds: bool) -> Row:
    """A measure with a goal of its own (an absolute limit, a count), beside its baseline."""
    return {
        "measure": measure,
        "baseline": f"{baseline:.3g} {unit}".strip(),
        "value": f"{value:.3g} {unit}".strip(),
        "ratio": value / baseline if baseline else "-",
        "goal": goal,
        "holds": holds,
    }


def print_table(rows: list[Row]) -> None:
    width = max(len(str(r["measure"])) for r in rows)
    print(
        f"{'measure':<{width}}  {'baseline':>12}  {'value':>12}  {'ratio':>7}  {'goal':>12}  holds"
    )
    for r in rows:
        ratio = f"{r['ratio']:.2f}" if isinstance(r["ratio"], float) else str(r["ratio"])
        print(
            f"{r['measure']:<{width}}  {r['baseline']:>12}  {r['value']:>12}  {ratio:>7}  "
            f"{r['goal']:>12}  {'yes' if r['holds'] else 'NO'}"
        )


def markdown(rows: list[Row]) -> str:
    lines = [
        "| measure | baseline | value | ratio | goal | holds |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        ratio = f"{r['ratio']:.2f}" if isinstance(r["ratio"], float) else str(r["ratio"])
        lines.append(
            f"| {r['measure']} | {r['baseline']} | {r['value']} | {ratio} | {r['goal']} | "
            f"{'yes' if r['holds'] else '**no**'} |"
        )
    return "\n".join(lines)


def last_json_line(command: list[str], what: str, **run: object) -> dict:
    """Run `command` (a stage of a benchmark in a fresh interpreter) and read the JSON line it
    prints last; raise with the end of its stderr when it fails."""
    import json
    import subprocess

    done = subprocess.run(command, capture_output=True, text=True, check=False, **run)
    if done.returncode:
        raise RuntimeError(f"{what} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
