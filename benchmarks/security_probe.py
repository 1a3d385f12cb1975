"""Security probe over real HTTP: login throttling, logout, caching, enumeration, CSRF binding.

Run: ``uv run python benchmarks/security_probe.py [--database-url sqlite:///... |
postgresql://postgres@127.0.0.1:5432/postgres] [--port 8240]``

Starts the app with **uvicorn on 127.0.0.1** (one process, as ``anugerah serve``) on a fresh
database and prints one line per probe:

* a session cookie replayed after logout: the status of ``/account`` and ``/api/v1/auth/me``;
* ``Cache-Control`` of the account page and of an API response;
* the median time of 20 password-reset requests for a known and for an unknown address;
* sign-up with an address that has an account: the status and whether the page says so;
* a CSRF token taken from another visitor's cookie, replayed with a logged-in session;
* 40 concurrent wrong passwords for one account: the statuses, and then a login to another
  account from the same address.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from intake_common import fresh_database

from awards.accounts.services import AccountService
from awards.mail import Mailer
from awards.settings import Settings

PASSWORD = "probe-password-2026"


async def _users(settings: Settings) -> None:
    accounts = AccountService(settings, Mailer(settings))
    for name in ("victim", "owner", "csrf"):
        await accounts.sign_up(f"{name}@example.org", PASSWORD)


async def _wait_up(client: httpx.AsyncClient) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            await client.get("/login")
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)


async def _login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> int:
    if "csrftoken" not in client.cookies:
        await client.get("/login")
    response = await client.post(
        "/login",
        data={"email": email, "password": password, "_csrf_token": client.cookies["csrftoken"]},
    )
    return response.status_code


async def _probe(base: str) -> list[str]:
    lines: list[str] = []
    async with httpx.AsyncClient(base_url=base, timeout=120) as warm:
        await _wait_up(warm)

    # 2. cookie replay after logout; 3. Cache-Control.
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await _login(client, "owner@example.org")
        account = await client.get("/account")
        api = await client.get("/api/v1/auth/me")
        lines.append(
            f"Cache-Control                   /account {account.headers.get('cache-control')!r}; "
            f"/api/v1/auth/me {api.headers.get('cache-control')!r}"
        )
        saved = dict(client.cookies)
        async with httpx.AsyncClient(base_url=base, timeout=60, cookies=saved) as control:
            before = (await control.get("/account")).status_code
        await client.post("/logout", data={"_csrf_token": client.cookies["csrftoken"]})
    async with httpx.AsyncClient(base_url=base, timeout=60, cookies=saved) as replay:
        page = await replay.get("/account")
        me = await replay.get("/api/v1/auth/me")
        lines.append(
            f"cookie replayed after logout    /account {page.status_code} "
            f"(before logout {before}); "
            f"/api/v1/auth/me {me.status_code}"
        )

    # 4. reset timing, known vs unknown.
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await client.get("/login")
        token = client.cookies["csrftoken"]
        timings: dict[str, list[float]] = {"known": [], "unknown": []}
        for i in range(20):
            for kind, address in (("known", "owner@example.org"), ("unknown", f"nobody{i}@x.org")):
                started = time.perf_counter()
                await client.post("/password/forgot", data={"email": address, "_csrf_token": token})
                timings[kind].append((time.perf_counter() - started) * 1000)
        lines.append(
            "password reset median          "
            f"known {statistics.median(timings['known']):.1f} ms; "
            f"unknown {statistics.median(timings['unknown']):.1f} ms"
        )

        # 5. sign-up with an existing address.
        response = await client.post(
            "/signup",
            data={"email": "owner@example.org", "password": PASSWORD, "_csrf_token": token},
        )
        says = "already" in response.text or "sudah" in response.text
        lines.append(
            f"sign-up with existing email     status {response.status_code}; page says so: {says}"
        )
    lines.append(await _signup_uniform(base))
    # 6. CSRF token of another visitor with a logged-in session.
    async with httpx.AsyncClient(base_url=base, timeout=60) as other:
        await other.get("/login")
        foreign = other.cookies["csrftoken"]
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await _login(client, "csrf@example.org")
        client.cookies.set("csrftoken", foreign)
        response = await client.post("/logout", data={"_csrf_token": foreign})
        lines.append(f"foreign CSRF token, logged in   POST /logout {response.status_code}")

    # 1. 40 concurrent wrong passwords, each from a fresh client (own CSRF cookie).
    async def wrong() -> int:
        async with httpx.AsyncClient(base_url=base, timeout=120) as client:
            return await _login(client, "victim@example.org", "wrong-password-1")

    statuses = await asyncio.gather(*(wrong() for _ in range(40)))
    counts = {code: statuses.count(code) for code in sorted(set(statuses))}
    lines.append(f"40 concurrent wrong passwords   statuses {counts}")

    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        other = await _login(client, "owner@example.org")
    lines.append(f"then another account, same IP   login {other}")
    return lines


def _comparable(response: httpx.Response, secrets: list[str]) -> tuple[Any, ...]:
    """Status, Location, body with this visitor's own tokens blanked, names of cookies set."""
    body = response.text
    for secret in secrets:
        body = body.replace(secret, "")
    cookies = tuple(sorted({c.split("=", 1)[0] for c in response.headers.get_list("set-cookie")}))
    return response.status_code, response.headers.get("location", ""), body, cookies


async def _signup_uniform(base: str) -> str:
    """A new and an existing address, each from a fresh visitor: the sign-up answer, the page it
    leads to, and the visitor's next request (``/account``) must not tell them apart."""
    seen = []
    for address in ("newcomer@example.org", "owner@example.org"):
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            await client.get("/signup")
            token = client.cookies["csrftoken"]
            data = {"email": address, "password": PASSWORD, "_csrf_token": token}
            answer = await client.post("/signup", data=data)
            landing = await client.get(answer.headers.get("location") or "/signup")
            following = await client.get("/account")
            own = [client.cookies.get("csrftoken", ""), token]
            seen.append(
                tuple(_comparable(r, [t for t in own if t]) for r in (answer, landing, following))
            )
    (new_answer, new_landing, new_next), (old_answer, old_landing, old_next) = seen
    return (
        f"sign-up new vs existing email   answer {new_answer[0]}/{old_answer[0]} "
        f"identical: {new_answer == old_answer}; landing page identical: "
        f"{new_landing == old_landing}; next GET /account {new_next[0]}/{old_next[0]} "
        f"identical: {new_next == old_next}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--port", type=int, default=8240)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'probe.sqlite'}"
        with fresh_database(url) as scratch:
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("ANUGERAH_")},
                "ANUGERAH_DATABASE_URL": scratch,
                "ANUGERAH_DATA_DIR": tmp,
                "ANUGERAH_SECRET_KEY": "benchmark-secret-key-0123456789-abcdefghij",
            }
            asyncio.run(_users(Settings.from_env(env)))
            server = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "awards.app:create_app", "--factory",
                 "--host", "127.0.0.1", "--port", str(args.port), "--log-level", "warning"],
                env=env,
            )  # fmt: skip
            try:
                lines = asyncio.run(_probe(f"http://127.0.0.1:{args.port}"))
            finally:
                server.terminate()
                server.wait(timeout=30)
    backend = "PostgreSQL" if scratch.startswith("postgres") else "SQLite"
    print(f"backend                         {backend}; uvicorn, 1 process, 127.0.0.1")
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
