import pytest

import main
from tests.helpers import ROOT


@pytest.fixture(scope="module")
def existing_output(tmp_path_factory):
    """environments/aws-dev.yaml synthesized once per module: the output bad input must leave as it was."""
    out = tmp_path_factory.mktemp("existing") / "cdktf.out"
    assert main.main(["--env-file", str(ROOT / "environments/aws-dev.yaml"), "--outdir", str(out)]) == 0
    return out
