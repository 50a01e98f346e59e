#!/usr/bin/env bash
# Every benchmark, then the report. Run from anywhere; uses the repo's venv.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
$PY bench/bench_ask.py
$PY bench/bench_build.py
$PY bench/bench_peers.py
$PY bench/bench_serve.py
$PY bench/bench_scale.py --sizes 10000 100000 1000000
$PY bench/report.py
