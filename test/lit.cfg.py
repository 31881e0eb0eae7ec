# lit configuration for the tgraph compiler tests (Dialect/, Transforms/,
# Tools/, ...). Tools come from the build's bin/ and LLVM 22's bin/.
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "TGRAPH"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "README.md", "lit.cfg.py",
                   "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tgraph_obj_root, "test")

config.substitutions.append(("%tgraph_src", config.tgraph_src_root))
config.substitutions.append(("%tgraph_obj", config.tgraph_obj_root))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%cxx", config.cxx))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.tgraph_tools_dir, append_path=True)

tools = ["tgraph-opt"] + [
    t for t in ("tgraph-gen", "tgraph-translate", "tgraph-run")
    if os.path.exists(os.path.join(config.tgraph_tools_dir, t))]
llvm_config.add_tool_substitutions(tools, [config.tgraph_tools_dir])
for t in tools:
    config.available_features.add(t)
if config.have_cuda:
    config.available_features.add("cuda")
