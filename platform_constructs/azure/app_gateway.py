"""The AKS load balancer: an Application Gateway (WAF_v2) driven by the AGIC add-on.

Why the Application Gateway Ingress Controller (AGIC) **add-on**, and not Application Gateway
for Containers (AGC):

- The seed names Application Gateway, and the WAF is the point: WAF_v2 with a WAF policy in
  Prevention mode on Microsoft's Default Rule Set is the Application Gateway's oldest, most
  complete feature (managed rule sets, bot manager, custom and rate-limit rules, per-listener
  policies). AGC came later with its own resource model (traffic controller, frontends,
  associations) and its WAF attaches through separate security policies; the platform would
  carry a second, younger WAF model for the same job.
- No extra chart: the add-on is AKS's own (``ingress_application_gateway`` on the cluster),
  installed and upgraded with the cluster. AGC needs the ALB Controller Helm chart, its CRDs
  and its version pinned and bumped by the platform (plus Gateway API CRDs).
- Managed identity, no secret: AKS creates the add-on's identity
  (``ingressapplicationgateway-<cluster>``); the platform only grants it roles. AGC's
  controller needs a workload identity the platform would create and federate itself.
- Azure CNI Overlay (the cluster's network) is supported by AGIC since 2025 (AGIC writes an
  ``OverlayExtensionConfig`` so the gateway's subnet can reach pod IPs).

What it costs: AGIC speaks the Ingress API only (no Gateway API), owns the whole gateway (one
gateway per cluster; its listeners, rules, pools and probes are rewritten on every sync, so
Terraform ignores them), and converges more slowly than AGC on pod churn. Moving to AGC later is
a new ingress class next to this one, not an in-place change.

Layout:

- Public IP: Standard, static, zone-redundant (zones of the environment). Application Gateway v2
  needs a public frontend; the NSG of its subnet admits HTTPS (443) only (see :mod:`.nsg`).
- A private frontend on a static address of the gateway's subnet (the highest usable one, as
  Microsoft suggests), for internal Ingresses (``appgw.ingress.kubernetes.io/use-private-ip``).
- WAF policy: Prevention, request body inspection, ``Microsoft_DefaultRuleSet`` 2.1 (OWASP CRS 3.2
  based, plus Microsoft Threat Intelligence rules) and ``Microsoft_BotManagerRuleSet`` 1.0;
  associated with the gateway (``force_firewall_policy_association``).
- TLS: the predefined policy ``AppGwSslPolicy20220101S`` (TLS 1.2 minimum, strong ciphers only).
- Autoscaling between ``min_capacity`` and ``max_capacity`` instances across the zones.
- The placeholder listener, rule, pool and settings Terraform must declare sit on the private
  frontend and route nowhere; AGIC replaces them on its first sync. ``lifecycle.ignore_changes``
  hands every AGIC-owned block (and the tags AGIC writes) over to AGIC.

:meth:`ApplicationGatewayIngress.grant_ingress_controller` gives the add-on's identity what it
needs and no more (Microsoft's AKS module and the AGIC docs): Contributor on the gateway (it
rewrites the gateway's configuration), Reader on the gateway's resource group (it looks the
gateway and its neighbours up) and Network Contributor on the gateway's subnet only (every update
of a v2 gateway checks ``Microsoft.Network/virtualNetworks/subnets/join/action`` there).
"""

from __future__ import annotations

import ipaddress

from constructs import Construct
from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_azurerm.application_gateway import (
    ApplicationGateway,
    ApplicationGatewayAutoscaleConfiguration,
    ApplicationGatewayBackendAddressPool,
    ApplicationGatewayBackendHttpSettings,
    ApplicationGatewayFrontendIpConfiguration,
    ApplicationGatewayFrontendPort,
    ApplicationGatewayGatewayIpConfiguration,
    ApplicationGatewayHttpListener,
    ApplicationGatewayRequestRoutingRule,
    ApplicationGatewaySku,
    ApplicationGatewaySslPolicy,
)
from cdktf_cdktf_provider_azurerm.public_ip import PublicIp
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.web_application_firewall_policy import (
    WebApplicationFirewallPolicy,
    WebApplicationFirewallPolicyManagedRules,
    WebApplicationFirewallPolicyManagedRulesManagedRuleSet,
    WebApplicationFirewallPolicyPolicySettings,
)

