#!/usr/bin/env python3
"""End-to-end check that every op kind the pipeline accepts compiles for the
CPU: the stages of a second architecture (test/models/irnet.py: inverted
residuals with hard-swish, a grouped convolution, max and average pools, a
concat, a linear head and softmax) and the importer's small test models
(test/Import/make_models.py, make_structural_models.py, make_math_models.py,
make_conv_transpose_models.py, make_se_ops_models.py), compiled by
picosam-compile --target=cpu and
run against picosam-run --planned of the same stage.

irnet: its FP32 graph imported (unfused) and fused, planned by picosam-opt,
and the planned FP32 (untiled, tiled) and INT8 graphs of both profiles
(untiled, tiled; minmax calibration on seeded random inputs) compiled to
the program (--emit=exe) and run in raw mode (--input x.npy --output y.npy):
INT8 bit for bit, FP32 within 1e-4 of the output range. The FP32 imported
graph is also compared with PyTorch's outputs (within 1e-5 of the range):
the architecture is the one PyTorch ran.

The imx500 profile quantizes every op or fails: each INT8 model is first
checked to be refused under it, one error per op, for exactly the ops the
cpu profile keeps in f32 (its note); its imx500 stages then name those ops
in --float-layers, so the rest of the graph still runs in the imx500's
integers.

The importer's models (several inputs and outputs, quantized and boolean
ones among them): their imported and fused graphs, planned by picosam-opt,
and their INT8 graphs of both profiles (minmax calibration on seeded random
inputs; an MCTQ model by its own quantizers), compiled to an object
(--emit=obj) that a generated C program links with the runtime archives and
calls on raw files; INT8 stages and integer and boolean outputs bit for bit,
FP32 ones within 1e-4 of their range."""

import argparse
import os
import re
import subprocess
import sys

import numpy as np

from check_fp32 import ROOT, run

IRNET = os.path.join(ROOT, "test", "models", "irnet.py")
MAKE_MODELS = os.path.join(ROOT, "test", "Import", "make_models.py")
MAKE_STRUCTURAL_MODELS = os.path.join(ROOT, "test", "Import", "make_structural_models.py")
MAKE_MATH_MODELS = os.path.join(ROOT, "test", "Import", "make_math_models.py")
MAKE_CONV_TRANSPOSE_MODELS = os.path.join(ROOT, "test", "Import",
                                          "make_conv_transpose_models.py")
MAKE_SE_OPS_MODELS = os.path.join(ROOT, "test", "Import", "make_se_ops_models.py")
# The importer's models that import with static shapes (make_models.py,
# "Models that import").
IMPORTER_MODELS = [
    "conv_bn_relu", "conv_auto_pad", "activations", "elementwise", "pooling",
    "resize_scales", "resize_sizes", "resize_opset11", "resize_opset18_axes", "upsample",
    "shape_ops", "squeeze_opset11", "matmul_softmax", "softmax_opset11", "identity_dropout",
    "constant_folding", "qdq", "dequantize_input", "external_data", "node_names",
    "initializer_as_input", "old_opset_model", "mctq_conv",
]
# The structural ops' models that import (make_structural_models.py).
STRUCTURAL_MODELS = ["pad_modes", "slice_split", "split_uneven"]
# The transposed convolution's models (make_conv_transpose_models.py): the
# kernel entry runs the interpreter's kernel, so every stage is bit for bit.
CONV_TRANSPOSE_MODELS = ["convt_basic", "convt_pads", "convt_grouped", "convt_output_shape"]
# The element-wise math models (make_math_models.py), and the older opset
# definitions. Their FP32 stages run the interpreter's kernels compiled, so
# they match picosam-run bit for bit, but for the convolution's (its fast
# kernels accumulate in f32).
MATH_MODELS = [
    "math_unary", "math_binary", "math_softmax", "log_softmax_opset11", "instance_norm",
    "math_conv_fused", "math_float_folded", "pool_opset1", "batchnorm_opset6", "gemm_opset6",
]
# The reductions and PRelu (make_se_ops_models.py): the interpreter's
# kernels compiled, bit for bit.
SE_OPS_MODELS = ["reduce_opset13", "reduce_opset18", "prelu"]
# The importer's models the INT8 pipeline cannot calibrate, and why.
NOT_CALIBRATED = {
    "elementwise": "calibration runs models of one input",
    "dequantize_input": "its input is quantized already",
    "qdq": "pico-quantize fails on a graph whose result is quantized already",
}


