"""Workload identity, cloud-neutral: which Kubernetes service account gets which cloud permissions.

Every kit has one ``workload_identity(...)`` method (see :class:`platform_constructs.kits.Kit`)
that binds a :class:`ServiceAccount` to a cloud identity holding the kit's grants
(:class:`AwsGrants`, :class:`GcpGrants` or :class:`AzureGrants`) and returns a
:class:`WorkloadIdentity`: what a chart or manifest puts on the service account and its pods.
No static keys and no client secrets anywhere: every cloud trusts the cluster's own
service-account tokens.

This module imports no provider package; the kits build the resources.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

#: RFC 1123 label: what a namespace name is (at most 63 characters).
_DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
#: RFC 1123 subdomain: what a service account name is (at most 253 characters).
_DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
#: A component name (``ebs-csi``, ``load-balancer-controller``): part of every cloud identity's name.
_COMPONENT = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")


class InvalidWorkloadIdentity(ValueError):
    """Every problem of one service account or grant set, reported once (one per line)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def _raise_if(problems: list[str]) -> None:
    if problems:
        raise InvalidWorkloadIdentity(problems)


@dataclass(frozen=True)
class ServiceAccount:
    """A Kubernetes service account: ``namespace`` (RFC 1123 label, at most 63 characters) and
    ``name`` (RFC 1123 subdomain, at most 253 characters), as the API server accepts them."""

    namespace: str
    name: str

    def __post_init__(self) -> None:
        problems = []
        if not (isinstance(self.namespace, str) and len(self.namespace) <= 63
                and _DNS1123_LABEL.fullmatch(self.namespace)):
            problems.append(f"service account namespace {self.namespace!r} is not a DNS-1123 label: use at most 63 "
                            "lowercase letters, digits and '-', starting and ending with a letter or digit")
        if not (isinstance(self.name, str) and len(self.name) <= 253 and _DNS1123_SUBDOMAIN.fullmatch(self.name)):
            problems.append(f"service account name {self.name!r} is not a DNS-1123 subdomain: use at most 253 "
                            "lowercase letters, digits, '-' and '.', each dot-separated part starting and ending "
                            "with a letter or digit")
        _raise_if(problems)

    @property
    def subject(self) -> str:
        """The ``sub`` of the account's tokens: ``system:serviceaccount:<namespace>:<name>``."""
        return f"system:serviceaccount:{self.namespace}:{self.name}"

    def __str__(self) -> str:
        return f"{self.namespace}/{self.name}"


def _strings(value, what: str, problems: list[str]) -> tuple[str, ...]:
    """``value`` as a tuple of non-empty strings (a list is accepted), noting what is wrong."""
    if isinstance(value, str) or not isinstance(value, (tuple, list)):
        problems.append(f"{what} must be a tuple of strings, got {value!r}")
        return ()
    items = tuple(value)
    for item in items:
        if not isinstance(item, str) or not item.strip():
            problems.append(f"{what} holds {item!r}: each entry must be a non-empty string")
    if all(isinstance(item, str) for item in items) and len(set(items)) != len(items):
        problems.append(f"{what} names an entry twice: {items!r}")
    return items


#: Actions whose ``Allow`` would let a workload do anything, or grant itself more.
_AWS_REFUSED_ACTIONS = ("*", "iam:*", "sts:*")


