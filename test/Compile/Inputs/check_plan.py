#!/usr/bin/env python3
"""Checks the memory plan of @main in a planned MLIR file (picosam-compile
--to=planned, printed with locations) against an independent derivation
from the IR text alone, sharing no code with the compiler:

  - every tensor's bytes from its type (elements x element bytes: 4 for
    f32/i32, 1 for i8 and 8-bit !quant.uniform storage, or the plan's
    element_bytes when it counts every element alike); a ring's rows from
    the type too (one row across every image, channel and column; the
    pointwise conv is 1x1, so one row);
  - the steps from the ops in order (a tiled block, and the conv a block
    streams into, one step; an untiled block two), every lifetime from the
    step defining the tensor to the last step reading it (results: the last
    step), compared with each #pico.buffer's first/last;
  - no two buffers live at the same step share a byte, except a result
    written in place over an operand that dies at that op (element-wise
    ops, a conv's residual, channel attention; a streamed conv's 1x1 input,
    row by row);
  - the lower bound (the largest sum of live bytes at one step, an in-place
    pair counted once) and its step equal the plan's; the arena is the end
    of the highest buffer and holds the bound; the weights are the bytes of
    the constants.

Prints the recomputed figures (with --budget and --reserved, also weights +
arena + reserved against the budget); --expect NAME=BYTES checks a tensor's
bytes (NAME: its location name, fused names joined with '+'). Exit code 1 on
any mismatch.

usage: check_plan.py planned.mlir [--expect NAME=BYTES]... [--budget B --reserved R]
"""
import argparse
import re
import sys
from collections import defaultdict

IN_PLACE_OPS = {"relu", "clip", "leaky_relu", "sigmoid", "hard_sigmoid",
                "hard_swish", "tanh", "batch_norm", "reshape", "add", "sub",
                "mul", "div", "channel_attention"}


def bracketed(text, start):
    """The text from `start` (at '<' after a type keyword) to its matching '>'."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "<":
            depth += 1
        elif text[i] == ">":
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
    raise ValueError("unbalanced <> in " + text[start:start + 80])


def tensor_types(text):
    """Every tensor<...> type in `text`, in order."""
    return ["tensor" + bracketed(text, m.end() - 1)
            for m in re.finditer(r"tensor<", text)]


def shape_and_element(tensor_type):
    body = tensor_type[len("tensor<"):-1]
    dims = []
    while True:
        m = re.match(r"(\d+)x", body)
        if not m:
            break
        dims.append(int(m.group(1)))
        body = body[m.end():]
    return dims, body


def element_bytes(element, counted):
    if counted:
        return counted
    if element.startswith("!quant.uniform<"):
        storage = re.match(r"!quant\.uniform<([iu])(\d+)", element)
        return int(storage.group(2)) // 8
    m = re.fullmatch(r"[fiu]i?(\d+)", element.replace("ui", "u"))
    if not m:
        raise ValueError("unknown element type " + element)
    return int(m.group(1)) // 8


def tensor_bytes(tensor_type, counted):
    dims, element = shape_and_element(tensor_type)
    count = 1
    for d in dims:
        count *= d
    return count * element_bytes(element, counted)


def attributes(text, name):
    m = re.search(r"#pico\." + name + r"<([^>]*)>", text)
    if not m:
        return None
    fields = {}
    for item in m.group(1).split(","):
        key, value = (part.strip() for part in item.split("="))
        fields[key] = int(value) if re.fullmatch(r"-?\d+", value) else value
    fields.setdefault("kind", "whole")
    return fields


class Locations:
    """#locN aliases, resolved to names as picosam-run gives them."""

    def __init__(self, lines):
        self.raw = {}
        for line in lines:
            m = re.match(r"#(loc\d*) = loc\((.*)\)\s*$", line)
            if m:
                self.raw[m.group(1)] = m.group(2)

    def name(self, loc):
        loc = loc.strip()
        if loc.startswith("#"):
            return self.name(self.raw[loc[1:]])
        m = re.match(r'"([^"]*)"\(', loc)
        if m:
            return m.group(1)
        if loc.startswith("fused["):
            parts = [self.name(p) for p in re.findall(r"#loc\d*|\"[^\"]*\"\([^)]*\)", loc)]
            return "+".join(p for p in parts if p)
        m = re.fullmatch(r'"([^"]*)"', loc)
        return m.group(1) if m else None


def trailing_loc(line):
    m = re.search(r" loc\((.*)\)\s*\{?\s*$", line)
    return m.group(1) if m else None


