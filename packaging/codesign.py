"""Sign a built bundle for its platform, when the signing credentials are given.

    python packaging/codesign.py [--platform linux|windows|macos] [--require] [--out DIR] BUNDLE

linux    tar.gz of the bundle plus a detached, armored GPG signature (.asc), verified right
         after signing. CO_GPG_KEY names the key (fingerprint, id or e-mail) in the keyring of
         GNUPGHOME; CO_GPG_PASSPHRASE unlocks it when it has one.
windows  signtool over the .exe, .dll and .pyd files, with an RFC 3161 timestamp, then
         `signtool verify`. CO_WINDOWS_PFX is the Authenticode certificate (.pfx),
         CO_WINDOWS_PFX_PASSWORD its password, CO_WINDOWS_TIMESTAMP_URL the timestamp server.
macos    codesign with the hardened runtime (Developer ID Application identity in
         CO_MACOS_IDENTITY), then notarytool and stapler when CO_NOTARY_PROFILE (a keychain
         profile made by `xcrun notarytool store-credentials`) or CO_NOTARY_APPLE_ID,
         CO_NOTARY_TEAM_ID and CO_NOTARY_PASSWORD are set.

Without credentials it prints what it skipped and why and exits 0, so unsigned developer builds
work; with --require (or CO_REQUIRE_SIGNING=1) a skip is a failure, for release pipelines.
Passwords are passed to the tools but never printed: the command lines shown are redacted.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import subprocess
import sys
import tarfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from core.version import __version__

ENTITLEMENTS = Path(__file__).resolve().parent / "entitlements.plist"
DEFAULT_TIMESTAMP_URL = "http://timestamp.digicert.com"


class Skip(Exception):
    """Signing credentials for this platform are not given."""


@dataclass
class Step:
    argv: list[str]
    #: values to hide when the command line is shown
    secrets: tuple[str, ...] = ()
    #: bytes fed on stdin (a passphrase), never shown
    stdin: bytes | None = None
    env: dict[str, str] = field(default_factory=dict)

    def shown(self) -> str:
        words = ["***" if word in self.secrets else word for word in self.argv]
        return " ".join(words)


def _need(env: Mapping[str, str], *names: str) -> list[str]:
    missing = [name for name in names if not env.get(name)]
    if missing:
        raise Skip(f"set {', '.join(missing)} to sign")
    return [env[name] for name in names]


def host_platform() -> str:
    return {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")


def archive_name(plat: str) -> str:
    machine = platform.machine().lower() or "unknown"
    return f"cryptoorchestrator-{__version__}-{plat}-{machine}"


def make_tarball(bundle: Path, out_dir: Path) -> Path:
    """The Linux download: the bundle folder in a tar.gz, owner and times normalised."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{archive_name('linux')}.tar.gz"

    def normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    with tarfile.open(target, "w:gz") as tar:
        tar.add(bundle, arcname=bundle.name, filter=normalise)
    return target


def linux_steps(archive: Path, env: Mapping[str, str]) -> list[Step]:
    (key,) = _need(env, "CO_GPG_KEY")
    signature = archive.with_name(archive.name + ".asc")
    sign = ["gpg", "--batch", "--yes", "--local-user", key, "--armor", "--detach-sign"]
    passphrase = env.get("CO_GPG_PASSPHRASE")
    stdin = None
    if passphrase:
        sign += ["--pinentry-mode", "loopback", "--passphrase-fd", "0"]
        stdin = passphrase.encode()
    sign += ["--output", str(signature), str(archive)]
    verify = ["gpg", "--batch", "--verify", str(signature), str(archive)]
    return [Step(sign, stdin=stdin), Step(verify)]


