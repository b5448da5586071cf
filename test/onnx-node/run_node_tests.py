#!/usr/bin/python3
"""ONNX's backend test cases through picosam-import and picosam-run.

    run_node_tests.py --import BIN/picosam-import --run BIN/picosam-run \
                      [--cases DIR --run-unsupported --atol A] [--work-dir DIR]
                      [--expected-failures FILE] [--jobs N] [-k SUBSTRING] [-v]

Without --cases it runs ONNX's node test suite, generated from the installed
python3-onnx (`onnx.backend.test.cmd_tools generate-data`, cached in
WORK_DIR/data per onnx version), so nothing is downloaded. With --cases it
runs the cases of a directory laid out the same way (CASE/model.onnx,
CASE/test_data_set_N/input_K.pb and output_K.pb): the pytorch-converted and
pytorch-operator sets Debian's libonnx-testdata installs in
/usr/share/libonnx-testdata/data. A case runs when every op of its graph is
one picosam-import supports (`--list-supported-ops`); the others are skipped,
unless --run-unsupported runs them too (they fail at import and must be
listed). Each test data set is imported, executed by picosam-run on its
inputs (.pb converted to .npy) and compared with the expected outputs: same
shape and dtype, values within --rtol and --atol (1e-3 and 1e-5 by default;
exact for integers and bools).

Operands picosam needs at import time (Reshape's shape, Resize's scales,
Clip's bounds, ..., and every operand of the ops it only folds) are graph
inputs in the node tests; the runner turns those inputs into initializers
holding the data set's values, as onnx-mlir's backend tests do in their
constant mode.

The expected-failures file (test/onnx-node/expected_failures.txt for the node
suite) lists the cases known to fail, one per line with the reason after '#'.
A listed case that passes (XPASS) or that no longer runs (stale entry) fails
the run as much as an unlisted failure does, so the list stays honest. One
line per failure, then:

    NAME: N passed, N failed, N expected failures, N skipped (unsupported ops)

where NAME is onnx-node or the --cases directory's name, and "failed" counts
unexpected failures, unexpected passes and stale entries. The exit status is
0 when that count is 0, and 77 (skipped) when the --cases directory does not
exist.
"""
import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SKIPPED = 77  # ctest's SKIP_RETURN_CODE for the test

# Operand indices picosam-import needs as constants: folded into an op's
# attributes, or (None: every operand) ops it only evaluates at import time.
CONSTANT_OPERANDS = {
    "Reshape": {1},
    "Resize": {1, 2, 3},
    "Upsample": {1},
    "Clip": {1, 2},
    "Squeeze": {1},
    "Unsqueeze": {1},
    "Dropout": {1, 2},
    "QuantizeLinear": {1, 2},
    "DequantizeLinear": {1, 2},
    "Pad": {1, 2, 3},
    "Slice": {1, 2, 3, 4},
    "Split": {1},
    "ReduceMean": {1},
    "ReduceSum": {1},
    "ReduceMax": {1},
    "Tile": {1},
    "Expand": {1},
    "Gather": None,
    "Cast": None,
    "ConstantOfShape": None,
    "Floor": None,
    "Ceil": None,
}


def generate_suite(data_dir):
    """Generates the node tests into data_dir (once per onnx version)."""
    stamp = os.path.join(data_dir, "onnx-" + onnx.__version__)
    if os.path.exists(stamp):
        return
    parent = os.path.dirname(os.path.abspath(data_dir))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix="onnx-node-data.", dir=parent)
    # numpy 1.24 removed aliases onnx 1.12's generators still use.
    script = ("import numpy as np, sys\n"
              "for name, alias in (('float', float), ('int', int), ('bool', bool),\n"
              "                    ('object', object), ('complex', complex), ('str', str)):\n"
              "    setattr(np, name, alias)\n"
              "from onnx.backend.test.cmd_tools import main\n"
              "sys.argv = ['generate-data', 'generate-data', '-o', sys.argv[1]]\n"
              "main()\n")
    subprocess.run([sys.executable, "-c", script, staging], check=True,
                   stdout=subprocess.DEVNULL)
    open(os.path.join(staging, os.path.basename(stamp)), "w").close()
    shutil.rmtree(data_dir, ignore_errors=True)
    os.rename(staging, data_dir)


