"""Kore serves HTTPS itself when conf/magnet.conf names a certificate and
its key (the usual set-up ends TLS at a proxy instead): RSA and ECDSA
keys, TLS 1.2 and 1.3, the key held by Kore's key manager process, and
Magnet's cookies and headers as over any TLS (Secure, __Host-, HSTS).
Kore 4.1.0 as Debian ships it signs nothing under OpenSSL 3; the
Makefile patches it (patches/kore-openssl3-tls.patch), and this is the
test of that patch."""
import os
import re
import socket
import ssl
import subprocess
import tempfile

import pytest
import requests

from conftest import CSRF_RE, own_server, read_until_closed, unique


def certificate(kind, where):
    crt = os.path.join(where, kind + ".crt")
    key = os.path.join(where, kind + ".key")
    new = {"rsa": ["-newkey", "rsa:2048"],
           "ec": ["-newkey", "ec", "-pkeyopt",
                  "ec_paramgen_curve:prime256v1"]}[kind]
    subprocess.run(["openssl", "req", "-x509", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1", "-keyout", key,
                    "-out", crt] + new, check=True, capture_output=True)
    # The key manager reads it after dropping to the unprivileged user.
    os.chmod(key, 0o644)
    os.chmod(where, 0o755)
    return crt, key


@pytest.mark.parametrize("kind", ["rsa", "ec"])
def test_https_with_certificate_files(server, kind):
    where = tempfile.mkdtemp(prefix="magnet-tls-")
    crt, key = certificate(kind, where)
    with own_server(tls_certificate=crt, tls_key=key) as s:
        for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
            ctx = ssl.create_default_context(cafile=crt)
            ctx.minimum_version = ctx.maximum_version = version
            with socket.create_connection(("127.0.0.1", s.port)) as raw:
                with ctx.wrap_socket(raw,
                                     server_hostname="127.0.0.1") as t:
                    t.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1"
                              b"\r\nConnection: close\r\n\r\n")
                    got = read_until_closed(t)
            assert got.startswith(b"HTTP/1.1 200 "), (version, got[:200])
        c = requests.Session()
        r = c.get(s.base + "/register", timeout=10, verify=crt)
        assert r.status_code == 200
        assert r.headers["Strict-Transport-Security"].startswith(
            "max-age=31536000")
        cookies = r.raw.headers.getlist("Set-Cookie")
        assert cookies and all(k.startswith("__Host-") and "; Secure" in k
                               for k in cookies), cookies
        token = CSRF_RE.search(r.text).group(1)
        name = unique()
        r = c.post(s.base + "/register", data={
            "csrf": token, "username": name, "role": "returnee",
            "password": "a fine long passphrase"},
            headers={"X-Forwarded-For": "10.9.9.%d" % (len(kind) + 1)},
            allow_redirects=False, timeout=30, verify=crt)
        assert r.status_code == 303, r.text[:500]
        assert "__Host-mg_session" in r.headers["Set-Cookie"]
        r = c.get(s.base + "/account", timeout=10, verify=crt)
        assert name in r.text
        # Plain HTTP on the TLS port is not served.
        with socket.create_connection(("127.0.0.1", s.port)) as raw:
            raw.settimeout(5)
            raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            try:
                got = raw.recv(4096)
            except (ConnectionResetError, socket.timeout):
                got = b""
            assert b"HTTP/1.1 200" not in got
        # The key stays with the key manager, a process of its own.
        kids = subprocess.run(["pgrep", "-P", str(s.proc.pid), "-a"],
                              capture_output=True, text=True).stdout
        assert re.search(r"keymgr", kids), kids


def test_unreadable_key_refused_at_start(server):
    """The key manager reads the key as the unprivileged user: a key it
    could not read stops the server at start, with the file named, not
    later with every handshake."""
    where = tempfile.mkdtemp(prefix="magnet-tls-")
    crt, key = certificate("rsa", where)
    if os.geteuid() == 0:
        os.chmod(key, 0o600)      # root's own: nobody cannot read it
    else:
        os.chmod(key, 0o000)
    with pytest.raises(RuntimeError) as e:
        with own_server(tls_certificate=crt, tls_key=key):
            pass
    assert "tls_key: %s cannot be read" % key in str(e.value)
