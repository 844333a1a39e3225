# gsupervisor — see README.md. `make` lists the targets.

GO        ?= go
BUF       := $(GO) tool -modfile=tools/buf/go.mod buf
GOFLAGS   ?=
# The timeouts only bound a hung test (every wait in the tests has its own
# deadline): generous, so that a loaded 2-core machine finishes.
TESTFLAGS ?= -race -timeout 20m
E2EFLAGS  ?= -race -timeout 45m
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X github.com/gsupervisor/gsupervisor/internal/supervisor.Version=$(VERSION)
# grpcnotrace leaves golang.org/x/net/trace (and the html/template it
# pulls) out of the binaries: gRPC tracing is never enabled (-4 MB each).
BUILDTAGS := grpcnotrace
GENERATED := gen/go/gsupervisor/v1/*.pb.go gen/go/gateway/gsupervisor/v1/*.pb.gw.go gen/openapi/*.swagger.json \
             gen/openapi/*.openapi.json gen/python/gsupervisor/v1/*_pb2*.py* gen/python/google/rpc/*_pb2.py*
# The TypeScript client's generated sources and compiled output (index.ts
# and errorinfo.ts are hand-written).
GENERATED_TS := gen/ts/src/gsupervisor gen/ts/src/google gen/ts/dist
NODE_BIN  := tools/node/node_modules/.bin
# protoc writes the Python messages: Debian's 3.21, the version of the
# python3-protobuf runtime the client is tested with.
PROTOC_VERSION := libprotoc 3.21.12
PROGRAMS  := supervisord supervisorctl echo_supervisord_conf pidproxy

# make install: where things go (DESTDIR is prepended to every path).
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR  ?= /etc
RUNSTATEDIR ?= /var/run
LOGDIR      ?= /var/log/supervisor
DESTDIR     ?=
BIN         ?= bin
# make dist: release archives and .deb packages.
DISTDIR     ?= dist
DIST_ARCHES ?= amd64 arm64
NFPM        := $(GO) tool -modfile=tools/nfpm/go.mod nfpm

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: generate
generate: deps ## regenerate gen/ from proto/ (buf, local plugins): Go, REST, OpenAPI, Python, TypeScript
	@test "$$(protoc --version)" = "$(PROTOC_VERSION)" || (echo "make generate needs protoc $(PROTOC_VERSION) (Debian protobuf-compiler), found: $$(protoc --version)" >&2; exit 1)
	rm -f $(GENERATED)
	rm -rf $(GENERATED_TS)
	$(BUF) generate
	$(BUF) generate --template buf.gen.clients.yaml
	$(BUF) generate --template buf.gen.rpc.yaml
	$(GO) run ./tools/openapi3 gen/openapi/gsupervisor.swagger.json gen/openapi/gsupervisor.openapi.json
	$(NODE_BIN)/tsc -p gen/ts/tsconfig.json

.PHONY: check-generated
check-generated: generate ## fail if gen/ is not what make generate produces
	@git diff --exit-code -- gen/ || (echo "gen/ is out of date: run make generate and commit" >&2; exit 1)
	@test -z "$$(git status --porcelain -- gen/)" || (git status --porcelain -- gen/; echo "gen/ has untracked changes" >&2; exit 1)

.PHONY: build
build: ## build the four programs into bin/
	$(GO) build $(GOFLAGS) -tags '$(BUILDTAGS)' -ldflags '$(LDFLAGS)' -o bin/supervisord ./daemon
	$(GO) build $(GOFLAGS) -tags '$(BUILDTAGS)' -ldflags '$(LDFLAGS)' -o bin/supervisorctl ./ctl
	$(GO) build $(GOFLAGS) -tags '$(BUILDTAGS)' -ldflags '$(LDFLAGS)' -o bin/echo_supervisord_conf ./echoconf
	$(GO) build $(GOFLAGS) -tags '$(BUILDTAGS)' -ldflags '$(LDFLAGS)' -o bin/pidproxy ./pidproxy

.PHONY: install
install: build ## install the programs, the systemd unit and /etc/supervisor (PREFIX, DESTDIR, SYSCONFDIR, ...)
	@$(MAKE) --no-print-directory install-files

# install-files installs what $(BIN) holds, without building (make dist
# uses it with cross-compiled programs). An existing supervisord.conf is
# kept.
.PHONY: install-files
install-files:
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/supervisor/conf.d $(DESTDIR)$(LOGDIR)
	install -m 0755 $(addprefix $(BIN)/,$(PROGRAMS)) $(DESTDIR)$(BINDIR)/
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		packaging/supervisord.service.in > $(DESTDIR)$(UNITDIR)/supervisord.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/supervisord.service
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/supervisor/supervisord.conf ]; then \
		echo "keeping the existing $(DESTDIR)$(SYSCONFDIR)/supervisor/supervisord.conf"; \
	else \
		echo "writing $(DESTDIR)$(SYSCONFDIR)/supervisor/supervisord.conf"; \
		sed -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' -e 's|@RUNSTATEDIR@|$(RUNSTATEDIR)|g' -e 's|@LOGDIR@|$(LOGDIR)|g' \
			packaging/supervisord.conf.in > $(DESTDIR)$(SYSCONFDIR)/supervisor/supervisord.conf; \
		chmod 0644 $(DESTDIR)$(SYSCONFDIR)/supervisor/supervisord.conf; \
	fi

.PHONY: dist
dist: ## release archives and .deb packages in dist/ for DIST_ARCHES (version from git)
	GO='$(GO)' NFPM='$(NFPM)' DISTDIR='$(DISTDIR)' DIST_ARCHES='$(DIST_ARCHES)' VERSION='$(VERSION)' \
		LDFLAGS='$(LDFLAGS)' BUILDTAGS='$(BUILDTAGS)' MAKE='$(MAKE)' ./packaging/dist.sh

.PHONY: grpcurl
grpcurl: ## build the pinned grpcurl (tools/grpcurl) as bin/grpcurl (make deps does)
	@$(GO) build -modfile=tools/grpcurl/go.mod -o bin/grpcurl github.com/fullstorydev/grpcurl/cmd/grpcurl

.PHONY: run
run: build ## start the daemon in the foreground on examples/supervisord.conf
	$(GO) build $(GOFLAGS) -o bin/chaindemo ./examples/chaindemo
	@mkdir -p run/logs
	@echo "socket: run/supervisor.sock — try: bin/supervisorctl -c examples/supervisord.conf status"
	@echo "web interface: http://127.0.0.1:9001/"
	bin/supervisord -c examples/supervisord.conf -n

.PHONY: deps
deps: ## install what the tests and the clients need (idempotent): packages, npm tools, bin/grpcurl
	@./.ci/deps
	@$(MAKE) --no-print-directory grpcurl

.PHONY: test
test: deps build ## install test dependencies, then vet and run every test (race detector, e2e included)
	$(GO) vet -tags 'e2e benchsmoke' ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' | grep -v '^gen/'))" || (gofmt -l $$(git ls-files '*.go' | grep -v '^gen/'); echo "gofmt needed" >&2; exit 1)
	$(GO) test $(TESTFLAGS) ./...
	$(GO) test $(E2EFLAGS) -tags e2e ./e2e/...

.PHONY: lint
lint: ## gofmt, go vet and buf lint
	@test -z "$$(gofmt -l $$(git ls-files '*.go' | grep -v '^gen/'))" || (gofmt -l $$(git ls-files '*.go' | grep -v '^gen/'); exit 1)
	$(GO) vet ./...
	$(BUF) lint
	$(BUF) format --diff --exit-code

.PHONY: bench
bench: deps build bench-smoke ## run the benchmarks, then the side-by-side comparison with the real supervisord
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(GO) run ./bench -out bench/results -ours bin/supervisord

.PHONY: bench-smoke
bench-smoke: deps ## a one-minute run of the side-by-side harness that checks every figure of ours is measured
	$(GO) test -tags benchsmoke -run '^TestQuickRun$$' -count=1 -timeout 20m ./bench/

.PHONY: clean
clean: ## remove build and run output
	rm -rf bin run bench/results $(DISTDIR)