def read_expected_failures(path):
    """{case: reason} from lines 'case  # reason'."""
    expected = {}
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            case, _, reason = line.partition("#")
            if not reason.strip():
                sys.exit(f"{path}:{number}: '{case.strip()}' has no reason after '#'")
            expected[case.strip()] = reason.strip()
    return expected


def graph_ops(model):
    """The op types of the main graph ('domain.Op' outside the default one)."""
    return {n.op_type if n.domain in ("", "ai.onnx") else f"{n.domain}.{n.op_type}"
            for n in model.graph.node}


def constant_inputs(model):
    """Names of graph inputs that picosam needs as constants."""
    names = set()
    for node in model.graph.node:
        if node.domain not in ("", "ai.onnx") or node.op_type not in CONSTANT_OPERANDS:
            continue
        indices = CONSTANT_OPERANDS[node.op_type]
        names.update(name for index, name in enumerate(node.input)
                     if name and (indices is None or index in indices))
    return names


def load_tensor_proto(path):
    tensor = onnx.TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    return tensor


def load_tensor(path):
    return numpy_helper.to_array(load_tensor_proto(path))


def first_error_line(text):
    """The first 'error:' line of a tool's stderr, without the file prefix."""
    lines = [line for line in text.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("error: "):
            message = line[len("error: "):]
            head, sep, tail = message.partition(".onnx: ")
            # The list of supported ops after "unsupported operator" is long.
            return (tail if sep else message).split("; supported: ")[0]
    return lines[0] if lines else "no output"


def outputs_match(actual, expected, rtol, atol):
    """None when actual matches expected, else why not."""
    if actual.shape != expected.shape:
        return f"shape {actual.shape}, expected {expected.shape}"
    if actual.dtype != expected.dtype:
        return f"dtype {actual.dtype}, expected {expected.dtype}"
    if np.issubdtype(expected.dtype, np.floating):
        if np.allclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True):
            return None
        error = np.nanmax(np.abs(actual.astype(np.float64) - expected.astype(np.float64)))
        return f"max abs error {error:.3g}"
    if np.array_equal(actual, expected):
        return None
    return f"{int(np.sum(actual != expected))} of {expected.size} values differ"


def run_data_set(case_dir, data_set, work_dir, tools):
    """Imports and runs one data set of a case: None on success, else why."""
    model = onnx.load(os.path.join(case_dir, "model.onnx"))
    initializers = {t.name for t in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in initializers]
    data_inputs = [os.path.join(data_set, f"input_{k}.pb") for k in range(len(inputs))]

    # The data set's TensorProto itself becomes the initializer, so its data
    # type (bfloat16, ...) is kept exactly.
    constants = constant_inputs(model)
    arguments = []
    for value_info, path in zip(inputs, data_inputs):
        if value_info.name in constants and value_info.type.HasField("tensor_type"):
            initializer = load_tensor_proto(path)
            initializer.name = value_info.name
            model.graph.initializer.append(initializer)
            model.graph.input.remove(value_info)
        else:
            arguments.append(path)
    model_path = os.path.join(work_dir, "model.onnx")
    onnx.save(model, model_path)

    mlir_path = os.path.join(work_dir, "model.mlir")
    result = subprocess.run([tools.importer, model_path, "-o", mlir_path],
                            capture_output=True, text=True, errors="replace")
    if result.returncode != 0:
        return "import: " + first_error_line(result.stderr)

    # Inputs and outputs are tensors once picosam-import accepted the model.
    command = [tools.runner, mlir_path]
    for k, path in enumerate(arguments):
        npy = os.path.join(work_dir, f"input_{k}.npy")
        np.save(npy, load_tensor(path))
        command += ["-i", npy]
    expected = [load_tensor(os.path.join(data_set, f"output_{k}.pb"))
                for k in range(len(model.graph.output))]
    outputs = [os.path.join(work_dir, f"output_{k}.npy") for k in range(len(expected))]
    for path in outputs:
        command += ["-o", path]
    result = subprocess.run(command, capture_output=True, text=True, errors="replace")
    if result.returncode != 0:
        return "run: " + first_error_line(result.stderr)

    for k, (path, reference) in enumerate(zip(outputs, expected)):
        mismatch = outputs_match(np.load(path), reference, tools.rtol, tools.atol)
        if mismatch:
            return f"output {k} ('{model.graph.output[k].name}'): {mismatch}"
    return None


