"""A Cloud KMS key for the cluster's Persistent Disk volumes (CMEK), usable by the Compute Engine service agent."""

from __future__ import annotations

from constructs import Construct
from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_google.data_google_project import DataGoogleProject
from cdktf_cdktf_provider_google.kms_crypto_key import KmsCryptoKey
from cdktf_cdktf_provider_google.kms_crypto_key_iam_member import KmsCryptoKeyIamMember
from cdktf_cdktf_provider_google.kms_key_ring import KmsKeyRing

from platform_constructs.gcp.kms import ENCRYPTER_DECRYPTER

#: The key's name inside its ring.
KEY_NAME = "pd-volumes"


def compute_service_agent(project_number: str) -> str:
    """The Compute Engine service agent, which encrypts and decrypts CMEK Persistent Disks."""
    return f"service-{project_number}@compute-system.iam.gserviceaccount.com"


class DiskEncryptionKey(Construct):
    """Key ring + symmetric key (rotated) + the Compute Engine service agent's encrypter/decrypter binding.

    The PD CSI driver creates every volume of the platform's block StorageClasses with this key
    (``disk-encryption-kms-key``); Compute Engine, not GKE, encrypts the disk, so the grant goes to
    ``service-<project number>@compute-system.iam.gserviceaccount.com`` (the number read from the
    ``google_project`` data source) and to nobody else.

    Disks (and snapshots of them) can outlive the cluster that created them, so the key lives in the
    ``<env>-data`` stack: a cluster rebuilt from scratch still reads the old volumes.

    :param name: the key ring's name (rings are permanent in GCP: recreating an environment reuses it,
        so import the existing ring rather than renaming it).
    :param project: the project of the ring and of the disks.
    :param location: the ring's region; a zonal or regional disk needs a key in its own region.
    :param rotation_days: days between key versions. Default: 90.
    :param protect: ``prevent_destroy`` on the key: destroying it makes every volume unreadable.
        Default: true.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        project: str,
        location: str,
        rotation_days: int = 90,
        protect: bool = True,
    ):
        if not 1 <= rotation_days <= 90:
            raise ValueError(f"disk key rotation_days {rotation_days} must be 1-90 (e.g. 90)")
        super().__init__(scope, id)
        self.project = DataGoogleProject(self, "project", project_id=project)
        self.key_ring = KmsKeyRing(self, "key-ring", name=name, location=location, project=project)
        self.key = KmsCryptoKey(
            self,
            "key",
            name=KEY_NAME,
            key_ring=self.key_ring.id,
            purpose="ENCRYPT_DECRYPT",
            rotation_period=f"{rotation_days * 86400}s",
            lifecycle=TerraformResourceLifecycle(prevent_destroy=protect),
        )
        self.service_agent = compute_service_agent(self.project.number)
        self.binding = KmsCryptoKeyIamMember(
            self,
            "compute-agent",
            crypto_key_id=self.key.id,
            role=ENCRYPTER_DECRYPTER,
            member=f"serviceAccount:{self.service_agent}",
        )

    @property
    def id(self) -> str:
        """The key's id (``projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/pd-volumes``)."""
        return self.key.id
