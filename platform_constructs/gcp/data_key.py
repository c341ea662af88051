"""A Cloud KMS key of the data stack's key ring, usable by the Google service agents of one service only."""

from __future__ import annotations

from collections.abc import Sequence

from constructs import Construct
from cdktf_cdktf_provider_google.kms_crypto_key_iam_member import KmsCryptoKeyIamMember

from platform_constructs.gcp.kms import ENCRYPTER_DECRYPTER, rotating_key


def artifact_registry_agent(project_number: str) -> str:
    """Artifact Registry's service agent, which encrypts CMEK repositories."""
    return f"service-{project_number}@gcp-sa-artifactregistry.iam.gserviceaccount.com"


def memorystore_agent(project_number: str) -> str:
    """Memorystore's service agent, which encrypts CMEK Memorystore for Valkey instances
    (https://cloud.google.com/memorystore/docs/valkey/use-cmek)."""
    return f"service-{project_number}@gcp-sa-memorystore.iam.gserviceaccount.com"


class DataKey(Construct):
    """A symmetric key ``name`` in ``key_ring`` (rotated every ``rotation_days``) and the
    encrypter/decrypter binding of each of ``agents`` (service agent emails) on it, nobody else.

    One key per service (Cloud Storage, Artifact Registry, Memorystore): a service agent reaches
    only the key of its own service. The key ring is the data stack's (``<env>-data``, shared
    with the Persistent Disk key); the key lives as long as anything it encrypts.

    :param key_ring: the ring's id.
    :param name: the key's name inside the ring.
    :param agents: the service agents' emails (may be tokens) that encrypt with it.
    :param rotation_days: days between key versions. Default: 90.
    :param protect: ``prevent_destroy`` on the key: destroying it makes what it encrypts
        unreadable. Default: true.
    """

    def __init__(self, scope: Construct, id: str, *, key_ring: str, name: str, agents: Sequence[str],
                 rotation_days: int = 90, protect: bool = True):
        if not 1 <= rotation_days <= 90:
            raise ValueError(f"key {name!r}: rotation_days {rotation_days} must be 1-90 (e.g. 90)")
        if not agents:
            raise ValueError(f"key {name!r} has no service agent: name the agent that encrypts with it")
        super().__init__(scope, id)
        self.key = rotating_key(self, name=name, key_ring=key_ring, rotation_days=rotation_days, protect=protect)
        self.bindings = [
            KmsCryptoKeyIamMember(self, f"agent-{i}", crypto_key_id=self.key.id, role=ENCRYPTER_DECRYPTER,
                                  member=f"serviceAccount:{agent}")
            for i, agent in enumerate(agents)
        ]

    @property
    def id(self) -> str:
        """The key's id (``projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>``)."""
        return self.key.id
