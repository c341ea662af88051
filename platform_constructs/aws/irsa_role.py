"""An IAM role for one Kubernetes service account (IRSA: IAM roles for service accounts)."""

from __future__ import annotations

from constructs import Construct
from cdktf import Fn, TerraformLocal, Token

from platform_constructs.aws.managed_policy_role import ManagedPolicyRole


def issuer_host_path(scope: Construct, issuer_url: str) -> str:
    """The OIDC issuer without ``https://``: the prefix of IAM's condition keys (``<issuer>:sub``).

    A literal URL is cut here. A reference (the cluster's issuer, known after apply) becomes a
    Terraform local ``issuer`` in ``scope`` holding ``replace(<issuer>, "https://", "")``, so the
    trust policy only embeds ``${local...}``: its string stays valid JSON before Terraform fills
    it in (a ``replace`` call inline would put quotes inside a JSON key).
    """
    if Token.is_unresolved(issuer_url):
        return TerraformLocal(scope, "issuer", Fn.replace(issuer_url, "https://", "")).as_string
    return issuer_url.removeprefix("https://")


class IrsaRole(ManagedPolicyRole):
    """Role ``name`` that only the service account ``namespace/service_account`` of one cluster can assume.

    Trust: ``sts:AssumeRoleWithWebIdentity`` from the cluster's IAM OIDC provider, with
    ``<issuer>:sub = system:serviceaccount:<namespace>:<service_account>`` and
    ``<issuer>:aud = sts.amazonaws.com`` (both ``StringEquals``: no wildcards, so no other
    service account or audience of the cluster matches). An EKS add-on takes :attr:`arn` as its
    ``service_account_role_arn``; a chart's service account takes :attr:`annotations`.

    :param name: the IAM role name (at most 64 characters).
    :param oidc_provider_arn: the cluster's ``aws_iam_openid_connect_provider`` ARN.
    :param issuer_url: the cluster's OIDC issuer URL (with or without ``https://``).
    :param namespace: the service account's namespace.
    :param service_account: the service account's name.
    :param managed_policies: names of AWS-managed policies to attach. Default: none.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, oidc_provider_arn: str, issuer_url: str,
                 namespace: str, service_account: str, managed_policies: list[str] | None = None):
        self.oidc_provider_arn = oidc_provider_arn
        self.issuer_url = issuer_url
        #: The token subject the role trusts.
        self.subject = f"system:serviceaccount:{namespace}:{service_account}"
        super().__init__(scope, id, name=name, managed_policies=managed_policies)

    def trust_policy(self) -> dict:
        issuer = issuer_host_path(self, self.issuer_url)
        return {
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Federated": self.oidc_provider_arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {
                    f"{issuer}:sub": self.subject,
                    f"{issuer}:aud": "sts.amazonaws.com",
                }},
            }],
        }

    @property
    def annotations(self) -> dict[str, str]:
        """What the service account needs to use the role."""
        return {"eks.amazonaws.com/role-arn": self.role.arn}
