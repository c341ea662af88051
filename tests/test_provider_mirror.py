"""The provider mirror: found on the machine, never a plugin cache; and the Makefile's cdktf wrappers.

`scripts/find-provider-mirror [ROOT]` runs over fake layouts built in tmp_path (ROOT is the
fake machine's `/`). A Terraform plugin cache has a mirror's layout, but `terraform init` with
it as the mirror fails ("cannot install existing provider directory ... to itself"), so it must
never be picked, nor accepted by `platform_tools.terraform` as PLATFORM_PROVIDER_MIRROR.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from platform_tools.terraform import MIRROR_VAR, plugin_cache_reason, write_cli_config
from tests.helpers import ROOT

SCRIPT = ROOT / "scripts" / "find-provider-mirror"
PROVIDER = "registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64/terraform-provider-aws_v5.100.0_x5"


def provider_folder(base: Path) -> Path:
    """A folder in Terraform's unpacked mirror layout holding one (fake) provider binary."""
    binary = base / PROVIDER
    binary.parent.mkdir(parents=True)
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    return base


def find_mirror(root: Path, **env: str) -> str:
    full = {k: v for k, v in os.environ.items() if k != "TF_PLUGIN_CACHE_DIR"}
    full.update(env)
    proc = subprocess.run([str(SCRIPT), str(root)], env=full, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


# --------------------------------------------------------------------------- find-provider-mirror


def test_finds_a_mirror(tmp_path):
    mirror = provider_folder(tmp_path / "opt" / "tf-plugins")
    assert find_mirror(tmp_path) == str(mirror)


def test_finds_nothing_without_a_provider(tmp_path):
    (tmp_path / "opt" / "empty" / "registry.terraform.io" / "hashicorp").mkdir(parents=True)
    assert find_mirror(tmp_path) == ""


def test_home_plugin_cache_filled_by_cdktf_is_never_the_mirror(tmp_path):
    provider_folder(tmp_path / "root" / ".terraform.d" / "plugin-cache")
    assert find_mirror(tmp_path) == ""
    mirror = provider_folder(tmp_path / "srv" / "mirror")
    assert find_mirror(tmp_path) == str(mirror)


@pytest.mark.parametrize("cache", ["var/cache/plugin-cache", "home/dev/tf-plugin-cache-2"])
def test_any_plugin_cache_folder_is_never_the_mirror(tmp_path, cache):
    provider_folder(tmp_path / cache)
    assert find_mirror(tmp_path) == ""


def test_tf_plugin_cache_dir_is_never_the_mirror_whatever_its_name(tmp_path):
    cache = provider_folder(tmp_path / "var" / "tfcache")
    assert find_mirror(tmp_path) == str(cache)  # a mirror as far as its name goes...
    assert find_mirror(tmp_path, TF_PLUGIN_CACHE_DIR=str(cache)) == ""  # ...but it is the cache
    link = tmp_path / "cachelink"
    link.symlink_to(cache)
    assert find_mirror(tmp_path, TF_PLUGIN_CACHE_DIR=str(link)) == ""  # same folder through a symlink
    mirror = provider_folder(tmp_path / "opt" / "mirror")
    assert find_mirror(tmp_path, TF_PLUGIN_CACHE_DIR=str(cache)) == str(mirror)


def test_working_folder_providers_are_never_the_mirror(tmp_path):
    provider_folder(tmp_path / "work" / "stack" / ".terraform" / "providers")
    assert find_mirror(tmp_path) == ""


def test_the_mirror_is_found_next_to_a_cache_whatever_the_listing_order(tmp_path):
    provider_folder(tmp_path / "a" / ".terraform.d" / "plugin-cache")
    mirror = provider_folder(tmp_path / "b" / "mirror")
    provider_folder(tmp_path / "c" / "plugin-cache")
    assert find_mirror(tmp_path) == str(mirror)


def test_default_root_is_the_whole_machine():
    text = SCRIPT.read_text()
    assert 'root=${1:-/}' in text


# --------------------------------------------------------------------------- the CLI config refuses a cache


@pytest.mark.parametrize("parts", [(".terraform.d", "plugin-cache"), ("cache", "plugin-cache"),
                                   ("stack", ".terraform", "providers")])
def test_cli_config_refuses_a_plugin_cache(tmp_path, monkeypatch, parts):
    cache = provider_folder(tmp_path.joinpath(*parts))
    monkeypatch.delenv("TF_PLUGIN_CACHE_DIR", raising=False)
    monkeypatch.setenv(MIRROR_VAR, str(cache))
    with pytest.raises(SystemExit) as err:
        write_cli_config(tmp_path / "cfg")
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"{MIRROR_VAR}={cache}: ")
    assert "not a provider mirror" in message
    assert not (tmp_path / "cfg" / "terraform.tfrc").exists()


