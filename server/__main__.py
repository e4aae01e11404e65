"""``python -m server``: serve (uvicorn), or create an account from the command line."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m server", description=__doc__)
    parser.add_argument("--database-url", help="overrides SYNC_DATABASE_URL")
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="run the HTTP server (the default)")
    serve.add_argument("--host", default=os.environ.get("SYNC_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("SYNC_PORT", "8765")))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("SYNC_WORKERS", "1")))
    serve.add_argument("--proxy-headers", action="store_true", help="trust X-Forwarded-For")
    sub.add_parser("create-account", help="create an account and print its token once")
    args = parser.parse_args(argv)
    if args.database_url:
        os.environ["SYNC_DATABASE_URL"] = args.database_url
    if args.command == "create-account":
        return asyncio.run(_create_account())
    import uvicorn

    uvicorn.run(
        "server.app:create_app",
        factory=True,
        host=getattr(args, "host", "127.0.0.1"),
        port=getattr(args, "port", 8765),
        workers=getattr(args, "workers", 1),
        proxy_headers=getattr(args, "proxy_headers", False),
        log_level="info",
    )
    return 0


async def _create_account() -> int:
    from httpx import ASGITransport, AsyncClient

    from server.app import create_app
    from server.config import ServerConfig

    config = ServerConfig.from_env()
    # Through the app itself, so the CLI and the HTTP endpoint create accounts the same way.
    app = create_app(ServerConfig(**{**config.__dict__, "registration": "open"}))
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app)
        async with AsyncClient(transport=transport, base_url="http://local") as client:
            response = await client.post("/v1/accounts")
            response.raise_for_status()
            body = response.json()
    sys.stdout.write(f"account {body['account']}\ntoken {body['token']}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
