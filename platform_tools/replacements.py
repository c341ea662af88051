"""What forces Terraform to replace a resource, per resource type the constructs use (a curated table).

:data:`FORCE_NEW` maps a Terraform resource type to the attribute paths whose change makes the
provider plan destroy-and-create (``ForceNew: true`` in the provider source, "forces a new
resource" / "Changing this forces a new resource to be created" in the registry docs), each entry
citing the provider's documentation page for the pinned provider version. Paths are dotted, list
indexes dropped (``launch_template.id`` matches ``launch_template[0].id``); a changed path matches
an entry equal to it, below it, or above it (a whole nested block added or removed).

An empty tuple means: nothing the constructs set forces replacement (the comment says why).
Conservative on purpose where the provider decides at plan time (e.g. a GCP subnet range that only
grows is updated in place, any other change replaces it): the review then warns, and a human checks.

:data:`SENSITIVE` lists attributes the provider schemas mark ``sensitive`` for these types (AWS:
``terraform providers schema -json`` of hashicorp/aws 5.100.0); :data:`SENSITIVE_NAME` catches
anything named like a password, secret, token or private key on every type.

Keep the table complete: tests/test_review_replacements.py fails when a shipped environment
synthesizes a resource type missing here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass



@dataclass(frozen=True)
class ForceNew:
    attributes: tuple[str, ...]
    doc: str            # where the provider documents it (registry page of the pinned version)
    note: str = ""
    #: Attributes whose REMOVAL (only) forces replacement (a CustomizeDiff ForceNewIfChange in the provider).
    on_removal: tuple[str, ...] = ()
    #: The provider source file read to check the entry (ForceNew: true), where one was read.
    source: str = ""


#: The provider versions the table was checked against (the ones the pinned bindings synthesize into
#: ``required_providers``; a test keeps them equal).
PROVIDERS = {"aws": "5.100.0", "google": "6.50.0", "azurerm": "4.55.0", "kubernetes": "2.38.0", "helm": "3.1.1"}


def _doc(provider: str, page: str) -> str:
    return f"registry.terraform.io/providers/hashicorp/{provider}/{PROVIDERS[provider]}/docs/resources/{page}"


def _aws(page: str) -> str:
    return _doc("aws", page)


def _google(page: str) -> str:
    return _doc("google", page)


def _azurerm(page: str) -> str:
    return _doc("azurerm", page)


def _kubernetes(page: str) -> str:
    return _doc("kubernetes", page)


def _helm(page: str) -> str:
    return _doc("helm", page)


_S3_CHILD = ("bucket", "expected_bucket_owner")

FORCE_NEW: dict[str, ForceNew] = {
    # ------------------------------------------------------------------ AWS (hashicorp/aws 5.100.0)
    "aws_cloudwatch_log_group": ForceNew(("name", "name_prefix", "log_group_class"), _aws("cloudwatch_log_group")),
    "aws_customer_gateway": ForceNew(("bgp_asn", "bgp_asn_extended", "certificate_arn", "device_name", "ip_address",
                                      "type"), _aws("customer_gateway"), "no update besides tags"),
    "aws_default_security_group": ForceNew(("vpc_id",), _aws("default_security_group")),
    "aws_ecr_lifecycle_policy": ForceNew(("repository", "policy"), _aws("ecr_lifecycle_policy"),
                                         "the resource has no update: a new policy is a new resource"),
    "aws_ecr_repository": ForceNew(("name", "encryption_configuration"), _aws("ecr_repository")),
    "aws_efs_backup_policy": ForceNew(("file_system_id",), _aws("efs_backup_policy")),
    "aws_efs_file_system": ForceNew(("creation_token", "encrypted", "kms_key_id", "performance_mode",
                                     "availability_zone_name"), _aws("efs_file_system")),
    "aws_efs_file_system_policy": ForceNew(("file_system_id",), _aws("efs_file_system_policy")),
    "aws_efs_mount_target": ForceNew(("file_system_id", "subnet_id", "ip_address"), _aws("efs_mount_target"),
                                     "security_groups are updated in place"),
    "aws_eip": ForceNew(("domain", "vpc", "address", "customer_owned_ipv4_pool", "network_border_group",
                         "public_ipv4_pool", "ipam_pool_id"), _aws("eip")),
    "aws_eks_access_entry": ForceNew(("cluster_name", "principal_arn", "type"), _aws("eks_access_entry")),
    "aws_eks_access_policy_association": ForceNew(("cluster_name", "principal_arn", "policy_arn", "access_scope"),
                                                  _aws("eks_access_policy_association"),
                                                  "no update: every argument forces a new association"),
    "aws_eks_addon": ForceNew(("addon_name", "cluster_name"), _aws("eks_addon")),
    "aws_eks_cluster": ForceNew(("name", "role_arn", "access_config.bootstrap_cluster_creator_admin_permissions",
                                 "bootstrap_self_managed_addons", "kubernetes_network_config.service_ipv4_cidr",
                                 "kubernetes_network_config.ip_family", "outpost_config.control_plane_instance_type",
                                 "outpost_config.control_plane_placement.group_name", "remote_network_config"),
                                _aws("eks_cluster"),
                                "vpc_config (subnets, endpoints) and adding encryption_config are updated in place; "
                                "removing encryption_config replaces the cluster (envelope encryption is irreversible)",
                                on_removal=("encryption_config",), source="internal/service/eks/cluster.go"),
    "aws_eks_node_group": ForceNew(("ami_type", "capacity_type", "cluster_name", "disk_size", "instance_types",
                                    "node_group_name", "node_group_name_prefix", "node_role_arn", "remote_access",
                                    "subnet_ids", "launch_template.id", "launch_template.name"), _aws("eks_node_group"),
                                   "launch_template.version, labels, taints and scaling_config are updated in place",
                                   source="internal/service/eks/node_group.go"),
    "aws_eks_pod_identity_association": ForceNew(("cluster_name", "namespace", "service_account"),
                                                 _aws("eks_pod_identity_association")),
    "aws_elasticache_replication_group": ForceNew(("replication_group_id", "at_rest_encryption_enabled", "kms_key_id",
                                                   "port", "subnet_group_name", "snapshot_arns", "snapshot_name",
                                                   "preferred_cache_cluster_azs", "data_tiering_enabled", "network_type",
                                                   "global_replication_group_id"), _aws("elasticache_replication_group")),
    "aws_elasticache_subnet_group": ForceNew(("name",), _aws("elasticache_subnet_group")),
    "aws_elasticache_user": ForceNew(("user_id", "user_name"), _aws("elasticache_user")),
    "aws_elasticache_user_group": ForceNew(("user_group_id",), _aws("elasticache_user_group")),
    "aws_flow_log": ForceNew(("vpc_id", "subnet_id", "eni_id", "transit_gateway_id", "transit_gateway_attachment_id",
                              "iam_role_arn", "log_destination", "log_destination_type", "log_format", "traffic_type",
                              "max_aggregation_interval", "destination_options", "deliver_cross_account_role"),
                             _aws("flow_log"), "no update besides tags"),
    "aws_iam_openid_connect_provider": ForceNew(("url",), _aws("iam_openid_connect_provider")),
    "aws_iam_role": ForceNew(("name", "name_prefix", "path"), _aws("iam_role")),
    "aws_iam_role_policy": ForceNew(("name", "name_prefix", "role"), _aws("iam_role_policy")),
    "aws_iam_role_policy_attachment": ForceNew(("role", "policy_arn"), _aws("iam_role_policy_attachment")),
    "aws_internet_gateway": ForceNew((), _aws("internet_gateway"), "vpc_id is re-attached in place"),
    "aws_kms_alias": ForceNew(("name", "name_prefix"), _aws("kms_alias")),
    "aws_kms_key": ForceNew(("key_usage", "customer_master_key_spec", "multi_region", "custom_key_store_id",
                             "xks_key_id"), _aws("kms_key")),
    "aws_launch_template": ForceNew(("name", "name_prefix"), _aws("launch_template"),
                                    "every other change writes a new template version"),
    "aws_nat_gateway": ForceNew(("allocation_id", "subnet_id", "connectivity_type", "private_ip"), _aws("nat_gateway")),
    "aws_route": ForceNew(("route_table_id", "destination_cidr_block", "destination_ipv6_cidr_block",
                           "destination_prefix_list_id"), _aws("route")),
    "aws_route_table": ForceNew(("vpc_id",), _aws("route_table")),
    "aws_route_table_association": ForceNew(("subnet_id", "gateway_id"), _aws("route_table_association"),
                                            "route_table_id is replaced in place (ReplaceRouteTableAssociation)"),
    "aws_route53_resolver_query_log_config": ForceNew(("name", "destination_arn"),
                                                      _aws("route53_resolver_query_log_config")),
    "aws_route53_resolver_query_log_config_association": ForceNew(
        ("resolver_query_log_config_id", "resource_id"), _aws("route53_resolver_query_log_config_association")),
    "aws_route53_zone": ForceNew(("name", "delegation_set_id"), _aws("route53_zone"),
                                 "vpc associations are updated in place"),
    "aws_s3_bucket": ForceNew(("bucket", "bucket_prefix", "object_lock_enabled"), _aws("s3_bucket")),
    "aws_s3_bucket_lifecycle_configuration": ForceNew(_S3_CHILD, _aws("s3_bucket_lifecycle_configuration")),
    "aws_s3_bucket_logging": ForceNew(_S3_CHILD, _aws("s3_bucket_logging")),
    "aws_s3_bucket_object_lock_configuration": ForceNew((*_S3_CHILD, "object_lock_enabled"),
                                                        _aws("s3_bucket_object_lock_configuration")),
    "aws_s3_bucket_ownership_controls": ForceNew(("bucket",), _aws("s3_bucket_ownership_controls")),
    "aws_s3_bucket_policy": ForceNew(("bucket",), _aws("s3_bucket_policy")),
    "aws_s3_bucket_public_access_block": ForceNew(("bucket",), _aws("s3_bucket_public_access_block")),
    "aws_s3_bucket_server_side_encryption_configuration": ForceNew(_S3_CHILD,
                                                                   _aws("s3_bucket_server_side_encryption_configuration")),
    "aws_s3_bucket_versioning": ForceNew(_S3_CHILD, _aws("s3_bucket_versioning")),
    "aws_security_group": ForceNew(("name", "name_prefix", "description", "vpc_id"), _aws("security_group")),
    "aws_subnet": ForceNew(("availability_zone", "availability_zone_id", "cidr_block", "vpc_id", "outpost_arn"),
                           _aws("subnet")),
    "aws_vpc": ForceNew(("cidr_block", "ipv4_ipam_pool_id", "ipv4_netmask_length"), _aws("vpc")),
    "aws_vpc_endpoint": ForceNew(("vpc_id", "service_name", "vpc_endpoint_type", "service_region",
                                  "resource_configuration_arn", "service_network_arn"), _aws("vpc_endpoint")),
    "aws_vpn_connection": ForceNew(("type", "static_routes_only", "enable_acceleration", "outside_ip_address_type",
                                    "transport_transit_gateway_attachment_id", "tunnel_inside_ip_version",
                                    "tunnel1_inside_cidr", "tunnel2_inside_cidr", "tunnel1_inside_ipv6_cidr",
                                    "tunnel2_inside_ipv6_cidr", "local_ipv4_network_cidr", "remote_ipv4_network_cidr",
                                    "local_ipv6_network_cidr", "remote_ipv6_network_cidr"), _aws("vpn_connection"),
                                   "the gateways (ModifyVpnConnection) and tunnel options are updated in place"),
    "aws_vpn_connection_route": ForceNew(("destination_cidr_block", "vpn_connection_id"), _aws("vpn_connection_route")),
    "aws_vpn_gateway": ForceNew(("availability_zone", "amazon_side_asn"), _aws("vpn_gateway"),
                                "vpc_id is attached and detached in place"),
    "aws_vpn_gateway_route_propagation": ForceNew(("vpn_gateway_id", "route_table_id"),
                                                  _aws("vpn_gateway_route_propagation")),
    # ------------------------------------------------------------------ Google (hashicorp/google 6.50.0)
    "google_artifact_registry_repository": ForceNew(("repository_id", "location", "project", "format", "mode",
                                                     "kms_key_name"), _google("artifact_registry_repository")),
    "google_artifact_registry_repository_iam_member": ForceNew(("repository", "location", "project", "role", "member",
                                                                "condition"), _google("artifact_registry_repository_iam")),
    "google_compute_external_vpn_gateway": ForceNew(("name", "project", "description", "redundancy_type", "interface"),
                                                    _google("compute_external_vpn_gateway")),
    "google_compute_firewall": ForceNew(("name", "network", "direction", "project"), _google("compute_firewall")),
    "google_compute_ha_vpn_gateway": ForceNew(("name", "network", "region", "project", "description", "stack_type",
                                               "gateway_ip_version", "vpn_interfaces"), _google("compute_ha_vpn_gateway")),
    "google_compute_network": ForceNew(("name", "auto_create_subnetworks", "description", "project",
                                        "enable_ula_internal_ipv6", "internal_ipv6_range"), _google("compute_network")),
    "google_compute_router": ForceNew(("name", "network", "region", "project"), _google("compute_router")),
    "google_compute_router_interface": ForceNew(("name", "router", "region", "project", "ip_range", "vpn_tunnel",
                                                 "interconnect_attachment", "redundant_interface", "subnetwork",
                                                 "private_ip_address"), _google("compute_router_interface"),
                                                "no update: every argument forces a new interface"),
    "google_compute_router_peer": ForceNew(("name", "router", "region", "project", "interface",
                                            "router_appliance_instance"), _google("compute_router_peer")),
    "google_compute_router_nat": ForceNew(("name", "router", "region", "project"), _google("compute_router_nat")),
    "google_compute_subnetwork": ForceNew(("name", "network", "region", "project", "description", "purpose",
                                           "ip_cidr_range", "reserved_internal_range"), _google("compute_subnetwork"),
                                          "ip_cidr_range: an expansion of the range is in place, any other change replaces"),
    "google_compute_vpn_tunnel": ForceNew(("name", "region", "project", "description", "shared_secret", "peer_ip",
                                           "ike_version", "local_traffic_selector", "remote_traffic_selector", "router",
                                           "vpn_gateway", "vpn_gateway_interface", "peer_external_gateway",
                                           "peer_external_gateway_interface", "peer_gcp_gateway", "target_vpn_gateway"),
                                          _google("compute_vpn_tunnel"), "only labels are updated in place"),
    "google_container_cluster": ForceNew(("name", "location", "project", "network", "subnetwork", "description",
                                          "initial_node_count", "networking_mode", "datapath_provider",
                                          "default_max_pods_per_node", "enable_autopilot", "enable_kubernetes_alpha",
                                          "cluster_ipv4_cidr", "ip_allocation_policy",
                                          "private_cluster_config.master_ipv4_cidr_block",
                                          "private_cluster_config.private_endpoint_subnetwork",
                                          "node_config.service_account", "node_config.oauth_scopes",
                                          "node_config.guest_accelerator", "node_config.local_ssd_count"),
                                         _google("container_cluster"),
                                         "node_config is the node pools' schema: machine type and disks are in place"),
    "google_container_node_pool": ForceNew(("name", "name_prefix", "cluster", "location", "project", "initial_node_count",
                                            "max_pods_per_node", "network_config", "placement_policy",
                                            "node_config.service_account", "node_config.oauth_scopes",
                                            "node_config.spot", "node_config.preemptible", "node_config.guest_accelerator",
                                            "node_config.local_ssd_count", "node_config.min_cpu_platform",
                                            "node_config.boot_disk_kms_key", "node_config.shielded_instance_config",
                                            "node_config.sandbox_config", "node_config.reservation_affinity"),
                                           _google("container_node_pool"),
                                           "machine_type, disk_type, disk_size_gb, image_type, labels, taints and "
                                           "metadata are updated in place (the nodes are recreated by GKE, the pool stays)",
                                           source="google/services/container/node_config.go (machine_type, disk_type, "
                                                  "disk_size_gb: ForceNew removed in google 5.10, magic-modules PR 9575)"),
    "google_dns_managed_zone": ForceNew(("name", "dns_name", "project", "visibility"), _google("dns_managed_zone")),
    "google_dns_managed_zone_iam_member": ForceNew(("managed_zone", "project", "role", "member", "condition"),
                                                   _google("dns_managed_zone_iam")),
    "google_dns_policy": ForceNew(("name", "project"), _google("dns_policy")),
    "google_kms_crypto_key": ForceNew(("name", "key_ring", "purpose", "import_only", "skip_initial_version_creation",
                                       "crypto_key_backend", "version_template.protection_level"),
                                      _google("kms_crypto_key")),
    "google_kms_crypto_key_iam_member": ForceNew(("crypto_key_id", "role", "member", "condition"),
                                                 _google("google_kms_crypto_key_iam")),
    "google_kms_key_ring": ForceNew(("name", "location", "project"), _google("kms_key_ring")),
    "google_memorystore_instance": ForceNew(("instance_id", "location", "project", "mode", "kms_key",
                                             "transit_encryption_mode", "authorization_mode", "zone_distribution_config",
                                             "desired_auto_created_endpoints", "desired_psc_auto_connections"),
                                            _google("memorystore_instance")),
    "google_network_connectivity_service_connection_policy": ForceNew(
        ("name", "location", "network", "service_class", "project"),
        _google("network_connectivity_service_connection_policy")),
    "google_project_iam_member": ForceNew(("project", "role", "member", "condition"), _google("google_project_iam")),
    "google_secret_manager_secret_iam_member": ForceNew(("secret_id", "project", "role", "member", "condition"),
                                                        _google("secret_manager_secret_iam")),
    "google_service_account": ForceNew(("account_id", "project"), _google("google_service_account")),
    "google_service_account_iam_member": ForceNew(("service_account_id", "role", "member", "condition"),
                                                  _google("google_service_account_iam")),
    "google_storage_bucket": ForceNew(("name", "location", "project", "custom_placement_config",
                                       "hierarchical_namespace"), _google("storage_bucket")),
    "google_storage_bucket_iam_member": ForceNew(("bucket", "role", "member", "condition"),
                                                 _google("storage_bucket_iam")),
    # ------------------------------------------------------------------ AzureRM (hashicorp/azurerm 4.55.0)
    "azurerm_application_gateway": ForceNew(("name", "resource_group_name", "location", "zones"),
                                            _azurerm("application_gateway")),
    "azurerm_container_registry": ForceNew(("name", "resource_group_name", "location", "zone_redundancy_enabled"),
                                           _azurerm("container_registry")),
    "azurerm_disk_encryption_set": ForceNew(("name", "resource_group_name", "location", "encryption_type"),
                                            _azurerm("disk_encryption_set")),
    "azurerm_dns_zone": ForceNew(("name", "resource_group_name"), _azurerm("dns_zone")),
    "azurerm_federated_identity_credential": ForceNew(("name", "resource_group_name", "parent_id"),
                                                      _azurerm("federated_identity_credential")),
    "azurerm_key_vault": ForceNew(("name", "resource_group_name", "location"), _azurerm("key_vault"),
                                  "purge_protection_enabled cannot be turned off once on (the apply fails)"),
    "azurerm_key_vault_key": ForceNew(("name", "key_vault_id", "key_type", "key_size", "curve"),
                                      _azurerm("key_vault_key")),
    "azurerm_kubernetes_cluster": ForceNew(("name", "resource_group_name", "location", "dns_prefix",
                                            "dns_prefix_private_cluster", "node_resource_group", "private_cluster_enabled",
                                            "private_dns_zone_id", "disk_encryption_set_id", "edge_zone",
                                            "kubelet_identity", "network_profile.network_plugin",
                                            "network_profile.dns_service_ip", "network_profile.service_cidr",
                                            "network_profile.service_cidrs", "network_profile.pod_cidr",
                                            "network_profile.pod_cidrs", "network_profile.load_balancer_sku",
                                            "network_profile.ip_versions", "network_profile.network_mode"),
                                           _azurerm("kubernetes_cluster"),
                                           "default_node_pool changes rotate the default pool through "
                                           "temporary_name_for_rotation: the cluster stays"),
    "azurerm_kubernetes_cluster_node_pool": ForceNew(("name", "kubernetes_cluster_id", "vm_size", "zones", "os_type",
                                                      "os_disk_size_gb", "os_disk_type", "kubelet_disk_type", "max_pods",
                                                      "priority", "eviction_policy", "spot_max_price", "vnet_subnet_id",
                                                      "pod_subnet_id", "host_encryption_enabled", "node_public_ip_enabled",
                                                      "ultra_ssd_enabled", "fips_enabled", "kubelet_config",
                                                      "linux_os_config", "proximity_placement_group_id"),
                                                     _azurerm("kubernetes_cluster_node_pool"),
                                                     "without temporary_name_for_rotation (not set on these pools)"),
    "azurerm_local_network_gateway": ForceNew(("name", "resource_group_name", "location"),
                                              _azurerm("local_network_gateway"),
                                              "gateway_address and address_space are updated in place"),
    "azurerm_log_analytics_workspace": ForceNew(("name", "resource_group_name", "location"),
                                                _azurerm("log_analytics_workspace")),
    "azurerm_managed_redis": ForceNew(("name", "resource_group_name", "location", "high_availability_enabled",
                                       "default_database.clustering_policy", "default_database.module",
                                       "default_database.geo_replication_group_name"), _azurerm("managed_redis")),
    "azurerm_monitor_diagnostic_setting": ForceNew(("name", "target_resource_id"), _azurerm("monitor_diagnostic_setting")),
    "azurerm_nat_gateway": ForceNew(("name", "resource_group_name", "location", "zones"), _azurerm("nat_gateway")),
    "azurerm_nat_gateway_public_ip_association": ForceNew(("nat_gateway_id", "public_ip_address_id"),
                                                          _azurerm("nat_gateway_public_ip_association")),
    "azurerm_network_security_group": ForceNew(("name", "resource_group_name", "location"),
                                               _azurerm("network_security_group")),
    "azurerm_network_security_rule": ForceNew(("name", "resource_group_name", "network_security_group_name"),
                                              _azurerm("network_security_rule")),
    "azurerm_private_dns_zone": ForceNew(("name", "resource_group_name"), _azurerm("private_dns_zone")),
    "azurerm_private_dns_zone_virtual_network_link": ForceNew(("name", "private_dns_zone_name", "resource_group_name",
                                                               "virtual_network_id"),
                                                              _azurerm("private_dns_zone_virtual_network_link")),
    "azurerm_private_endpoint": ForceNew(("name", "resource_group_name", "location", "subnet_id",
                                          "private_service_connection.name",
                                          "private_service_connection.private_connection_resource_id",
                                          "private_service_connection.is_manual_connection",
                                          "private_service_connection.subresource_names"), _azurerm("private_endpoint")),
    "azurerm_public_ip": ForceNew(("name", "resource_group_name", "location", "sku", "sku_tier", "ip_version", "zones",
                                   "edge_zone", "public_ip_prefix_id"), _azurerm("public_ip")),
    "azurerm_resource_group": ForceNew(("name", "location"), _azurerm("resource_group"),
                                       "replacing it deletes everything in the group"),
    "azurerm_role_assignment": ForceNew(("name", "scope", "role_definition_id", "role_definition_name", "principal_id",
                                         "principal_type"), _azurerm("role_assignment")),
    "azurerm_storage_account": ForceNew(("name", "resource_group_name", "location", "account_tier",
                                         "infrastructure_encryption_enabled", "is_hns_enabled", "nfsv3_enabled",
                                         "queue_encryption_key_type", "table_encryption_key_type", "edge_zone",
                                         "dns_endpoint_type", "account_replication_type"),
                                        _azurerm("storage_account"),
                                        "account_replication_type: some changes (to or from ZRS) replace, others not"),
    "azurerm_storage_container": ForceNew(("name", "storage_account_id", "storage_account_name"),
                                          _azurerm("storage_container")),
    "azurerm_storage_container_immutability_policy": ForceNew(("storage_container_resource_manager_id",),
                                                              _azurerm("storage_container_immutability_policy")),
    "azurerm_storage_management_policy": ForceNew(("storage_account_id",), _azurerm("storage_management_policy")),
    "azurerm_subnet": ForceNew(("name", "resource_group_name", "virtual_network_name"), _azurerm("subnet"),
                               "address_prefixes are updated in place (Azure refuses while addresses are in use)"),
    "azurerm_subnet_nat_gateway_association": ForceNew(("subnet_id", "nat_gateway_id"),
                                                       _azurerm("subnet_nat_gateway_association")),
    "azurerm_subnet_network_security_group_association": ForceNew(("subnet_id", "network_security_group_id"),
                                                                  _azurerm("subnet_network_security_group_association")),
    "azurerm_user_assigned_identity": ForceNew(("name", "resource_group_name", "location"),
                                               _azurerm("user_assigned_identity"),
                                               "a new identity has a new principal id: every role assignment follows"),
    "azurerm_virtual_network": ForceNew(("name", "resource_group_name", "location", "edge_zone"),
                                        _azurerm("virtual_network")),
    "azurerm_virtual_network_gateway": ForceNew(("name", "resource_group_name", "location", "type", "vpn_type",
                                                 "edge_zone", "ip_configuration.name", "ip_configuration.subnet_id"),
                                                _azurerm("virtual_network_gateway")),
    "azurerm_virtual_network_gateway_connection": ForceNew(("name", "resource_group_name", "location", "type",
                                                            "virtual_network_gateway_id", "local_network_gateway_id",
                                                            "peer_virtual_network_gateway_id", "express_route_circuit_id"),
                                                           _azurerm("virtual_network_gateway_connection")),
    "azurerm_web_application_firewall_policy": ForceNew(("name", "resource_group_name", "location"),
                                                        _azurerm("web_application_firewall_policy")),
    # ------------------------------------------------------------------ in-cluster (kubernetes 2.38.0, helm 3.1.1)
    "helm_release": ForceNew(("name", "namespace"), _helm("release")),
    "kubernetes_annotations": ForceNew(("api_version", "kind", "metadata.name", "metadata.namespace"),
                                       _kubernetes("annotations")),
    "kubernetes_config_map_v1": ForceNew(("metadata.name", "metadata.namespace"), _kubernetes("config_map_v1")),
    "kubernetes_labels": ForceNew(("api_version", "kind", "metadata.name", "metadata.namespace"),
                                  _kubernetes("labels")),
    "kubernetes_manifest": ForceNew(("manifest.apiVersion", "manifest.kind", "manifest.metadata.name",
                                     "manifest.metadata.namespace"), _kubernetes("manifest"),
                                    "the provider plans a replacement when the object's identity changes"),
    "kubernetes_namespace_v1": ForceNew(("metadata.name",), _kubernetes("namespace_v1")),
    "kubernetes_service_account_v1": ForceNew(("metadata.name", "metadata.namespace"),
                                              _kubernetes("service_account_v1")),
    "kubernetes_storage_class_v1": ForceNew(("metadata.name", "storage_provisioner", "parameters", "reclaim_policy",
                                             "volume_binding_mode", "allowed_topologies"),
                                            _kubernetes("storage_class_v1"),
                                            "StorageClasses are immutable apart from allow_volume_expansion and mount_options"),
}

#: Attributes the provider schema marks sensitive, for the types the constructs use (none of them is set
#: by the constructs today: no secret belongs in the JSON; the list keeps a future one out of PR comments).
SENSITIVE: dict[str, tuple[str, ...]] = {
    "aws_elasticache_replication_group": ("auth_token",),
    "aws_elasticache_user": ("passwords", "authentication_mode.passwords"),
    "aws_s3_bucket_object_lock_configuration": ("token",),
    "aws_vpn_connection": ("tunnel1_preshared_key", "tunnel2_preshared_key", "customer_gateway_configuration"),
    "google_compute_vpn_tunnel": ("shared_secret",),
    "azurerm_container_registry": ("admin_password",),
    "azurerm_kubernetes_cluster": ("kube_config", "kube_admin_config", "service_principal.client_secret",
                                   "windows_profile.admin_password"),
    "azurerm_log_analytics_workspace": ("primary_shared_key", "secondary_shared_key"),
    "azurerm_storage_account": ("primary_access_key", "secondary_access_key", "primary_connection_string",
                                "secondary_connection_string"),
    "google_container_cluster": ("master_auth.client_key", "master_auth.password"),
    "google_service_account": (),
    "helm_release": ("set_sensitive", "repository_password", "repository_key_file"),
    "kubernetes_manifest": (),
}

#: Any attribute (or nested key) named like a credential, on every type.
SENSITIVE_NAME = re.compile(
    r"(^|[._-])(password|passwords|passwd|secret|secrets_value|client_secret|token|auth_token|private_key|"
    r"access_key|secret_key|shared_key|connection_string|kube_config|kube_admin_config|sas|credentials?)($|[._-])",
    re.IGNORECASE)
#: Names SENSITIVE_NAME matches that are no secret.
NOT_SENSITIVE = frozenset({"http_tokens"})

_INDEX = re.compile(r"\[\d+\]")


def normalize(path: str) -> str:
    """``launch_template[0].id`` -> ``launch_template.id``; a change inside a JSON/YAML string
    (``policy(json).Statement[0]``) counts as a change of the attribute holding it (``policy``)."""
    return _INDEX.sub("", re.split(r"\((?:json|yaml)\)", path, maxsplit=1)[0])


def _covers(path: str, attribute: str) -> bool:
    return path == attribute or path.startswith(attribute + ".") or attribute.startswith(path + ".")


def force_new_attribute(rtype: str, path: str, removed: bool = False) -> bool:
    """Whether a change at ``path`` of a ``rtype`` resource forces its replacement (unknown types: no).

    ``removed``: the attribute is absent from the new configuration (for :attr:`ForceNew.on_removal`).
    """
    entry = FORCE_NEW.get(rtype)
    if entry is None:
        return False
    path = normalize(path)
    if removed and any(path == a or path.startswith(a + ".") for a in entry.on_removal):
        return True
    return any(_covers(path, a) for a in entry.attributes)


def is_sensitive(rtype: str, path: str) -> bool:
    """Whether the value at ``path`` must not be printed."""
    norm = normalize(path)
    for attr in SENSITIVE.get(rtype, ()):
        if norm == attr or norm.startswith(attr + "."):
            return True
    names = _INDEX.sub("", re.sub(r"\((?:json|yaml)\)", ".", path)).split(".")  # keys inside JSON/YAML too
    return any(SENSITIVE_NAME.search(p) for p in names if p not in NOT_SENSITIVE)
