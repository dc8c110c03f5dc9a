package offlinetask

import (
	"reflect"
	"strings"
	"testing"
)

// The Dockerfile of SpartaStepServicefull (github.com/mweagle/SpartaStepServicefull),
// the program the "Step Functions with Fargate" page links to.
const spartaServicefull = `FROM alpine:3.8
RUN apk update && apk add ca-certificates && rm -rf /var/cache/apk/*

# Sparta provides the SPARTA_DOCKER_BINARY argument to the builder
# in order to embed the binary.
ARG SPARTA_DOCKER_BINARY
ADD $SPARTA_DOCKER_BINARY /SpartaServicefull
CMD ["/SpartaServicefull", "fargateTask"]
`

func TestParseDockerfile(t *testing.T) {
	tests := []struct {
		name, dockerfile string
		want             Image
		argv             []string
	}{
		{name: "Sparta's servicefull", dockerfile: spartaServicefull,
			want: Image{Cmd: []string{"/SpartaServicefull", "fargateTask"}, BinaryPath: "/SpartaServicefull"},
			argv: []string{"/SpartaServicefull", "fargateTask"}},
		{name: "entrypoint and cmd, braces", dockerfile: "FROM scratch\nCOPY ${SPARTA_DOCKER_BINARY} /sparta/service\nENTRYPOINT [\"/sparta/service\"]\nCMD [\"report\"]\n",
			want: Image{Entrypoint: []string{"/sparta/service"}, Cmd: []string{"report"}, BinaryPath: "/sparta/service"},
			argv: []string{"/sparta/service", "report"}},
		{name: "ENTRYPOINT after CMD resets CMD as docker does", dockerfile: "FROM x\nCOPY $SPARTA_DOCKER_BINARY /b\nCMD [\"a\"]\nENTRYPOINT [\"/b\"]\n",
			want: Image{Entrypoint: []string{"/b"}, BinaryPath: "/b"}, argv: []string{"/b"}},
		{name: "only the last stage counts", dockerfile: "FROM golang AS build\nCOPY $SPARTA_DOCKER_BINARY /x\nCMD [\"/x\"]\nFROM scratch\nCMD [\"/y\"]\n",
			want: Image{Cmd: []string{"/y"}}, argv: []string{"/y"}},
		{name: "COPY with flags and a continuation", dockerfile: "FROM scratch\nCOPY --chown=1:1 \\\n  $SPARTA_DOCKER_BINARY /svc\ncmd [\"/svc\", \"t\"]\n",
			want: Image{Cmd: []string{"/svc", "t"}, BinaryPath: "/svc"}, argv: []string{"/svc", "t"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDockerfile(strings.NewReader(tt.dockerfile))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseDockerfile = %+v, want %+v", got, tt.want)
			}
			if argv := got.Argv(nil); !reflect.DeepEqual(argv, tt.argv) {
				t.Errorf("Argv(nil) = %q, want %q", argv, tt.argv)
			}
		})
	}
}

func TestParseDockerfileRefusesShellForm(t *testing.T) {
	_, err := ParseDockerfile(strings.NewReader("FROM alpine\nCMD /svc fargateTask\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "shell form") || !strings.Contains(err.Error(), `CMD ["/path/to/binary"`) {
		t.Errorf("err = %v, want the line, 'shell form' and the exec form to use", err)
	}
	_, err = ParseDockerfile(strings.NewReader("FROM alpine\nENTRYPOINT [\"/svc\", 3]\n"))
	if err == nil || !strings.Contains(err.Error(), "not a JSON array of strings") {
		t.Errorf("err = %v, want a JSON array error", err)
	}
}

func TestArgvOverrideReplacesCmdNotEntrypoint(t *testing.T) {
	img := Image{Entrypoint: []string{"/b"}, Cmd: []string{"default"}}
	if got := img.Argv([]string{"other", "--x"}); !reflect.DeepEqual(got, []string{"/b", "other", "--x"}) {
		t.Errorf("Argv = %q", got)
	}
}

func FuzzParseDockerfile(f *testing.F) {
	f.Add(spartaServicefull)
	f.Add("FROM scratch\nCOPY ${SPARTA_DOCKER_BINARY} /b\nENTRYPOINT [\"/b\"]\nCMD [\"r\"]\n")
	f.Add("CMD [\"a\" \\\n, \"b\"]")
	f.Fuzz(func(t *testing.T, s string) {
		img, err := ParseDockerfile(strings.NewReader(s))
		if err != nil {
			return
		}
		_ = img.Argv(nil)
	})
}
