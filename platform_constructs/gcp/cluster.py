"""The GCP cluster layer: a regional, private GKE Standard cluster and its node pools."""

from __future__ import annotations

from constructs import Construct
from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_google.container_cluster import (
    ContainerCluster,
    ContainerClusterAddonsConfig,
    ContainerClusterAddonsConfigGcePersistentDiskCsiDriverConfig,
    ContainerClusterAddonsConfigGcpFilestoreCsiDriverConfig,
    ContainerClusterAddonsConfigHorizontalPodAutoscaling,
    ContainerClusterAddonsConfigHttpLoadBalancing,
    ContainerClusterAuthenticatorGroupsConfig,
    ContainerClusterBinaryAuthorization,
    ContainerClusterClusterAutoscaling,
    ContainerClusterDatabaseEncryption,
    ContainerClusterGatewayApiConfig,
    ContainerClusterIpAllocationPolicy,
    ContainerClusterLoggingConfig,
    ContainerClusterMaintenancePolicy,
    ContainerClusterMaintenancePolicyMaintenanceExclusion,
    ContainerClusterMaintenancePolicyMaintenanceExclusionExclusionOptions,
    ContainerClusterMaintenancePolicyRecurringWindow,
    ContainerClusterMasterAuth,
    ContainerClusterMasterAuthClientCertificateConfig,
    ContainerClusterMasterAuthorizedNetworksConfig,
    ContainerClusterMasterAuthorizedNetworksConfigCidrBlocks,
    ContainerClusterMonitoringConfig,
    ContainerClusterMonitoringConfigManagedPrometheus,
    ContainerClusterNetworkPolicy,
    ContainerClusterNodeConfig,
    ContainerClusterNodeConfigShieldedInstanceConfig,
    ContainerClusterNodeConfigWorkloadMetadataConfig,
    ContainerClusterPrivateClusterConfig,
    ContainerClusterReleaseChannel,
    ContainerClusterSecretManagerConfig,
    ContainerClusterSecurityPostureConfig,
    ContainerClusterWorkloadIdentityConfig,
)

from platform_constructs.gcp.contracts import GcpClusterContract, GcpNetworkContract
from platform_constructs.gcp.kms import SecretsEncryptionKey
from platform_constructs.gcp.maintenance import MaintenanceExclusion, MaintenanceWindow, rfc3339
from platform_constructs.gcp.node_pool import CLOUD_PLATFORM_SCOPE, GkeNodePool
from platform_constructs.gcp.node_service_account import NodeServiceAccount
from platform_constructs.gcp.provider import platform_labels
from platform_constructs.outputs import named_output
from platform_constructs.spec import EnvironmentSpec

#: Control-plane and workload log components sent to Cloud Logging.
LOGGING_COMPONENTS = ("SYSTEM_COMPONENTS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER", "WORKLOADS")

#: Metrics components sent to Cloud Monitoring (managed Prometheus is separate).
MONITORING_COMPONENTS = ("SYSTEM_COMPONENTS",)


def oidc_issuer_url(project: str, region: str, cluster_name: str) -> str:
    """GKE's service-account token issuer (known at plan time, unlike the cluster's attributes)."""
    return f"https://container.googleapis.com/v1/projects/{project}/locations/{region}/clusters/{cluster_name}"


def workload_identity_pool(project: str) -> str:
    return f"{project}.svc.id.goog"


def _maintenance_policy(window: MaintenanceWindow, exclusions: list[MaintenanceExclusion]) -> ContainerClusterMaintenancePolicy:
    """The weekly recurring window (RFC 3339 times of its first occurrence on a fixed past date,
    an RFC 5545 weekly rule) and one ``maintenance_exclusion`` per exclusion, in file order."""
    start, end = window.first_occurrence()
    return ContainerClusterMaintenancePolicy(
        recurring_window=ContainerClusterMaintenancePolicyRecurringWindow(
            start_time=rfc3339(start), end_time=rfc3339(end), recurrence=window.recurrence,
        ),
        maintenance_exclusion=[
            ContainerClusterMaintenancePolicyMaintenanceExclusion(
                exclusion_name=ex.name, start_time=ex.start_time, end_time=ex.end_time,
                exclusion_options=ContainerClusterMaintenancePolicyMaintenanceExclusionExclusionOptions(scope=ex.scope),
            )
            for ex in exclusions
        ] or None,
    )


