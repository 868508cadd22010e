# The test command of the README is `make test`; .ci/run calls it.
GO ?= go

.PHONY: test lint demo build fuzz

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

lint:
	@test -z "$$(gofmt -l .)" || { gofmt -l .; exit 1; }
	$(GO) vet ./...

build:
	$(GO) build -o bin/taglines ./cmd/taglines

demo:
	$(GO) run ./cmd/taglines serve --demo

# Short fuzzing of every fuzz target, for a local pass before a commit.
fuzz:
	$(GO) test -run '^$$' -fuzz "^FuzzParse$$" -fuzztime 30s ./feed/
	$(GO) test -run '^$$' -fuzz FuzzCanonicalURL -fuzztime 30s ./dedup/