def test_cli_config_refuses_tf_plugin_cache_dir(tmp_path, monkeypatch):
    cache = provider_folder(tmp_path / "tfcache")
    monkeypatch.setenv("TF_PLUGIN_CACHE_DIR", str(cache))
    monkeypatch.setenv(MIRROR_VAR, str(cache))
    with pytest.raises(SystemExit, match="TF_PLUGIN_CACHE_DIR"):
        write_cli_config(tmp_path / "cfg")


def test_cli_config_accepts_a_mirror(tmp_path, monkeypatch):
    mirror = provider_folder(tmp_path / "mirror")
    monkeypatch.setenv("TF_PLUGIN_CACHE_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv(MIRROR_VAR, str(mirror))
    assert plugin_cache_reason(mirror) is None
    config = write_cli_config(tmp_path / "cfg")
    assert f'path    = "{mirror.resolve()}"' in config.read_text()


def test_cli_config_command_prints_one_line_and_fails_on_a_cache(tmp_path):
    cache = provider_folder(tmp_path / ".terraform.d" / "plugin-cache")
    env = {**os.environ, MIRROR_VAR: str(cache)}
    proc = subprocess.run([sys.executable, "-m", "platform_tools.terraform", "cli-config", str(tmp_path / "cfg")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and proc.stdout == ""
    assert proc.stderr.strip().count("\n") == 0 and "plugin cache" in proc.stderr, proc.stderr


# --------------------------------------------------------------------------- Makefile: synth installs the CLI, wrappers


FAKE_CDKTF = """#!/bin/sh
echo "argv: $*"
echo "TF_CLI_CONFIG_FILE=${TF_CLI_CONFIG_FILE:-<unset>}"
echo "PLATFORM_ENV_FILES=${PLATFORM_ENV_FILES:-<unset>}"
echo "CHECKPOINT_DISABLE=${CHECKPOINT_DISABLE:-<unset>}"
"""


@pytest.fixture
def make_project(tmp_path):
    """The Makefile, scripts and platform_tools; the virtualenv running these tests; a fake cdktf CLI."""
    where = tmp_path / "project"
    where.mkdir()
    for part in ("Makefile", "package.json", "package-lock.json", "requirements", "scripts", "platform_tools"):
        src = ROOT / part
        (shutil.copytree(src, where / part, ignore=shutil.ignore_patterns("__pycache__"))
         if src.is_dir() else shutil.copy2(src, where / part))
    (where / ".venv").symlink_to(sys.prefix)
    cdktf = where / "node_modules" / ".bin" / "cdktf"
    cdktf.parent.mkdir(parents=True)
    cdktf.write_text(FAKE_CDKTF)
    cdktf.chmod(cdktf.stat().st_mode | stat.S_IEXEC)
    return where


def run_make(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items()
            if k not in ("PLATFORM_ENV_FILES", "ENV_FILE", "STACKS", "ARGS", "MAKEFLAGS", "MFLAGS")}
    full.update(env)
    # The install stamps count as done: never pip-install into the shared virtualenv or npm ci here.
    return subprocess.run(["make", "--no-print-directory", "-o", ".venv/.runtime-installed", "-o", "node_modules/.installed",
                           *args], cwd=project, env=full, capture_output=True, text=True, timeout=120)


def test_make_synth_installs_the_pinned_cli_on_a_fresh_clone(tmp_path):
    where = tmp_path / "fresh"
    where.mkdir()
    for part in ("Makefile", "package.json", "package-lock.json"):
        shutil.copy2(ROOT / part, where / part)
    shutil.copytree(ROOT / "requirements", where / "requirements")
    proc = subprocess.run(["make", "-n", "synth", "PLATFORM_PROVIDER_MIRROR="], cwd=where, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "npm ci" in proc.stdout and "pip install" in proc.stdout and "main.py" in proc.stdout
    assert proc.stdout.index("npm ci") < proc.stdout.index("main.py")


def test_make_help_lists_the_wrappers():
    proc = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    for target in ("deploy", "diff", "destroy"):
        assert re.search(rf"^make {target} +STACKS=", proc.stdout, re.M), proc.stdout


def test_deploy_with_a_mirror_uses_its_config_and_skips_the_provider_lock(make_project, tmp_path):
    mirror = provider_folder(tmp_path / "mirror")
    proc = run_make(make_project, "deploy", "STACKS=aws-local-network aws-local-cluster",
                    "ENV_FILE=environments/aws-local.yaml", "ARGS=--auto-approve",
                    PLATFORM_PROVIDER_MIRROR=str(mirror), TF_CLI_CONFIG_FILE="/nonexistent/terraformrc")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "argv: deploy aws-local-network aws-local-cluster --skip-provider-lock --auto-approve" in proc.stdout
    config = make_project / ".local" / "terraform" / "terraform.tfrc"
    assert f"TF_CLI_CONFIG_FILE={config.resolve()}\n" in proc.stdout, proc.stdout  # absolute: used in every stack folder
    assert f'"{mirror.resolve()}"' in config.read_text()
    assert "PLATFORM_ENV_FILES=environments/aws-local.yaml" in proc.stdout
    assert "CHECKPOINT_DISABLE=1" in proc.stdout


def test_diff_and_destroy_run_one_stack_at_a_time(make_project, tmp_path):
    mirror = provider_folder(tmp_path / "mirror")
    proc = run_make(make_project, "diff", "STACKS=a-network a-cluster", PLATFORM_PROVIDER_MIRROR=str(mirror))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [line for line in proc.stdout.splitlines() if line.startswith("argv:")] == \
        ["argv: diff a-network --skip-provider-lock", "argv: diff a-cluster --skip-provider-lock"]
    assert "PLATFORM_ENV_FILES=<unset>" in proc.stdout  # no ENV_FILE: every environment, not local-up's default
    proc = run_make(make_project, "destroy", "STACKS=a-cluster a-network", PLATFORM_PROVIDER_MIRROR=str(mirror))
    assert [line for line in proc.stdout.splitlines() if line.startswith("argv:")] == [
        "argv: destroy a-cluster --parallelism 1 --skip-provider-lock",
        "argv: destroy a-network --parallelism 1 --skip-provider-lock",
    ], proc.stdout + proc.stderr


def test_without_a_mirror_terraform_downloads_as_usual(make_project):
    proc = run_make(make_project, "deploy", "STACKS=a-network", "PLATFORM_PROVIDER_MIRROR=",
                    TF_CLI_CONFIG_FILE="/nonexistent/terraformrc")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "argv: deploy a-network\n" in proc.stdout
    assert "TF_CLI_CONFIG_FILE=<unset>" in proc.stdout  # a dangling setting only makes Terraform warn


def test_wrappers_refuse_a_plugin_cache_as_mirror(make_project, tmp_path):
    cache = provider_folder(tmp_path / ".terraform.d" / "plugin-cache")
    proc = run_make(make_project, "deploy", "STACKS=a-network", PLATFORM_PROVIDER_MIRROR=str(cache))
    assert proc.returncode != 0 and "argv:" not in proc.stdout
    assert "plugin cache, not a provider mirror" in proc.stderr


def test_wrappers_need_stacks(make_project):
    proc = run_make(make_project, "deploy", "PLATFORM_PROVIDER_MIRROR=")
    assert proc.returncode != 0 and "argv:" not in proc.stdout
    assert 'STACKS="' in proc.stderr