def compare(name, got, want, exact):
    """Prints how `got` differs from `want`; returns whether it passes:
    equal bytes when `exact`, else within 1e-4 of want's range."""
    got, want = np.asarray(got), np.asarray(want)
    if got.shape != want.shape or got.dtype != want.dtype:
        print(f"FAIL: {name}: {got.dtype}{list(got.shape)}, expected "
              f"{want.dtype}{list(want.shape)}")
        return False
    identical = got.tobytes() == want.tobytes()
    if want.dtype.kind != "f":
        print(f"{name}: bit-identical {identical}")
        return identical
    error = float(np.abs(got.astype(np.float64) - want).max()) if want.size else 0.0
    span = float(want.max() - want.min()) if want.size else 0.0
    print(f"{name}: max |compiled - picosam-run| = {error:.3g} (range {span:.3g}), "
          f"bit-identical {identical}")
    if exact and not identical:
        print(f"FAIL: {name}: the compiled outputs differ from picosam-run's")
        return False
    if error > 1e-4 * span:
        print(f"FAIL: {name}: off by more than 1e-4 of the range")
        return False
    return True


def plan(args, source, stage, planned):
    """`source` compiled to `stage` by picosam-compile, planned by
    picosam-opt (the stages before planning as they are)."""
    unplanned = planned.replace(".mlir", ".unplanned.mlir")
    run([args.compile_tool, source, f"--to={stage}", "-o", unplanned])
    run([args.opt_tool, unplanned, "--pico-plan-memory", "--mlir-print-debuginfo",
         "-o", planned])


def imx500_float_layers(args, source, options):
    """The --float-layers the imx500 profile needs to quantize `source`
    with `options`: the ops the cpu profile keeps in f32, after checking that
    the imx500 profile refuses exactly those, one error each, and nothing
    else. Returns None when the check fails."""
    cpu = run([args.compile_tool, source, "--to=quantized", *options, "-o", os.devnull])
    note = re.search(r"kept in f32 \(no integer semantics\): (.*)", cpu.stderr)
    kept = note.group(1).split(", ") if note else []
    imx500 = subprocess.run([args.compile_tool, source, "--to=quantized", *options,
                             "--profile=imx500", "-o", os.devnull],
                            capture_output=True, text=True)
    refused = re.findall(r"op '([^']*)' cannot be quantized", imx500.stderr)
    name = os.path.basename(source)
    if sorted(refused) != sorted(kept) or (imx500.returncode != 0) != bool(kept):
        print(f"FAIL: {name}: the imx500 profile refuses {refused} (exit code "
              f"{imx500.returncode}); the cpu profile keeps {kept} in f32")
        sys.stderr.write(imx500.stderr)
        return None
    if kept:
        print(f"{name}: the imx500 profile refuses {', '.join(kept)}; its stages keep them "
              "in f32 (--float-layers)")
    return [f"--float-layers={','.join(kept)}"] if kept else []


def check_irnet(args):
    work = os.path.join(args.work, "irnet")
    run([sys.executable, IRNET, work])
    model = os.path.join(work, "irnet.onnx")
    inputs_path = os.path.join(work, "inputs.npy")
    inputs = np.load(inputs_path)
    ok = True

    # The architecture is PyTorch's: the imported graph gives its outputs.
    imported = os.path.join(work, "imported.mlir")
    run([args.compile_tool, model, "--to=imported", "-o", imported])
    outputs = os.path.join(work, "imported_outputs.npy")
    run([args.run_tool, imported, "--batch", "-i", inputs_path, "-o", outputs])
    reference = np.load(os.path.join(work, "reference.npy"))
    error = float(np.abs(np.load(outputs).astype(np.float64) - reference).max())
    span = float(reference.max() - reference.min())
    print(f"irnet FP32 imported vs PyTorch: max abs error {error:.3g} (range {span:.3g})")
    if error > 1e-5 * span:
        print("FAIL: the imported irnet does not compute PyTorch's outputs")
        ok = False

    table = os.path.join(work, "calibration.txt")
    run([args.compile_tool, model, "--to=quantized",
         f"--calibration-data={os.path.join(work, 'calibration.npy')}",
         "--calibration-method=minmax", f"--calibration-table={table}",
         "-o", os.path.join(work, "quantized.mlir")])
    int8 = [f"--calibration-table={table}"]
    imx500_layers = imx500_float_layers(args, model, int8)
    if imx500_layers is None:
        return False
    imx500 = [*int8, "--profile=imx500", *imx500_layers]
    tiled = "--plan-tile-separable-blocks"
    # (name, picosam-compile options to the planned stage or the stage that
    # picosam-opt plans, bit-exact)
    stages = [
        ("fp32-imported", "imported", False),
        ("fp32-fused", "fused", False),
        ("fp32", [], False),
        ("fp32-tiled", [tiled], False),
        ("int8", int8, True),
        ("int8-tiled", [*int8, tiled], True),
        ("imx500", imx500, True),
        ("imx500-tiled", [*imx500, tiled], True),
    ]
    samples = []
    for i in range(len(inputs)):
        samples.append(os.path.join(work, f"input{i}.npy"))
        np.save(samples[-1], inputs[i:i + 1])
    for name, options, exact in stages:
        planned = os.path.join(work, name + ".mlir")
        if isinstance(options, str):
            plan(args, model, options, planned)
        else:
            run([args.compile_tool, model, "--to=planned", "-o", planned, *options])
        ops = sorted(set(re.findall(r"= (pico\.[a-z_0-9]+)", open(planned).read())))
        program = os.path.join(work, "irnet-" + name)
        run([args.compile_tool, planned, "--target=cpu", "--emit=exe", "-o", program])
        expected = os.path.join(work, name + "_expected.npy")
        run([args.run_tool, planned, "--planned", "--batch", "-i", inputs_path, "-o", expected])
        compiled = []
        for i, sample in enumerate(samples):
            output = os.path.join(work, f"{name}_output{i}.npy")
            run([program, "--input", sample, "--output", output])
            compiled.append(np.load(output))
        print(f"irnet {name}: {', '.join(op[5:] for op in ops)}")
        ok &= compare(f"irnet {name}", np.concatenate(compiled), np.load(expected), exact)
    return ok


