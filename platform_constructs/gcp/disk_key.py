"""A Cloud KMS key for the cluster's Persistent Disk volumes (CMEK), usable by the Compute Engine service agent."""

from __future__ import annotations

from platform_constructs.gcp.kms import AgentKey

#: The key's name inside its ring.
KEY_NAME = "pd-volumes"


def compute_service_agent(project_number: str) -> str:
    """The Compute Engine service agent, which encrypts and decrypts CMEK Persistent Disks."""
    return f"service-{project_number}@compute-system.iam.gserviceaccount.com"


class DiskEncryptionKey(AgentKey):
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

    KEY_NAME = KEY_NAME
    BINDING_ID = "compute-agent"

    @staticmethod
    def agent(project_number: str) -> str:
        return compute_service_agent(project_number)
