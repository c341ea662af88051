"""The Azure cluster layer: AKS with its identity, keys, logs and node pools."""

from __future__ import annotations

import ipaddress

from constructs import Construct
from cdktf import ITerraformDependable, TerraformResourceLifecycle
from cdktf_cdktf_provider_azurerm.kubernetes_cluster import (
    KubernetesCluster,
    KubernetesClusterApiServerAccessProfile,
    KubernetesClusterAutoScalerProfile,
    KubernetesClusterAzureActiveDirectoryRoleBasedAccessControl,
    KubernetesClusterDefaultNodePool,
    KubernetesClusterDefaultNodePoolUpgradeSettings,
    KubernetesClusterIdentity,
    KubernetesClusterIngressApplicationGateway,
    KubernetesClusterKeyManagementService,
    KubernetesClusterKeyVaultSecretsProvider,
    KubernetesClusterKubeletIdentity,
    KubernetesClusterMaintenanceWindowAutoUpgrade,
    KubernetesClusterMaintenanceWindowNodeOs,
    KubernetesClusterMicrosoftDefender,
    KubernetesClusterNetworkProfile,
    KubernetesClusterOmsAgent,
    KubernetesClusterStorageProfile,
)
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.user_assigned_identity import UserAssignedIdentity

from platform_constructs.azure.app_gateway import LOG_CATEGORIES as APP_GATEWAY_LOGS, ApplicationGatewayIngress
from platform_constructs.azure.disk_encryption import NodeDiskEncryption
from platform_constructs.azure.key_vault import CustomerKeyVault, default_vault_name
from platform_constructs.azure.kubelet_identity import KubeletIdentity
from platform_constructs.azure.log_analytics import AKS_CONTROL_PLANE_LOGS, LogWorkspace
from platform_constructs.azure.node_pool import MAX_PODS, AksNodePool
from platform_constructs.azure.provider import platform_tags
from platform_constructs.azure.contracts import AzureClusterContract, AzureNetworkContract
from platform_constructs.outputs import named_output
from platform_constructs.spec import EnvironmentSpec

#: Name of the system pool (critical add-ons only); user pools may not take it.
SYSTEM_POOL = "system"
#: OS disk of the system pool nodes, GiB.
SYSTEM_POOL_DISK_GB = 128

def autoscaler_profile(spec: EnvironmentSpec) -> KubernetesClusterAutoScalerProfile:
    """AKS's cluster autoscaler settings from ``addons.autoscaler_profile``."""
    profile = spec.addons.autoscaler_profile
    return KubernetesClusterAutoScalerProfile(
        expander=profile.expander,
        balance_similar_node_groups=profile.balance_similar_node_groups,
        scale_down_unneeded=profile.scale_down_unneeded,
        # The provider takes the threshold as a string.
        scale_down_utilization_threshold=str(profile.scale_down_utilization_threshold),
        skip_nodes_with_local_storage=profile.skip_nodes_with_local_storage,
    )


def resource_group_id(spec: EnvironmentSpec) -> str:
    """The environment's resource group id, from the file (a literal, known at synth)."""
    assert spec.azure is not None
    return f"/subscriptions/{spec.azure.subscription_id}/resourceGroups/{spec.azure.resource_group(spec.name)}"