class GcpCluster(Construct):
    """Regional GKE Standard with the platform's defaults.

    - Regional control plane in ``region``; nodes in ``zones`` (``node_locations``).
    - ``kubernetes_version`` is the minimum master version; the release channel
      (``gcp.release_channel``, default REGULAR) upgrades from there.
    - Private nodes and a private endpoint; with ``endpoint: public_and_private`` the
      public endpoint opens to ``public_access_cidrs`` only. Master authorized networks
      always on, enforced on the private endpoint too: ``network.cidr`` plus
      ``public_access_cidrs``; Google's public ranges are not let in.
    - VPC-native on the network's node subnet and its ``pods`` / ``services`` ranges;
      Dataplane V2 (``ADVANCED_DATAPATH``, which enforces Kubernetes network policy).
    - Workload Identity (``<project>.svc.id.goog``); Kubernetes secrets encrypted with
      a Cloud KMS key (:class:`SecretsEncryptionKey`).
    - Logs: system components, API server, controller manager, scheduler, workloads.
      Managed Prometheus only when ``gcp.managed_prometheus``.
    - Shielded nodes, no client certificate, no legacy ABAC, Binary Authorization in
      project-policy mode, basic security posture, Gateway API (standard channel).
    - Add-ons: PD CSI, HTTP load balancing (with the Gateway API channel: GKE's own load
      balancer controller), HPA; Filestore CSI with ``addons.file_storage``, Secret Manager
      with ``addons.secrets_store`` (both default on). GKE runs the metrics server itself.
    - GKE's cluster autoscaler scales every pool (``cluster.node_pools`` min/max) with the
      profile ``addons.autoscaling_profile`` (default BALANCED); no node auto-provisioning.
    - Google Groups for RBAC with ``gcp.rbac_security_group`` (``gke-security-groups@<domain>``):
      GKE then asserts the Google groups (members of that group) a user belongs to, which the
      tenants' RoleBindings name. Default: off (no ``authenticator_groups_config``).
    - Deletion protection (``gcp.deletion_protection``, default true).
    - Automatic upgrades only in ``gcp.maintenance_window`` (default Saturday and Sunday
      03:00-11:00 UTC) and never in ``gcp.maintenance_exclusions`` (default none).
    - The default node pool is removed once the cluster exists (``initial_node_count`` 1
      on the dedicated node service account); pools from ``cluster.node_pools`` replace it.
    """

    def __init__(self, scope: Construct, id: str, *, spec: EnvironmentSpec, network: GcpNetworkContract):
        super().__init__(scope, id)
        assert spec.gcp is not None
        gcp, c, addons = spec.gcp, spec.cluster, spec.addons
        project, region, name = gcp.project, spec.region, c.name
        labels = platform_labels(spec, "cluster")
        node_tag = network.node_network_tag

        self.key = SecretsEncryptionKey(
            self, "secrets-key", name=f"{name}-gke", project=project, location=region,
            rotation_days=gcp.kms_rotation_days, protect=gcp.deletion_protection,
        )
        self.node_account = NodeServiceAccount(self, "node-account", cluster_name=name, project=project)

        public = c.endpoint == "public_and_private"
        authorized = [ContainerClusterMasterAuthorizedNetworksConfigCidrBlocks(cidr_block=spec.network.cidr,
                                                                              display_name="platform network")]
        authorized += [
            ContainerClusterMasterAuthorizedNetworksConfigCidrBlocks(cidr_block=cidr, display_name=f"public-{i}")
            for i, cidr in enumerate(c.public_access_cidrs)
        ] if public else []

        self.cluster = ContainerCluster(
            self,
            "cluster",
            name=name,
            description=f"{spec.name}: platform cluster",
            location=region,
            node_locations=list(spec.zones),
            min_master_version=c.kubernetes_version,
            release_channel=ContainerClusterReleaseChannel(channel=gcp.release_channel),
            maintenance_policy=_maintenance_policy(gcp.maintenance_window, list(gcp.maintenance_exclusions)),
            network=network.network_self_link,
            subnetwork=network.subnet_self_link,
            networking_mode="VPC_NATIVE",
            ip_allocation_policy=ContainerClusterIpAllocationPolicy(
                cluster_secondary_range_name=network.pods_range_name,
                services_secondary_range_name=network.services_range_name,
            ),
            default_max_pods_per_node=gcp.max_pods_per_node,
            datapath_provider="ADVANCED_DATAPATH",
            # Dataplane V2 enforces network policy itself; the legacy Calico add-on stays off.
            network_policy=ContainerClusterNetworkPolicy(enabled=False),
            private_cluster_config=ContainerClusterPrivateClusterConfig(
                enable_private_nodes=True,
                enable_private_endpoint=not public,
                master_ipv4_cidr_block=gcp.master_ipv4_cidr_block,
            ),
            master_authorized_networks_config=ContainerClusterMasterAuthorizedNetworksConfig(
                cidr_blocks=authorized,
                gcp_public_cidrs_access_enabled=False,
                private_endpoint_enforcement_enabled=True,
            ),
            master_auth=ContainerClusterMasterAuth(
                client_certificate_config=ContainerClusterMasterAuthClientCertificateConfig(issue_client_certificate=False),
            ),
            workload_identity_config=ContainerClusterWorkloadIdentityConfig(workload_pool=workload_identity_pool(project)),
            authenticator_groups_config=ContainerClusterAuthenticatorGroupsConfig(
                security_group=gcp.rbac_security_group,
            ) if gcp.rbac_security_group else None,
            database_encryption=ContainerClusterDatabaseEncryption(state="ENCRYPTED", key_name=self.key.id),
            logging_config=ContainerClusterLoggingConfig(enable_components=list(LOGGING_COMPONENTS)),
            monitoring_config=ContainerClusterMonitoringConfig(
                enable_components=list(MONITORING_COMPONENTS),
                managed_prometheus=ContainerClusterMonitoringConfigManagedPrometheus(enabled=gcp.managed_prometheus),
            ),
            addons_config=ContainerClusterAddonsConfig(
                gce_persistent_disk_csi_driver_config=ContainerClusterAddonsConfigGcePersistentDiskCsiDriverConfig(enabled=True),
                gcp_filestore_csi_driver_config=ContainerClusterAddonsConfigGcpFilestoreCsiDriverConfig(
                    enabled=addons.file_storage,
                ),
                http_load_balancing=ContainerClusterAddonsConfigHttpLoadBalancing(disabled=False),
                horizontal_pod_autoscaling=ContainerClusterAddonsConfigHorizontalPodAutoscaling(disabled=False),
            ),
            secret_manager_config=ContainerClusterSecretManagerConfig(enabled=addons.secrets_store),
            # Node pools autoscale themselves (GKE's cluster autoscaler); node auto-provisioning stays
            # off (every pool comes from the file), which GKE Standard needs said explicitly.
            cluster_autoscaling=ContainerClusterClusterAutoscaling(
                enabled=False, autoscaling_profile=addons.autoscaling_profile,
            ),
            gateway_api_config=ContainerClusterGatewayApiConfig(channel="CHANNEL_STANDARD"),
            enable_shielded_nodes=True,
            enable_legacy_abac=False,
            enable_intranode_visibility=True,
            binary_authorization=ContainerClusterBinaryAuthorization(evaluation_mode="PROJECT_SINGLETON_POLICY_ENFORCE"),
            security_posture_config=ContainerClusterSecurityPostureConfig(mode="BASIC"),
            resource_labels=labels,
            deletion_protection=gcp.deletion_protection,
            remove_default_node_pool=True,
            initial_node_count=1,
            # The short-lived default pool still gets the hardened node settings.
            node_config=ContainerClusterNodeConfig(
                service_account=self.node_account.email,
                oauth_scopes=[CLOUD_PLATFORM_SCOPE],
                disk_type=gcp.node_disk_type,
                image_type="COS_CONTAINERD",
                tags=[node_tag],
                metadata={"disable-legacy-endpoints": "true"},
                workload_metadata_config=ContainerClusterNodeConfigWorkloadMetadataConfig(mode="GKE_METADATA"),
                shielded_instance_config=ContainerClusterNodeConfigShieldedInstanceConfig(
                    enable_secure_boot=True, enable_integrity_monitoring=True,
                ),
            ),
            # node_config describes only the removed default pool; changing it must not
            # replace the cluster.
            lifecycle=TerraformResourceLifecycle(ignore_changes=["node_config"]),
            depends_on=[self.key.binding, *self.node_account.grants],
        )

        self.node_pools = [
            GkeNodePool(
                self, f"pool-{pool.name}", pool=pool, cluster_id=self.cluster.id, location=region,
                zones=list(spec.zones), service_account_email=self.node_account.email, network_tag=node_tag,
                disk_type=gcp.node_disk_type, resource_labels=labels,
            )
            for pool in c.node_pools
        ]

        self.contract = GcpClusterContract(
            cluster_name=self.cluster.name,
            endpoint=f"https://{self.cluster.endpoint}",
            certificate_authority_data=self.cluster.master_auth.cluster_ca_certificate,
            oidc_issuer_url=oidc_issuer_url(project, region, name),
            workload_identity_provider=workload_identity_pool(project),
            cluster_id=self.cluster.id,
            location=region,
            project=project,
            kms_key_id=self.key.id,
            node_service_account_email=self.node_account.email,
            # GCP has no node security group: firewall rules target the nodes' network tag.
            node_network_tag=node_tag,
        )
        named_output(self, "cluster_name", self.contract.cluster_name, "GKE cluster name")
        named_output(self, "cluster_id", self.cluster.id, "GKE cluster id (projects/<p>/locations/<region>/clusters/<name>)")
        named_output(self, "cluster_location", region, "Region of the regional GKE cluster")
        named_output(self, "cluster_endpoint", self.contract.endpoint, "Kubernetes API server URL (the private endpoint unless public)")
        named_output(self, "cluster_certificate_authority_data", self.contract.certificate_authority_data,
                     "Base64 PEM of the cluster CA")
        named_output(self, "cluster_oidc_issuer_url", self.contract.oidc_issuer_url, "Issuer of service-account tokens")
        named_output(self, "workload_identity_pool", self.contract.workload_identity_provider,
                     "Workload Identity pool (<project>.svc.id.goog)")
        named_output(self, "node_security_group_id", self.contract.node_network_tag,
                     "Network tag of the nodes (GCP firewall rules target tags, not security groups)")
        named_output(self, "kms_key_id", self.key.id, "Cloud KMS key encrypting Kubernetes secrets")
        named_output(self, "node_service_account_email", self.node_account.email, "Service account of the nodes")
