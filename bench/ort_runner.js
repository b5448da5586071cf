// Times one ONNX model in ONNX Runtime (the npm package onnxruntime-node,
// installed by bench/bench.py under the build directory) for the benchmark
// (docs/performance.md).
//
//   node ort_runner.js MODEL INPUT.f32 --threads N --level all|extended
//        --runs N --warmup N [--output OUT.f32]
//
// INPUT.f32 holds the 1x3x96x96 float32 crop (raw little-endian bytes).
// One session (CPU execution provider, sequential execution, N intra-op
// threads, one inter-op thread, the given graph optimisation level); after
// the warm-up runs, prints one JSON object with each run's latency in
// milliseconds. --output writes the last run's logits (raw float32).
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

function parseArgs(argv) {
  const args = {threads: 1, level: 'all', runs: 100, warmup: 10};
  const positional = [];
  for (let i = 0; i < argv.length; ++i) {
    const name = argv[i];
    if (!name.startsWith('--')) {
      positional.push(name);
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value`);
    const key = name.slice(2);
    if (!(key in args) && key !== 'output') throw new Error(`unknown option ${name}`);
    args[key] = key === 'level' || key === 'output' ? value : Number(value);
  }
  if (positional.length !== 2) throw new Error('usage: ort_runner.js MODEL INPUT.f32 [options]');
  [args.model, args.input] = positional;
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const session = await ort.InferenceSession.create(args.model, {
    executionProviders: ['cpu'],
    executionMode: 'sequential',
    intraOpNumThreads: args.threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: args.level,
  });
  const bytes = fs.readFileSync(args.input);
  const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', data, [1, 3, 96, 96])};
  let outputs;
  for (let i = 0; i < args.warmup; ++i) outputs = await session.run(feeds);
  const latencies = [];
  for (let i = 0; i < args.runs; ++i) {
    const start = process.hrtime.bigint();
    outputs = await session.run(feeds);
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  if (args.output) {
    const logits = outputs[session.outputNames[0]].data;
    fs.writeFileSync(args.output, Buffer.from(logits.buffer, logits.byteOffset, logits.byteLength));
  }
  console.log(JSON.stringify({
    onnxruntime: ort.env.versions.common, threads: args.threads, level: args.level,
    latencies_ms: latencies,
  }));
}

main().catch((error) => {
  console.error(`ort_runner.js: error: ${error.message}`);
  process.exit(1);
});
