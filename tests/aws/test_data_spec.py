"""AWS's rules on the data section: cache.size is an ElastiCache node type, the access-log bucket's name is reserved."""

import pytest

from platform_constructs.spec import SpecError
from tests.helpers import make_spec


@pytest.mark.parametrize("size", ["cache.t4g.medium", "cache.r7g.large", "cache.m7g.xlarge", "cache.r6gd.2xlarge"])
def test_elasticache_node_types_are_accepted(size):
    assert make_spec(data={"cache": {"size": size}}).data.cache.size == size


@pytest.mark.parametrize("size", ["m6i.large", "cache.t4g", "Standard_B1", "SHARED_CORE_NANO"])
def test_other_sizes_are_refused_with_examples(size):
    with pytest.raises(SpecError, match=r"data\.cache\.size: .* is not an ElastiCache node type: use .*cache\.t4g\.medium"):
        make_spec(data={"cache": {"size": size}})


def test_the_access_log_bucket_name_is_reserved():
    with pytest.raises(SpecError, match=r"data\.buckets: 'data-access-logs' is the data layer's access-log bucket"):
        make_spec(data={"buckets": ["app", "data-access-logs"]})
