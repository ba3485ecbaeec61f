"""`make bench`: every benchmark, one after another, against the throw-away PostgreSQL of
scripts/with-test-services.sh. Prints figures; never fails on timing."""

from benchmarks import catalog_search, registry, webhooks


def main() -> None:
    catalog_search.run()
    registry.run()
    webhooks.run()


if __name__ == "__main__":
    main()
