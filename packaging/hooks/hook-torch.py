"""torch for CPU inference: PyInstaller's contrib hook, walking fewer submodules.

The contrib hook imports every one of torch's ~2,000 submodules in a child process to list
them as hidden imports, which is most of a build's time, and then analyses all of them. The
graph compiler, ONNX export, distributed training, TensorBoard and test helpers are never run by
this app, so they are not walked (whatever torch imports statically is still found by
PyInstaller's analysis, and --self-test proves the runtime loads). Everything else the contrib
hook does (data files, libraries, CUDA and MKL handling) is kept by running it as is.
"""

from __future__ import annotations

from pathlib import Path

import _pyinstaller_hooks_contrib.stdhooks as contrib
import PyInstaller.utils.hooks as hook_utils

_NOT_WALKED = (
    "torch._inductor",
    "torch._dynamo",
    "torch.onnx",
    "torch.distributed",
    "torch.utils.tensorboard",
    "torch.utils.benchmark",
    "torch.utils.bottleneck",
    "torch.ao.quantization.pt2e",
    "torch._functorch.aot_autograd",
    "torch.backends._coreml",
    "torch.backends.xeon",
)


def _wanted(name: str) -> bool:
    return not any(name == skip or name.startswith(skip + ".") for skip in _NOT_WALKED)


_collect_all = hook_utils.collect_submodules


def _collect_fewer(package, *args, **kwargs):
    if package == "torch":
        kwargs["filter"] = _wanted
    return _collect_all(package, *args, **kwargs)


_source = Path(contrib.__path__[0], "hook-torch.py")
hook_utils.collect_submodules = _collect_fewer
try:
    exec(compile(_source.read_text(encoding="utf-8"), str(_source), "exec"))  # noqa: S102
finally:
    hook_utils.collect_submodules = _collect_all
print(f"hook-torch (packaging/hooks): {len(hiddenimports)} torch modules walked")  # noqa: F821
