"""The AWS provider of one stack: region, default tags, and emulator endpoints."""

from __future__ import annotations

from constructs import Construct
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags, AwsProviderEndpoints

from platform_constructs.aws.names import MAX_RESOURCE_TAGS, tag_count_problem
from platform_constructs.spec import EnvironmentSpec

#: Services whose endpoint is pointed at ``aws.endpoint`` when an emulator is used.
EMULATED_SERVICES = (
    "autoscaling", "cloudwatch", "cloudwatchlogs", "ec2", "ecr", "efs", "eks", "elasticache",
    "elb", "elbv2", "iam", "kms", "route53", "route53_resolver", "s3", "secretsmanager", "ssm", "sts",
)


def platform_tags(spec: EnvironmentSpec, layer: str) -> dict[str, str]:
    """Tags on every taggable resource, through the provider's default tags (at most AWS's 50 per
    resource with the :data:`~platform_constructs.aws.names.MAX_RESOURCE_TAGS` a resource adds)."""
    tags = spec.platform_tags(layer)
    problem = tag_count_problem(len(tags) + MAX_RESOURCE_TAGS)
    if problem:
        raise ValueError(f"tags: the default tags {problem}")
    return tags


def aws_provider(scope: Construct, spec: EnvironmentSpec, layer: str) -> AwsProvider:
    endpoint = spec.aws.endpoint
    emulated = endpoint is not None
    return AwsProvider(
        scope,
        "aws",
        region=spec.region,
        default_tags=[AwsProviderDefaultTags(tags=platform_tags(spec, layer))],
        endpoints=[AwsProviderEndpoints(**{s: endpoint for s in EMULATED_SERVICES})] if emulated else None,
        s3_use_path_style=True if emulated else None,
        skip_credentials_validation=True if emulated else None,
        skip_metadata_api_check="true" if emulated else None,
        skip_region_validation=True if emulated else None,
        skip_requesting_account_id=True if emulated else None,
    )
