"""A Cloud KMS key for the observability buckets (CMEK), usable by the Cloud Storage service agent only."""

from __future__ import annotations

from cdktf_cdktf_provider_google.data_google_storage_project_service_account import (
    DataGoogleStorageProjectServiceAccount,
)

from platform_constructs.gcp.kms import AgentKey

#: The key's name inside its ring.
KEY_NAME = "observability-buckets"


def key_ring_name(env_name: str) -> str:
    """The observability stack's key ring: ``<env>-observability``."""
    return f"{env_name}-observability"


class ObservabilityBucketKey(AgentKey):
    """Key ring + symmetric key (rotated) + the Cloud Storage service agent's encrypter/decrypter binding.

    Every observability bucket (and their access-log bucket) names this key as its default
    (``encryption.default_kms_key_name``): Cloud Storage, not the workload, encrypts and decrypts
    each object, so the one grant goes to the project's Cloud Storage service agent
    (``service-<project number>@gs-project-accounts.iam.gserviceaccount.com``), read from the
    ``google_storage_project_service_account`` data source, which also creates the agent in a
    project that never used Cloud Storage before. Mimir, Loki and Tempo need no KMS role.

    A bucket and its default key must share a location: the ring lives in the buckets' region.

    :param name: the key ring's name (:func:`key_ring_name`; rings are permanent in GCP: recreating
        an environment reuses it, so import the existing ring rather than renaming it).
    :param project: the project of the ring and of the buckets.
    :param location: the ring's region, the buckets' location.
    :param rotation_days: days between key versions. Default: 90.
    :param protect: ``prevent_destroy`` on the key: destroying it makes every object unreadable.
        Default: true.
    """

    KEY_NAME = KEY_NAME
    BINDING_ID = "storage-agent"

    def agent(self, project_number: str) -> str:  # type: ignore[override]
        """The Cloud Storage service agent's email (the data source, not a formatted guess)."""
        del project_number  # the data source knows the agent; the number is not needed
        self.storage_agent = DataGoogleStorageProjectServiceAccount(
            self, "storage-service-agent", project=self.project.project_id_input,
        )
        return self.storage_agent.email_address
