package local

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/sparta-go/sparta/local/core"
)

// Credential is an access key the cloud accepts besides the default pair.
type Credential struct {
	AccessKeyID     string
	SecretAccessKey string
	// Principal is who the key acts as: "root" (the default), an IAM user
	// ARN (arn:aws:iam::000000000000:user/NAME) or an IAM role ARN, whose
	// policies then bound what the key may do.
	Principal string
}

func (c Credential) validate() error {
	if c.AccessKeyID == "" || c.SecretAccessKey == "" || strings.ContainsAny(c.AccessKeyID, "/ ,=") {
		return fmt.Errorf("local: credential %q: want ACCESS_KEY_ID:SECRET_ACCESS_KEY[:PRINCIPAL_ARN], the key without '/', ' ', ',' or '='", c.AccessKeyID)
	}
	if _, err := core.PrincipalFor(DefaultAccountID, c.Principal, c.AccessKeyID); err != nil {
		return fmt.Errorf("local: credential %q: %w", c.AccessKeyID, err)
	}
	return nil
}

// ParseCredential parses ACCESS_KEY_ID:SECRET_ACCESS_KEY[:PRINCIPAL], the
// form of `local serve --credentials` and of a credentials file's lines
// (PRINCIPAL is "root" or an IAM user or role ARN, which contains ':').
func ParseCredential(s string) (Credential, error) {
	parts := strings.SplitN(strings.TrimSpace(s), ":", 3)
	if len(parts) < 2 {
		return Credential{}, fmt.Errorf("local: credential %q: want ACCESS_KEY_ID:SECRET_ACCESS_KEY[:PRINCIPAL_ARN]", s)
	}
	c := Credential{AccessKeyID: parts[0], SecretAccessKey: parts[1]}
	if len(parts) == 3 {
		c.Principal = parts[2]
	}
	return c, c.validate()
}

// ReadCredentialsFile reads one credential per line (see
// [ParseCredential]); blank lines and lines starting with # are skipped.
func ReadCredentialsFile(path string) ([]Credential, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("local: reading credentials: %w", err)
	}
	defer f.Close()
	var out []Credential
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c, err := ParseCredential(line)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, n, err)
		}
		out = append(out, c)
	}
	return out, sc.Err()
}

// checkAddr refuses a listen address beyond loopback unless exposing the
// cloud was asked for.
func checkAddr(addr string, expose bool) error {
	if expose || isLoopbackAddr(addr) {
		return nil
	}
	return fmt.Errorf("local: the address %s is beyond loopback: every machine that can reach it could call the cloud and run code on this one; "+
		"listen on 127.0.0.1, or pass --expose-to-network (Options.ExposeToNetwork) if that is what you want", addr)
}

// isLoopbackAddr reports whether addr's host is a loopback address or
// localhost.
func isLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