@dataclass(frozen=True)
class AwsGrants:
    """What an AWS workload identity may do.

    :param managed_policies: names of AWS-managed policies, partition-free
        (``service-role/AmazonEBSCSIDriverPolicy``); the kit builds each ARN in the stack's
        partition. Default: none.
    :param inline_policy: an IAM policy document (``{"Statement": [...]}``) attached to the role
        as its own inline policy: the least-privilege part (a component's published policy, or
        actions on named resources). ``Version`` defaults to ``2012-10-17``. An ``Allow`` of
        ``*``, ``iam:*`` or ``sts:*``, or any ``NotAction`` allow, is refused. Default: none.
    """

    managed_policies: tuple[str, ...] = ()
    inline_policy: dict | None = None

    def __post_init__(self) -> None:
        problems: list[str] = []
        policies = _strings(self.managed_policies, "managed_policies", problems)
        for name in policies:
            if isinstance(name, str) and name.startswith("arn:"):
                problems.append(f"managed policy {name!r} is an ARN: give the policy's name "
                                "(like service-role/AmazonEBSCSIDriverPolicy); the partition is filled in")
        object.__setattr__(self, "managed_policies", policies)
        if self.inline_policy is not None:
            object.__setattr__(self, "inline_policy", _policy_document(self.inline_policy, problems))
        _raise_if(problems)


def _policy_document(doc, problems: list[str]) -> dict:
    if not isinstance(doc, dict):
        problems.append(f"inline_policy must be an IAM policy document (a dict), got {type(doc).__name__}")
        return {}
    statements = doc.get("Statement")
    if not isinstance(statements, list) or not statements:
        problems.append("inline_policy has no statements: give {'Statement': [{'Effect': 'Allow', "
                        "'Action': [...], 'Resource': [...]}]}")
        return doc
    for i, statement in enumerate(statements):
        if not isinstance(statement, dict) or statement.get("Effect") not in ("Allow", "Deny"):
            problems.append(f"inline_policy statement {i}: Effect must be 'Allow' or 'Deny'")
            continue
        if "Action" not in statement and "NotAction" not in statement:
            problems.append(f"inline_policy statement {i}: name its actions ('Action')")
        if "Resource" not in statement and "NotResource" not in statement:
            problems.append(f"inline_policy statement {i}: name its resources ('Resource')")
        if statement["Effect"] != "Allow":
            continue
        if "NotAction" in statement:
            problems.append(f"inline_policy statement {i}: an Allow with NotAction grants everything else; "
                            "list the actions instead")
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        for action in actions:
            if isinstance(action, str) and action.lower() in _AWS_REFUSED_ACTIONS:
                problems.append(f"inline_policy statement {i}: Allow {action!r} is not least privilege; "
                                "list the actions the workload calls")
    return {"Version": "2012-10-17", **doc}


#: Basic roles: every service of the project (owner and editor also let it grant itself more).
_GCP_BASIC_ROLES = ("roles/owner", "roles/editor", "roles/viewer")
_GCP_ROLE = re.compile(r"roles/[A-Za-z0-9_.]+|(projects|organizations)/[^/]+/roles/[A-Za-z0-9_.]+")


@dataclass(frozen=True)
class GcsBucketRole:
    """One IAM role on one Cloud Storage bucket (``google_storage_bucket_iam_member``), optionally
    only on the objects under ``prefix`` (an IAM condition on the object's name).

    :param bucket: the bucket's name (may be a token).
    :param role: like ``roles/storage.objectViewer`` or ``roles/storage.objectUser``.
    :param prefix: a folder inside the bucket (``team-a``). Default: the whole bucket.
    """

    bucket: str
    role: str
    prefix: str | None = None

    def __post_init__(self) -> None:
        problems = []
        if not isinstance(self.bucket, str) or not self.bucket.strip():
            problems.append(f"bucket role bucket {self.bucket!r} must be a bucket name")
        if not isinstance(self.role, str) or not self.role.startswith("roles/storage."):
            problems.append(f"bucket role {self.role!r} is not a Cloud Storage role like roles/storage.objectViewer")
        if self.prefix is not None and (not isinstance(self.prefix, str) or not self.prefix.strip("/")):
            problems.append(f"bucket role prefix {self.prefix!r} must be a folder name like team-a, or None")
        _raise_if(problems)

    @property
    def condition_expression(self) -> str | None:
        """The CEL condition limiting the role to ``prefix`` (None for the whole bucket)."""
        if self.prefix is None:
            return None
        folder = self.prefix.strip("/")
        return (f'resource.name.startsWith("projects/_/buckets/{self.bucket}/objects/{folder}/") || '
                f'resource.type == "storage.googleapis.com/Bucket"')


