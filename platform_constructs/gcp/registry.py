"""The data stack's container registry on GCP: one Artifact Registry Docker repository, CMEK, pull-only for nodes."""

from __future__ import annotations

from collections.abc import Sequence

from constructs import Construct
from cdktf import ITerraformDependable, TerraformResourceLifecycle
from cdktf_cdktf_provider_google.artifact_registry_repository import (
    ArtifactRegistryRepository,
    ArtifactRegistryRepositoryCleanupPolicies,
    ArtifactRegistryRepositoryCleanupPoliciesCondition,
    ArtifactRegistryRepositoryDockerConfig,
    ArtifactRegistryRepositoryVulnerabilityScanningConfig,
)
from cdktf_cdktf_provider_google.artifact_registry_repository_iam_member import ArtifactRegistryRepositoryIamMember

from platform_constructs.gcp.names import artifact_registry_repository_problem

#: Days after which an untagged image (a manifest no tag points at any more) is deleted.
UNTAGGED_DAYS = 14
#: Image pulls, nothing else.
READER = "roles/artifactregistry.reader"


def repository_name(project: str, location: str, repository_id: str) -> str:
    """The repository's full name, ``projects/<project>/locations/<region>/repositories/<id>`` (the
    resource's Terraform id too), known at synth: what an IAM grant on the repository names."""
    return f"projects/{project}/locations/{location}/repositories/{repository_id}"


def registry_url(region: str, project: str, repository_id: str) -> str:
    """Where images are pushed and pulled: ``<region>-docker.pkg.dev/<project>/<repository>``."""
    return f"{region}-docker.pkg.dev/{project}/{repository_id}"


class GcpRegistry(Construct):
    """An Artifact Registry ``DOCKER`` repository holding the environment's images.

    - Images ``<registry_url>/<name>`` for each of ``images`` (Artifact Registry creates an image's
      path on its first push: the list documents what the repository is for).
    - Encrypted with ``kms_key_id`` (CMEK; the key's grant goes to Artifact Registry's service agent).
    - Immutable tags: a pushed tag never moves to another image.
    - Cleanup policy: untagged images older than ``untagged_days`` are deleted
      (``cleanup_policy_dry_run`` false: the policy acts). Vulnerability scanning as the project sets it.
    - ``readers`` (IAM members: the node service account) get ``roles/artifactregistry.reader`` on
      this repository only. Pushing is a grant a later layer gives the CI/CD identity.
    - Never public (no ``allUsers`` member); ``prevent_destroy`` when ``protect``.

    :param repository_id: the repository's id (lowercase letters, digits and '-', at most 63).
    :param project: the repository's project.
    :param location: the region.
    :param kms_key_id: the Cloud KMS key (same region).
    :param images: the image names kept there. Default: none.
    :param readers: IAM members that may pull. Default: none.
    :param untagged_days: days before an untagged image is deleted. Default: :data:`UNTAGGED_DAYS`.
    :param protect: ``prevent_destroy``. Default: true.
    :param depends_on: created after these (the key's grant to the service agent). Default: none.
    """

    def __init__(self, scope: Construct, id: str, *, repository_id: str, project: str, location: str,
                 kms_key_id: str, images: Sequence[str] = (), readers: Sequence[str] = (),
                 untagged_days: int = UNTAGGED_DAYS, protect: bool = True,
                 depends_on: Sequence[ITerraformDependable] = ()):
        problems = []
        if artifact_registry_repository_problem(repository_id):
            problems.append(f"repository id {repository_id!r} {artifact_registry_repository_problem(repository_id)} "
                            "(rename the environment)")
        if untagged_days < 1:
            problems.append(f"repository {repository_id!r}: untagged_days {untagged_days} must be at least 1")
        if problems:
            raise ValueError("; ".join(problems))
        super().__init__(scope, id)
        self.url = registry_url(location, project, repository_id)
        #: The full name (:func:`repository_name`), a literal: later stacks grant on it without
        #: reading this stack's state.
        self.resource_name = repository_name(project, location, repository_id)
        self.images = {name: f"{self.url}/{name}" for name in images}
        self.repository = ArtifactRegistryRepository(
            self, "repository",
            repository_id=repository_id,
            project=project,
            location=location,
            format="DOCKER",
            mode="STANDARD_REPOSITORY",
            description=f"Container images: {', '.join(images) or 'none yet'}"[:256],
            kms_key_name=kms_key_id,
            docker_config=ArtifactRegistryRepositoryDockerConfig(immutable_tags=True),
            cleanup_policy_dry_run=False,
            cleanup_policies=[ArtifactRegistryRepositoryCleanupPolicies(
                id="delete-untagged",
                action="DELETE",
                condition=ArtifactRegistryRepositoryCleanupPoliciesCondition(
                    tag_state="UNTAGGED", older_than=f"{untagged_days * 86400}s"),
            )],
            vulnerability_scanning_config=ArtifactRegistryRepositoryVulnerabilityScanningConfig(
                enablement_config="INHERITED"),
            lifecycle=TerraformResourceLifecycle(prevent_destroy=protect),
            depends_on=list(depends_on) or None,
        )
        self.readers = [
            ArtifactRegistryRepositoryIamMember(self, f"reader-{i}", repository=self.repository.name,
                                                location=location, project=project, role=READER, member=member)
            for i, member in enumerate(readers)
        ]

    @property
    def id(self) -> str:
        """The repository's id (``projects/<p>/locations/<r>/repositories/<id>``)."""
        return self.repository.id
