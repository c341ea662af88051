"""Disks, file systems, buckets, log groups, secrets and Kubernetes secrets are encrypted."""

from platform_constructs.invariants import Rule, Violation, as_list, resources


def _refs(doc, rtype):
    """Logical ids of ``rtype`` that some resource's ``bucket`` points at (SSE configurations)."""
    return {body.get("bucket") for _, body in resources(doc, rtype)}


def check(stack, doc, spec):
    for address, body in resources(doc, "aws_launch_template"):
        for mapping in as_list(body.get("block_device_mappings")):
            ebs = as_list(mapping.get("ebs"))
            if ebs and str(ebs[0].get("encrypted")).lower() != "true":
                yield Violation(stack, address, f"disk {mapping.get('device_name')} is not encrypted: set ebs.encrypted = \"true\"")
    for address, body in resources(doc, "aws_ebs_volume"):
        if body.get("encrypted") is not True:
            yield Violation(stack, address, "EBS volume is not encrypted: set encrypted = true")
    for address, body in resources(doc, "aws_efs_file_system"):
        if body.get("encrypted") is not True or not body.get("kms_key_id"):
            yield Violation(stack, address, "file system is not encrypted with a customer key: set encrypted = true and kms_key_id")
    for address, body in resources(doc, "aws_cloudwatch_log_group"):
        if not body.get("kms_key_id"):
            yield Violation(stack, address, "log group is not encrypted with a customer key: set kms_key_id")
    for address, body in resources(doc, "aws_secretsmanager_secret"):
        if not body.get("kms_key_id"):
            yield Violation(stack, address, "secret is not encrypted with a customer key: set kms_key_id")
    encrypted_buckets = _refs(doc, "aws_s3_bucket_server_side_encryption_configuration")
    for address, body in resources(doc, "aws_s3_bucket"):
        if not any(ref and address in ref for ref in encrypted_buckets):
            yield Violation(stack, address, "bucket has no server-side encryption configuration: add "
                                            "aws_s3_bucket_server_side_encryption_configuration with a KMS key")
    for address, body in resources(doc, "aws_eks_cluster"):
        config = as_list(body.get("encryption_config"))
        if not config or "secrets" not in as_list(config[0].get("resources")):
            yield Violation(stack, address, "Kubernetes secrets are not envelope-encrypted: add encryption_config for secrets")
    for address, body in resources(doc, "google_container_cluster"):
        db = as_list(body.get("database_encryption"))
        if not db or db[0].get("state") != "ENCRYPTED":
            yield Violation(stack, address, "Kubernetes secrets are not encrypted with Cloud KMS: set database_encryption")
    for address, body in resources(doc, "google_storage_bucket"):
        if not body.get("encryption"):
            yield Violation(stack, address, "bucket has no customer-managed encryption key: set encryption.default_kms_key_name")


RULE = Rule("encrypted", "disks, file systems, buckets, log groups, secrets and Kubernetes secrets encrypted", check)