def _gcp_role_problem(role: str) -> str | None:
    """Why ``role`` may not be granted to a workload (a basic role, or not a role name), else None."""
    if role in _GCP_BASIC_ROLES:
        return (f"project role {role!r} is a basic role spanning every service: "
                "name the predefined role the workload needs")
    if not _GCP_ROLE.fullmatch(role):
        return (f"project role {role!r} is not a role name like roles/storage.objectViewer "
                "or projects/<project>/roles/<id>")
    return None


@dataclass(frozen=True)
class ConditionalProjectRole:
    """One IAM role on the cluster's project, granted only where an IAM condition holds
    (``google_project_iam_member`` with a ``condition``): e.g. ``roles/secretmanager.secretAccessor``
    on the secrets whose name starts with a prefix.

    :param role: a predefined or custom role (basic roles are refused).
    :param title: the condition's title (at most 100 characters; part of the binding's identity).
    :param expression: the CEL expression (may hold a Terraform token, e.g. the project number).
    :param description: what the condition allows. Default: none.
    """

    role: str
    title: str
    expression: str
    description: str | None = None

    def __post_init__(self) -> None:
        problems = []
        if not isinstance(self.role, str) or not self.role.strip():
            problems.append(f"conditional project role {self.role!r} must be a role name like "
                            "roles/secretmanager.secretAccessor")
        else:
            problem = _gcp_role_problem(self.role)
            if problem:
                problems.append(problem)
        if not isinstance(self.title, str) or not self.title.strip() or len(self.title) > 100:
            problems.append(f"condition title {self.title!r} must be 1-100 characters")
        if not isinstance(self.expression, str) or not self.expression.strip():
            problems.append(f"role {self.role!r}: the condition expression must be a CEL expression, "
                            f"got {self.expression!r}")
        _raise_if(problems)


@dataclass(frozen=True)
class ArtifactRepositoryRole:
    """One IAM role on one Artifact Registry repository (``google_artifact_registry_repository_iam_member``).

    :param repository: the repository's full name ``projects/<p>/locations/<region>/repositories/<id>``
        (may be a token).
    :param role: an Artifact Registry role. Default: ``roles/artifactregistry.reader`` (pull only).
    """

    repository: str
    role: str = "roles/artifactregistry.reader"

    def __post_init__(self) -> None:
        problems = []
        if not isinstance(self.repository, str) or not self.repository.strip():
            problems.append(f"repository role repository {self.repository!r} must be a repository's name "
                            "(projects/<p>/locations/<region>/repositories/<id>)")
        if not isinstance(self.role, str) or not self.role.startswith("roles/artifactregistry."):
            problems.append(f"repository role {self.role!r} is not an Artifact Registry role like "
                            "roles/artifactregistry.reader")
        _raise_if(problems)


def _typed(value, kind: type, what: str, problems: list[str]) -> tuple:
    """``value`` (a tuple or list of ``kind``) as a tuple, noting what is wrong."""
    items = tuple(value) if isinstance(value, (tuple, list)) else None
    if items is None or any(not isinstance(item, kind) for item in items):
        problems.append(f"{what} must be a tuple of {kind.__name__}, got {value!r}")
        return ()
    return items


