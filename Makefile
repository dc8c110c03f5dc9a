# The two commands a newcomer needs: `make demo` and `make test`.
GO ?= go
STATICCHECK_VERSION ?= v0.6.1

.PHONY: demo demo-offline demo-fargate test lint bench fuzz tools

## demo: the main job on the embedded local cloud: provision examples/rolldie
## (build, package, upload, CloudFormation change set), then execute its state
## machine there, which runs the real Lambda binary, and print the result.
demo:
	$(GO) run ./examples/rolldie provision --local
	$(GO) run ./examples/rolldie execute --local --input '{}'

## demo-offline: the same machine in-process, nothing deployed.
demo-offline:
	$(GO) run ./examples/rolldie execute --offline --input '{}'

## test: vet both sides of the build tag and run every test.
test:
	$(GO) vet ./...
	$(GO) vet -tags lambdabinary ./...
	$(GO) test -count=1 ./...

## lint: gofmt, vet and staticcheck (installed by exact version).
lint: tools
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...
	$(GO) vet -tags lambdabinary ./...
	$$($(GO) env GOPATH)/bin/staticcheck ./...
	$$($(GO) env GOPATH)/bin/staticcheck -tags lambdabinary ./...

tools:
	@test -x "$$($(GO) env GOPATH)/bin/staticcheck" || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

## bench: the speed and size goals, as Go benchmarks.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## fuzz: a short fuzzing pass over every parser.
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse$$ -fuzztime 20s ./step/internal/jsonpath
	$(GO) test -run '^$$' -fuzz FuzzParseReference -fuzztime 20s ./step/internal/jsonpath
	$(GO) test -run '^$$' -fuzz FuzzIntrinsicParse -fuzztime 20s ./step/internal/intrinsic
	$(GO) test -run '^$$' -fuzz FuzzCompile -fuzztime 20s ./step/engine
	$(GO) test -run '^$$' -fuzz FuzzFromJSON -fuzztime 20s ./step

## demo-fargate: provision examples/servicefull on the local cloud (needs a
## Docker engine: the image is built and pushed to the local ECR, the task
## runs as a container) and execute its machine: Lambda -> Fargate task -> SNS.
demo-fargate:
	$(GO) run ./examples/servicefull provision --local
	$(GO) run ./examples/servicefull execute --local --input '{"orderId": "demo-1"}'

## mutate: mutation testing of one package with gremlins (installed by exact
## version): `make mutate PKG=./service`. Each mutant costs a `go test` of the
## package, so run it on one small package at a time. See docs/testing.md.
GREMLINS_VERSION ?= v0.6.0
.PHONY: mutate
mutate:
	@test -n "$(PKG)" || (echo 'usage: make mutate PKG=./service'; exit 2)
	@test -x "$$($(GO) env GOPATH)/bin/gremlins" || $(GO) install github.com/go-gremlins/gremlins/cmd/gremlins@$(GREMLINS_VERSION)
	$$($(GO) env GOPATH)/bin/gremlins unleash --workers 1 --test-cpu 1 --timeout-coefficient 30 $(PKG)
