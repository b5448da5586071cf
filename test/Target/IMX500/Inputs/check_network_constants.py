"""Re-derives the constants of an IMX500 network file (flatc's JSON of it)
independently of the writer: each constant's bytes from its shape and
element type, and its buffer's length with axis 0 padded to the file's
channel group, the padding all zeros."""
import json
import math
import sys

network = json.load(open(sys.argv[1]))
group = network["channel_group"]
sizes = {"Int8": 1, "UInt8": 1, "Int32": 4}
constants = [t for t in network["tensors"] if t.get("buffer", -1) >= 0]
plain = padded = 0
for tensor in constants:
    shape = tensor["shape"]
    size = sizes[tensor.get("type", "Int8")]
    rest = math.prod(shape[1:]) * size
    data = network["buffers"][tensor["buffer"]]["data"]
    channels = -(-shape[0] // group) * group
    assert len(data) == channels * rest, (tensor["name"], len(data))
    assert not any(data[shape[0] * rest:]), tensor["name"]
    plain += shape[0] * rest
    padded += len(data)
print(f"{len(constants)} constants: {plain} bytes, {padded} in the device "
      "layout, padding all zero")
