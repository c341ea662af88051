"""integration.external_dns: the neutral chart values and their refusals."""

import pytest

from platform_constructs.integration.external_dns import SERVICE_ACCOUNT, external_dns_values
from platform_constructs.workload_identity import ServiceAccount, WorkloadIdentity

IDENTITY = WorkloadIdentity(service_account=SERVICE_ACCOUNT, principal="p", annotations={"a": "b"},
                            pod_labels={"l": "v"})


def values(**override):
    args = {"provider": "aws", "txt_owner_id": "tc", "domain_filters": ["corp.internal"], "identity": IDENTITY}
    return external_dns_values(**{**args, **override})


def test_defaults_never_delete_and_own_only_this_clusters_records():
    v = values()
    assert (v["policy"], v["registry"], v["txtOwnerId"]) == ("upsert-only", "txt", "tc")
    assert v["sources"] == ["service", "ingress"] and v["domainFilters"] == ["corp.internal"]
    assert v["serviceAccount"] == {"create": True, "name": "external-dns", "annotations": {"a": "b"}}
    assert v["podLabels"] == {"l": "v"} and "extraArgs" not in v


def test_sync_is_allowed_and_provider_flags_pass_through():
    v = values(policy="sync", extra_args=["--zone-id-filter=Z1"], env=[{"name": "X", "value": "1"}])
    assert v["policy"] == "sync" and v["extraArgs"] == ["--zone-id-filter=Z1"] and v["env"] == [{"name": "X", "value": "1"}]


@pytest.mark.parametrize("override,problem", [
    ({"domain_filters": []}, "domain_filters is empty"),
    ({"policy": "create-everything"}, "policy 'create-everything'"),
    ({"txt_owner_id": ""}, "txt_owner_id"),
    ({"identity": WorkloadIdentity(service_account=ServiceAccount("default", "x"), principal="p")},
     "binds default/x but ExternalDNS runs as kube-system/external-dns"),
])
def test_refusals_name_the_value_and_the_fix(override, problem):
    with pytest.raises(ValueError, match=problem):
        values(**override)
