"""The torch version gm_torch's extension is built against, and the check made on import."""

#: The extension links the libtorch of this torch release (the one tch 0.24.0 requires).
REQUIRED_TORCH = "2.11"


def check_torch_version(version: str) -> None:
    """Raises ImportError unless ``version`` (``torch.__version__``) is a 2.11.x release.

    The native extension calls into libtorch's C++ API and its Python bindings, whose ABI
    changes between minor releases: loaded into another torch it would fail on missing
    symbols or, worse, crash. This check runs before the extension is loaded.
    """
    release = version.split("+")[0]
    if release.split(".")[:2] != REQUIRED_TORCH.split("."):
        raise ImportError(
            f"gm_torch is built against torch {REQUIRED_TORCH}.x (the libtorch of tch 0.24.0) "
            f"but this Python has torch {version}: install torch=={REQUIRED_TORCH}.0 "
            "(e.g. `pip install torch==2.11.0`) or rebuild gm_torch against a tch release "
            "for your torch (docs/python.md, 'Version coupling')."
        )