class AzureCluster(Construct):
    """AKS with the platform's defaults.

    - Private cluster with API Server VNet Integration (the API server gets an internal IP in
      the delegated subnet); ``endpoint: public_and_private`` turns the private cluster off and
      admits only ``public_access_cidrs``.
    - User-assigned control-plane identity with Network Contributor on the VNet (and, with
      customer-managed keys, the Key Vault and disk-encryption-set roles it needs), all granted
      before the cluster exists.
    - User-assigned kubelet identity (:class:`KubeletIdentity`), which the control plane may
      assign (Managed Identity Operator, granted before the cluster exists); the contract's
      ``kubelet_identity_object_id`` / ``_client_id`` are its ids.
    - OIDC issuer and workload identity; Entra ID with Azure RBAC for ``admin_group_object_ids``;
      local accounts disabled.
    - Azure CNI overlay with the Cilium data plane and network policy; egress through the
      network layer's NAT gateway.
    - System pool (critical add-ons only) and user pools across the zones, autoscaled.
    - Customer-managed keys (``azure.enable_customer_managed_keys``, default on): node disks via
      a disk encryption set, Kubernetes secrets via KMS etcd encryption (private key vault).
    - Control-plane logs (:data:`AKS_CONTROL_PLANE_LOGS`) and Container Insights into one
      Log Analytics workspace with ``cluster.log_retention_days``; Microsoft Defender for
      Containers reports into the same workspace (``azure.enable_defender``, default on).
    - Azure Policy, image cleaner, and the upgrade channels and weekly maintenance windows of
      the ``azure:`` section.
    - The system components of the ``addons:`` section that AKS runs itself:

      - ``load_balancer_controller`` (default on): an Application Gateway WAF_v2 in the network
        layer's gateway subnet (:class:`ApplicationGatewayIngress`, logs into the workspace) and
        the AGIC add-on driving it, with its identity's roles. AGIC is a non-critical add-on: it
        runs on the user pools (the system pool takes critical add-ons only).
      - ``secrets_store`` (default on): the Key Vault secrets provider add-on, rotation every 2m.
      - ``block_storage`` / ``file_storage`` (default on): the Azure Disk / Azure Files CSI drivers
        (``storage_profile``); the snapshot controller with the disk driver; the Blob driver off.
        With ``file_storage`` the control plane (which runs the Files driver's controller) also
        gets Network Contributor on the environment's resource group: for a class with
        ``networkEndpointType: privateEndpoint`` the driver creates the storage account's private
        endpoint, the ``privatelink.file.core.windows.net`` zone, its VNet link and DNS zone group
        in the VNet's resource group (the driver documents Contributor there; Network Contributor
        covers those Microsoft.Network writes and nothing outside networking).
      - node autoscaling: the pools autoscale natively; the autoscaler profile comes from
        ``addons.autoscaler_profile`` (:func:`autoscaler_profile`).
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec, network: AzureNetworkContract):
        super().__init__(scope, id)
        assert spec.azure is not None
        az, c = spec.azure, spec.cluster
        name, location = c.name, spec.region
        rg = network.resource_group_name
        tags = platform_tags(spec, "cluster")
        public = c.endpoint == "public_and_private"

        self.identity = UserAssignedIdentity(
            self, "control-plane-identity", name=f"{name}-control-plane", location=location,
            resource_group_name=rg, tags=tags,
        )
        principal = self.identity.principal_id
        grants: list[ITerraformDependable] = [RoleAssignment(
            self, "control-plane-network", scope=network.network_id, principal_id=principal,
            role_definition_name="Network Contributor",
        )]

        self.kubelet = KubeletIdentity(
            self, "kubelet-identity", name=f"{name}-kubelet", location=location, resource_group_name=rg, tags=tags,
            control_plane_principal_id=principal,
        )
        grants.append(self.kubelet.operator_grant)

        self.logs = LogWorkspace(self, "logs", name=f"{name}-logs", location=location, resource_group_name=rg,
                                 tags=tags, retention_days=c.log_retention_days)

        self.vault: CustomerKeyVault | None = None
        self.disk_encryption: NodeDiskEncryption | None = None
        kms = None
        if az.enable_customer_managed_keys:
            self.vault = CustomerKeyVault(
                self, "key-vault", name=az.key_vault_name or default_vault_name(spec.name, az.subscription_id),
                location=location, resource_group_name=rg, vnet_id=network.network_id,
                private_endpoint_subnet_id=network.private_endpoint_subnet_id, tags=tags,
                allowed_cidrs=list(az.key_vault_allowed_cidrs),
            )
            disk_key = self.vault.add_key("disk-key", name=f"{name}-disks", tags=tags)
            etcd_key = self.vault.add_key("etcd-key", name=f"{name}-etcd", tags=tags)
            self.disk_encryption = NodeDiskEncryption(
                self, "disk-encryption", name=f"{name}-disks", location=location, resource_group_name=rg,
                vault=self.vault, key=disk_key, tags=tags,
            )
            grants += [
                # KMS etcd encryption: use the key, and create AKS's private link to the vault.
                self.vault.grant("control-plane-crypto-user", principal_id=principal, role="Key Vault Crypto User"),
                self.vault.grant("control-plane-vault-contributor", principal_id=principal, role="Key Vault Contributor"),
                RoleAssignment(self, "control-plane-disk-encryption", scope=self.disk_encryption.id,
                               principal_id=principal, role_definition_name="Reader"),
                *self.disk_encryption.ready,
            ]
            kms = KubernetesClusterKeyManagementService(key_vault_key_id=etcd_key.id, key_vault_network_access="Private")

        addons = spec.addons

        self.app_gateway: ApplicationGatewayIngress | None = None
        if addons.load_balancer_controller:
            self.app_gateway = ApplicationGatewayIngress(
                self, "app-gateway", name=f"{name}-appgw", location=location, resource_group_name=rg,
                subnet_id=network.app_gateway_subnet_id, subnet_cidr=network.app_gateway_subnet_cidr,
                zones=list(spec.zones), tags=tags,
            )
            self.logs.send_logs("app-gateway", target_resource_id=self.app_gateway.id, categories=APP_GATEWAY_LOGS)
        if addons.file_storage:
            grants.append(RoleAssignment(
                self, "control-plane-file-private-endpoints", scope=resource_group_id(spec), principal_id=principal,
                role_definition_name="Network Contributor",
            ))

        services = ipaddress.IPv4Network(az.service_cidr)
        window = {
            "frequency": "Weekly", "interval": 1, "day_of_week": az.maintenance_day,
            "start_time": f"{az.maintenance_start_hour:02d}:00", "utc_offset": "+00:00",
            "duration": az.maintenance_duration_hours,
        }
        self.cluster = KubernetesCluster(
            self,
            "cluster",
            name=name,
            location=location,
            resource_group_name=rg,
            dns_prefix=name,
            node_resource_group=f"{az.resource_group(spec.name)}-{name}-nodes",
            kubernetes_version=c.kubernetes_version,
            sku_tier=az.sku_tier,
            identity=KubernetesClusterIdentity(type="UserAssigned", identity_ids=[self.identity.id]),
            kubelet_identity=KubernetesClusterKubeletIdentity(
                client_id=self.kubelet.client_id, object_id=self.kubelet.object_id,
                user_assigned_identity_id=self.kubelet.id,
            ),
            private_cluster_enabled=not public,
            api_server_access_profile=KubernetesClusterApiServerAccessProfile(
                virtual_network_integration_enabled=True,
                subnet_id=network.api_server_subnet_id,
                authorized_ip_ranges=list(c.public_access_cidrs) if public else None,
            ),
            oidc_issuer_enabled=True,
            workload_identity_enabled=True,
            role_based_access_control_enabled=True,
            local_account_disabled=True,
            azure_active_directory_role_based_access_control=KubernetesClusterAzureActiveDirectoryRoleBasedAccessControl(
                azure_rbac_enabled=True, admin_group_object_ids=list(az.admin_group_object_ids),
            ),
            network_profile=KubernetesClusterNetworkProfile(
                network_plugin="azure",
                network_plugin_mode="overlay",
                network_data_plane="cilium",
                network_policy="cilium",
                pod_cidr=az.pod_cidr,
                service_cidr=az.service_cidr,
                dns_service_ip=str(services.network_address + 10),
                load_balancer_sku="standard",
                outbound_type="userAssignedNATGateway",
            ),
            default_node_pool=KubernetesClusterDefaultNodePool(
                name=SYSTEM_POOL,
                temporary_name_for_rotation=f"{SYSTEM_POOL}tmp",
                vm_size=az.system_pool_vm_size,
                only_critical_addons_enabled=True,
                orchestrator_version=c.kubernetes_version,
                os_sku="AzureLinux",
                os_disk_type="Managed",
                os_disk_size_gb=SYSTEM_POOL_DISK_GB,
                host_encryption_enabled=az.enable_host_encryption,
                vnet_subnet_id=network.system_subnet_id,
                zones=list(spec.zones),
                max_pods=MAX_PODS,
                auto_scaling_enabled=True,
                min_count=az.system_pool_min_count,
                max_count=az.system_pool_max_count,
                node_count=az.system_pool_min_count,
                upgrade_settings=KubernetesClusterDefaultNodePoolUpgradeSettings(max_surge="1"),
                tags=tags,
            ),
            disk_encryption_set_id=self.disk_encryption.id if self.disk_encryption else None,
            key_management_service=kms,
            key_vault_secrets_provider=KubernetesClusterKeyVaultSecretsProvider(
                secret_rotation_enabled=True, secret_rotation_interval="2m",
            ) if addons.secrets_store else None,
            ingress_application_gateway=KubernetesClusterIngressApplicationGateway(gateway_id=self.app_gateway.id)
            if self.app_gateway else None,
            storage_profile=KubernetesClusterStorageProfile(
                disk_driver_enabled=addons.block_storage,
                snapshot_controller_enabled=addons.block_storage,
                file_driver_enabled=addons.file_storage,
                blob_driver_enabled=False,
            ),
            auto_scaler_profile=autoscaler_profile(spec),
            oms_agent=KubernetesClusterOmsAgent(
                log_analytics_workspace_id=self.logs.id, msi_auth_for_monitoring_enabled=True,
            ),
            microsoft_defender=KubernetesClusterMicrosoftDefender(log_analytics_workspace_id=self.logs.id)
            if az.enable_defender else None,
            azure_policy_enabled=True,
            image_cleaner_enabled=True,
            image_cleaner_interval_hours=48,
            automatic_upgrade_channel=None if az.automatic_upgrade_channel == "none" else az.automatic_upgrade_channel,
            node_os_upgrade_channel=az.node_os_upgrade_channel,
            maintenance_window_auto_upgrade=KubernetesClusterMaintenanceWindowAutoUpgrade(**window),
            maintenance_window_node_os=KubernetesClusterMaintenanceWindowNodeOs(**window),
            tags=tags,
            lifecycle=TerraformResourceLifecycle(ignore_changes=["default_node_pool[0].node_count"]),
            depends_on=grants,
        )
        self.control_plane_logs = self.logs.send_logs(
            "control-plane", target_resource_id=self.cluster.id, categories=AKS_CONTROL_PLANE_LOGS,
        )
        self.ingress_controller_grants = []
        if self.app_gateway is not None:
            agic = self.cluster.ingress_application_gateway.ingress_application_gateway_identity.get(0)
            self.ingress_controller_grants = self.app_gateway.grant_ingress_controller(
                "ingress-controller", principal_id=agic.object_id, resource_group_id=resource_group_id(spec),
            )

        self.node_pools = [
            AksNodePool(
                self, f"pool-{pool.name}", cluster_id=self.cluster.id, pool=pool, zones=list(spec.zones),
                subnet_id=network.user_subnet_id, kubernetes_version=c.kubernetes_version,
                host_encryption=az.enable_host_encryption, tags=tags,
            )
            for pool in c.node_pools
        ]

        fqdn = self.cluster.fqdn if public else self.cluster.private_fqdn
        cmk = self.vault is not None and self.disk_encryption is not None
        self.contract = AzureClusterContract(
            cluster_name=self.cluster.name,
            endpoint=f"https://{fqdn}:443",
            certificate_authority_data=self.cluster.kube_config.get(0).cluster_ca_certificate,
            oidc_issuer_url=self.cluster.oidc_issuer_url,
            workload_identity_provider=self.cluster.oidc_issuer_url,
            cluster_id=self.cluster.id,
            resource_group_name=rg,
            node_resource_group=self.cluster.node_resource_group,
            control_plane_identity_id=self.identity.id,
            kubelet_identity_object_id=self.kubelet.object_id,
            kubelet_identity_client_id=self.kubelet.client_id,
            log_analytics_workspace_id=self.logs.id,
            node_security_group_id=network.node_security_group_id,
            key_vault_id=self.vault.id if cmk else None,
            disk_encryption_set_id=self.disk_encryption.id if cmk else None,
            app_gateway_id=self.app_gateway.id if self.app_gateway else None,
            key_vault_dns_zone_id=self.vault.dns_zone.id if cmk and self.vault.dns_zone else None,
        )
        named_output(self, "cluster_name", self.contract.cluster_name, "AKS cluster name")
        named_output(self, "cluster_id", self.cluster.id, "AKS cluster resource id")
        named_output(self, "cluster_endpoint", self.contract.endpoint,
                     "Kubernetes API server URL (the private FQDN unless the endpoint is public)")
        named_output(self, "cluster_certificate_authority_data", self.contract.certificate_authority_data,
                     "Base64 PEM of the cluster CA", sensitive=True)
        named_output(self, "cluster_oidc_issuer_url", self.contract.oidc_issuer_url,
                     "OIDC issuer of service-account tokens (federated credentials trust it)")
        named_output(self, "node_security_group_id", self.contract.node_security_group_id,
                     "NSG of the node subnets")
        for key, description in (
            ("node_resource_group", "Resource group AKS manages for node resources"),
            ("control_plane_identity_id", "User-assigned identity of the control plane"),
            ("kubelet_identity_object_id", "Object id of the kubelet identity (grant it AcrPull)"),
            ("kubelet_identity_client_id", "Client id of the kubelet identity"),
            ("log_analytics_workspace_id", "Log Analytics workspace of control-plane logs"),
            ("key_vault_id", "Key Vault holding the customer-managed keys"),
            ("disk_encryption_set_id", "Disk encryption set of node disks"),
            ("app_gateway_id", "Application Gateway (WAF_v2) the AGIC add-on configures"),
        ):
            if getattr(self.contract, key) is not None:
                named_output(self, key, getattr(self.contract, key), description)
        if self.app_gateway is not None:
            named_output(self, "app_gateway_public_ip", self.app_gateway.public_ip.ip_address,
                         "Public address of the Application Gateway (point DNS records of public Ingresses here)")