class Op:
    def __init__(self, result, kind, line, locations):
        self.result, self.kind, self.line = result, kind, line
        text = re.sub(r" loc\(.*$", "", line)
        rest = text.split(" = pico." + kind, 1)[1]
        cut = [i for i in (rest.find(" {"), rest.find(" : ")) if i >= 0]
        self.operands = re.findall(r"%[\w#]+", rest[:min(cut)] if cut else rest)
        if "residual" in rest[:min(cut)] if cut else False:
            self.residual = self.operands[-1]
        else:
            self.residual = None
        types = tensor_types(rest[rest.find(" : "):])
        self.type = types[-1]
        self.operand_types = types[:-1]
        self.buffer = attributes(line, "buffer")
        self.name = locations.name(trailing_loc(line)) if trailing_loc(line) else None


def parse(path):
    lines = open(path).read().splitlines()
    locations = Locations(lines)
    func_line = next(i for i, l in enumerate(lines) if "func.func @main(" in l)
    header = lines[func_line]
    plan = attributes(header, "memory_plan")
    arguments = []
    for m in re.finditer(r"(%arg\d+): tensor<", header):
        arg_type = "tensor" + bracketed(header, m.end() - 1)
        tail = header[m.end() - 1 + len(arg_type) - len("tensor"):]
        buffer = attributes(tail.split("%arg")[0], "buffer")
        loc = re.match(r"\s*(\{[^}]*\})?\s*loc\(((?:[^()]|\([^()]*\))*)\)", tail)
        arguments.append((m.group(1), arg_type, buffer,
                          locations.name(loc.group(2)) if loc else None))
    top, blocks, returned = [], {}, []
    i = func_line + 1
    while i < len(lines):
        line = lines[i]
        m = re.match(r"\s*(%\w+) = pico\.(\w+) ", line)
        if m and m.group(2) == "separable_block":
            block = Op(m.group(1), "separable_block", line, locations)
            body = []
            i += 1
            arg = re.match(r"\s*\^bb0\((%\w+):", lines[i]).group(1)
            i += 1
            while not lines[i].strip().startswith("pico.yield"):
                n = re.match(r"\s*(%\w+) = pico\.(\w+) ", lines[i])
                body.append(Op(n.group(1), n.group(2), lines[i], locations))
                i += 1
            block.name = locations.name(trailing_loc(lines[i + 1]))
            blocks[block.result] = (arg, body)
            top.append(block)
            i += 2
            continue
        if m:
            top.append(Op(m.group(1), m.group(2), line, locations))
        elif re.match(r"\s*return ", line):
            returned = re.findall(r"%\w+", line.split(":")[0])
            break
        i += 1
    return plan, arguments, top, blocks, returned


class Failure(Exception):
    pass


