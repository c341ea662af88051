"""What the review's destroy guard protects: resource types that hold data or identity (a curated table).

:data:`HOLDS_DATA` maps a Terraform resource type to one line saying what is lost when the resource
is destroyed, or destroyed and re-created (a replacement is a destroy too): objects, files, keys,
records, logs, or an identity (an address, a principal, an issuer) that other systems trust by value.
Destroying or replacing one of these fails the review (:data:`platform_tools.review.EXIT_DESTROY`)
unless ``ALLOW_DESTROY=1``. :func:`data_reason` adds what only the body shows: a Helm release whose
values turn on persistent storage (StatefulSet volume claims), a ``kubernetes_manifest`` of a
PersistentVolumeClaim or of a StatefulSet with volume claim templates, and any bucket that holds
Terraform state (a backend of one of the stacks).

:data:`CAPACITY` lists node groups / node pools: no data, but destroying one removes capacity (its
pods are evicted), so the review lists it under its own warning without failing.

:data:`CANNOT_RENAME` names the types whose cloud name cannot change in place, where copying is the
only way: the rename hint says so instead of offering a ``moved`` block.

:data:`DEFAULT_TAGGED` lists, per provider, the types that inherit the provider's default tags
(AWS ``default_tags`` -> ``tags_all``; Google ``default_labels`` -> ``terraform_labels``): a change of
the defaults updates each of them in place. AWS: the types of the replacement table whose schema has
``tags_all`` (hashicorp/aws 5.100.0; tests/test_review_destroys.py checks it against the schema).

Keep :data:`HOLDS_DATA` honest: tests/test_review_destroys.py removes and replaces every entry in a
diff and expects the guard to fail.
"""

from __future__ import annotations

import json
from typing import Any

_OBJECTS = "its objects (and their versions) are deleted with it; a new bucket starts empty"
_KEY = "data encrypted with it cannot be read once the key is gone (scheduled for deletion)"
_CLUSTER = ("holds every Kubernetes object (secrets, volume claims, tenants' workloads) and the OIDC issuer "
            "the workload identities trust")
_ADDRESS = "a static public address (NAT egress, VPN peer): a new one is a different address partners must allow again"

HOLDS_DATA: dict[str, str] = {
    # ------------------------------------------------------------------ AWS
    "aws_s3_bucket": _OBJECTS,
    "aws_efs_file_system": "the shared file system: every file on it is deleted",
    "aws_efs_mount_target": "the file system's address in a zone: pods in that zone lose their NFS mounts",
    "aws_efs_access_point": "the entry point (path, owner) workloads mount: its mounts break",
    "aws_ebs_volume": "a block volume: its data is deleted",
    "aws_elasticache_replication_group": "the cache: every key held in memory is lost",
    "aws_elasticache_cluster": "the cache: every key held in memory is lost",
    "aws_ecr_repository": "the container registry: every image pushed to it is deleted",
    "aws_kms_key": _KEY,
    "aws_route53_zone": "the DNS zone: every record in it is deleted, and a new zone has new name servers",
    "aws_cloudwatch_log_group": "its log events (kept for retention_in_days) are deleted",
    "aws_db_instance": "a database: its data is deleted (final snapshot only if configured)",
    "aws_rds_cluster": "a database cluster: its data is deleted (final snapshot only if configured)",
    "aws_dynamodb_table": "a table (also Terraform's lock table): its items are deleted",
    "aws_secretsmanager_secret": "a secret: its value is deleted after the recovery window",
    "aws_eks_cluster": _CLUSTER,
    "aws_iam_openid_connect_provider": "the cluster's identity provider: every IRSA role trusting it stops working",
    "aws_eip": _ADDRESS,
    # ------------------------------------------------------------------ Google
    "google_storage_bucket": _OBJECTS,
    "google_filestore_instance": "the shared file system: every file on it is deleted",
    "google_compute_disk": "a persistent disk: its data is deleted",
    "google_memorystore_instance": "the cache: every key held in memory is lost",
    "google_redis_instance": "the cache: every key held in memory is lost",
    "google_artifact_registry_repository": "the container registry: every image pushed to it is deleted",
    "google_kms_crypto_key": _KEY,
    "google_kms_key_ring": "key rings cannot be deleted in GCP: the name stays taken, and its keys' data is at risk",
    "google_dns_managed_zone": "the DNS zone: every record in it is deleted",
    "google_sql_database_instance": "a database: its data is deleted",
    "google_secret_manager_secret": "a secret: every version of its value is deleted",
    "google_service_account": ("an identity: a new account has a new unique id, bindings to the old one are "
                               "not carried over"),
    "google_container_cluster": _CLUSTER,
    "google_compute_address": _ADDRESS,
    "google_logging_project_bucket_config": "a log bucket: its logs are deleted",
    # ------------------------------------------------------------------ Azure
    "azurerm_storage_account": "the storage account: every container, blob, share and table in it is deleted",
    "azurerm_storage_container": "a blob container: every blob in it is deleted",
    "azurerm_storage_share": "a file share: every file on it is deleted",
    "azurerm_managed_disk": "a managed disk: its data is deleted",
    "azurerm_container_registry": "the container registry: every image pushed to it is deleted",
    "azurerm_key_vault": "the Key Vault: every key, secret and certificate in it is deleted (soft delete, then purged)",
    "azurerm_key_vault_key": _KEY,
    "azurerm_key_vault_secret": "a secret: its value is deleted",
    "azurerm_managed_redis": "the cache: every key held in memory is lost",
    "azurerm_redis_cache": "the cache: every key held in memory is lost",
    "azurerm_private_dns_zone": "the private DNS zone: every record in it is deleted",
    "azurerm_dns_zone": "the DNS zone: every record in it is deleted, and a new zone has new name servers",
    "azurerm_log_analytics_workspace": "the workspace: every log and metric in it is deleted",
    "azurerm_user_assigned_identity": ("an identity: a new one has a new principal id; role assignments and "
                                       "federated credentials of the old one are gone"),
    "azurerm_kubernetes_cluster": _CLUSTER,
    "azurerm_resource_group": "deleting a resource group deletes every resource in it",
    "azurerm_public_ip": _ADDRESS,
    "azurerm_postgresql_flexible_server": "a database: its data is deleted",
    # ------------------------------------------------------------------ in-cluster
    "kubernetes_persistent_volume_claim": "a volume claim: its volume is deleted under a Delete reclaim policy",
    "kubernetes_persistent_volume_claim_v1": "a volume claim: its volume is deleted under a Delete reclaim policy",
    "kubernetes_persistent_volume_v1": "a volume: its data is deleted under a Delete reclaim policy",
    "kubernetes_stateful_set_v1": "a StatefulSet: its volume claims are deleted when its retention policy says so",
    "kubernetes_namespace_v1": "deleting a namespace deletes every object in it, volume claims (and their volumes) too",
    "kubernetes_namespace": "deleting a namespace deletes every object in it, volume claims (and their volumes) too",
}

