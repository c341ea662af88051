"""The secrets-store CSI driver on an existing cluster, with Vault's provider or none."""

from __future__ import annotations

import pytest

from platform_constructs.generic.secrets_store import SecretsStoreCsi
from platform_constructs.kubernetes.chart_release import release_values
from tests.helpers import in_cluster_probe, kubernetes_spec, ref, resources, synth


def releases(spec) -> dict[str, dict]:
    stack = synth(spec)["addons"]
    return {r["chart"]: r for r in resources(stack, "helm_release")}


def test_by_default_the_driver_alone_rotating_and_never_syncing_into_secrets():
    found = releases(kubernetes_spec())
    assert "vault" not in found
    driver = found["secrets-store-csi-driver"]
    assert driver["namespace"] == "kube-system"
    values = release_values(driver)
    assert values["enableSecretRotation"] is True
    assert values["syncSecret"] == {"enabled": False}
    assert "tokenRequests" not in values


def test_vault_provider_only_the_csi_daemonset_after_the_driver():
    stack = synth(kubernetes_spec(addons={"secrets_store_provider": "vault"}))["addons"]
    found = {r["chart"]: r for r in resources(stack, "helm_release")}
    vault, driver = found["vault"], found["secrets-store-csi-driver"]
    assert vault["name"] == "vault-csi-provider" and vault["namespace"] == "kube-system"
    values = release_values(vault)
    assert values["server"] == {"enabled": False} and values["injector"] == {"enabled": False}
    assert values["csi"] == {"enabled": True}
    assert values["global"] == {"enabled": False}
    assert vault["depends_on"] == [ref(stack, "helm_release", driver).removeprefix("${").removesuffix(".id}")]


def test_switched_off_no_driver_and_a_provider_without_it_is_refused_by_the_model():
    found = releases(kubernetes_spec(addons={"secrets_store": False}))
    assert "secrets-store-csi-driver" not in found and "vault" not in found


def test_an_unknown_provider_is_refused():
    with pytest.raises(ValueError, match="'aws' is not supported"):
        in_cluster_probe(lambda stack: SecretsStoreCsi(stack, "s", provider="aws"))
