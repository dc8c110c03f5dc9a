# The two commands a newcomer needs: `make demo` and `make test`.
GO ?= go
STATICCHECK_VERSION ?= v0.6.1

.PHONY: demo demo-offline demo-fargate demo-dragons test lint bench bench-peer fuzz tools

# RUN runs a service's CLI. CGO_ENABLED=0 and -trimpath are the Lambda
# build's settings: with them the CLI's compiled packages (the standard
# library above all) are the ones the Lambda build of this machine's
# architecture needs, so a first run compiles them once, not twice.
RUN = CGO_ENABLED=0 $(GO) run -trimpath

# FIRST_RUN says why a first run is quiet for a while: Go is compiling.
FIRST_RUN = @echo "Compiling $(1) (go run). The first time this takes a few minutes: Go compiles the standard library, the AWS SDK clients and goformation; later runs take seconds."

## demo: the main job on the embedded local cloud: provision examples/rolldie
## (build, package, upload, CloudFormation change set), then execute its state
## machine there, which runs the real Lambda binary, and print the result.
demo:
	$(call FIRST_RUN,examples/rolldie)
	$(RUN) ./examples/rolldie provision --local
	$(RUN) ./examples/rolldie execute --local --input '{}'

## demo-dragons: provision examples/dragons on the local cloud, then POST
## sightings over plain HTTP (API Gateway -> model validation ->
## StartExecution): one stored in DynamoDB, one that waits on SQS until the
## queue's Lambda consumer answers its task token, one invalid; show the
## stored items and run the nightly report machine.
demo-dragons:
	$(GO) run ./examples/dragons provision --local
	$(GO) run ./examples/dragons/cmd/sightings

## demo-offline: the same machine in-process, nothing deployed.
demo-offline:
	$(call FIRST_RUN,examples/rolldie)
	$(RUN) ./examples/rolldie execute --offline --input '{}'

## test: vet both sides of the build tag and run every test.
test:
	$(GO) vet ./...
	$(GO) vet -tags lambdabinary ./...
	$(GO) test -count=1 -timeout 30m ./...

## lint: gofmt, vet and staticcheck (installed by exact version).
lint: tools
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...
	$(GO) vet -tags lambdabinary ./...
	$$($(GO) env GOPATH)/bin/staticcheck ./...
	$$($(GO) env GOPATH)/bin/staticcheck -tags lambdabinary ./...

tools:
	@test -x "$$($(GO) env GOPATH)/bin/staticcheck" || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

## bench: the speed and size goals, as Go benchmarks, then the public Step
## Functions benchmarks side by side with coinbase/step (bench-peer).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(MAKE) bench-peer

## bench-peer: step's public benchmarks and coinbase/step v1.0.6's on the
## same definition, in one run on one core (step/internal/peerbench, a module
## of its own). Its go.mod is tidied into a scratch copy, not in place.
PEER_MOD := $(shell mktemp -u /tmp/peerbench-XXXXXX).mod
bench-peer:
	cp step/internal/peerbench/go.mod $(PEER_MOD)
	cp step/internal/peerbench/go.sum $(PEER_MOD:.mod=.sum)
	cd step/internal/peerbench && $(GO) mod tidy -modfile=$(PEER_MOD) && \
		$(GO) test -modfile=$(PEER_MOD) -run '^$$' -bench . -benchmem -count 5 -cpu 1
	rm -f $(PEER_MOD) $(PEER_MOD:.mod=.sum)

## fuzz: a short fuzzing pass over every parser.
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse$$ -fuzztime 20s ./step/internal/jsonpath
	$(GO) test -run '^$$' -fuzz FuzzParseReference -fuzztime 20s ./step/internal/jsonpath
	$(GO) test -run '^$$' -fuzz FuzzIntrinsicParse -fuzztime 20s ./step/internal/intrinsic
	$(GO) test -run '^$$' -fuzz FuzzCompile -fuzztime 20s ./step/engine
	$(GO) test -run '^$$' -fuzz FuzzFromJSON -fuzztime 20s ./step
	$(GO) test -run '^$$' -fuzz FuzzDecode -fuzztime 20s ./step/internal/jsonvalue
	$(GO) test -run '^$$' -fuzz FuzzTemplate -fuzztime 20s ./local/apigateway/internal/vtl
	$(GO) test -run '^$$' -fuzz FuzzRouting -fuzztime 20s ./local/apigateway

## demo-fargate: provision examples/servicefull on the local cloud (needs a
## Docker engine: the image is built and pushed to the local ECR, the task
## runs as a container) and execute its machine: Lambda -> Fargate task -> SNS.
demo-fargate:
	$(call FIRST_RUN,examples/servicefull)
	$(RUN) ./examples/servicefull provision --local
	$(RUN) ./examples/servicefull execute --local --input '{"orderId": "demo-1"}'

## mutate: mutation testing of one package with gremlins (installed by exact
## version): `make mutate PKG=./service`. Each mutant costs a `go test` of the
## package, so run it on one small package at a time. See docs/testing.md.
GREMLINS_VERSION ?= v0.6.0
.PHONY: mutate
mutate:
	@test -n "$(PKG)" || (echo 'usage: make mutate PKG=./service'; exit 2)
	@test -x "$$($(GO) env GOPATH)/bin/gremlins" || $(GO) install github.com/go-gremlins/gremlins/cmd/gremlins@$(GREMLINS_VERSION)
	$$($(GO) env GOPATH)/bin/gremlins unleash --workers 1 --test-cpu 1 --timeout-coefficient 30 $(PKG)
