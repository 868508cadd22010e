# The test command of the README is `make test`; .ci/run calls it.
GO ?= go

.PHONY: test lint demo build fuzz browser-test startup

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

# The pages in headless Chromium (Debian's chromium), with axe-core's
# accessibility check; axe-core comes from npm into .cache/ once.
AXE_VERSION ?= 4.14.1
AXE_JS = .cache/axe-core/node_modules/axe-core/axe.min.js

$(AXE_JS):
	mkdir -p .cache/axe-core
	cd .cache/axe-core && npm install --no-audit --no-fund --no-save axe-core@$(AXE_VERSION)

browser-test: $(AXE_JS)
	TAGLINES_AXE_JS=$(CURDIR)/$(AXE_JS) $(GO) test -tags browser -count=1 -run '^TestBrowser$$' -v ./web

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

# Start-up times: taglines --help and extract on one page against a
# hello-world Go binary, the minimum of 15 runs each.
STARTUP_TMP ?= /tmp/taglines-startup
startup:
	mkdir -p $(STARTUP_TMP)
	$(GO) build -o $(STARTUP_TMP)/taglines ./cmd/taglines
	$(GO) build -o $(STARTUP_TMP)/hello ./bench/startup/hello
	gzip -dc extract/testdata/20c5b16762e51e9bb45d.html.gz > $(STARTUP_TMP)/page.html
	$(GO) run ./bench/startup -n 15 'hello=$(STARTUP_TMP)/hello' \
		'help=$(STARTUP_TMP)/taglines --help' \
		'extract=$(STARTUP_TMP)/taglines extract $(STARTUP_TMP)/page.html'
