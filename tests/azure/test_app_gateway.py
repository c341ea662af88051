"""ApplicationGatewayIngress: WAF_v2 in Prevention mode, zone-redundant, its own subnet, AGIC add-on and its roles."""

import ipaddress

import pytest
from cdktf import App, TerraformStack

from platform_constructs.azure.app_gateway import AGIC_OWNED, ApplicationGatewayIngress, private_frontend_address
from platform_constructs.azure.network import carve_azure_subnets
from tests.helpers import azure_spec, one, ref, resources, synth

GATEWAY = "azurerm_application_gateway"


@pytest.fixture(scope="module")
def stacks():
    return synth(azure_spec())


@pytest.fixture(scope="module")
def cluster(stacks):
    return stacks["cluster"]


@pytest.fixture(scope="module")
def gateway(cluster):
    return one(cluster, GATEWAY)


def network_output(stacks, expression: str) -> str:
    """The network stack's value behind a cluster-stack remote-state reference."""
    name = expression.removeprefix("${").removesuffix("}").split(".outputs.")[1]
    return stacks["network"]["output"][name]["value"]


def test_waf_v2_autoscaled_across_the_zones(gateway):
    assert gateway["sku"] == {"name": "WAF_v2", "tier": "WAF_v2"}
    assert gateway["autoscale_configuration"] == {"min_capacity": 2, "max_capacity": 10}
    assert gateway["zones"] == ["1", "2", "3"] and gateway["enable_http2"] is True
    assert gateway["name"] == "tc-appgw" and gateway["location"] == "westeurope"


def test_waf_policy_in_prevention_mode_on_current_managed_rule_sets(cluster, gateway):
    policy = one(cluster, "azurerm_web_application_firewall_policy")
    assert gateway["firewall_policy_id"] == ref(cluster, "azurerm_web_application_firewall_policy", policy)
    assert gateway["force_firewall_policy_association"] is True
    assert policy["policy_settings"] == {"enabled": True, "mode": "Prevention", "request_body_check": True}
    assert policy["managed_rules"]["managed_rule_set"] == [
        {"type": "Microsoft_DefaultRuleSet", "version": "2.1"},
        {"type": "Microsoft_BotManagerRuleSet", "version": "1.0"},
    ]


def test_tls_policy_allows_tls_1_2_and_up_only(gateway):
    assert gateway["ssl_policy"] == {"policy_type": "Predefined", "policy_name": "AppGwSslPolicy20220101S"}


def test_standard_static_zone_redundant_public_ip(cluster, gateway):
    ip = one(cluster, "azurerm_public_ip")
    assert (ip["sku"], ip["sku_tier"], ip["allocation_method"], ip["ip_version"]) == ("Standard", "Regional", "Static", "IPv4")
    assert ip["zones"] == ["1", "2", "3"]
    public = next(f for f in gateway["frontend_ip_configuration"] if f["name"] == "public")
    assert public == {"name": "public", "public_ip_address_id": ref(cluster, "azurerm_public_ip", ip)}
    assert cluster["output"]["app_gateway_public_ip"]["value"] == ref(cluster, "azurerm_public_ip", ip, "ip_address")


def test_gateway_lives_in_its_own_subnet_with_a_private_frontend_at_its_top(stacks, gateway):
    (ip_config,) = gateway["gateway_ip_configuration"]
    subnet_ref = network_output(stacks, ip_config["subnet_id"])
    subnet = next(s for s in resources(stacks["network"], "azurerm_subnet") if s["name"] == "t-app-gateway")
    assert subnet_ref == ref(stacks["network"], "azurerm_subnet", subnet)
    private = next(f for f in gateway["frontend_ip_configuration"] if f["name"] == "private")
    assert private["subnet_id"] == ip_config["subnet_id"] and private["private_ip_address_allocation"] == "Static"
    cidr = ipaddress.IPv4Network(subnet["address_prefixes"][0])
    assert private["private_ip_address"] == str(cidr.broadcast_address - 1) == "10.0.255.254"


