"""api-not-public: the cluster API is never open to 0.0.0.0/0."""

from tests.invariants.helpers import cluster, messages, stack_doc


def test_api_open_to_the_world():
    assert messages("api-not-public", stack_doc(lambda s: cluster(s, endpoint_public_access=True))) == [
        "cluster API is reachable from 0.0.0.0/0: set endpoint: private, or public_and_private with public_access_cidrs listing your ranges"]
    assert messages("api-not-public", stack_doc(lambda s: cluster(s, endpoint_public_access=True, public_access_cidrs=["0.0.0.0/0"])))
    assert messages("api-not-public", stack_doc(lambda s: cluster(s, endpoint_public_access=True, public_access_cidrs=["203.0.113.0/24"]))) == []
    assert messages("api-not-public", stack_doc(lambda s: cluster(s, endpoint_public_access=False))) == []
