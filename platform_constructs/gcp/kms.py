"""A Cloud KMS key for GKE application-layer secrets encryption, usable by the GKE service agent."""

from __future__ import annotations

from constructs import Construct
from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_google.data_google_project import DataGoogleProject
from cdktf_cdktf_provider_google.kms_crypto_key import KmsCryptoKey
from cdktf_cdktf_provider_google.kms_crypto_key_iam_member import KmsCryptoKeyIamMember
from cdktf_cdktf_provider_google.kms_key_ring import KmsKeyRing

ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"


def rotating_key(scope: Construct, *, name: str, key_ring: str, rotation_days: int, protect: bool) -> KmsCryptoKey:
    """The symmetric key ``name`` in ``key_ring`` (construct id ``key``), a new version every
    ``rotation_days``, ``prevent_destroy`` when ``protect``: every key of the GCP layer."""
    return KmsCryptoKey(
        scope,
        "key",
        name=name,
        key_ring=key_ring,
        purpose="ENCRYPT_DECRYPT",
        rotation_period=f"{rotation_days * 86400}s",
        lifecycle=TerraformResourceLifecycle(prevent_destroy=protect),
    )


class AgentKey(Construct):
    """Key ring ``name`` + symmetric key ``key_name`` (rotated every ``rotation_days``) + the
    encrypter/decrypter binding of the one Google service agent that uses it (``agent``: the
    agent's email from the project number, read from the ``google_project`` data source).

    ``prevent_destroy`` on the key when ``protect``. Key rings cannot be deleted in GCP:
    recreating an environment reuses the name, so import the existing ring
    (``terraform import``) rather than renaming it. Subclasses name the key and the agent.
    """

    #: The key's name inside its ring.
    KEY_NAME: str = ""
    #: Construct id of the agent's binding.
    BINDING_ID: str = ""

    def __init__(self, scope: Construct, id: str, *, name: str, project: str, location: str,
                 rotation_days: int = 90, protect: bool = True):
        if not 1 <= rotation_days <= 90:
            raise ValueError(f"key rotation_days {rotation_days} must be 1-90 (e.g. 90)")
        super().__init__(scope, id)
        self.project = DataGoogleProject(self, "project", project_id=project)
        self.key_ring = KmsKeyRing(self, "key-ring", name=name, location=location, project=project)
        self.key = rotating_key(self, name=self.KEY_NAME, key_ring=self.key_ring.id, rotation_days=rotation_days,
                                protect=protect)
        self.service_agent = self.agent(self.project.number)
        self.binding = KmsCryptoKeyIamMember(
            self,
            self.BINDING_ID,
            crypto_key_id=self.key.id,
            role=ENCRYPTER_DECRYPTER,
            member=f"serviceAccount:{self.service_agent}",
        )

    @staticmethod
    def agent(project_number: str) -> str:
        raise NotImplementedError

    @property
    def id(self) -> str:
        """The key's id (``projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>``)."""
        return self.key.id


class SecretsEncryptionKey(AgentKey):
    """Key ring + symmetric key (rotated) + the GKE service agent's encrypter/decrypter binding.

    - The key ring lives in the cluster's region (GKE requires a key in the same location).
    - Rotation every ``rotation_days`` (default 90).
    - ``prevent_destroy`` on the key when ``protect`` (default true): destroying it would
      make every secret of the cluster unreadable.
    - The GKE service agent is ``service-<project number>@container-engine-robot.iam.gserviceaccount.com``;
      the number is read from the ``google_project`` data source.

    Key rings cannot be deleted in GCP: recreating an environment reuses the name, so
    import the existing ring (``terraform import``) rather than renaming it.
    """

    KEY_NAME = "gke-secrets"
    BINDING_ID = "gke-agent"

    @staticmethod
    def agent(project_number: str) -> str:
        return f"service-{project_number}@container-engine-robot.iam.gserviceaccount.com"