SKU = "WAF_v2"
#: Managed rule sets of the WAF policy: (type, version).
MANAGED_RULE_SETS = (("Microsoft_DefaultRuleSet", "2.1"), ("Microsoft_BotManagerRuleSet", "1.0"))
#: Predefined TLS policy: TLS 1.2 minimum, ECDHE/AES-GCM ciphers.
SSL_POLICY = "AppGwSslPolicy20220101S"
#: Gateway blocks AGIC writes from Ingress objects (and the tags it stamps): Terraform leaves them alone.
AGIC_OWNED = (
    "backend_address_pool", "backend_http_settings", "frontend_port", "http_listener", "probe",
    "redirect_configuration", "request_routing_rule", "rewrite_rule_set", "ssl_certificate",
    "trusted_root_certificate", "url_path_map", "tags",
)
#: Diagnostic log categories of a v2 gateway (requests, and every WAF match).
LOG_CATEGORIES = ("ApplicationGatewayAccessLog", "ApplicationGatewayFirewallLog")
#: Names of the frontends and of the placeholder routing AGIC replaces.
PUBLIC_FRONTEND, PRIVATE_FRONTEND = "public", "private"
_PLACEHOLDER = "placeholder"


def private_frontend_address(subnet_cidr: str) -> str:
    """The gateway's private frontend: the highest usable address of its subnet (Azure keeps the
    first four and the last), so it never collides with instance addresses, which fill from the bottom."""
    net = ipaddress.IPv4Network(subnet_cidr)
    if net.num_addresses < 16:
        raise ValueError(f"application gateway subnet {subnet_cidr} is smaller than a /28: Application Gateway "
                         "needs room for its instances; use a network.cidr of /24 or larger")
    return str(net.broadcast_address - 1)


