"""The container registry of the data layer on AWS: one private ECR repository per image."""

from __future__ import annotations

import json
from collections.abc import Sequence

from constructs import Construct
from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.ecr_lifecycle_policy import EcrLifecyclePolicy
from cdktf_cdktf_provider_aws.ecr_repository import (
    EcrRepository,
    EcrRepositoryEncryptionConfiguration,
    EcrRepositoryImageScanningConfiguration,
)

from platform_constructs.aws.names import ecr_repository_name, ecr_repository_problem

#: Days an untagged image (a tag moved away from it, or a pushed manifest never tagged) is kept.
UNTAGGED_IMAGE_DAYS = 14


def registry_host(account_id: str, region: str) -> str:
    """The ECR registry host of ``account_id`` in ``region``: ``<account>.dkr.ecr.<region>.amazonaws.com``
    (``.amazonaws.com.cn`` in the China regions)."""
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"{account_id}.dkr.ecr.{region}.{suffix}"


def untagged_expiry_policy(days: int) -> dict:
    """The ECR lifecycle policy expiring untagged images ``days`` days after they were pushed."""
    return {"rules": [{
        "rulePriority": 1,
        "description": f"Expire untagged images after {days} days",
        "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                      "countNumber": days},
        "action": {"type": "expire"},
    }]}


class EcrRepositories(Construct):
    """Private ECR repositories ``<namespace>/<name>``, one per image name.

    - Tags IMMUTABLE: a tag names one image for good (a release is never silently replaced; a
      rebuild needs a new tag).
    - Scan on push (ECR basic scanning).
    - Encrypted with ``kms_key_arn`` (``KMS``): ECR takes a grant on the key when it creates the
      repository, so pulls need no KMS permission of their own.
    - A lifecycle policy expiring untagged images after ``untagged_days``.
    - No repository policy: access is IAM within the account (the nodes pull through the node
      role's ``AmazonEC2ContainerRegistryReadOnly``; pushing is a grant a later layer gives its CI/CD
      identity). ``force_delete`` false: Terraform never deletes a repository that holds images;
      ``prevent_destroy`` (when asked) makes it refuse any plan that would.

    :param namespace: the path before every name (the environment's name).
    :param names: the repositories' names (each at most 40 lowercase characters, see ``data.registry``).
    :param kms_key_arn: the key encrypting the images.
    :param untagged_days: days untagged images are kept. Default: :data:`UNTAGGED_IMAGE_DAYS`.
    :param prevent_destroy: Terraform refuses to destroy a repository. Default: True.
    """

    def __init__(self, scope: Construct, id: str, *, namespace: str, names: Sequence[str], kms_key_arn: str,
                 untagged_days: int = UNTAGGED_IMAGE_DAYS, prevent_destroy: bool = True):
        problems = []
        if not names:
            problems.append("no repository names: list at least one (like api), or build no registry")
        if len(set(names)) != len(names):
            problems.append(f"repository names {', '.join(names)} name one twice: list each once")
        if not isinstance(untagged_days, int) or isinstance(untagged_days, bool) or untagged_days < 1:
            problems.append(f"untagged_days {untagged_days!r} must be a whole number of days (1 or more)")
        for name in names:
            problem = ecr_repository_problem(ecr_repository_name(namespace, name))
            if problem:
                problems.append(f"repository {ecr_repository_name(namespace, name)!r} {problem}")
        if problems:
            raise ValueError("ECR repositories: " + "; ".join(problems))
        super().__init__(scope, id)
        guard = TerraformResourceLifecycle(prevent_destroy=True) if prevent_destroy else None
        self.repositories: dict[str, EcrRepository] = {}
        for name in names:
            repository = EcrRepository(
                self, name, name=ecr_repository_name(namespace, name), image_tag_mutability="IMMUTABLE", force_delete=False,
                image_scanning_configuration=EcrRepositoryImageScanningConfiguration(scan_on_push=True),
                encryption_configuration=[EcrRepositoryEncryptionConfiguration(encryption_type="KMS",
                                                                               kms_key=kms_key_arn)],
                lifecycle=guard,
            )
            EcrLifecyclePolicy(self, f"{name}-lifecycle", repository=repository.name,
                               policy=json.dumps(untagged_expiry_policy(untagged_days)))
            self.repositories[name] = repository

    @property
    def urls(self) -> dict[str, str]:
        """Name -> repository URL (``<host>/<namespace>/<name>``)."""
        return {name: repository.repository_url for name, repository in self.repositories.items()}
