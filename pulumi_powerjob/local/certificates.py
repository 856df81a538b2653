"""A private certificate authority for local HTTPS (made with the openssl CLI): its CA file is
what a user gives as ``powerjob:caBundle``."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from pulumi_powerjob.local.jar import LocalServerError

_DAYS = "30"
_EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


class PrivateCA:
    """A CA key and certificate in ``directory``; ``issue()`` signs server certificates."""

    def __init__(self, directory: Path, name: str = "pulumi-powerjob local CA") -> None:
        self.directory = directory
        self.certificate = directory / "ca.pem"
        """The CA certificate (PEM): the file to trust."""
        self._key = directory / "ca.key"
        directory.mkdir(parents=True, exist_ok=True)
        _openssl(
            "req", "-x509", *_EC, "-days", _DAYS, "-subj", f"/CN={name}",
            "-keyout", str(self._key), "-out", str(self.certificate),
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        )  # fmt: skip

    def issue(
        self, name: str, hosts: tuple[str, ...] = ("127.0.0.1", "localhost")
    ) -> tuple[Path, Path]:
        """A server certificate for ``hosts`` signed by this CA: (certificate, key)."""
        cert, key, csr = (self.directory / f"{name}{ext}" for ext in (".pem", ".key", ".csr"))
        names = ",".join(
            f"IP:{h}" if h.replace(".", "").isdigit() or ":" in h else f"DNS:{h}" for h in hosts
        )
        extensions = self.directory / f"{name}.ext"
        extensions.write_text(
            f"subjectAltName={names}\nbasicConstraints=critical,CA:FALSE\n"
            "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
            "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n",
            encoding="utf-8",
        )
        _openssl("req", *_EC, "-subj", f"/CN={hosts[0]}", "-keyout", str(key), "-out", str(csr))
        _openssl(
            "x509", "-req", "-in", str(csr), "-CA", str(self.certificate),
            "-CAkey", str(self._key), "-CAcreateserial", "-days", _DAYS,
            "-extfile", str(extensions), "-out", str(cert),
        )  # fmt: skip
        return cert, key


def _openssl(*args: str) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise LocalServerError("openssl is not on PATH (Debian's openssl package)")
    done = subprocess.run([openssl, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise LocalServerError(f"openssl {args[0]} failed: {done.stderr.strip()[-500:]}")
