"""``<env>-observability``: built after the addons when ``observability.enabled``, absent otherwise."""

import pytest
from cdktf import App

from stacks.environment import build_environment
from tests.helpers import azure_spec, gcp_spec, make_spec


@pytest.mark.parametrize("factory", [make_spec, gcp_spec, azure_spec])
def test_the_stack_follows_the_addons(factory, tmp_path):
    spec = factory()
    stacks = build_environment(App(outdir=str(tmp_path)), spec)
    assert stacks.observability is not None
    assert stacks.observability.node.id == f"{spec.name}-observability"
    assert stacks.observability.dependencies == [stacks.addons]


@pytest.mark.parametrize("factory", [make_spec, gcp_spec, azure_spec])
def test_switched_off_there_is_no_stack(factory, tmp_path):
    app = App(outdir=str(tmp_path))
    stacks = build_environment(app, factory(observability={"enabled": False}))
    assert stacks.observability is None
    assert sorted(child.node.id.rsplit("-", 1)[1] for child in app.node.children) == [
        "addons", "cluster", "data", "network"]
