#!/usr/bin/env bash
# The GPU figures in one prepared run, for a session lent a device machine (see README,
# "Benchmarks"). Run there from the repository root, with two ignored folders carried:
#   models/opus-mt-id-en-arch/  (cp -r ../shared/models/opus-mt-id-en-arch models/)
#   wheels/                     (pip download ctranslate2 --no-deps --python-version 3.12
#                                --only-binary=:all: --platform manylinux_2_28_x86_64 -d wheels/)
# e.g. run(command="bash bench/gpu.sh", carry=["models/opus-mt-id-en-arch", "wheels"]).
# The machine has torch and transformers already; this adds CTranslate2 and the project.
set -euo pipefail
export PYTHONUNBUFFERED=1
OUT=${OUT:-/tmp/gpu-out}
mkdir -p "$OUT"
python -m pip install -q --no-deps wheels/ctranslate2-*cp312*.whl
python -m pip install -q --no-deps -e .
python -m pip install -q sentencepiece click platformdirs lxml 2>/dev/null || true
# CTranslate2 loads cuBLAS at run time: use the copy torch's wheels brought.
site=$(python -c "import site; print(site.getsitepackages()[0])")
export LD_LIBRARY_PATH="$(ls -d "$site"/nvidia/*/lib 2>/dev/null | paste -sd:):${LD_LIBRARY_PATH:-}"
nvidia-smi --query-gpu=name,memory.total --format=csv | tee "$OUT/gpu.txt"
python -c "import ctranslate2; print('ct2 cuda devices:', ctranslate2.get_cuda_device_count())"
# The naive loop runs once over the set; every other engine over the set 40 times, at token
# budgets that fill the GPU (sentences per batch up to 1024).
python bench/run.py speed --device cuda --model models/opus-mt-id-en-arch --repeat 40 \
    --batch-sentences 1024 --batch-tokens 16384 65536 \
    --engines naive torch torch-bf16 ct2 raw-ct2 2>&1 | tee "$OUT/speed.txt"
tail -1 bench/results/speed.jsonl >"$OUT/speed.jsonl"
