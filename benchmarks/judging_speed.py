"""Speed of the judging engine at city scale, and how it grows.

Base size: 30,000 entries, 300 judges, 3 judges per entry, 6 rubric criteria = 540,000 score
rows in 5 categories. For each scale factor (entries and judges both multiplied) it prints:
writing the CSV, `python -m judging analyze --format json` end to end (a fresh process), reading
the sheet, the calibration solve alone (auto and none), P(top-3) per category with 1,000 draws, and
P(top-k) with k = half the entries in one category, where every entry has to be drawn (the
worst case: the P(top k) pre-filter cannot skip anyone).

Every timing is repeated (``--repeat``, default 3) and printed as the best run with the
slowest in brackets, since other processes share the machine. A second table splits the
analysis at the base size into its phases (in-process, best of the repeats).

Targets (issue 4): end to end < 5 s, solve well under 1 s, P(top-k) < 10 s at the base size.
Target (issue 12): `analyze --format json` end to end within 1.3x of a floor measured in the
same run: a bare numpy script (``FLOOR``, written to the temporary folder) that parses the same
CSV with ``str.split``, builds the rubric totals and solves the same additive model (dense J x J
Laplacian system), and writes the entry values as JSON. Both run as fresh processes, start-up
included, alternately, ``--repeat`` rounds, both as ``python -m judging analyze`` and as the
installed ``anugerah analyze`` (the command the issue names); printed for each, in CPU time
(user + sys of the child, the figure to quote on a loaded machine) and in wall time: the
medians, the bests, the ratio of the medians and each round's ratio. Bytecode caching is on
(as in an installed copy) after one warm-up run each.
The solve alone stays under 0.1 s. ``--e2e-only`` runs just this comparison.

    uv run python benchmarks/judging_speed.py [--scales 1 2 4] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from judging.analysis.analyze import analyze
from judging.calibration.calibrate import calibrate
from judging.command.blas import single_threaded_blas
from judging.command.report import to_json
from judging.ranking.uncertainty import leave_one_judge_out, p_top_k
from judging.sheets.sheet import read_rubric, read_scores

FLOOR = '''"""Bare numpy: parse the CSV, solve the additive model, write the values as JSON."""
import csv, json, sys
import numpy as np

scores_path, rubric_path, out_path = sys.argv[1:4]
with open(rubric_path, newline="", encoding="utf-8") as f:
    rub = list(csv.DictReader(f))
crit_index = {r["criterion"]: i for i, r in enumerate(rub)}
weight_c = np.array([float(r["weight"]) for r in rub])
low_c = np.array([float(r["min"]) for r in rub])
high_c = np.array([float(r["max"]) for r in rub])
with open(scores_path, encoding="utf-8") as f:
    text = f.read()
head, _, body = text.partition("\\n")
header = head.split(",")
flat = body.rstrip("\\n").replace("\\n", ",").split(",")
cols = [flat[i::len(header)] for i in range(len(header))]
col = {name: i for i, name in enumerate(header)}
entries, judges = {}, {}
entries = {x: i for i, x in enumerate(dict.fromkeys(cols[col["entry"]]))}
judges = {x: i for i, x in enumerate(dict.fromkeys(cols[col["judge"]]))}
e = np.fromiter(map(entries.__getitem__, cols[col["entry"]]), np.intp)
j = np.fromiter(map(judges.__getitem__, cols[col["judge"]]), np.intp)
c = np.fromiter(map(crit_index.__getitem__, cols[col["criterion"]]), np.intp)
score = np.fromiter(map(float, cols[col["score"]]), np.float64)
n_e, n_j = len(entries), len(judges)
value = 100.0 * (score - low_c[c]) / (high_c[c] - low_c[c])
pair, inv = np.unique(e * n_j + j, return_inverse=True)
y = np.bincount(inv, weight_c[c] * value) / np.bincount(inv, weight_c[c])
pe, pj = pair // n_j, pair % n_j
W = np.bincount(pe, minlength=n_e).astype(float)
ybar = np.bincount(pe, y, minlength=n_e) / W
rhs = np.bincount(pj, y - ybar[pe], minlength=n_j)
order = np.argsort(pe, kind="stable")
start = np.cumsum(W.astype(int)) - W.astype(int)
L = np.zeros((n_j, n_j))
se, sj = pe[order], pj[order]
m = int(W.max())
for a in range(m):
    for b in range(m):
        ia = start + a; ib = start + b
        ok = (a < W) & (b < W)
        ia, ib = ia[ok], ib[ok]
        np.add.at(L, (sj[ia], sj[ib]), -1.0 / W[se[ia]])
L[np.diag_indices(n_j)] += np.bincount(pj, minlength=n_j)
b = np.linalg.solve(L + 1e-9 * np.eye(n_j), rhs)
b -= b.mean()
values = ybar - np.bincount(pe, b[pj], minlength=n_e) / W
ids = list(entries)
with open(out_path, "w", encoding="utf-8") as f:
    rows = [{"entry": ids[i], "score": round(v, 6)} for i, v in enumerate(values.tolist())]
    json.dump({"entries": rows}, f)
'''
"""The floor: parse, total, solve, write; nothing else (no uncertainty, checks or reports)."""

CRITERIA = ("quality", "innovation", "market", "impact", "presentation", "sustainability")


def write_inputs(folder: Path, n_entries: int, n_judges: int, per_entry: int = 3, seed: int = 0):
    """Write SCORES.csv (long form, 6 criteria) and RUBRIC.csv; return the row count."""
    rng = np.random.default_rng(seed)
    truth = rng.normal(6.0, 1.5, n_entries)
    bias = rng.normal(0.0, 0.8, n_judges)
    # each entry gets per_entry distinct judges: a random offset ring keeps loads even
    first = rng.integers(0, n_judges, n_entries)
    step = rng.integers(1, n_judges // per_entry, n_entries)
    judges = (first[:, None] + step[:, None] * np.arange(per_entry)) % n_judges
    entry = np.repeat(np.arange(n_entries), per_entry * len(CRITERIA))
    judge = np.repeat(judges.ravel(), len(CRITERIA))
    crit = np.tile(np.arange(len(CRITERIA)), n_entries * per_entry)
    noise = rng.normal(0.0, 1.0, entry.size)
    score = np.clip(np.rint(truth[entry] + bias[judge] + noise), 1, 10).astype(int)
    category = entry % 5
    names = np.array(CRITERIA)
    lines = ["entry,judge,criterion,score,category"]
    lines += [
        f"E{e},J{j},{c},{s},cat{k}"
        for e, j, c, s, k in zip(
            entry.tolist(),
            judge.tolist(),
            names[crit].tolist(),
            score.tolist(),
            category.tolist(),
            strict=True,
        )
    ]
    (folder / "scores.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rubric = ["criterion,weight,min,max"] + [
        f"{c},{1 + i % 3},1,10" for i, c in enumerate(CRITERIA)
    ]
    (folder / "rubric.csv").write_text("\n".join(rubric) + "\n", encoding="utf-8")
    return entry.size


def timed(fn, repeat: int = 1):
    """((best, slowest) seconds over ``repeat`` runs, the last result)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return (min(times), max(times)), result


