# One home for automation. The README's two commands are `make run` and `make test`;
# `.ci/run` calls `make ci`.
SHELL := /bin/bash
export CARGO_TERM_COLOR ?= never

.PHONY: setup run index test ci lint unit e2e bench

setup:
	./scripts/setup.sh

# Build the library from the bundled corpus (progress shown), show a sample search, then
# open the desktop app on it (or, with no display, say how to open it in a browser).
run: setup
	cargo build --release -p nts-cli
	./target/release/nts index
	./target/release/nts search 恐怖主义 --limit 3
	cargo build -p nts-atlas-app
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then ./target/debug/nts-atlas; \
	else echo "No display: open the same UI in a browser with ./target/release/nts serve (http://127.0.0.1:7878/)"; fi

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

unit:
	cargo test --workspace

e2e:
	./tests-e2e/run.sh
	./tests-e2e/tauri-smoke.sh

test: setup lint unit e2e

ci: test

bench:
	cargo bench -p nts-core --bench build
