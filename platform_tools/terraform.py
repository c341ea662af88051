"""Run Terraform the way this project needs: offline-capable, quiet, and explicit.

``PLATFORM_PROVIDER_MIRROR`` names a provider folder in Terraform's unpacked
filesystem-mirror layout (``<mirror>/registry.terraform.io/hashicorp/aws/...``).
When set, Terraform gets a CLI config that installs providers from it only
(air-gapped machines); when unset, Terraform's own configuration applies and
providers download as usual.

    python -m platform_tools.terraform cli-config   # writes the config, prints its path
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

MIRROR_VAR = "PLATFORM_PROVIDER_MIRROR"


def cli_config_text(mirror: str) -> str:
    path = Path(mirror).resolve()
    return (
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f"    path    = \"{path}\"\n"
        "  }\n"
        "}\n"
        "disable_checkpoint = true\n"
    )


def plugin_cache_reason(mirror: str | Path, env: dict[str, str] | None = None) -> str | None:
    """Why ``mirror`` is a Terraform plugin cache rather than a mirror, or ``None``.

    A plugin cache (``$TF_PLUGIN_CACHE_DIR``, ``~/.terraform.d/plugin-cache``, which the cdktf CLI
    creates and fills) and a working folder's ``.terraform/providers`` have the mirror's layout, but
    ``terraform init`` fails on them with "cannot install existing provider directory ... to itself".
    """
    env = os.environ if env is None else env
    path = Path(mirror).expanduser().resolve()
    cache = env.get("TF_PLUGIN_CACHE_DIR")
    if cache and Path(cache).expanduser().resolve() == path:
        return "it is TF_PLUGIN_CACHE_DIR, Terraform's plugin cache"
    if any("plugin-cache" in part for part in path.parts):
        return "it is a Terraform plugin cache"
    if any(a == ".terraform" and b == "providers" for a, b in zip(path.parts, path.parts[1:])):
        return "it is a working folder's .terraform/providers"
    return None


def write_cli_config(directory: str | Path | None = None) -> Path | None:
    """Write a CLI config for ``$PLATFORM_PROVIDER_MIRROR``; ``None`` when no mirror is set."""
    mirror = os.environ.get(MIRROR_VAR)
    if not mirror:
        return None
    if not Path(mirror).is_dir():
        raise SystemExit(f"{MIRROR_VAR}={mirror}: not a folder; point it at a provider mirror (unpacked layout)")
    reason = plugin_cache_reason(mirror)
    if reason:
        raise SystemExit(f"{MIRROR_VAR}={mirror}: {reason}, not a provider mirror (terraform init would install "
                         "it into itself); point it at a filesystem mirror (unpacked layout), or unset it")
    folder = Path(directory) if directory else Path(tempfile.mkdtemp(prefix="platform-tf-"))
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "terraform.tfrc"
    config.write_text(cli_config_text(mirror))
    return config


def terraform_env(config_dir: str | Path | None = None, base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for a Terraform subprocess: mirror config (if any), no prompts, no checkpoint calls."""
    env = dict(os.environ if base is None else base)
    env.setdefault("CHECKPOINT_DISABLE", "1")
    env["TF_INPUT"] = "0"
    env["TF_IN_AUTOMATION"] = "1"
    config = write_cli_config(config_dir)
    if config is not None:
        env["TF_CLI_CONFIG_FILE"] = str(config)
    elif env.get("TF_CLI_CONFIG_FILE") and not Path(env["TF_CLI_CONFIG_FILE"]).exists():
        env.pop("TF_CLI_CONFIG_FILE")  # a dangling setting only produces warnings
    return env


def run(args: list[str], cwd: str | Path, env: dict[str, str], timeout: float = 600, check: bool = True
        ) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(["terraform", *args, "-no-color"] if args[0] not in ("version",) else ["terraform", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0 and "could not connect to registry" in proc.stderr + proc.stdout:
        raise RuntimeError(f"terraform {args[0]} needs providers it cannot download: set {MIRROR_VAR} "
                           f"to a provider mirror folder (unpacked layout)\n{proc.stderr}")
    if check and proc.returncode != 0:
        raise RuntimeError(f"terraform {' '.join(args)} failed in {cwd} ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def main(argv: list[str]) -> int:
    if argv[:1] == ["cli-config"]:
        config = write_cli_config(argv[1] if len(argv) > 1 else None)
        print(config.resolve() if config else "")  # absolute: Terraform runs in each stack's folder
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