class ApplicationGatewayIngress(Construct):
    """Application Gateway WAF_v2 for the AGIC add-on (see the module docstring for the choice).

    :param name: the gateway's name; the WAF policy is ``<name>-waf``, the public IP ``<name>-ip``.
    :param location: the Azure region.
    :param resource_group_name: the gateway's resource group.
    :param subnet_id: the gateway's dedicated subnet (the network layer's ``app_gateway_subnet_id``).
    :param subnet_cidr: that subnet's range (the private frontend takes its highest usable address).
    :param zones: availability zones of the gateway and its public IP (zone-redundant with three).
    :param tags: tags of the gateway (at creation: AGIC rewrites them), its IP and its WAF policy.
    :param min_capacity: instances kept running. Default: 2 (a zone failure leaves one serving
        while autoscaling adds more).
    :param max_capacity: autoscaling ceiling. Default: 10.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, location: str, resource_group_name: str,
                 subnet_id: str, subnet_cidr: str, zones: list[str], tags: dict[str, str],
                 min_capacity: int = 2, max_capacity: int = 10):
        problems = []
        if not 0 <= min_capacity <= 125:
            problems.append(f"min_capacity {min_capacity} is outside 0-125")
        if not 2 <= max_capacity <= 125:
            problems.append(f"max_capacity {max_capacity} is outside 2-125")
        if min_capacity > max_capacity:
            problems.append(f"min_capacity {min_capacity} can't be greater than max_capacity {max_capacity}")
        if problems:
            raise ValueError(f"application gateway {name!r}: {'; '.join(problems)}")
        super().__init__(scope, id)
        private_ip = private_frontend_address(subnet_cidr)
        common = {"location": location, "resource_group_name": resource_group_name, "tags": tags}

        self.public_ip = PublicIp(
            self, "public-ip", name=f"{name}-ip", allocation_method="Static", sku="Standard", sku_tier="Regional",
            ip_version="IPv4", zones=list(zones), **common,
        )
        self.waf_policy = WebApplicationFirewallPolicy(
            self, "waf-policy", name=f"{name}-waf",
            policy_settings=WebApplicationFirewallPolicyPolicySettings(
                enabled=True, mode="Prevention", request_body_check=True,
            ),
            managed_rules=WebApplicationFirewallPolicyManagedRules(managed_rule_set=[
                WebApplicationFirewallPolicyManagedRulesManagedRuleSet(type=rule_type, version=version)
                for rule_type, version in MANAGED_RULE_SETS
            ]),
            **common,
        )
        self.gateway = ApplicationGateway(
            self, "gateway", name=name,
            sku=ApplicationGatewaySku(name=SKU, tier=SKU),
            autoscale_configuration=ApplicationGatewayAutoscaleConfiguration(
                min_capacity=min_capacity, max_capacity=max_capacity,
            ),
            zones=list(zones),
            enable_http2=True,
            firewall_policy_id=self.waf_policy.id,
            force_firewall_policy_association=True,
            ssl_policy=ApplicationGatewaySslPolicy(policy_type="Predefined", policy_name=SSL_POLICY),
            gateway_ip_configuration=[ApplicationGatewayGatewayIpConfiguration(name="gateway", subnet_id=subnet_id)],
            frontend_ip_configuration=[
                ApplicationGatewayFrontendIpConfiguration(name=PUBLIC_FRONTEND, public_ip_address_id=self.public_ip.id),
                ApplicationGatewayFrontendIpConfiguration(
                    name=PRIVATE_FRONTEND, subnet_id=subnet_id, private_ip_address=private_ip,
                    private_ip_address_allocation="Static",
                ),
            ],
            frontend_port=[ApplicationGatewayFrontendPort(name=_PLACEHOLDER, port=80)],
            backend_address_pool=[ApplicationGatewayBackendAddressPool(name=_PLACEHOLDER)],
            backend_http_settings=[ApplicationGatewayBackendHttpSettings(
                name=_PLACEHOLDER, cookie_based_affinity="Disabled", port=80, protocol="Http", request_timeout=30,
            )],
            http_listener=[ApplicationGatewayHttpListener(
                name=_PLACEHOLDER, frontend_ip_configuration_name=PRIVATE_FRONTEND, frontend_port_name=_PLACEHOLDER,
                protocol="Http",
            )],
            request_routing_rule=[ApplicationGatewayRequestRoutingRule(
                name=_PLACEHOLDER, rule_type="Basic", priority=20000, http_listener_name=_PLACEHOLDER,
                backend_address_pool_name=_PLACEHOLDER, backend_http_settings_name=_PLACEHOLDER,
            )],
            lifecycle=TerraformResourceLifecycle(ignore_changes=list(AGIC_OWNED)),
            **common,
        )
        self.private_ip_address = private_ip
        self._subnet_id = subnet_id

    @property
    def id(self) -> str:
        return self.gateway.id

    def grant_ingress_controller(self, id: str, *, principal_id: str, resource_group_id: str) -> list[RoleAssignment]:
        """Roles of the AGIC add-on's identity (``principal_id``: its object id): Contributor on this
        gateway, Reader on ``resource_group_id`` (the gateway's resource group), Network Contributor
        on the gateway's subnet."""
        grants = (
            ("gateway-contributor", self.gateway.id, "Contributor"),
            ("resource-group-reader", resource_group_id, "Reader"),
            ("subnet-network-contributor", self._subnet_id, "Network Contributor"),
        )
        return [
            RoleAssignment(self, f"{id}-{suffix}", scope=scope, role_definition_name=role, principal_id=principal_id,
                           principal_type="ServicePrincipal")
            for suffix, scope, role in grants
        ]
