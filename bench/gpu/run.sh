#!/usr/bin/env bash
# The GPU check of issue 15 for a lent GPU machine: neurona's fit on WebGPU (Dawn in Node) with
# the WebGPU plan and with the tape (jitCompile: false), next to PyTorch CUDA on the same card,
# MLP / perceptron / mlp_adam at batch 128, plus ms and dispatches per step and queue submits per
# epoch (bench/gpu/step-timing.mjs). Builds nothing: run
# it in a checkout where `pnpm install` and `pnpm turbo run build` have been done (bench/dist,
# packages/*/dist). Writes JSON (and the log) to $OUT (default bench/gpu/out).
#   OUT=/somewhere bench/gpu/run.sh            # EPOCHS=2 SAMPLES=60000 by default
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT="${OUT:-bench/gpu/out}"
EPOCHS="${EPOCHS:-2}"
SAMPLES="${SAMPLES:-60000}"
mkdir -p "$OUT"
LOG="$OUT/log.txt"
: > "$LOG"
if [ ! -f bench/dist/main.js ]; then echo "bench/dist/main.js is missing: build first (pnpm turbo run build)" | tee -a "$LOG"; exit 1; fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > "$OUT/gpu.csv" 2>>"$LOG" || echo "no nvidia-smi" >> "$LOG"
for c in mlp perceptron mlp_adam; do
  for plan in plan tape; do
    flags=()
    [ "$plan" = tape ] && flags+=(--no-jit-compile)
    echo "== webgpu $c b128 $plan" | tee -a "$LOG"
    timeout 1200 node bench/dist/main.js --backend webgpu --case "$c" --batch-size 128 --epochs "$EPOCHS" \
      --samples "$SAMPLES" --impl neurona --no-torch "${flags[@]}" --out "$OUT/webgpu-$c-128-$plan.json" >> "$LOG" 2>&1 \
      || echo "   failed (exit $?)" | tee -a "$LOG"
  done
done
echo "== PyTorch CUDA" | tee -a "$LOG"
/usr/bin/env python3 bench/torch_reference.py --device cuda --cases perceptron,mlp,mlp_adam --batch-sizes 128 \
  --samples "$SAMPLES" --epochs "$EPOCHS" > "$OUT/torch-cuda.json" 2>> "$LOG" || echo "   torch failed (exit $?)" | tee -a "$LOG"
echo "== ms and dispatches per step, submits per epoch (784-128-10, b128)" | tee -a "$LOG"
timeout 900 node bench/gpu/step-timing.mjs --inputs 784 --hidden 128 --classes 10 --rows 8192 --batch 128 --epochs 2 --reps 3 \
  --out "$OUT/steps-mlp-128.json" >> "$LOG" 2>&1 || echo "   failed (exit $?)" | tee -a "$LOG"
echo "done: $OUT" | tee -a "$LOG"
