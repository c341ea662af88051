"""Azure's rules on data: (azure/spec.py): the cache SKU, its one replica, the buckets' customer key."""

import pytest

from platform_constructs.spec import SpecError, parse_environment
from tests.helpers import AZURE, BASE, azure_spec, merge

NO_CMK = {"azure": {"enable_customer_managed_keys": False}, "addons": {"block_storage": False},
          "observability": {"enabled": False}}


def error_of(override) -> SpecError:
    with pytest.raises(SpecError) as info:
        parse_environment(merge(merge(BASE, AZURE), override), "env.yaml")
    return info.value


@pytest.mark.parametrize("size", ["Balanced_B0", "MemoryOptimized_M10", "ComputeOptimized_X5", "FlashOptimized_A250"])
def test_managed_redis_skus_pass(size):
    assert azure_spec(data={"cache": {"size": size}}).data.cache.size == size


@pytest.mark.parametrize("size", ["cache.t4g.medium", "Premium_P1", "Balanced_b5", "Balanced_B01"])
def test_other_sizes_name_the_value_and_examples(size):
    err = error_of({"data": {"cache": {"size": size}}})
    assert err.path == "data.cache.size"
    assert f"{size!r} is not an Azure Managed Redis SKU: use one like Balanced_B5" in err.message


def test_more_than_one_replica_is_refused():
    err = error_of({"data": {"cache": {"size": "Balanced_B5", "replicas": 2}}})
    assert err.path == "data.cache.replicas" and "set replicas: 1" in err.message


def test_buckets_need_customer_managed_keys():
    err = error_of(NO_CMK)
    assert err.path == "data.buckets" and "data.buckets: []" in err.message
    assert azure_spec(**merge(NO_CMK, {"data": {"buckets": []}})).data.buckets == []
