"""AwsExternalDns: the chart's service account is the identity's subject; the role reaches only the zones."""

import json

import pytest

from platform_constructs.contracts import NetworkContract
from tests.aws.test_addons import NETWORK, addons_doc, annotations_point_at, bound_subjects, release_of, role_id
from tests.helpers import make_spec

CHART = "external-dns"
ROLE = "tc-external-dns"
PRIVATE, PUBLIC = "Z0PRIVATE0000000000", "Z0PUBLIC00000000000"
DNS = {"cidr": "10.0.0.0/16", "dns": {"private_zone": "corp.internal", "public_zone": "apps.example.com"}}
ZONED = NetworkContract(network_id=NETWORK.network_id, private_subnet_ids_by_zone=NETWORK.private_subnet_ids_by_zone,
                        public_subnet_ids_by_zone={}, private_zone_id=PRIVATE, public_zone_id=PUBLIC)


def doc_for(mode="pod_identity"):
    return addons_doc(make_spec(network=DNS, aws={"workload_identity": mode}), network=ZONED)


def statements(doc):
    policy = next(p for p in doc["resource"]["aws_iam_role_policy"].values() if p["name"] == ROLE)
    return {s["Sid"]: s for s in json.loads(policy["policy"])["Statement"]}


@pytest.mark.parametrize("mode", ["pod_identity", "irsa"])
def test_the_charts_service_account_is_exactly_the_subject_the_identity_binds(mode):
    doc = doc_for(mode)
    body, values = release_of(doc, CHART)
    # templates/serviceaccount.yaml: name = serviceAccount.name (create: true), namespace = the release's.
    assert values["serviceAccount"]["create"] is True
    subject = f"system:serviceaccount:{body['namespace']}:{values['serviceAccount']['name']}"
    assert bound_subjects(doc, ROLE) == {subject}
    assert annotations_point_at(doc, values["serviceAccount"]["annotations"], ROLE, mode)


def test_record_changes_are_allowed_only_in_the_two_zones():
    found = statements(doc_for())
    zones = found["RecordsInTheEnvironmentsZones"]
    assert "route53:ChangeResourceRecordSets" in zones["Action"]
    assert sorted(r.rsplit("/", 1)[1] for r in zones["Resource"]) == sorted([PRIVATE, PUBLIC])
    assert all(r.startswith("arn:${data.aws_partition.") for r in zones["Resource"])
    # Only the listing calls, which take no zone, are on "*"; none of them changes anything.
    assert found["FindZones"]["Resource"] == ["*"]
    assert not any(a.startswith("route53:Change") or a.startswith("route53:Delete") or a.startswith("route53:Create")
                   for a in found["FindZones"]["Action"])


def test_values_keep_it_to_the_zones_owned_by_this_cluster_and_never_delete():
    _, values = release_of(doc_for(), CHART)
    assert values["provider"] == {"name": "aws"}
    assert values["txtOwnerId"] == "tc" and values["registry"] == "txt"
    assert values["policy"] == "upsert-only"
    assert values["domainFilters"] == ["corp.internal", "apps.example.com"]
    assert sorted(values["extraArgs"]) == sorted([f"--zone-id-filter={PRIVATE}", f"--zone-id-filter={PUBLIC}"])
    assert {"name": "AWS_DEFAULT_REGION", "value": "us-east-1"} in values["env"]


def test_the_release_waits_for_the_identity():
    body, _ = release_of(doc_for(), CHART)
    deps = " ".join(body["depends_on"])
    assert f"aws_iam_role.{role_id(doc_for(), ROLE)}" in deps and "aws_eks_pod_identity_association" in deps


def test_without_dns_there_is_no_external_dns():
    assert CHART not in {b["chart"] for b in addons_doc()["resource"]["helm_release"].values()}


def test_dns_without_zone_ids_in_the_contract_is_refused():
    with pytest.raises(ValueError, match="network contract has no private zone"):
        addons_doc(make_spec(network=DNS), network=NETWORK)
