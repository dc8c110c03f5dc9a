package cloudformation

import (
	"strings"
	"testing"
)

type fakeStore map[string]string

func (f fakeStore) Parameter(name string, version int64) (string, bool) {
	v, ok := f[name]
	return v, ok && version <= 1
}

// FuzzResolveDynamic feeds property strings to the dynamic reference
// resolver: it never panics, and a string without "{{resolve:" comes back
// unchanged.
func FuzzResolveDynamic(f *testing.F) {
	for _, s := range []string{
		"{{resolve:ssm:/a}}", "x{{resolve:ssm:/a:1}}y{{resolve:ssm:b}}", "{{resolve:ssm:/a:}}", "{{resolve:ssm-secure:p:1}}",
		"{{resolve:secretsmanager:s:SecretString:k::}}", "{{resolve:}}", "{{resolve:ssm:{{resolve:ssm:/a}}}}", "plain",
	} {
		f.Add(s)
	}
	ps := fakeStore{"/a": "A", "b": "B"}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := resolveDynamic(ps, "R", map[string]any{"P": s, "L": []any{map[string]any{"Q": s}}})
		if err == nil && !strings.Contains(s, "{{resolve:") && out["P"] != s {
			t.Fatalf("resolveDynamic(%q) = %q, want it unchanged", s, out["P"])
		}
	})
}

func TestResolveDynamic(t *testing.T) {
	ps := fakeStore{"/a": "A", "b": "B"}
	for _, tc := range []struct{ name, in, want, err string }{
		{"latest", "{{resolve:ssm:/a}}", "A", ""},
		{"version", "x-{{resolve:ssm:b:1}}-y", "x-B-y", ""},
		{"two", "{{resolve:ssm:/a}}{{resolve:ssm:b}}", "AB", ""},
		{"missing", "{{resolve:ssm:/nope}}", "", "Parameters: [ssm:/nope] cannot be found."},
		{"missing version", "{{resolve:ssm:/a:2}}", "", "Parameters: [ssm:/a:2] cannot be found."},
		{"secure", "{{resolve:ssm-secure:/a:1}}", "", "Resources.R.Properties.P: dynamic reference {{resolve:ssm-secure:/a:1}}: SecureString"},
		{"secrets", "{{resolve:secretsmanager:s}}", "", "Resources.R.Properties.P: dynamic reference {{resolve:secretsmanager:s}}: the local cloud has no Secrets Manager"},
		{"bad key", "{{resolve:ssm:a b}}", "", "must be a parameter name"},
		{"unknown service", "{{resolve:kms:x}}", "", "the service kms is not one of"},
		{"not a reference", "{{resolve ssm:/a}}", "{{resolve ssm:/a}}", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := resolveDynamic(ps, "R", map[string]any{"P": tc.in})
			switch {
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("resolveDynamic(%q) = %v, want error %q", tc.in, err, tc.err)
			case tc.err == "" && (err != nil || out["P"] != tc.want):
				t.Errorf("resolveDynamic(%q) = %v, %v; want %q", tc.in, out["P"], err, tc.want)
			}
		})
	}
	if _, err := resolveDynamic(nil, "R", map[string]any{"P": "{{resolve:ssm:/a}}"}); err == nil || !strings.Contains(err.Error(), "no Systems Manager Parameter Store") {
		t.Errorf("resolveDynamic without a store = %v, want a refusal", err)
	}
}
