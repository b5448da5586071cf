// picosam-compile --to=planned --memory-report: the report of a small graph
// on stderr and in PREFIX.txt, .json and .svg. Fusion folds the relu into
// the first conv, then the plan is (f32):
//   step 0 /conv1+/relu (512 bytes, read at step 1), step 1 /conv2 (512);
//   input (256) live at step 0. Lower bound 1024 at step 1; packing: the
//   first conv's result at 0, /conv2 above it at 512, the input at 512
//   (/conv2 is not live at step 0).
// RUN: rm -rf %t && mkdir %t
// RUN: picosam-compile %s --to=planned -o %t/planned.mlir --memory-report=%t/report \
// RUN:   --memory-budget=2000 --memory-reserved=100 2>&1 | FileCheck %s --check-prefix=TEXT
// RUN: FileCheck %s --check-prefix=TEXT < %t/report.txt
// RUN: FileCheck %s --check-prefix=JSON < %t/report.json
// RUN: FileCheck %s --check-prefix=SVG < %t/report.svg
// RUN: %python -c "import json, sys; r = json.load(open(sys.argv[1])); assert r['arena_bytes'] == 1024 and len(r['buffers']) == 3" %t/report.json
// RUN: %python -c "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])" %t/report.svg

// TEXT:      memory plan of @main
// TEXT-NEXT:   sizing       each element at its type's width; offsets aligned to 16 bytes; 0 separable block(s) tiled
// TEXT-NEXT:   weights              384 bytes
// TEXT-NEXT:   arena              1,024 bytes
// TEXT-NEXT:   lower bound        1,024 bytes  (the arena is 100.0% of it)
// TEXT-NEXT:   input order        1,024 bytes  (the lower bound before the schedule search)
// TEXT-NEXT:   budget             2,000 bytes  (weights + arena + 100 reserved = 1,508, 75.4%: fits)
// TEXT-NEXT:   peak         step 1 of 2 (/conv2), 2 tensor(s) live:
// TEXT-NEXT:                        512 bytes  /conv1+/relu
// TEXT-NEXT:                        512 bytes  /conv2
// TEXT-NEXT:   buffers:
// TEXT-NEXT:     first  last        offset         bytes  tensor
// TEXT-NEXT:         0     1             0           512  /conv1+/relu
// TEXT-NEXT:         0     0           512           256  input
// TEXT-NEXT:         1     1           512           512  /conv2

// JSON: "weights_bytes": 384,
// JSON: "arena_bytes": 1024,
// JSON: "lower_bound_bytes": 1024,
// JSON: "peak_step": 1,
// JSON: "budget": {
// JSON:   "total_bytes": 1508,
// JSON:   "fits": true
// JSON: "peak_tensors": [
// JSON:     "name": "/conv1+/relu",
// JSON: "buffers": [
// JSON:     "name": "/conv1+/relu",
// JSON-NEXT: "op": "pico.conv2d",
// JSON-NEXT: "offset": 0,
// JSON-NEXT: "bytes": 512,
// JSON-NEXT: "first": 0,
// JSON-NEXT: "last": 1,

// One box per tensor, with its name and numbers on hover.
// SVG: <svg xmlns="http://www.w3.org/2000/svg"
// SVG: arena 1,024 bytes, lower bound 1,024 bytes, weights 384 bytes
// SVG: <g><title>/conv1+/relu
// SVG-NEXT: 512 bytes at offset 0, steps 0..1</title><rect
// SVG: <g><title>input
// SVG: <g><title>/conv2
// SVG: </svg>

// The report needs a plan: other stages refuse it, as they refuse the
// planning options.
// RUN: not picosam-compile %s --to=fused --memory-report=%t/x 2>&1 | FileCheck %s --check-prefix=STAGE
// RUN: not picosam-compile %s --plan-tile-separable-blocks 2>&1 | FileCheck %s --check-prefix=STAGE
// STAGE: error: --memory-report, --memory-budget, --memory-reserved and the --plan-* options need --to=planned

// Over budget, the error is at the op of the peak step.
// RUN: not picosam-compile %s --to=planned --memory-budget=1400 -o /dev/null 2>&1 | FileCheck %s --check-prefix=OVER
// OVER: error: memory plan needs 1,408 bytes, 1,400 available (weights 384 + arena 1,024 + reserved 0; over by 8); the peak is here, at step 1, with 2 tensor(s) live: '/conv1+/relu' (512), '/conv2' (512)

func.func @main(%x: tensor<1x4x4x4xf32> loc("input")) -> tensor<1x8x4x4xf32> {
  %w1 = pico.constant dense<0.5> : tensor<8x4x1x1xf32> loc("w1")
  %w2 = pico.constant dense<0.5> : tensor<8x8x1x1xf32> loc("w2")
  %c = pico.conv2d %x, %w1 : (tensor<1x4x4x4xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv1")
  %r = pico.relu %c : tensor<1x8x4x4xf32> -> tensor<1x8x4x4xf32> loc("/relu")
  %d = pico.conv2d %r, %w2 : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32> loc("/conv2")
  return %d : tensor<1x8x4x4xf32>
}
