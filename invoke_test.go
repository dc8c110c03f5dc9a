//go:build !lambdabinary

package sparta_test

import (
	"strings"
	"testing"
)

func TestInvokeOffline(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr bool
		want    []string
	}{
		{
			name: "result",
			args: []string{"invoke", "addDragon", "--offline", "--event", `{"dragonName":"Smok","reportedBy":"Krak"}`},
			want: []string{"Status:    succeeded", `"dragonId": "smok"`, `"confirmed": true`, "REPORT RequestId: "},
		},
		{
			name:    "error type",
			args:    []string{"invoke", "validateName", "--offline", "--event", `{"dragonName":" "}`},
			wantErr: true,
			want:    []string{"Status:    failed", "Error:     DragonValidationFailed", "Message:   the report names no dragon"},
		},
		{
			name: "event template",
			args: []string{"invoke", "addDragon", "--offline", "--event-template", "sqs"},
			want: []string{"Status:    succeeded", `"dragonId": ""`},
		},
		{
			name:    "unknown function",
			args:    []string{"invoke", "Nope", "--offline"},
			wantErr: true,
			want:    []string{`function "Nope": service`, "it has validateName, validateLocation, addDragon"},
		},
		{
			name:    "bad event",
			args:    []string{"invoke", "addDragon", "--offline", "--event", `{"dragonName":`},
			wantErr: true,
			want:    []string{"--event is not valid JSON"},
		},
		{
			name:    "two events",
			args:    []string{"invoke", "addDragon", "--offline", "--event", `{}`, "--event-template", "s3"},
			wantErr: true,
			want:    []string{"use only one"},
		},
		{
			name:    "offline and local",
			args:    []string{"invoke", "addDragon", "--offline", "--local"},
			wantErr: true,
			want:    []string{"--offline and --local: choose one"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runCLI(t, "./examples/dragons", tt.args...)
			if (err != nil) != tt.wantErr {
				t.Fatalf("%v: err = %v, want error %v\n%s", tt.args, err, tt.wantErr, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("%v: output lacks %q:\n%s", tt.args, w, out)
				}
			}
		})
	}
}

func TestInvokeHelpHasExamples(t *testing.T) {
	out, err := runCLI(t, "./examples/rolldie", "invoke", "--help")
	if err != nil || !strings.Contains(out, "Examples:") || !strings.Contains(out, "--event-template") {
		t.Fatalf("invoke --help = %v:\n%s", err, out)
	}
}

// invoke --local runs the deployed function on the local cloud and prints
// the log tail Lambda returns with LogType Tail.
func TestInvokeOnTheLocalCloud(t *testing.T) {
	work := t.TempDir()
	if out, err := localCLI(t, "./examples/rolldie", work, "invoke", "rollDie"); err == nil || !strings.Contains(out, "has the service been provisioned there") {
		t.Errorf("invoke before provision = %v, want a hint to provision:\n%s", err, out)
	}
	if out, err := localCLI(t, "./examples/rolldie", work, "provision"); err != nil {
		t.Fatalf("provision: %v\n%s", err, out)
	}
	out, err := localCLI(t, "./examples/rolldie", work, "invoke", "rollDie", "--event", "{}")
	if err != nil {
		t.Fatalf("invoke: %v\n%s", err, out)
	}
	for _, want := range []string{"Function:  rollDie (the local cloud", "Status:    succeeded", `"roll": `, "Log tail:", "REPORT RequestId: "} {
		if !strings.Contains(out, want) {
			t.Errorf("invoke --local output lacks %q:\n%s", want, out)
		}
	}
	requests(t, work)
}