def run(
    scale: int, folder: Path, repeat: int, e2e_only: bool = False
) -> dict[str, tuple[float, float]]:
    n_entries, n_judges = 30_000 * scale, 300 * scale
    t_write, rows = timed(lambda: write_inputs(folder, n_entries, n_judges))
    scores, rubric_path = folder / "scores.csv", folder / "rubric.csv"
    out = folder / "out.json"
    command = [
        sys.executable,
        "-m",
        "judging",
        "analyze",
        str(scores),
        "--rubric",
        str(rubric_path),
        "--format",
        "json",
        "--output",
        str(out),
    ]
    (folder / "floor.py").write_text(FLOOR, encoding="utf-8")
    floor = [sys.executable, str(folder / "floor.py"), str(scores), str(rubric_path)]
    floor.append(str(folder / "floor.json"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    installed = Path(sys.executable).with_name("anugerah")
    anugerah = [str(installed)] if installed.exists() else [sys.executable, "-m", "awards.cli"]
    anugerah += command[3:]  # the same arguments: analyze SCORES --rubric ... --output OUT
    runs = {"judging": (command, [], []), "anugerah": (anugerah, [], []), "floor": (floor, [], [])}
    for i in range(repeat + 1):  # the first round warms the bytecode cache and is not counted
        for name, (cmd, walls, cpus) in runs.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if i:
                walls.append(wall)
                cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            if proc.returncode != 0:
                raise SystemExit(f"{name} failed: {proc.stderr}")
    cli_times, floor_times = runs["judging"][1], runs["floor"][1]
    t_cli = (min(cli_times), max(cli_times))
    t_floor = (min(floor_times), max(floor_times))
    if scale == 1:
        for label, key in (
            ("python -m judging analyze", "judging"),
            ("anugerah analyze", "anugerah"),
        ):
            for kind, index in (("CPU", 2), ("wall", 1)):
                mine, base = runs[key][index], runs["floor"][index]
                ratios = sorted(c / f for c, f in zip(mine, base, strict=True))
                med, med_floor = float(np.median(mine)), float(np.median(base))
                print(
                    f"  {label} --format json end to end, {kind}: median {med:.2f} s, "
                    f"best {min(mine):.2f} s; bare numpy floor: median {med_floor:.2f} s, "
                    f"best {min(base):.2f} s; ratio of medians {med / med_floor:.2f}x, "
                    f"median of per-round ratios {float(np.median(ratios)):.2f}x, per round "
                    f"{', '.join(f'{r:.2f}' for r in ratios)} (target <= 1.3x)",
                    flush=True,
                )
    if e2e_only:
        return {}
    rubric = read_rubric(rubric_path)
    t_read, sheet = timed(lambda: read_scores(scores, rubric), repeat)
    with single_threaded_blas():  # as the command line does
        t_solve, cal = timed(lambda: calibrate(sheet, "auto"), repeat)
        t_none, _ = timed(lambda: calibrate(sheet, "none"), repeat)
        t_ptop, _ = timed(lambda: p_top_k(cal, sheet.category, 3, draws=1000, seed=0), repeat)
        t_all, _ = timed(
            lambda: p_top_k(cal, [""] * sheet.n_entries, sheet.n_entries // 2, 1000, seed=0)
        )
    if scale == 1:
        phases(sheet, cal, repeat)
    return {
        "entries": n_entries,
        "judges": n_judges,
        "rows": rows,
        "write_csv": t_write,
        "cli_json": t_cli,
        "floor": t_floor,
        "read_sheet": t_read,
        "solve_auto": t_solve,
        "solve_none": t_none,
        "p_top_1000": t_ptop,
        "p_top_all": t_all,
    }


def phases(sheet, cal, repeat: int) -> None:
    """Print the base size's analysis phases: best (slowest) of ``repeat`` runs."""
    rows = []
    with single_threaded_blas():
        rows.append(
            ("leave-one-judge-out", timed(lambda: leave_one_judge_out(sheet, cal, 3), repeat))
        )
        rows.append(("whole analysis", timed(lambda: analyze(sheet), repeat)))
        analysis = rows[-1][1][1]
    rows.append(("JSON report", timed(lambda: to_json(analysis), repeat)))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import judging.command.cli"], check=True)
    rows.append(("python + import judging.command.cli", ((time.perf_counter() - start,) * 2, None)))
    for name, ((best, worst), _) in rows:
        print(f"  phase {name}: {best:.2f} s ({worst:.2f} s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--e2e-only",
        action="store_true",
        help="only the end-to-end comparison with the floor (at scale 1)",
    )
    args = parser.parse_args()
    if args.e2e_only:
        with tempfile.TemporaryDirectory() as tmp:
            run(1, Path(tmp), args.repeat, e2e_only=True)
        return
    print(f"cpus: {os.cpu_count()}, numpy {np.__version__}")
    header = (
        "scale",
        "entries",
        "judges",
        "rows",
        "write csv",
        "analyze json (e2e)",
        "numpy floor (e2e)",
        "read sheet",
        "solve auto",
        "solve none",
        "P(top-3) 1000 draws",
        "P(top-E/2) 1000 draws",
    )
    print(" | ".join(header))
    base = None
    for scale in args.scales:
        with tempfile.TemporaryDirectory() as tmp:
            r = run(scale, Path(tmp), args.repeat)
        base = base or r
        cells = [f"x{scale}", f"{r['entries']:,}", f"{r['judges']:,}", f"{r['rows']:,}"]
        for key in (
            "write_csv",
            "cli_json",
            "floor",
            "read_sheet",
            "solve_auto",
            "solve_none",
            "p_top_1000",
            "p_top_all",
        ):
            (best, worst), growth = r[key], r[key][0] / base[key][0]
            cells.append(
                f"{best:.2f} s [{worst:.2f}]"
                + (f" ({growth:.1f}x)" if scale != args.scales[0] else "")
            )
        print(" | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
