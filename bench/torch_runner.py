#!/usr/bin/env python3
"""PicoSAM3 in PyTorch for the benchmark (bench/bench.py, docs/performance.md).

  torch_runner.py export-qdq OUT.onnx [--engine E]
      PicoSAM3 with the shipped weights quantized by torch.ao FX (the
      exporter test/Quantization/Inputs/make_qdq_model.py tests the importer
      against: per-channel symmetric weights, histogram-calibrated
      activations on the shipped calibration crops), exported to ONNX as
      QuantizeLinear/DequantizeLinear pairs: ONNX Runtime's INT8 model.
  torch_runner.py run --precision fp32|int8 [--engine E] --runs N --warmup W
                      [--output LOGITS.npy]
      Times PicoSAM3 (FP32, or INT8 as FX's converted model on engine E) on
      the sample crop, one thread; prints one JSON object with the
      per-run latencies in milliseconds; --output saves the last run's
      logits.

The engine is onednn: Debian's torch 1.13 has no fbgemm/x86 engine, and its
qnnpack engine computes PicoSAM3 wrongly (about 56% of the sample mask's
pixels agree with FP32, in PyTorch and in the QDQ export alike; onednn's
model agrees on about 99%).
"""
import argparse
import json
import os
import sys
import time
import warnings

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "models"))
from data import normalize  # noqa: E402  (the one definition of the preprocessing)
from export import INPUT_NAME, OPSET, OUTPUT_NAME, load_onnx_weights  # noqa: E402

warnings.filterwarnings("ignore")
SAMPLE = os.path.join(ROOT, "models", "data", "sample_input.npy")
CALIBRATION = os.path.join(ROOT, "models", "data", "calibration.npz")


def quantized_model(engine):
    """PicoSAM3 quantized by FX for `engine`, calibrated on the shipped
    calibration crops (as make_qdq_model.py: histogram observers,
    per-channel weights)."""
    from torch.ao.quantization import (QConfig, default_per_channel_weight_observer,
                                       get_default_qconfig_mapping)
    from torch.ao.quantization.observer import HistogramObserver
    from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

    torch.backends.quantized.engine = engine
    model = load_onnx_weights()
    example = torch.from_numpy(np.load(SAMPLE))
    qconfig = QConfig(activation=HistogramObserver.with_args(reduce_range=False),
                      weight=default_per_channel_weight_observer)
    # The engine's defaults give the sigmoid its fixed output scale.
    mapping = get_default_qconfig_mapping(engine).set_global(qconfig)
    prepared = prepare_fx(model, mapping, (example,))
    crops = np.load(CALIBRATION)["crops"]
    with torch.no_grad():
        for crop in crops:
            prepared(torch.from_numpy(normalize(crop)))
    return convert_fx(prepared)


def export_qdq(path, engine):
    model = quantized_model(engine)
    example = torch.from_numpy(np.load(SAMPLE))
    torch.onnx.export(model, example, path, opset_version=OPSET,
                      input_names=[INPUT_NAME], output_names=[OUTPUT_NAME])


def run(args):
    torch.set_num_threads(1)
    model = load_onnx_weights() if args.precision == "fp32" else quantized_model(args.engine)
    x = torch.from_numpy(np.load(SAMPLE))
    latencies = []
    with torch.inference_mode():
        for _ in range(args.warmup):
            model(x)
        for _ in range(args.runs):
            start = time.perf_counter()
            logits = model(x)
            latencies.append((time.perf_counter() - start) * 1e3)
    if args.output:
        np.save(args.output, logits.numpy())
    print(json.dumps({"torch": torch.__version__, "engine": args.engine,
                      "threads": torch.get_num_threads(), "latencies_ms": latencies}))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export-qdq")
    export.add_argument("output")
    export.add_argument("--engine", default="onednn")
    timing = commands.add_parser("run")
    timing.add_argument("--precision", choices=["fp32", "int8"], required=True)
    timing.add_argument("--engine", default="onednn",
                        help="quantized engine of the INT8 model (qnnpack, onednn)")
    timing.add_argument("--runs", type=int, required=True)
    timing.add_argument("--warmup", type=int, default=5)
    timing.add_argument("--output", help="the last run's logits (.npy)")
    args = parser.parse_args()
    if args.command == "export-qdq":
        export_qdq(args.output, args.engine)
    else:
        run(args)


if __name__ == "__main__":
    main()