def _windows_targets(bundle: Path) -> list[Path]:
    suffixes = {".exe", ".dll", ".pyd"}
    return sorted(p for p in bundle.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


def windows_steps(bundle: Path, env: Mapping[str, str]) -> list[Step]:
    pfx, password = _need(env, "CO_WINDOWS_PFX", "CO_WINDOWS_PFX_PASSWORD")
    tool = env.get("CO_SIGNTOOL", "signtool")
    stamp = env.get("CO_WINDOWS_TIMESTAMP_URL", DEFAULT_TIMESTAMP_URL)
    files = [str(p) for p in _windows_targets(bundle)]
    if not files:
        raise FileNotFoundError(f"no .exe/.dll/.pyd under {bundle}: is it a Windows bundle?")
    sign = [tool, "sign", "/f", pfx, "/p", password, "/fd", "SHA256", "/tr", stamp]
    sign += ["/td", "SHA256", *files]
    return [Step(sign, secrets=(password,)), Step([tool, "verify", "/pa", *files])]


def macos_steps(bundle: Path, env: Mapping[str, str]) -> list[Step]:
    (identity,) = _need(env, "CO_MACOS_IDENTITY")
    hardened = ["--options", "runtime", "--timestamp", "--entitlements", str(ENTITLEMENTS)]
    steps = [
        Step(["codesign", "--force", "--deep", *hardened, "--sign", identity, str(bundle)]),
        Step(["codesign", "--verify", "--deep", "--strict", "--verbose=2", str(bundle)]),
    ]
    if env.get("CO_NOTARY_PROFILE"):
        auth, secrets = ["--keychain-profile", env["CO_NOTARY_PROFILE"]], ()
    elif all(env.get(n) for n in ("CO_NOTARY_APPLE_ID", "CO_NOTARY_TEAM_ID", "CO_NOTARY_PASSWORD")):
        password = env["CO_NOTARY_PASSWORD"]
        auth = ["--apple-id", env["CO_NOTARY_APPLE_ID"], "--team-id", env["CO_NOTARY_TEAM_ID"]]
        auth += ["--password", password]
        secrets = (password,)
    else:
        print("codesign: signed but not notarized: set CO_NOTARY_PROFILE or CO_NOTARY_APPLE_ID,")
        print("          CO_NOTARY_TEAM_ID and CO_NOTARY_PASSWORD to notarize")
        return steps
    zipped = bundle.with_suffix(".zip")
    steps += [
        Step(["ditto", "-c", "-k", "--keepParent", str(bundle), str(zipped)]),
        Step(["xcrun", "notarytool", "submit", str(zipped), "--wait", *auth], secrets=secrets),
        Step(["xcrun", "stapler", "staple", str(bundle)]),
    ]
    return steps


def run_steps(steps: Sequence[Step]) -> None:
    for step in steps:
        print(f"codesign: $ {step.shown()}", flush=True)
        subprocess.run(
            step.argv,
            input=step.stdin,
            check=True,
            env={**os.environ, **step.env},
        )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sign(bundle: Path, plat: str, out_dir: Path, env: Mapping[str, str]) -> list[Path]:
    """Sign ``bundle``; returns the files made (archive and signature on Linux)."""
    if not bundle.exists():
        raise FileNotFoundError(f"{bundle} does not exist; run `make package` first")
    if plat == "linux":
        _need(env, "CO_GPG_KEY")  # skip before spending time on the archive
        archive = make_tarball(bundle, out_dir)
        run_steps(linux_steps(archive, env))
        print(f"codesign: {archive.name} sha256 {sha256_of(archive)}")
        return [archive, archive.with_name(archive.name + ".asc")]
    if plat == "windows":
        run_steps(windows_steps(bundle, env))
        return []
    if plat == "macos":
        run_steps(macos_steps(bundle, env))
        return []
    raise ValueError(f"unknown platform {plat!r}")


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    parser = argparse.ArgumentParser(description="Sign a built bundle for its platform.")
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--platform", choices=("linux", "windows", "macos"), default=None)
    parser.add_argument("--out", type=Path, default=Path("dist"), help="where archives go")
    parser.add_argument("--require", action="store_true", help="fail when signing is skipped")
    args = parser.parse_args(argv)
    plat = args.platform or host_platform()
    require = args.require or env.get("CO_REQUIRE_SIGNING") == "1"
    try:
        made = sign(args.bundle, plat, args.out, env)
    except Skip as skip:
        verdict = "FAILED (signing is required)" if require else "skipped"
        print(f"codesign: {plat} signing {verdict}: {skip}")
        return 1 if require else 0
    except FileNotFoundError as exc:
        print(f"codesign: {exc}")
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"codesign: {Path(str(exc.cmd[0])).name} failed with exit code {exc.returncode}")
        return 1
    for path in made:
        print(f"codesign: wrote {path}")
    print(f"codesign: {plat} signing done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