def c_program(entry, arguments, arena, alignment):
    """A C program calling `entry` with one buffer per argument, read from
    (inputs) or written to (outputs) raw files named in argv, and an arena;
    `arguments` lists (is_input, bytes)."""
    lines = ["#include <stdio.h>", "#include <stdlib.h>", "",
             f"void {entry}({', '.join(['void *'] * (len(arguments) + 1))});", "",
             "int main(int argc, char **argv) {",
             f"  if (argc != {len(arguments) + 1}) return 2;",
             f"  void *arena = aligned_alloc({alignment}, "
             f"{max(-(-arena // alignment) * alignment, alignment)});",
             "  FILE *f;"]
    for i, (is_input, size) in enumerate(arguments):
        lines.append(f"  void *a{i} = calloc(1, {max(size, 1)});")
        if is_input:
            lines += [f"  if (!(f = fopen(argv[{i + 1}], \"rb\")) || "
                      f"fread(a{i}, 1, {size}, f) != {size}) return 1;", "  fclose(f);"]
    lines.append(f"  {entry}({', '.join(f'a{i}' for i in range(len(arguments)))}, arena);")
    for i, (is_input, size) in enumerate(arguments):
        if not is_input:
            lines += [f"  if (!(f = fopen(argv[{i + 1}], \"wb\")) || "
                      f"fwrite(a{i}, 1, {size}, f) != {size}) return 1;", "  fclose(f);"]
    lines += ["  return 0;", "}", ""]
    return "\n".join(lines)


def random_input(value_info, rng):
    """Seeded values of an ONNX graph input's type and static shape."""
    tensor_type = value_info.type.tensor_type
    shape = [d.dim_value for d in tensor_type.shape.dim]
    if tensor_type.elem_type == 2:  # UINT8
        return rng.integers(0, 256, shape, dtype=np.uint8)
    return rng.standard_normal(shape).astype(np.float32)


