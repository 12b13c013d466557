"""gm_torch refuses another torch with a clear ImportError, before loading the extension."""

import subprocess
import sys

import pytest

from gm_torch._torch_version import check_torch_version


@pytest.mark.parametrize("version", ["2.11.0", "2.11.0+cpu", "2.11.1+cu130"])
def test_torch_2_11_is_accepted(version):
    check_torch_version(version)


@pytest.mark.parametrize("version", ["2.10.0", "2.12.0+cpu", "3.11.0", "2.1.0"])
def test_other_torch_versions_are_refused_with_what_to_do(version):
    with pytest.raises(ImportError, match=r"built against torch 2\.11\.x.*install torch==2\.11\.0"):
        check_torch_version(version)


def test_importing_under_another_torch_is_an_import_error_not_a_crash():
    code = ("import torch; torch.__version__ = '2.12.0'\n"
            "try:\n    import gm_torch\nexcept ImportError as e:\n    print('refused:', e)\n"
            "import sys; print('extension loaded' if 'gm_torch._native' in sys.modules else 'extension not loaded')")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "refused: gm_torch is built against torch 2.11.x" in run.stdout
    assert "torch 2.12.0" in run.stdout
    assert "extension not loaded" in run.stdout
