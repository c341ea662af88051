"""Nothing silently ignored: a field that has no effect for this file is refused.

A setting the platform does not use in the file's combination (a tenant's folder without the
``app`` bucket, observability settings with observability off, an S3 state key with
encryption off) would look as if it did something in review while the synthesized stacks (or
Terraform) never read it. Each rule here says why it has no effect and what to do instead:
``<field> has no effect because <reason>: remove it, or <fix>``.

Defaults restated by a file are not refused (a file may spell out ``size: small`` with
observability off): only values that differ from the field's default (:func:`differs`).

The neutral rules are :func:`ignored_field_violations`, called from
:meth:`~platform_constructs.spec.environment.EnvironmentBase.ignored_violations`; each cloud's model
adds its own there (``<cloud>/spec.py``).
"""

from __future__ import annotations

from pydantic import BaseModel

from platform_constructs.spec.common import Problem, shown
from platform_constructs.spec.data import APP_BUCKET, BACKUP_BUCKET


def differs(model: BaseModel, field: str) -> bool:
    """``field`` is set in the file to a value other than its default (a restated default is not)."""
    if field not in model.model_fields_set:
        return False
    default = type(model).model_fields[field].get_default(call_default_factory=True)
    return getattr(model, field) != default


def no_effect(path: str, reason: str, fix: str) -> Problem:
    """The (path, message) of a field that has no effect: ``has no effect because <reason>: <fix>``
    (``fix`` is usually ``remove it, or <what makes it work>``)."""
    return (path, f"has no effect because {reason}: {fix}")


def observability_ignored(cloud: str, observability) -> list[Problem]:
    """``observability.<field>`` other than its default while ``observability.enabled`` is false
    (``storage`` off ``cloud: kubernetes`` is refused by ``storage_violations`` already)."""
    if observability.enabled:
        return []
    fields = [f for f in type(observability).model_fields if f != "enabled"]
    if cloud != "kubernetes":
        fields.remove("storage")
    return [no_effect(f"observability.{f}", "observability.enabled is false (no observability stack is built)",
                      "remove it, or set observability.enabled: true")
            for f in fields if differs(observability, f)]


def backend_ignored(backend) -> list[Problem]:
    """``backend.kms_key_id`` with ``encrypt: false``: Terraform's S3 backend uses the key only to
    encrypt the state object, which it then does not."""
    if getattr(backend, "type", None) == "s3" and backend.kms_key_id is not None and not backend.encrypt:
        return [no_effect("backend.kms_key_id", "backend.encrypt is false (Terraform's S3 backend uses the key only "
                                                "when it encrypts the state)", "remove it, or set encrypt: true")]
    return []


def data_ignored(data) -> list[Problem]:
    """``data.archive_after_days`` without the ``backup`` bucket; ``data.bucket_prefix`` without buckets."""
    out: list[Problem] = []
    if BACKUP_BUCKET not in data.buckets and differs(data, "archive_after_days"):
        out.append(no_effect("data.archive_after_days",
                             f"data.buckets does not list {BACKUP_BUCKET!r}, the only bucket it archives",
                             f"remove it, or add {BACKUP_BUCKET} to data.buckets"))
    if not data.buckets and data.bucket_prefix is not None:
        out.append(no_effect("data.bucket_prefix", "data.buckets is empty (no data bucket to name)",
                             "remove it, or list the buckets in data.buckets"))
    return out


def tenant_bucket_ignored(tenants, buckets: list[str]) -> list[Problem]:
    """``tenants.<i>.bucket_prefix`` when ``data.buckets`` has no ``app`` bucket: the tenant's
    identity gets no bucket folder then."""
    if APP_BUCKET in buckets:
        return []
    return [no_effect(f"tenants.{i}.bucket_prefix",
                      f"data.buckets has no {APP_BUCKET!r} bucket, so the tenant gets no folder "
                      f"({shown(tenant.bucket_prefix)})", f"remove it, or add {APP_BUCKET} to data.buckets")
            for i, tenant in enumerate(tenants) if tenant.bucket_prefix is not None]


def ignored_field_violations(env) -> list[Problem]:
    """The neutral rules: observability settings while it is off, the S3 state key without
    encryption, and (for a cloud with a data layer) data and tenant bucket settings without their
    buckets."""
    out = observability_ignored(env.cloud, env.observability)
    out.extend(backend_ignored(env.backend))
    data = getattr(env, "data", None)
    if data is not None:
        out.extend(data_ignored(data))
        out.extend(tenant_bucket_ignored(env.tenants, data.buckets))
    return out