@dataclass(frozen=True)
class GcpGrants:
    """What a GCP workload identity may do.

    :param project_roles: IAM roles on the cluster's project (``roles/storage.objectViewer``, or a
        custom ``projects/<p>/roles/<id>``). Basic roles (owner, editor, viewer) are refused.
        Default: none (the identity exists and can be granted resource-level roles elsewhere).
    :param bucket_roles: roles on single buckets (:class:`GcsBucketRole`). Default: none.
    :param conditional_project_roles: roles on the project limited by an IAM condition
        (:class:`ConditionalProjectRole`). Default: none.
    :param repository_roles: roles on single Artifact Registry repositories
        (:class:`ArtifactRepositoryRole`). Default: none.
    """

    project_roles: tuple[str, ...] = ()
    bucket_roles: tuple[GcsBucketRole, ...] = ()
    conditional_project_roles: tuple[ConditionalProjectRole, ...] = ()
    repository_roles: tuple[ArtifactRepositoryRole, ...] = ()

    def __post_init__(self) -> None:
        problems: list[str] = []
        bucket_roles = tuple(self.bucket_roles) if isinstance(self.bucket_roles, (tuple, list)) else None
        if bucket_roles is None or any(not isinstance(b, GcsBucketRole) for b in bucket_roles):
            problems.append(f"bucket_roles must be a tuple of GcsBucketRole, got {self.bucket_roles!r}")
        else:
            object.__setattr__(self, "bucket_roles", bucket_roles)
        roles = _strings(self.project_roles, "project_roles", problems)
        for role in roles:
            if not isinstance(role, str):
                continue
            problem = _gcp_role_problem(role)
            if problem:
                problems.append(problem)
        object.__setattr__(self, "project_roles", roles)
        conditional = _typed(self.conditional_project_roles, ConditionalProjectRole, "conditional_project_roles",
                             problems)
        titles = [(c.role, c.title) for c in conditional]
        if len(set(titles)) != len(titles):
            problems.append("conditional_project_roles names the same role with the same condition title twice: "
                            "give each condition its own title")
        object.__setattr__(self, "conditional_project_roles", conditional)
        repository_roles = _typed(self.repository_roles, ArtifactRepositoryRole, "repository_roles", problems)
        if len(set(repository_roles)) != len(repository_roles):
            problems.append("repository_roles names the same role on the same repository twice")
        object.__setattr__(self, "repository_roles", repository_roles)
        _raise_if(problems)

    def __add__(self, other: "GcpGrants") -> "GcpGrants":
        """Both grant sets in one (``a + b``): what an identity holding ``a`` and ``b`` may do."""
        if not isinstance(other, GcpGrants):
            return NotImplemented
        return GcpGrants(
            project_roles=self.project_roles + tuple(r for r in other.project_roles if r not in self.project_roles),
            bucket_roles=self.bucket_roles + other.bucket_roles,
            conditional_project_roles=self.conditional_project_roles + other.conditional_project_roles,
            repository_roles=self.repository_roles + other.repository_roles,
        )


#: Built-in roles that let their holder grant access to others (itself included).
_AZURE_REFUSED_ROLES = ("Owner", "User Access Administrator", "Role Based Access Control Administrator")


@dataclass(frozen=True)
class AzureRoleAssignment:
    """One Azure role on one scope: ``role_definition_name`` (a built-in or custom role's name,
    like ``Storage Blob Data Contributor``) on ``scope`` (a resource id, often a token), optionally
    narrowed by an attribute-based ``condition`` (version 2.0, e.g. a blob path prefix).
    Default condition: none."""

    role_definition_name: str
    scope: str
    condition: str | None = None

    def __post_init__(self) -> None:
        problems = []
        if not isinstance(self.role_definition_name, str) or not self.role_definition_name.strip():
            problems.append(f"role assignment role_definition_name {self.role_definition_name!r} must be a role's name")
        elif self.role_definition_name in _AZURE_REFUSED_ROLES:
            problems.append(f"role {self.role_definition_name!r} lets the workload grant access itself: "
                            "name the data or resource role it needs")
        if not isinstance(self.scope, str) or not self.scope.strip():
            problems.append(f"role assignment scope {self.scope!r} must be a resource id")
        _raise_if(problems)


