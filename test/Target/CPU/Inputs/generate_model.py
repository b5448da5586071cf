"""Writes a module of PicoSAM3's size in upstream dialects: the code the CPU
backend's back half must turn into an object quickly.

A chain of `--layers` pointwise convolutions (C x C int8 weights in constant
globals, float activations in two views of one arena that alternate) with a
residual add after every fourth, between a graph input and output of
C x S*S floats. With the defaults: 38 weight globals of 192 x 192 bytes,
1,400,832 bytes of weights (PicoSAM3 has 1,371,418 parameters, one byte each
in INT8), 47 loop nests.
"""
import argparse


def weights_hex(layer, count):
    # Deterministic bytes nothing can fold away: a linear congruential sequence.
    state = 12345 + layer
    data = bytearray(count)
    for i in range(count):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        data[i] = (state >> 16) & 0xFF
    return data.hex().upper()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--layers", type=int, default=38)
    parser.add_argument("--channels", type=int, default=192)
    parser.add_argument("--size", type=int, default=12)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    c, pixels = args.channels, args.size * args.size
    act = f"memref<{c}x{pixels}xf32>"
    buffer_bytes = c * pixels * 4
    arena = f"memref<{2 * buffer_bytes}xi8>"

    lines = []
    for layer in range(args.layers):
        lines.append(
            f'memref.global "private" constant @w{layer} : memref<{c}x{c}xi8> = '
            f'dense<"0x{weights_hex(layer, c * c)}">')
    lines.append(f"func.func @model(%input: {act}, %output: {act}, %arena: {arena}) {{")
    lines.append("  %c0 = arith.constant 0 : index")
    lines.append("  %c1 = arith.constant 1 : index")
    lines.append(f"  %channels = arith.constant {c} : index")
    lines.append(f"  %pixels = arith.constant {pixels} : index")
    lines.append(f"  %second = arith.constant {buffer_bytes} : index")
    lines.append("  %zero = arith.constant 0.0 : f32")
    lines.append("  %scale = arith.constant 0.0078125 : f32")
    lines.append(f"  %a = memref.view %arena[%c0][] : {arena} to {act}")
    lines.append(f"  %b = memref.view %arena[%second][] : {arena} to {act}")
    source = "%input"
    for layer in range(args.layers):
        target = "%output" if layer == args.layers - 1 else ("%a" if layer % 2 == 0 else "%b")
        lines += [
            f"  %w{layer} = memref.get_global @w{layer} : memref<{c}x{c}xi8>",
            f"  scf.for %o = %c0 to %channels step %c1 {{",
            f"    scf.for %p = %c0 to %pixels step %c1 {{",
            f"      %sum = scf.for %k = %c0 to %channels step %c1 iter_args(%acc = %zero) -> f32 {{",
            f"        %x = memref.load {source}[%k, %p] : {act}",
            f"        %q = memref.load %w{layer}[%o, %k] : memref<{c}x{c}xi8>",
            f"        %w = arith.sitofp %q : i8 to f32",
            f"        %product = arith.mulf %x, %w : f32",
            f"        %next = arith.addf %acc, %product : f32",
            f"        scf.yield %next : f32",
            f"      }}",
            f"      %scaled = arith.mulf %sum, %scale : f32",
            f"      %relu = arith.maximumf %scaled, %zero : f32",
            f"      memref.store %relu, {target}[%o, %p] : {act}",
            f"    }}",
            f"  }}",
        ]
        if layer % 4 == 3 and layer != args.layers - 1:
            # A residual add of the layer's input into its output.
            lines += [
                f"  scf.for %o = %c0 to %channels step %c1 {{",
                f"    scf.for %p = %c0 to %pixels step %c1 {{",
                f"      %x = memref.load {source}[%o, %p] : {act}",
                f"      %y = memref.load {target}[%o, %p] : {act}",
                f"      %s = arith.addf %x, %y : f32",
                f"      memref.store %s, {target}[%o, %p] : {act}",
                f"    }}",
                f"  }}",
            ]
        source = target
    lines.append("  return")
    lines.append("}")
    with open(args.output, "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
