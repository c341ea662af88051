"""A Cloud KMS key for GKE application-layer secrets encryption, usable by the GKE service agent."""

from __future__ import annotations

from constructs import Construct
from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_google.data_google_project import DataGoogleProject
from cdktf_cdktf_provider_google.kms_crypto_key import KmsCryptoKey
from cdktf_cdktf_provider_google.kms_crypto_key_iam_member import KmsCryptoKeyIamMember
from cdktf_cdktf_provider_google.kms_key_ring import KmsKeyRing

ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"


class SecretsEncryptionKey(Construct):
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
        super().__init__(scope, id)
        self.project = DataGoogleProject(self, "project", project_id=project)
        self.key_ring = KmsKeyRing(self, "key-ring", name=name, location=location, project=project)
        self.key = KmsCryptoKey(
            self,
            "key",
            name="gke-secrets",
            key_ring=self.key_ring.id,
            purpose="ENCRYPT_DECRYPT",
            rotation_period=f"{rotation_days * 86400}s",
            lifecycle=TerraformResourceLifecycle(prevent_destroy=protect),
        )
        self.service_agent = f"service-{self.project.number}@container-engine-robot.iam.gserviceaccount.com"
        self.binding = KmsCryptoKeyIamMember(
            self,
            "gke-agent",
            crypto_key_id=self.key.id,
            role=ENCRYPTER_DECRYPTER,
            member=f"serviceAccount:{self.service_agent}",
        )

    @property
    def id(self) -> str:
        """The key's id (``projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>``)."""
        return self.key.id