def test_placeholder_routing_sits_on_the_private_frontend_and_agic_owns_the_rest(gateway):
    (listener,) = gateway["http_listener"]
    assert listener["frontend_ip_configuration_name"] == "private"
    (rule,) = gateway["request_routing_rule"]
    assert rule["http_listener_name"] == listener["name"] and rule["priority"] == 20000
    assert gateway["lifecycle"]["ignore_changes"] == list(AGIC_OWNED)
    for block in ("backend_address_pool", "backend_http_settings", "http_listener", "request_routing_rule",
                  "frontend_port", "probe", "ssl_certificate", "url_path_map", "tags"):
        assert block in AGIC_OWNED, block


def test_agic_add_on_drives_the_gateway(cluster, gateway):
    aks = one(cluster, "azurerm_kubernetes_cluster")
    assert aks["ingress_application_gateway"] == {"gateway_id": ref(cluster, GATEWAY, gateway)}


def test_add_on_identity_gets_exactly_three_least_privilege_roles(stacks, cluster, gateway):
    aks = one(cluster, "azurerm_kubernetes_cluster")
    identity = ref(cluster, "azurerm_kubernetes_cluster", aks,
                   "ingress_application_gateway[0].ingress_application_gateway_identity[0].object_id")
    grants = [g for g in resources(cluster, "azurerm_role_assignment") if g["principal_id"] == identity]
    by_role = {g["role_definition_name"]: g["scope"] for g in grants}
    assert len(grants) == 3 and set(by_role) == {"Contributor", "Reader", "Network Contributor"}
    assert by_role["Contributor"] == ref(cluster, GATEWAY, gateway)
    assert by_role["Reader"] == "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/t-rg"
    assert by_role["Network Contributor"] == gateway["gateway_ip_configuration"][0]["subnet_id"]
    assert all(g["principal_type"] == "ServicePrincipal" for g in grants)


def test_access_and_firewall_logs_go_to_the_cluster_workspace(cluster, gateway):
    settings = [d for d in resources(cluster, "azurerm_monitor_diagnostic_setting")
                if d["target_resource_id"] == ref(cluster, GATEWAY, gateway)]
    (setting,) = settings
    assert setting["log_analytics_workspace_id"] == ref(cluster, "azurerm_log_analytics_workspace",
                                                        one(cluster, "azurerm_log_analytics_workspace"))
    assert {log["category"] for log in setting["enabled_log"]} == {"ApplicationGatewayAccessLog",
                                                                  "ApplicationGatewayFirewallLog"}


def test_contract_and_output_name_the_gateway(cluster, gateway):
    assert cluster["output"]["app_gateway_id"]["value"] == ref(cluster, GATEWAY, gateway)


def test_without_the_load_balancer_controller_no_gateway_no_add_on():
    stacks = synth(azure_spec(name="nolb", addons={"load_balancer_controller": False}))
    cluster = stacks["cluster"]
    for rtype in (GATEWAY, "azurerm_web_application_firewall_policy", "azurerm_public_ip"):
        assert resources(cluster, rtype) == [], rtype
    assert "ingress_application_gateway" not in one(cluster, "azurerm_kubernetes_cluster")
    assert "app_gateway_id" not in cluster["output"]


def test_private_frontend_is_the_highest_usable_address_even_in_the_smallest_network():
    smallest = carve_azure_subnets("10.1.2.0/24").app_gateway
    assert smallest == "10.1.2.240/28" and private_frontend_address(smallest) == "10.1.2.254"
    with pytest.raises(ValueError, match="smaller than a /28"):
        private_frontend_address("10.1.2.0/29")


def test_capacity_bounds_are_checked_together():
    with pytest.raises(ValueError) as err:
        ApplicationGatewayIngress(TerraformStack(App(), "s"), "gw", name="gw", location="westeurope",
                                  resource_group_name="rg", subnet_id="id", subnet_cidr="10.0.0.0/24",
                                  zones=["1"], tags={}, min_capacity=130, max_capacity=1)
    assert str(err.value) == ("application gateway 'gw': min_capacity 130 is outside 0-125; max_capacity 1 is outside "
                              "2-125; min_capacity 130 can't be greater than max_capacity 1")
