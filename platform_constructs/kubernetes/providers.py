"""The kubernetes and helm providers of a stack that writes into a cluster (the addons stack).

Both providers are configured the same way, from one :class:`ClusterAccess`: the API
server's URL, its CA certificate, and either a short-lived token read by a data source
at plan time (``aws_eks_cluster_auth``, ``google_client_config``) or a credential plugin
the provider runs (Azure: ``kubelogin``, since AKS local accounts are disabled).

What the provider blocks of the cloud kits never hold, and why:

- no kubeconfig path or context: a machine path makes the plan depend on the machine
  that runs it (and on whatever that file's current context is). The one exception is
  explicit: :class:`KubeconfigAccess`, for ``cloud: kubernetes`` (an existing cluster the
  platform knows nothing else about). Its path and context come from the environment file
  (``kubernetes.kubeconfig``, ``kubernetes.context``, through
  :meth:`KubeconfigAccess.from_environment`), never from code; the context is always named,
  never the file's current one; Terraform reads the file at plan time and synth never opens it;
- no literal token, client key or password: secrets stay out of code and out of the
  synthesized JSON; a token must be a Terraform reference to a data source;
- no value from another stack: the cluster's data sources live in the same stack
  (terraform-cdk#2662: a cross-stack reference inside a provider block breaks the plan).
  That last rule is the caller's (this module cannot see where a token comes from).

The plugin is run with ``client.authentication.k8s.io/v1beta1`` (:data:`EXEC_API_VERSION`),
the version ``kubelogin`` and ``aws eks get-token`` answer with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cdktf_cdktf_provider_helm.provider import HelmProvider, HelmProviderKubernetes, HelmProviderKubernetesExec
from cdktf_cdktf_provider_kubernetes.provider import KubernetesProvider, KubernetesProviderExec
from constructs import Construct

#: The ExecCredential API version the credential plugin is asked for.
EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1"

#: Environment variable names that would carry a credential into the provider block.
_SECRET_ENV = re.compile(r"SECRET|PASSWORD|TOKEN|PRIVATE_KEY|ACCESS_KEY", re.IGNORECASE)


def _is_reference(value: str) -> bool:
    """A Terraform reference or cdktf token: resolved at plan time, not written in code."""
    return "${" in value


@dataclass(frozen=True)
class ClusterAccess:
    """How Terraform reaches one cluster's API server. Validated on construction.

    :param host: The API server's URL (``https://...``), usually a data source's attribute.
    :param cluster_ca_certificate: The cluster CA as PEM text (already base64-decoded,
        e.g. ``Fn.base64decode(cluster.certificate_authority.get(0).data)``).
    :param token: A short-lived bearer token from a data source (``aws_eks_cluster_auth``,
        ``google_client_config``); must be a Terraform reference, never a literal.
        Default: None (then ``exec_command`` is required).
    :param exec_command: A credential plugin the providers run for a token (Azure:
        ``kubelogin``). Default: None (then ``token`` is required).
    :param exec_args: The plugin's arguments. Default: none.
    :param exec_env: Extra environment for the plugin; no credentials (names with SECRET,
        PASSWORD, TOKEN, ... are refused: give those to the runner's own environment).
        Default: none.
    """

    host: str
    cluster_ca_certificate: str
    token: str | None = None
    exec_command: str | None = None
    exec_args: tuple[str, ...] = ()
    exec_env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "exec_args", tuple(self.exec_args))
        object.__setattr__(self, "exec_env", dict(self.exec_env))
        problems: list[str] = []
        if not isinstance(self.host, str) or not self.host.strip():
            problems.append("host is empty: pass the API server's URL (e.g. the cluster data source's endpoint)")
        elif not _is_reference(self.host) and not self.host.startswith("https://"):
            problems.append(f"host {self.host!r} is not an https:// URL: pass the API server's https endpoint")
        if not isinstance(self.cluster_ca_certificate, str) or not self.cluster_ca_certificate.strip():
            problems.append("cluster_ca_certificate is empty: pass the cluster CA as PEM "
                            "(e.g. Fn.base64decode of the cluster's certificate authority data)")
        has_token = self.token is not None
        has_exec = self.exec_command is not None
        if has_token == has_exec:
            given = "both" if has_token else "neither"
            problems.append(f"{given} of token and exec_command given: set exactly one (a data source's token, "
                            "or a credential plugin such as kubelogin)")
        if has_token and (not isinstance(self.token, str) or not _is_reference(self.token)):
            problems.append("token is a literal: pass a reference to a data source's short-lived token "
                            "(aws_eks_cluster_auth, google_client_config), never a token in code")
        if has_exec and (not isinstance(self.exec_command, str) or not self.exec_command.strip()):
            problems.append(f"exec_command {self.exec_command!r} is empty: name the credential plugin, e.g. 'kubelogin'")
        if not has_exec and (self.exec_args or self.exec_env):
            problems.append("exec_args/exec_env given without exec_command: set exec_command or drop them")
        for arg in self.exec_args:
            if not isinstance(arg, str):
                problems.append(f"exec_args item {arg!r} must be a string")
        for name, value in self.exec_env.items():
            if not isinstance(name, str) or not name or not isinstance(value, str):
                problems.append(f"exec_env {name!r}={value!r} must map a non-empty name to a string")
            elif _SECRET_ENV.search(name):
                problems.append(f"exec_env {name!r} looks like a credential: give it to the runner's environment, "
                                "not the provider block")
        if problems:
            raise ValueError(f"cluster access: {'; '.join(problems)}")


@dataclass(frozen=True)
class KubeconfigAccess:
    """How Terraform reaches an existing cluster: a kubeconfig file and one of its contexts
    (``cloud: kubernetes`` only). Build it with :meth:`from_environment`: the path is the
    environment file's, so no machine path is ever written in code. Validated on construction.

    :param config_path: the kubeconfig file, absolute or ``~/...`` (the providers expand ``~``),
        read by Terraform at plan time on the machine that runs it; synth never opens it.
    :param config_context: the context naming the cluster and user (never the file's
        ``current-context``, which changes under the user's feet).
    """

    config_path: str
    config_context: str

    def __post_init__(self) -> None:
        problems: list[str] = []
        path = self.config_path
        if not isinstance(path, str) or not path.strip():
            problems.append("config_path is empty: give the environment file's kubernetes.kubeconfig")
        elif not (path.startswith("/") or path == "~" or path.startswith("~/")):
            problems.append(f"config_path {path!r} is relative (Terraform would read it from the stack's folder): "
                            "give an absolute or ~/ path")
        if not isinstance(self.config_context, str) or not self.config_context.strip():
            problems.append("config_context is empty: name the context (kubernetes.context); the file's current "
                            "context is never used")
        for name, value in (("config_path", path), ("config_context", self.config_context)):
            if isinstance(value, str) and _is_reference(value):
                problems.append(f"{name} is a Terraform reference: give the literal value from the environment file "
                                "(a provider block must not wait on another resource)")
        if problems:
            raise ValueError(f"kubeconfig access: {'; '.join(problems)}")

    @classmethod
    def from_environment(cls, kubernetes_section) -> "KubeconfigAccess":
        """From the environment file's ``kubernetes:`` section (``generic.spec.KubernetesSection``)."""
        return cls(config_path=kubernetes_section.kubeconfig, config_context=kubernetes_section.context)


def kubernetes_providers(scope: Construct,
                         access: ClusterAccess | KubeconfigAccess) -> tuple[KubernetesProvider, HelmProvider]:
    """The stack's ``kubernetes`` and ``helm`` providers (construct ids ``kubernetes`` and ``helm``),
    both authenticated by ``access`` and nothing else: a :class:`ClusterAccess` (the cloud kits) or
    a :class:`KubeconfigAccess` (``cloud: kubernetes``: ``config_path`` and ``config_context`` only)."""
    if isinstance(access, KubeconfigAccess):
        kubernetes = KubernetesProvider(scope, "kubernetes", config_path=access.config_path,
                                        config_context=access.config_context)
        helm = HelmProvider(scope, "helm", kubernetes=HelmProviderKubernetes(
            config_path=access.config_path, config_context=access.config_context))
        return kubernetes, helm
    if not isinstance(access, ClusterAccess):
        raise TypeError(f"kubernetes_providers takes a ClusterAccess or a KubeconfigAccess, not {type(access).__name__}")
    if access.token is not None:
        token, k8s_exec, helm_exec = access.token, None, None
    else:
        token = None
        # ``env`` is not passed to the bindings: cdktf snake-cases the keys of maps in provider
        # blocks (AZURE_CONFIG_DIR -> azure_config_dir); it is written by override below.
        plugin = dict(api_version=EXEC_API_VERSION, command=access.exec_command, args=list(access.exec_args) or None)
        k8s_exec = KubernetesProviderExec(**plugin)
        helm_exec = HelmProviderKubernetesExec(**plugin)
    kubernetes = KubernetesProvider(
        scope, "kubernetes",
        host=access.host,
        cluster_ca_certificate=access.cluster_ca_certificate,
        token=token,
        exec=[k8s_exec] if k8s_exec else None,
    )
    helm = HelmProvider(
        scope, "helm",
        kubernetes=HelmProviderKubernetes(
            host=access.host,
            cluster_ca_certificate=access.cluster_ca_certificate,
            token=token,
            exec=helm_exec,
        ),
    )
    if access.exec_env:
        kubernetes.add_override("exec.0.env", dict(access.exec_env))
        helm.add_override("kubernetes.exec.env", dict(access.exec_env))
    return kubernetes, helm