@dataclass(frozen=True)
class AzureGrants:
    """What an Azure workload identity may do: :class:`AzureRoleAssignment` s. Default: none."""

    role_assignments: tuple[AzureRoleAssignment, ...] = ()

    def __post_init__(self) -> None:
        problems = []
        if isinstance(self.role_assignments, (tuple, list)):
            assignments = tuple(self.role_assignments)
        else:
            problems.append(f"role_assignments must be a tuple of AzureRoleAssignment, got {self.role_assignments!r}")
            assignments = ()
        strays = [item for item in assignments if not isinstance(item, AzureRoleAssignment)]
        for item in strays:
            problems.append(f"role_assignments holds {item!r}: use AzureRoleAssignment(role_definition_name, scope)")
        if not strays and len(set(assignments)) != len(assignments):
            problems.append("role_assignments names the same role on the same scope twice")
        object.__setattr__(self, "role_assignments", assignments)
        _raise_if(problems)


def blob_prefix_condition(container: str, prefix: str, *, write: bool) -> str:
    """An Azure ABAC condition (version 2.0) limiting blob data actions to ``<container>/<prefix>/``:
    reads (and, with ``write``, writes and deletes) outside the prefix are refused; listing is
    allowed with the prefix given."""
    folder = prefix.strip("/")
    blob = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs"
    actions = [f"{blob}/read"] + ([f"{blob}/write", f"{blob}/delete", f"{blob}/add/action"] if write else [])
    ops = " OR ".join(f"!(ActionMatches{{'{a}'}})" for a in actions)
    path = (f"@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '{container}' "
            f"AND @Resource[{blob}:path] StringStartsWith '{folder}/'")
    return f"(({ops}) OR ({path}))"


#: What a kit's ``workload_identity`` accepts: the grants of that kit's cloud.
Grants = AwsGrants | GcpGrants | AzureGrants


def grants_for(cloud: str, grants: Grants | None, expected: type) -> Grants:
    """``grants`` when they are ``expected`` (the kit's own type), the empty set for ``None``;
    a ``TypeError`` naming the fix for another cloud's grants."""
    if grants is None:
        return expected()
    if not isinstance(grants, expected):
        raise TypeError(f"the {cloud} kit's workload identity takes {expected.__name__}, "
                        f"got {type(grants).__name__}: give the grants of the environment's cloud")
    return grants


@dataclass(frozen=True)
class WorkloadIdentity:
    """What a kit returns for one bound service account.

    ``annotations`` go on the ServiceAccount object, ``pod_labels`` on the pods that use it
    (both may hold Terraform tokens, known after apply).
    """

    service_account: ServiceAccount
    #: The cloud identity: AWS the IAM role ARN, GCP the Google service account's email,
    #: Azure the user-assigned identity's principal (object) id.
    principal: str
    #: ServiceAccount annotations (empty for EKS Pod Identity, which needs none).
    annotations: dict[str, str] = field(default_factory=dict)
    #: Pod labels (Azure's webhook selects pods by label; empty on the other clouds).
    pod_labels: dict[str, str] = field(default_factory=dict)


def check_component(name: str) -> str:
    """``name`` when it is a component name (a DNS label of at most 40 characters), else a ValueError."""
    if not (isinstance(name, str) and len(name) <= 40 and _COMPONENT.fullmatch(name)):
        raise InvalidWorkloadIdentity([
            f"workload identity name {name!r} is not a component name: use at most 40 lowercase letters, "
            "digits and '-', starting with a letter (like ebs-csi)"])
    return name


def bounded_name(base: str, limit: int) -> str:
    """``base`` when it fits in ``limit`` characters; else its head and a 6-character hash of the
    whole (deterministic, and distinct for names that share a long prefix)."""
    if len(base) <= limit:
        return base
    digest = hashlib.sha256(base.encode()).hexdigest()[:6]
    return f"{base[:limit - 7].rstrip('-_.')}-{digest}"
