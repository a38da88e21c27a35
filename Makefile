# One home for automation. The README's two commands are `make run` and `make test`;
# `.ci/run` calls `make ci`.
SHELL := /bin/bash
export CARGO_TERM_COLOR ?= never

.PHONY: setup run index test ci lint unit e2e bench

setup:
	./scripts/setup.sh

# Build the library from the bundled corpus (progress shown) and run a sample search.
run: setup
	cargo build --release -p nts-cli
	./target/release/nts index
	./target/release/nts search 恐怖主义 --limit 5

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

unit:
	cargo test --workspace

e2e:
	if [ -x tests-e2e/run.sh ]; then ./tests-e2e/run.sh; fi

test: setup lint unit e2e

ci: test

bench:
	cargo bench -p nts-core --bench build