def run_case(case, data_dir, work_root, tools):
    """(case, None) when every data set passes, else (case, why not)."""
    case_dir = os.path.join(data_dir, case)
    work_dir = os.path.join(work_root, case)
    shutil.rmtree(work_dir, ignore_errors=True)
    os.makedirs(work_dir)
    data_sets = sorted(d for d in os.listdir(case_dir) if d.startswith("test_data_set_"))
    for data_set in data_sets:
        try:
            failure = run_data_set(case_dir, os.path.join(case_dir, data_set), work_dir, tools)
        except Exception as error:  # A broken case must not stop the suite.
            failure = f"runner: {type(error).__name__}: {error}"
        if failure:
            return case, failure
    return case, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--import", dest="importer", required=True,
                        help="picosam-import binary")
    parser.add_argument("--run", dest="runner", required=True, help="picosam-run binary")
    parser.add_argument("--cases", help="run the cases of this directory instead of "
                        "ONNX's generated node suite")
    parser.add_argument("--work-dir", default=os.path.join(tempfile.gettempdir(),
                                                           "picosam-onnx-node"),
                        help="where the node suite is generated (cached) and cases run")
    parser.add_argument("--expected-failures",
                        default=os.path.join(HERE, "expected_failures.txt"))
    parser.add_argument("--run-unsupported", action="store_true",
                        help="also run cases with ops picosam-import does not support")
    parser.add_argument("--rtol", type=float, default=1e-3)
    parser.add_argument("--atol", type=float, default=1e-5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("-k", dest="filter", default="",
                        help="only cases whose name contains this")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also list passing and expected-failing cases")
    tools = parser.parse_args()

    if tools.cases:
        data_dir = tools.cases
        suite = os.path.basename(os.path.normpath(data_dir))
        if not os.path.isdir(data_dir):
            print(f"{suite}: skipped: no directory {data_dir} "
                  "(apt-get install libonnx-testdata)")
            return SKIPPED
    else:
        data_root = os.path.join(tools.work_dir, "data")
        generate_suite(data_root)
        data_dir = os.path.join(data_root, "node")
        suite = "onnx-node"
    expected = read_expected_failures(tools.expected_failures)
    supported = set(subprocess.run([tools.importer, "--list-supported-ops"], check=True,
                                   capture_output=True, text=True, errors="replace").stdout.split())

    selected, skipped = [], 0
    for case in sorted(os.listdir(data_dir)):
        if tools.filter not in case:
            continue
        if (tools.run_unsupported
                or graph_ops(onnx.load(os.path.join(data_dir, case, "model.onnx"))) <= supported):
            selected.append(case)
        else:
            skipped += 1

    work_root = os.path.join(tools.work_dir, "cases")
    with concurrent.futures.ThreadPoolExecutor(max_workers=tools.jobs) as pool:
        results = sorted(pool.map(lambda case: run_case(case, data_dir, work_root, tools),
                                  selected))

    passed = failed = expected_failures = 0
    for case, failure in results:
        if failure is None and case in expected:
            failed += 1
            print(f"XPASS {case}: passes, but is listed as an expected failure "
                  f"({expected[case]})")
        elif failure is None:
            passed += 1
            if tools.verbose:
                print(f"PASS  {case}")
        elif case in expected:
            expected_failures += 1
            if tools.verbose:
                print(f"XFAIL {case}: {failure}")
        else:
            failed += 1
            print(f"FAIL  {case}: {failure}")
    ran = {case for case, _ in results}
    for case in sorted(expected):
        if tools.filter in case and case not in ran:
            failed += 1
            print(f"STALE {case}: listed as an expected failure but not run "
                  "(unsupported ops or no such case)")
    print(f"{suite}: {passed} passed, {failed} failed, {expected_failures} expected "
          f"failures, {skipped} skipped (unsupported ops)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