#: Node groups / node pools: destroying one removes capacity (no data): a warning, not a failure.
CAPACITY: dict[str, str] = {
    "aws_eks_node_group": "its nodes are drained and terminated: pods move to the remaining pools",
    "google_container_node_pool": "its nodes are drained and deleted: pods move to the remaining pools",
    "azurerm_kubernetes_cluster_node_pool": "its nodes are drained and deleted: pods move to the remaining pools",
    "aws_autoscaling_group": "its instances are terminated",
}

#: Types whose cloud name cannot change in place: a "rename" is a new, empty resource.
CANNOT_RENAME: dict[str, str] = {
    "aws_s3_bucket": "S3 buckets cannot be renamed: copy the objects (aws s3 sync s3://OLD s3://NEW) before the old "
                     "bucket is destroyed, or keep the old name",
    "google_storage_bucket": "GCS buckets cannot be renamed: copy the objects (gcloud storage cp -r gs://OLD gs://NEW) "
                             "before the old bucket is destroyed, or keep the old name",
    "azurerm_storage_account": "storage accounts cannot be renamed: copy the data (azcopy copy) before the old "
                               "account is destroyed, or keep the old name",
    "azurerm_storage_container": "blob containers cannot be renamed: copy the blobs (azcopy copy) before the old "
                                 "container is destroyed, or keep the old name",
}

#: Provider name -> types that inherit the provider's default tags / labels (changed in place with them).
DEFAULT_TAGGED: dict[str, frozenset[str]] = {
    "aws": frozenset({
        "aws_cloudwatch_log_group", "aws_customer_gateway", "aws_default_security_group", "aws_ecr_repository",
        "aws_efs_file_system", "aws_eip", "aws_eks_access_entry", "aws_eks_addon", "aws_eks_cluster",
        "aws_eks_node_group", "aws_eks_pod_identity_association", "aws_elasticache_replication_group",
        "aws_elasticache_subnet_group", "aws_elasticache_user", "aws_elasticache_user_group", "aws_flow_log",
        "aws_iam_openid_connect_provider", "aws_iam_role", "aws_internet_gateway", "aws_kms_key",
        "aws_launch_template", "aws_nat_gateway", "aws_route53_resolver_query_log_config", "aws_route53_zone",
        "aws_route_table", "aws_s3_bucket", "aws_security_group", "aws_subnet", "aws_vpc", "aws_vpc_endpoint",
        "aws_vpn_connection", "aws_vpn_gateway",
    }),
    # google 6.x: resources with a top-level `labels` (or `resource_labels`) get terraform_labels.
    "google": frozenset({
        "google_artifact_registry_repository", "google_compute_external_vpn_gateway", "google_compute_ha_vpn_gateway",
        "google_compute_vpn_tunnel", "google_container_cluster", "google_dns_managed_zone", "google_kms_crypto_key",
        "google_memorystore_instance", "google_storage_bucket",
    }),
}
#: The provider block holding the defaults, and the attribute a resource shows them in.
DEFAULTS_BLOCK = {"aws": ("default_tags", "tags_all"), "google": ("default_labels", "terraform_labels")}

