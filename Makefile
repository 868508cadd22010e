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
FUZZTIME ?= 30s
FUZZ_TARGETS = .:FuzzParseCursor ./feed:FuzzParse ./feed:FuzzParseDate ./dedup:FuzzCanonicalURL \
	./dedup:FuzzTokenize ./dedup:FuzzDecode ./enrich/token:FuzzTokenize ./extract:FuzzPage \
	./extract:FuzzSanitize ./query:FuzzParse

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; fn=$${t##*:}; \
		echo "fuzz $$pkg $$fn"; \
		$(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done
