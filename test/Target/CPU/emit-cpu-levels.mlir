// The same loop for each CPU level, through the TargetMachine at -O3.
//
// x86-64: SSE2 only (vectorised over xmm, no VEX/EVEX instruction, no ymm or
// zmm register), and no feature guard, so no runtime needed.
// RUN: picosam-cpu-emit %s --lower --cpu=x86-64 --emit=obj -o %t.x86-64.o
// RUN: llvm-objdump -d %t.x86-64.o | FileCheck %s --check-prefix=SSE2 \
// RUN:   --implicit-check-not=ymm --implicit-check-not=zmm \
// RUN:   --implicit-check-not="{{[[:space:]]v[a-z0-9]+[[:space:]]}}"
// RUN: llvm-objdump -d %t.x86-64.o | not grep ymm
// RUN: llvm-nm %t.x86-64.o | FileCheck %s --check-prefix=NO-GUARD
// SSE2: <scale_add>:
// SSE2: mulps {{.*}}%xmm
// SSE2: addps {{.*}}%xmm
// NO-GUARD: T scale_add
// NO-GUARD-NOT: picosam_cpu_require
//
// x86-64-v3: AVX2 on ymm; the guard requires the v3 features (mask 65535:
// cx16 sahf popcnt sse3 ssse3 sse4.1 sse4.2 xsave movbe lzcnt bmi bmi2 avx
// f16c fma avx2) from a constructor compiled for baseline x86-64.
// RUN: picosam-cpu-emit %s --lower --cpu=x86-64-v3 --emit=asm -o - \
// RUN:   | FileCheck %s --check-prefix=AVX2
// RUN: picosam-cpu-emit %s --lower --cpu=x86-64-v3 --emit=llvm-ir -o - \
// RUN:   | FileCheck %s --check-prefix=V3-IR
// AVX2-LABEL: scale_add{{>?}}:
// AVX2: vmulps {{.*}}%ymm
// AVX2: vaddps {{.*}}%ymm
// V3-IR: target triple = "x86_64-{{.*}}linux-gnu"
// V3-IR: @picosam.cpu_target = private unnamed_addr constant [10 x i8] c"x86-64-v3\00"
// V3-IR: @llvm.global_ctors = appending global {{.*}} { i32 101, ptr @picosam.cpu_guard, ptr null }
// V3-IR: define void @scale_add({{.*}}) {{.*}}#[[ENTRY:[0-9]+]]
// V3-IR: define internal void @picosam.cpu_guard() #[[GUARD:[0-9]+]]
// V3-IR-NEXT: entry:
// V3-IR-NEXT: tail call void @picosam_cpu_require(i64 65535, ptr nonnull @picosam.cpu_target)
// V3-IR: attributes #[[ENTRY]] = { {{.*}}"target-cpu"="x86-64-v3"{{.*}} }
// V3-IR: attributes #[[GUARD]] = { cold "target-cpu"="x86-64" "target-features" }
//
// x86-64-v4 adds avx512f, dq, cd, bw and vl to what the guard checks (bits
// 17-21; bit 16, avxvnni, is not part of it): 4128767.
// RUN: picosam-cpu-emit %s --lower --cpu=x86-64-v4 --emit=llvm-ir -o - \
// RUN:   | FileCheck %s --check-prefix=V4-IR
// V4-IR: call void @picosam_cpu_require(i64 4128767,
// The constructor's own code is baseline x86-64 (no VEX/EVEX instruction),
// while the function's is AVX-512-era.
// RUN: picosam-cpu-emit %s --lower --cpu=x86-64-v4 --emit=obj -o %t.v4.o
// RUN: llvm-objdump -d --disassemble-symbols=picosam.cpu_guard %t.v4.o \
// RUN:   | FileCheck %s --check-prefix=GUARD-CODE \
// RUN:   --implicit-check-not="{{[[:space:]]v[a-z0-9]+[[:space:]]}}"
// RUN: llvm-objdump -d --disassemble-symbols=scale_add %t.v4.o \
// RUN:   | FileCheck %s --check-prefix=AVX2
// GUARD-CODE: <picosam.cpu_guard>:
// GUARD-CODE-NEXT: leaq
// GUARD-CODE-NEXT: movl $0x3effff, %edi
// GUARD-CODE-NEXT: jmp
//
// Extra features add to the CPU's, and to the guard; --no-feature-guard drops it.
// RUN: picosam-cpu-emit %s --lower --cpu=x86-64 --cpu-features=+avx2,+fma --emit=asm -o - \
// RUN:   | FileCheck %s --check-prefix=AVX2
// RUN: picosam-cpu-emit %s --lower --cpu=x86-64-v3 --no-feature-guard --emit=llvm-ir -o - \
// RUN:   | FileCheck %s --check-prefix=NO-GUARD-IR
// NO-GUARD-IR-NOT: picosam_cpu_require
//
// The CPU and features are checked, not ignored with a warning as LLVM does.
// RUN: not picosam-cpu-emit %s --lower --cpu=x86-64-v9 -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-CPU
// RUN: not picosam-cpu-emit %s --lower --cpu-features=+avx3 -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-FEATURE
// BAD-CPU: error: unknown CPU 'x86-64-v9' for x86_64-{{.*}} (use host, x86-64, x86-64-v2, x86-64-v3, x86-64-v4 or a CPU name LLVM knows)
// BAD-FEATURE: error: unknown CPU feature '+avx3' for x86_64-{{.*}} (features are +name or -name, comma-separated)

func.func @scale_add(%x: memref<1024xf32>, %y: memref<1024xf32>,
                     %out: memref<1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 1024 : index
  %scale = arith.constant 2.5 : f32
  scf.for %i = %c0 to %n step %c1 {
    %a = memref.load %x[%i] : memref<1024xf32>
    %b = memref.load %y[%i] : memref<1024xf32>
    %scaled = arith.mulf %a, %scale : f32
    %sum = arith.addf %scaled, %b : f32
    memref.store %sum, %out[%i] : memref<1024xf32>
  }
  return
}
