"""Secrets are never echoed (issue 31, class 6): :func:`masked` / :func:`shown` in every error line, tokens
refused where a secret's name is expected, and secrets refused in tags and labels (plain text everywhere)."""

from __future__ import annotations

import pytest

from platform_constructs.spec import SpecError, parse_environment
from platform_constructs.spec.common import masked, secret_kind, shown

#: (secret, what it is): one of each kind the masking knows. Made-up values of the real formats.
SECRETS = [
    ("ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5", "a GitHub token"),
    ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGH", "a GitHub token"),
    ("glpat-" + "x1Y2z3A4b5C6d7E8f9G0", "a GitLab token"),
    ("glrt-" + "Q1w2E3r4T5y6U7i8O9p0", "a GitLab token"),
    ("AKIAZ3MEXAMPLE7KEYQQ", "an AWS access key id"),
    ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "an AWS secret access key"),
    ("xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOp", "a Slack token"),
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "a JSON Web Token"),
    ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", "a private key"),
    ("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "a random key or token"),
    ("Zx8Qp2Lm7Rt4Vw9Kc3Nb6Hd1Fg5Js0Ya", "a random key or token"),
    ("password=hunter2hunter2", "a password"),
    ("db_password: hunter2hunter2", "a password"),
]
#: URLs whose secret part (the second item) must not survive.
SECRET_URLS = [
    ("https://deploy:hunter2hunter2@git.example.com/acme.git", "hunter2hunter2"),
    ("https://x-access-token:ghs_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3@github.com/acme", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3"),
    ("https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=co&sp=r&sig=Zk9vYmFyYmF6cXV4cXV1eA%3D%3D",
     "Zk9vYmFyYmF6cXV4cXV1eA%3D%3D"),
    ("https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIAZ3M%2F20261101&X-Amz-Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
     "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"),
    ("https://hooks.example.com/notify?token=s3cr3tT0kenValue", "s3cr3tT0kenValue"),
]
#: Values that look nothing like a secret: shown as they are.
NOT_SECRETS = ["ci-runner-token", "office-vpn-psk", "ProductionClusterForTeamAlpha2024", "K8sClusterV2ProdEu1West",
               "arn:aws:iam::111122223333:role/platform-admins", "00000000-0000-0000-0000-000000000000",
               "Standard_D4s_v5", "https://github.com/acme", "n2-standard-4", "observability-s3", "cost_center"]


def secret_part(secret: str) -> str:
    """The part of ``secret`` after its fixed, public prefix (``ghp_``, ``AKIA``...): what must never show."""
    for prefix in ("github_pat_", "ghp_", "glpat-", "glrt-", "AKIA", "xoxb-", "eyJ", "password=", "db_password: "):
        if secret.startswith(prefix):
            return secret[len(prefix):]
    return secret.split("\n")[1] if "PRIVATE KEY" in secret else secret


@pytest.mark.parametrize("secret,kind", SECRETS, ids=lambda v: v[:12] if isinstance(v, str) else v)
def test_each_kind_of_secret_is_recognised_and_masked(secret, kind):
    assert secret_kind(secret) == kind
    for text in (masked(secret), shown(secret), shown(f"prefix {secret} suffix", limit=500), masked(f"[{secret!r}]")):
        assert secret_part(secret) not in text, text
        assert "***" in text


@pytest.mark.parametrize("url,secret", SECRET_URLS, ids=lambda v: v[:30])
def test_urls_keep_their_host_and_lose_their_secret(url, secret):
    assert secret_kind(url) is not None
    text = masked(url)
    assert secret not in text and "***" in text, text
    assert url.split("/")[2].rpartition("@")[2].split("?")[0] in text  # the host stays, to say which URL


@pytest.mark.parametrize("value", NOT_SECRETS)
def test_names_and_ids_are_shown_as_they_are(value):
    assert secret_kind(value) is None
    assert masked(value) == value
    assert shown(value) == repr(value)


def test_every_error_line_is_masked_whoever_built_it():
    """SpecError masks its path and message: a message that echoed a value with ``{value!r}`` leaks nothing."""
    token = SECRETS[0][0]
    err = SpecError("env.yaml", f"tags.{token}", f"value {token!r} is not allowed: see https://u:hunter2hunter2@x.io")
    assert token[4:] not in str(err) and "hunter2hunter2" not in str(err)
    assert str(err).startswith("env.yaml: tags.ghp_***: value 'ghp_***' is not allowed: see https://***@x.io")


def test_prose_is_not_mistaken_for_an_assignment():
    message = "looks like a token itself (a GitHub token): store it in AWS Secrets Manager and give its name"
    assert masked(message, prose=True) == message


# --------------------------------------------------------------------------- through the model

AWS = {
    "name": "masking", "cloud": "aws", "region": "us-east-1", "zones": ["us-east-1a", "us-east-1b", "us-east-1c"],
    "network": {"cidr": "10.0.0.0/16"},
    "cluster": {"admin_principals": ["arn:aws:iam::111122223333:role/platform-admins"], "name": "masking-cluster",
                "kubernetes_version": "1.35",
                "node_pools": [{"name": "general", "instance_types": ["m6i.large"], "min_size": 3, "max_size": 6}]},
}


def refused(doc: dict) -> SpecError:
    with pytest.raises(SpecError) as caught:
        parse_environment(doc, "env.yaml")
    return caught.value


@pytest.mark.parametrize("secret,_kind", SECRETS[:8], ids=lambda v: v[:12] if isinstance(v, str) else v)
def test_a_token_given_as_the_ci_agent_secret_name_is_refused_as_a_token(secret, _kind):
    doc = {**AWS, "addons": {"ci_agent": {"kind": "github", "url": "https://github.com/acme", "secret_name": secret}}}
    err = refused(doc)
    assert err.path == "addons.ci_agent.secret_name"
    assert "looks like a token itself" in err.message and "give its name" in err.message
    assert secret_part(secret) not in str(err)


def test_a_secret_in_a_tag_value_is_refused_and_not_echoed():
    token = SECRETS[0][0]
    err = refused({**AWS, "tags": {"ci": token}})
    assert err.path == "tags.ci" and "plain text" in err.message
    assert token[4:] not in str(err)


def test_a_tag_named_like_a_password_is_refused():
    err = refused({**AWS, "tags": {"db-password": "hunter2"}})
    assert err.path == "tags.db-password" and "hunter2" not in str(err)


def test_a_secret_in_a_node_label_is_refused_and_not_echoed():
    token = "AKIAZ3MEXAMPLE7KEYQQ"
    doc = {**AWS, "cluster": {**AWS["cluster"], "node_pools": [{**AWS["cluster"]["node_pools"][0], "labels": {"k": token}}]}}
    err = refused(doc)
    assert err.path == "cluster.node_pools.0.labels.k" and token[4:] not in str(err)


def test_ordinary_tags_and_secret_names_are_accepted():
    doc = {**AWS, "tags": {"cost-center": "1234", "owner": "platform-team"},
           "addons": {"ci_agent": {"kind": "gitlab", "url": "https://gitlab.com", "secret_name": "ci-runner-token"}}}
    assert parse_environment(doc, "env.yaml").tags["owner"] == "platform-team"