#: Helm values keys that mean "persistent storage" (StatefulSet volume claim templates) when switched on.
_PERSISTENCE_KEYS = ("persistence", "persistentVolume", "persistentVolumeClaim", "volumeClaimTemplates")


def _values_documents(body: dict) -> list[Any]:
    docs = []
    for text in body.get("values") or []:
        if isinstance(text, str):
            try:
                import yaml

                docs.append(yaml.safe_load(text))
            except Exception:  # noqa: BLE001 - unparsable values: nothing visible
                continue
    return docs


def _persistent(value: Any) -> bool:
    """Whether a values tree switches persistent storage on anywhere (``persistence: {enabled: true}``, ...)."""
    if isinstance(value, dict):
        for key, sub in value.items():
            if key in _PERSISTENCE_KEYS:
                if isinstance(sub, dict) and sub.get("enabled", True) is not False and sub:
                    return True
                if isinstance(sub, list) and sub:
                    return True
                if sub is True:
                    return True
            if _persistent(sub):
                return True
    elif isinstance(value, list):
        return any(_persistent(v) for v in value)
    return False


def data_reason(rtype: str, body: dict | None = None, state_buckets: frozenset[str] = frozenset()) -> str | None:
    """Why destroying this resource loses data or identity; ``None`` when it does not."""
    body = body or {}
    for key in ("bucket", "name"):
        if rtype in ("aws_s3_bucket", "google_storage_bucket") and body.get(key) in state_buckets:
            return "holds Terraform state (a stack's backend): every stack's record of what it manages"
    if rtype == "azurerm_storage_account" and body.get("name") in state_buckets:
        return "holds Terraform state (a stack's backend): every stack's record of what it manages"
    if rtype in HOLDS_DATA:
        return HOLDS_DATA[rtype]
    if rtype == "helm_release" and any(_persistent(doc) for doc in _values_documents(body)):
        return "its chart's values turn on persistent storage: StatefulSet volume claims may go with the release"
    if rtype == "kubernetes_manifest":
        manifest = body.get("manifest") or {}
        kind = manifest.get("kind") if isinstance(manifest, dict) else None
        if kind in ("PersistentVolumeClaim", "PersistentVolume"):
            return HOLDS_DATA["kubernetes_persistent_volume_claim_v1"]
        if kind == "Namespace":
            return HOLDS_DATA["kubernetes_namespace_v1"]
        if kind == "StatefulSet" and ((manifest.get("spec") or {}).get("volumeClaimTemplates")):
            return HOLDS_DATA["kubernetes_stateful_set_v1"]
    return None


def capacity_reason(rtype: str) -> str | None:
    return CAPACITY.get(rtype)


#: Backend settings that say WHERE the state is (other settings, such as endpoints, do not move it).
BACKEND_LOCATION = {
    "s3": ("bucket", "key", "region", "workspace_key_prefix"),
    "gcs": ("bucket", "prefix"),
    "azurerm": ("storage_account_name", "container_name", "key", "resource_group_name"),
    "local": ("path",),
    "remote": ("organization", "workspaces", "hostname"),
    "cloud": ("organization", "workspaces", "hostname"),
}


def backend_location(doc: dict) -> tuple[str, str] | None:
    """``(type, canonical location)`` of a stack's state, from its ``terraform.backend`` / ``cloud`` block."""
    terraform = doc.get("terraform") or {}
    if terraform.get("cloud"):
        kind, config = "cloud", terraform["cloud"]
    else:
        backend = terraform.get("backend") or {}
        if not backend:
            return None
        kind, config = next(iter(sorted(backend.items())))
    keys = BACKEND_LOCATION.get(kind)
    picked = {k: config.get(k) for k in keys} if keys else config
    return kind, json.dumps(picked, sort_keys=True, separators=(",", ":"))


def state_buckets(docs) -> frozenset[str]:
    """Names of the buckets / storage accounts that hold the state of ``docs`` (stack documents)."""
    out = set()
    for doc in docs:
        backend = (doc.get("terraform") or {}).get("backend") or {}
        for kind, config in backend.items():
            name = config.get("bucket") or config.get("storage_account_name")
            if isinstance(name, str):
                out.add(name)
    return frozenset(out)
