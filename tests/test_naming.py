"""Global bucket names: head, unique part, short name; at most 63 characters, deterministic."""

import pytest

from platform_constructs.naming import global_names, name_head


def test_the_short_name_and_the_unique_part_are_always_whole():
    names = global_names(name_head("prod", "acme"), "123456789012", ["app", "backup"])
    assert names == {"app": "acme-prod-123456789012-app", "backup": "acme-prod-123456789012-backup"}


def test_a_long_head_is_shortened_with_a_hash_to_fit():
    head = name_head("e" * 40, "p" * 20)
    names = global_names(head, "${token}", ["app", "tempo-traces"], unique_length=12)
    resolved = {k: v.replace("${token}", "1" * 12) for k, v in names.items()}
    assert max(len(v) for v in resolved.values()) == 63
    assert names == global_names(head, "${token}", ["app", "tempo-traces"], unique_length=12)
    assert names["app"].split("-${token}-")[0] == names["tempo-traces"].split("-${token}-")[0]


def test_names_that_leave_no_room_are_refused():
    with pytest.raises(ValueError, match="leave no room for the environment's name"):
        global_names("env", "x" * 12, ["n" * 49])
