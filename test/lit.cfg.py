# lit configuration for picosam's regression tests.
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "picosam"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.picosam_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "unit", "tools", "Inputs"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%models", os.path.join(config.picosam_src_root, "models")))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.picosam_tools_dir, append_path=True)
# The sanitizer build's cc and c++ (test/CMakeLists.txt) come first.
if config.picosam_drivers_dir:
    config.environment["PATH"] = config.picosam_drivers_dir + os.pathsep + config.environment["PATH"]

tools = ["picosam-opt", "picosam-run", "picosam-import", "picosam-compile", "picosam-cpu-emit",
         "picosam-translate", "picosam-imx500", "picosam-floor"]
llvm_config.add_tool_substitutions(
    [t for t in tools if os.path.exists(os.path.join(config.picosam_tools_dir, t))],
    [config.picosam_tools_dir])

# LLVM 22's binary tools (the unversioned ones on PATH may be older).
llvm_config.add_tool_substitutions(
    ["llvm-ar", "llvm-objdump", "llvm-nm", "llvm-readelf"], [config.llvm_tools_dir])

# CPU features of this machine that tests of the start-up feature check need.
cpu_flags = set()
if os.path.exists("/proc/cpuinfo"):
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("flags"):
                cpu_flags = set(line.split(":", 1)[1].split())
                break
if "amx_tile" not in cpu_flags:
    config.available_features.add("cpu-without-amx-tile")
