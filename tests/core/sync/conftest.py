from tests.harness.sync_fixtures import (  # noqa: F401 - fixtures
    postgres_cluster,
    sync_database_url,
    sync_server,
)