def check(path, expectations, budget, reserved):
    plan, arguments, top, blocks, returned = parse(path)
    counted = plan["element_bytes"]
    # Tensors: key -> dict(type, buffer, name, op (the op computing it),
    # reads (operand keys of that op), kind of write).
    tensors = {}
    uses = defaultdict(list)
    steps = 0
    weights = 0

    def define(key, tensor_type, buffer, name, step, op=None, reads=()):
        if buffer is None:
            raise Failure(f"'{name}' has no #pico.buffer")
        tensors[key] = dict(type=tensor_type, buffer=buffer, name=name,
                            step=step, op=op, reads=list(reads))

    for key, arg_type, buffer, name in arguments:
        define(key, arg_type, buffer, name, 0)
    streamed = {}  # a streamed block's result -> its step
    for op in top:
        if op.kind == "constant":
            weights += tensor_bytes(op.type, counted)
            continue
        if op.kind == "separable_block":
            arg, (dw, pw) = blocks[op.result]
            outer = [v for v in pw.operands if v != dw.result]
            if dw.buffer and dw.buffer["kind"] == "ring":
                step = steps
                steps += 1
                dw_step = pw_step = step
            else:
                dw_step, pw_step = steps, steps + 1
                steps += 2
            uses[op.operands[0]].append(dw_step)
            define((op.result, "dw"), dw.type, dw.buffer, dw.name, dw_step, dw)
            uses[(op.result, "dw")].append(pw_step)
            for value in outer:
                uses[value].append(pw_step)
            if op.buffer is None and pw.buffer and pw.buffer["kind"] == "streamed":
                define(op.result, op.type, pw.buffer, pw.name, pw_step, pw, outer)
                streamed[op.result] = pw_step
            else:
                define(op.result, op.type, op.buffer, op.name, pw_step, pw,
                       [v for v in outer if v == pw.residual])
            continue
        into = [v for v in op.operands if v in streamed]
        if into:
            step = streamed[into[0]]
        else:
            step = steps
            steps += 1
        for value in set(op.operands):
            uses[value].append(step)
        define(op.result, op.type, op.buffer, op.name, step, op, op.operands)
    last_step = steps - 1
    for value in returned:
        uses[value].append(last_step)

    failures = []
    if steps != plan["steps"]:
        failures.append(f"the ops run {steps} steps, the plan says {plan['steps']}")
    # Sizes and lifetimes.
    for key, t in tensors.items():
        b, name = t["buffer"], t["name"]
        dims, _ = shape_and_element(t["type"])
        whole = tensor_bytes(t["type"], counted)
        if b["kind"] == "whole":
            if b["size"] != whole:
                failures.append(f"'{name}': {whole} bytes by its type, {b['size']} planned")
        else:
            row = whole // dims[2]
            if b["row_bytes"] != row or b["rows"] != 1 or b["size"] != row:
                failures.append(f"'{name}': a ring of 1 row of {row} bytes by its type, "
                                f"{b['rows']} x {b['row_bytes']} = {b['size']} planned")
        last = max(uses[key]) if uses[key] else t["step"]
        if (b["first"], b["last"]) != (t["step"], last):
            failures.append(f"'{name}': live {t['step']}..{last} by the schedule, "
                            f"{b['first']}..{b['last']} planned")
    # Overlaps: only in place, where the op allows it.
    keys = list(tensors)
    group = {k: k for k in keys}

    def root(k):
        while group[k] != k:
            k = group[k]
        return k

    def in_place(a, b):
        ta, tb = tensors[a], tensors[b]
        ba, bb = ta["buffer"], tb["buffer"]
        op = tb["op"]
        if op is None or a in returned or ba["kind"] != "whole":
            return False
        if ba["offset"] != bb["offset"] or ba["last"] != bb["first"] or a not in tb["reads"]:
            return False
        if op.kind in IN_PLACE_OPS or (op.kind == "conv2d" and a == op.residual):
            return bb["size"] == ba["size"]
        # A conv a block streams into, 1x1, writes its rows over its input's.
        weight_dims, _ = shape_and_element(op.operand_types[1])
        return (op.kind == "conv2d" and a == op.operands[0] and op.residual in streamed
                and weight_dims[2:] == [1, 1] and "strides" not in op.line
                and "pads" not in op.line and bb["size"] <= ba["size"])

    for x in range(len(keys)):
        for y in range(x + 1, len(keys)):
            a, b = keys[x], keys[y]
            ba, bb = tensors[a]["buffer"], tensors[b]["buffer"]
            if ba["first"] > bb["last"] or bb["first"] > ba["last"]:
                continue
            if ba["offset"] >= bb["offset"] + bb["size"] or bb["offset"] >= ba["offset"] + ba["size"]:
                continue
            if in_place(a, b):
                group[root(b)] = root(a)
            elif in_place(b, a):
                group[root(a)] = root(b)
            else:
                failures.append(f"'{tensors[a]['name']}' and '{tensors[b]['name']}' "
                                f"share bytes while both are live")
    # The lower bound: per step, each memory (in-place group) once.
    memories = defaultdict(list)
    for k in keys:
        memories[root(k)].append(tensors[k]["buffer"])
    bound, peak = 0, 0
    for step in range(steps):
        live = sum(max(b["size"] for b in members)
                   for members in memories.values()
                   if min(b["first"] for b in members) <= step <= max(b["last"] for b in members))
        if live > bound:
            bound, peak = live, step
    end = max(t["buffer"]["offset"] + t["buffer"]["size"] for t in tensors.values())
    if (bound, peak) != (plan["lower_bound"], plan["peak_step"]):
        failures.append(f"lower bound {bound} at step {peak} recomputed, "
                        f"{plan['lower_bound']} at {plan['peak_step']} planned")
    if plan["arena"] != end or plan["arena"] < bound:
        failures.append(f"arena {plan['arena']}: the buffers end at {end}, the bound is {bound}")
    if weights != plan["weights"]:
        failures.append(f"weights {weights} by the constants' types, {plan['weights']} planned")
    sizes = {t["name"]: t["buffer"]["size"] for t in tensors.values()}
    for name, expected in expectations:
        if sizes.get(name) != expected:
            failures.append(f"'{name}': expected {expected} bytes, planned {sizes.get(name)}")
    print(f"{len(tensors)} buffers, {steps} steps, weights {weights}, "
          f"lower bound {bound} at step {peak}, arena {end}")
    if budget:
        total = weights + end + reserved
        print(f"weights + arena + {reserved} reserved = {total} of {budget}: "
              + ("fits" if total <= budget else "does not fit"))
    for failure in failures:
        print("FAIL: " + failure)
    return not failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("planned")
    parser.add_argument("--expect", action="append", default=[],
                        help="NAME=BYTES: the tensor's planned bytes")
    parser.add_argument("--budget", type=int, default=0)
    parser.add_argument("--reserved", type=int, default=0)
    args = parser.parse_args()
    expectations = [(e.rsplit("=", 1)[0], int(e.rsplit("=", 1)[1])) for e in args.expect]
    try:
        ok = check(args.planned, expectations, args.budget, args.reserved)
    except Failure as failure:
        print("FAIL: " + str(failure))
        ok = False
    print("ok" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
