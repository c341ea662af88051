"""Nothing silently ignored (issue 31, class 7): a field that has no effect for this file is refused
with one line naming it, the reason and the fix (``platform_constructs/spec/ignored.py`` and each
cloud's ``ignored_violations``).

Each rule has a refused case (the shipped dev file with one change) and an accepted one (the same
file with the fix, or the default restated). That each refused field really changes nothing in the
synthesized JSON was checked by synthesizing with and without it (diff -r: identical).
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from platform_constructs.spec import SpecError, parse_environment
from tests.helpers import ROOT

BASES = {cloud: yaml.safe_load((ROOT / "environments" / f"{cloud}-dev.yaml").read_text(encoding="utf-8"))
         for cloud in ("aws", "gcp", "azure")}
BASES["kubernetes"] = yaml.safe_load((ROOT / "environments" / "onprem-example.yaml").read_text(encoding="utf-8"))

VAULT = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/{group}/providers/"
         "Microsoft.KeyVault/vaults/kv-network-psk")
VPN = {"peer_ip": "203.0.113.10", "peer_cidrs": ["192.168.0.0/16"], "shared_secret_name": "office-vpn-psk",
       "gateway_subnet_cidr": "10.99.0.0/27"}


def doc(cloud: str, change) -> dict:
    out = copy.deepcopy(BASES[cloud])
    change(out)
    return out


def load(document: dict):
    return parse_environment(document, "env.yaml")


def refusal(document: dict) -> SpecError:
    with pytest.raises(SpecError) as raised:
        load(document)
    err = raised.value
    assert "\n" not in str(err) and str(err).startswith(f"env.yaml: {err.path}: ")
    return err


def _no_app_bucket(d):
    d["data"]["buckets"] = ["backup"]
    d["tenants"][0]["bucket_prefix"] = None


def _no_backup_bucket(d):
    d["data"]["buckets"] = ["app"]


def _no_buckets(d):
    d["data"]["buckets"] = []
    for tenant in d["tenants"]:
        tenant["bucket_prefix"] = None


def _observability_off(d):
    d["observability"] = {"enabled": False}


def _kubernetes_observability_off(d):
    d["observability"] = {"enabled": False}
    d["kubernetes"]["storage_classes"]["block"] = None


def _no_cmk(d):
    d["azure"]["enable_customer_managed_keys"] = False
    d["addons"]["block_storage"] = False
    d["observability"] = {"enabled": False}
    _no_buckets(d)


def _no_file_storage(d):
    d["addons"] = {"file_storage": False}


def _azure_vpn(group):
    def change(d):
        d["network"]["vpn"] = {**VPN, "key_vault_id": VAULT.format(group=group)}
    return change


def _s3_backend(encrypt):
    def change(d):
        d["backend"] = {"type": "s3", "bucket": "acme-state", "encrypt": encrypt,
                        "kms_key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
    return change


def _without_rbac_group(d):
    del d["gcp"]["rbac_security_group"]


def both(*changes):
    def change(d):
        for one in changes:
            one(d)
    return change


def setting(path: str, value):
    def change(d):
        *parents, last = path.split(".")
        inner = d
        for key in parents:
            inner = inner[int(key)] if isinstance(inner, list) else inner.setdefault(key, {})
        inner[last] = value
    return change


#: (id, cloud, change that makes a field ineffective, the field named, a words in the message,
#:  change that keeps the file otherwise the same but valid)
RULES = [
    ("tenant-prefix-no-app-bucket", "aws", _no_app_bucket, "tenants.1.bucket_prefix", "no 'app' bucket",
     both(_no_app_bucket, setting("tenants.1.bucket_prefix", None))),
    ("tenant-prefix-no-app-bucket-gcp", "gcp", _no_app_bucket, "tenants.1.bucket_prefix", "no 'app' bucket",
     both(_no_app_bucket, setting("data.buckets", ["app", "backup"]))),
    ("tenant-prefix-no-app-bucket-azure", "azure", _no_app_bucket, "tenants.1.bucket_prefix", "no 'app' bucket",
     both(_no_app_bucket, setting("tenants.1.bucket_prefix", None))),
    ("archive-without-backup", "gcp", both(_no_backup_bucket, setting("data.archive_after_days", 90)),
     "data.archive_after_days", "does not list 'backup'", _no_backup_bucket),  # aws-dev restates 30: accepted
    ("data-prefix-without-buckets", "azure", both(_no_buckets, setting("data.bucket_prefix", "acme")),
     "data.bucket_prefix", "data.buckets is empty", both(_no_buckets, setting("data.bucket_prefix", None))),
    ("observability-off-retention", "aws", both(_observability_off, setting("observability.retention_days",
                                                                           {"logs": 7})),
     "observability.retention_days", "observability.enabled is false",
     both(_observability_off, setting("observability.size", "small"))),  # a restated default
    ("observability-off-bucket-prefix", "gcp", both(_observability_off, setting("observability.bucket_prefix", "acme")),
     "observability.bucket_prefix", "observability.enabled is false",
     setting("observability.bucket_prefix", "acme")),
    ("observability-off-grafana", "azure", both(_observability_off, setting("observability.grafana", False)),
     "observability.grafana", "observability.enabled is false", _observability_off),
    ("observability-off-storage", "kubernetes",
     lambda d: (_kubernetes_observability_off(d), d["observability"].update(storage=BASES["kubernetes"]
                                                                              ["observability"]["storage"])),
     "observability.storage", "observability.enabled is false", _kubernetes_observability_off),
    ("s3-state-key-without-encryption", "aws", _s3_backend(False), "backend.kms_key_id", "encrypt is false",
     _s3_backend(True)),
    ("tags-on-kubernetes", "kubernetes", setting("tags", {"team": "platform"}), "tags", "no cloud resource to tag",
     setting("tags", {})),
    ("file-class-on-kubernetes", "kubernetes", setting("kubernetes.storage_classes.file", "nfs-client"),
     "kubernetes.storage_classes.file", "ReadWriteMany", setting("kubernetes.storage_classes.file", None)),
    ("block-class-without-observability", "kubernetes",
     both(_kubernetes_observability_off, setting("kubernetes.storage_classes.block", "standard")),
     "kubernetes.storage_classes.block", "only observability's volumes", _kubernetes_observability_off),
    ("efs-settings-without-file-storage", "aws",
     both(_no_file_storage, setting("addons.file_system", {"throughput_mode": "bursting"})),
     "addons.file_system", "file_storage is false",
     both(_no_file_storage, setting("addons.file_system", {"throughput_mode": "elastic"}))),  # restated default
    ("google-groups-without-rbac-security-group", "gcp", _without_rbac_group, "tenants.0.admins",
     "GKE asserts no Google group",
     both(_without_rbac_group, *(setting(f"tenants.{i}.{role}", []) for i in (0, 1)
                                 for role in ("admins", "developers")))),
    ("dns-query-logging-off-on-azure", "azure",
     setting("network.dns", {"private_zone": "corp.internal", "query_logging": False}),
     "network.dns.query_logging", "no per-network DNS query log",
     setting("network.dns", {"private_zone": "corp.internal", "query_logging": True})),
    ("key-vault-name-without-cmk", "azure", both(_no_cmk, setting("azure.key_vault_name", "kv-acme-dev")),
     "azure.key_vault_name", "creates no key vault", both(_no_cmk, setting("azure.key_vault_name", None))),
    ("key-vault-cidrs-without-cmk", "azure",
     both(_no_cmk, setting("azure.key_vault_allowed_cidrs", ["198.51.100.0/24"])),
     "azure.key_vault_allowed_cidrs", "creates no key vault",
     setting("azure.key_vault_allowed_cidrs", ["198.51.100.0/24"])),
    ("vpn-key-in-the-network-resource-group", "azure", _azure_vpn("azure-dev-rg"), "network.vpn.key_vault_id",
     "which azure-dev-network creates", _azure_vpn("network-secrets")),
]


@pytest.mark.parametrize("cloud, change, path, words, _fix", [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_a_field_without_effect_is_refused_naming_it(cloud, change, path, words, _fix):
    err = refusal(doc(cloud, change))
    assert err.path == path, str(err)
    assert "has no effect because" in err.message or "cannot be read" in err.message or "creates" in err.message
    assert words in err.message, err.message


@pytest.mark.parametrize("cloud, _change, _path, _words, fix", [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_the_fixed_file_or_a_restated_default_is_accepted(cloud, _change, _path, _words, fix):
    load(doc(cloud, fix))


def test_every_shipped_environment_loads():
    for path in sorted(Path(ROOT, "environments").glob("*.yaml")):
        parse_environment(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))


def test_the_vault_check_compares_resource_groups_as_azure_does():
    err = refusal(doc("azure", _azure_vpn("AZURE-DEV-RG")))
    assert err.path == "network.vpn.key_vault_id"


def test_a_vault_of_another_subscription_is_not_the_networks():
    def change(d):
        d["network"]["vpn"] = {**VPN, "key_vault_id": VAULT.format(group="azure-dev-rg").replace(
            "00000000-0000-0000-0000-000000000000", "99999999-9999-9999-9999-999999999999")}
    load(doc("azure", change))