def check_importer_models(args):
    import onnx

    work = os.path.join(args.work, "importer")
    run([sys.executable, MAKE_MODELS, work, *IMPORTER_MODELS])
    run([sys.executable, MAKE_STRUCTURAL_MODELS, work, *STRUCTURAL_MODELS])
    run([sys.executable, MAKE_MATH_MODELS, work, *MATH_MODELS])
    run([sys.executable, MAKE_CONV_TRANSPOSE_MODELS, work, *CONV_TRANSPOSE_MODELS])
    run([sys.executable, MAKE_SE_OPS_MODELS, work, *SE_OPS_MODELS])
    rng = np.random.default_rng(0)
    ok = True
    for model_name in (IMPORTER_MODELS + STRUCTURAL_MODELS + MATH_MODELS + CONV_TRANSPOSE_MODELS
                       + SE_OPS_MODELS):
        model = os.path.join(work, model_name + ".onnx")
        graph = onnx.load(model).graph
        initializers = {init.name for init in graph.initializer}
        graph_inputs = [v for v in graph.input if v.name not in initializers]
        inputs = []
        for i, value_info in enumerate(graph_inputs):
            inputs.append(os.path.join(work, f"{model_name}_input{i}.npy"))
            np.save(inputs[-1], random_input(value_info, rng))
        # (stage, the stage picosam-opt plans or picosam-compile options to
        # the planned stage, bit-exact)
        exact = ((model_name in MATH_MODELS and "conv" not in model_name) or
                 model_name in CONV_TRANSPOSE_MODELS or model_name in SE_OPS_MODELS)
        stages = [("imported", "imported", exact), ("fused", "fused", exact)]
        if model_name.startswith("mctq"):
            # Quantized by its own quantizer nodes.
            stages.append(("int8", [], True))
        elif model_name in NOT_CALIBRATED:
            print(f"{model_name}: no INT8 stage ({NOT_CALIBRATED[model_name]})")
        else:
            # Calibrated on seeded random inputs stacked along the first axis.
            sample = np.load(inputs[0])
            calibration = os.path.join(work, f"{model_name}_calibration.npy")
            np.save(calibration, rng.standard_normal(
                (8 * sample.shape[0],) + sample.shape[1:]).astype(np.float32))
            int8 = [f"--calibration-data={calibration}", "--calibration-method=minmax"]
            imx500_layers = imx500_float_layers(args, model, int8)
            stages.append(("int8", int8, True))
            if imx500_layers is None:
                ok = False
            else:
                stages.append(("imx500", [*int8, "--profile=imx500", *imx500_layers], True))
        for stage, options, exact in stages:
            name = f"{model_name} {stage}"
            base = os.path.join(work, f"{model_name}.{stage}")
            planned = base + ".mlir"
            if isinstance(options, str):
                plan(args, model, options, planned)
            else:
                run([args.compile_tool, model, "--to=planned", "-o", planned, *options])
            outputs = [f"{base}.expected{i}.npy" for i in range(len(graph.output))]
            run([args.run_tool, planned, "--planned",
                 *[a for p in inputs for a in ("-i", p)],
                 *[a for p in outputs for a in ("-o", p)]])
            expected = [np.load(p) for p in outputs]

            run([args.compile_tool, planned, "--target=cpu", "--emit=obj", "-o", base + ".o"])
            memory_plan = re.search(r"memory_plan<arena = (\d+),.*?alignment = (\d+)",
                                    open(planned).read())
            arguments = [(True, np.load(p).nbytes) for p in inputs]
            arguments += [(False, e.nbytes) for e in expected]
            with open(base + ".c", "w") as f:
                f.write(c_program("picosam_model", arguments, int(memory_plan.group(1)),
                                  max(int(memory_plan.group(2)), 16)))
            program = base + ".program"
            run([args.cc, "-std=c11", "-O1", base + ".c", base + ".o", *args.runtime_archive,
                 "-lstdc++", "-lm", "-o", program])
            raw_inputs = []
            for i, p in enumerate(inputs):
                raw_inputs.append(f"{base}.input{i}.bin")
                np.load(p).tofile(raw_inputs[-1])
            raw_outputs = [f"{base}.output{i}.bin" for i in range(len(expected))]
            result = subprocess.run([program, *raw_inputs, *raw_outputs])
            if result.returncode != 0:
                print(f"FAIL: {name}: the C program exited with {result.returncode}")
                ok = False
                continue
            ops = sorted(set(re.findall(r"= (pico\.[a-z_0-9]+)", open(planned).read())))
            print(f"{name}: {', '.join(op[5:] for op in ops)}")
            for i, (path, want) in enumerate(zip(raw_outputs, expected)):
                got = np.fromfile(path, dtype=want.dtype).reshape(want.shape)
                ok &= compare(f"{name} output {i}", got, want, exact)
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compile-tool", required=True, help="path of picosam-compile")
    parser.add_argument("--run-tool", required=True, help="path of picosam-run")
    parser.add_argument("--opt-tool", required=True, help="path of picosam-opt")
    parser.add_argument("--runtime-archive", action="append", default=[],
                        help="archive the importer models' C programs link (the kernel "
                             "entries, the kernels, the CPU feature check)")
    parser.add_argument("--cc", default="cc", help="the C compiler driver")
    parser.add_argument("--work", required=True, help="directory for intermediate files")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    ok = check_irnet(args)
    ok &= check_importer_models(args)
    if not ok:
        sys.exit(1)
    print("PASS")


if __name__ == "__main__":
    main()
