package core

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// The documented default credentials of the local cloud: the pair LocalStack
// users already type. Every client of the local cloud (the CLI's --local
// commands, localtest, the docs' AWS CLI examples) signs with them. They act
// as the account's root user.
const (
	DefaultAccessKeyID     = "test"
	DefaultSecretAccessKey = "test"
)

// Public is implemented by services that serve some requests without AWS
// credentials, as AWS does: API Gateway's execute-api data plane, S3 objects
// a bucket policy opens to everyone, a custom resource's presigned response
// URL. The router asks Public only after its origin and Host checks have
// passed, and before it looks at any signature: a request Public accepts
// is the service's to authenticate (an authorizer's token, the registry's
// Basic login), whatever its Authorization header holds, so Public must
// decide by the request's target, never by its credentials. A request
// that Public declines must carry a valid SigV4 signature.
type Public interface {
	Public(r *http.Request) bool
}

// Principal is who signed a request: the account's root user, an IAM user,
// or an assumed-role session. The router puts it in the [Call]; services
// and the authorizer read it there.
type Principal struct {
	// ARN is arn:aws:iam::ACCOUNT:root, arn:aws:iam::ACCOUNT:user/NAME or
	// arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.
	ARN string
	// Account is the principal's account ID.
	Account string
	// AccessKeyID is the key the request was signed with.
	AccessKeyID string
	// RoleARN is the IAM role of an assumed-role session (empty otherwise).
	RoleARN string
	// UserName is the IAM user's name (empty otherwise).
	UserName string
}

// IsRoot reports whether p is the account's root user, which IAM does not
// restrict.
func (p Principal) IsRoot() bool { return strings.HasSuffix(p.ARN, ":root") }

// UserID is what GetCallerIdentity reports as UserId: the account for the
// root, ROLEID:SESSION for a session, the key for a user.
func (p Principal) UserID() string {
	switch {
	case p.IsRoot():
		return p.Account
	case p.RoleARN != "":
		sum := sha256.Sum256([]byte(p.RoleARN))
		return "AROA" + strings.ToUpper(hex.EncodeToString(sum[:8])) + ":" + p.ARN[strings.LastIndex(p.ARN, "/")+1:]
	case p.UserName != "":
		sum := sha256.Sum256([]byte(p.ARN))
		return "AIDA" + strings.ToUpper(hex.EncodeToString(sum[:8]))
	default:
		return p.AccessKeyID
	}
}

// RootPrincipal is the root user of account.
func RootPrincipal(account string) Principal {
	return Principal{ARN: "arn:aws:iam::" + account + ":root", Account: account}
}

// PrincipalFor maps an ARN given in configuration ("root", an account root
// ARN, an IAM user or role ARN) to a principal of account. A role ARN
// becomes a session named after the key.
func PrincipalFor(account, arn, accessKeyID string) (Principal, error) {
	switch {
	case arn == "" || arn == "root" || arn == "arn:aws:iam::"+account+":root":
		p := RootPrincipal(account)
		p.AccessKeyID = accessKeyID
		return p, nil
	case strings.HasPrefix(arn, "arn:aws:iam::"+account+":user/"):
		name := arn[strings.LastIndex(arn, "/")+1:]
		return Principal{ARN: arn, Account: account, AccessKeyID: accessKeyID, UserName: name}, nil
	case strings.HasPrefix(arn, "arn:aws:iam::"+account+":role/"):
		name := arn[strings.LastIndex(arn, "/")+1:]
		return Principal{ARN: "arn:aws:sts::" + account + ":assumed-role/" + name + "/" + accessKeyID,
			Account: account, AccessKeyID: accessKeyID, RoleARN: arn}, nil
	}
	return Principal{}, fmt.Errorf("principal %q is not \"root\", arn:aws:iam::%s:root, an IAM user ARN (arn:aws:iam::%s:user/NAME) or an IAM role ARN (arn:aws:iam::%s:role/NAME)", arn, account, account, account)
}

// Credential is an access key the local cloud accepts and the principal it
// stands for.
type Credential struct {
	AccessKeyID     string
	SecretAccessKey string
	// SessionToken must accompany requests signed with a temporary key
	// (X-Amz-Security-Token); empty for long-term keys.
	SessionToken string
	// Expires ends a temporary key; zero for long-term keys.
	Expires   time.Time
	Principal Principal
}

// Keyring holds the credentials the router verifies signatures against:
// the default pair (the root), configured pairs, and the temporary
// sessions services issue (a Lambda sandbox's execution role, STS
// AssumeRole). It is safe for concurrent use.
type Keyring struct {
	account string
	mu      sync.RWMutex
	keys    map[string]Credential
}

// NewKeyring returns a keyring of account holding the default pair as the
// account's root.
func NewKeyring(account string) *Keyring {
	k := &Keyring{account: account, keys: map[string]Credential{}}
	root := RootPrincipal(account)
	root.AccessKeyID = DefaultAccessKeyID
	k.Add(Credential{AccessKeyID: DefaultAccessKeyID, SecretAccessKey: DefaultSecretAccessKey, Principal: root})
	return k
}

// Add registers (or replaces) a credential.
func (k *Keyring) Add(c Credential) {
	k.mu.Lock()
	k.keys[c.AccessKeyID] = c
	k.mu.Unlock()
}

// Remove forgets an access key (a sandbox's session when it stops).
func (k *Keyring) Remove(accessKeyID string) {
	k.mu.Lock()
	delete(k.keys, accessKeyID)
	k.mu.Unlock()
}

// Lookup returns the credential of an access key.
func (k *Keyring) Lookup(accessKeyID string) (Credential, bool) {
	k.mu.RLock()
	c, ok := k.keys[accessKeyID]
	k.mu.RUnlock()
	return c, ok
}

// AssumeRole issues temporary credentials for a session of roleARN named
// session, valid for ttl from now: an ASIA access key, a secret and a
// session token, as STS AssumeRole returns. Nothing checks here that the
// role exists or trusts the caller; callers do.
func (k *Keyring) AssumeRole(roleARN, session string, now time.Time, ttl time.Duration) Credential {
	name := roleARN[strings.LastIndex(roleARN, "/")+1:]
	akid := "ASIA" + randomToken(12, base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString)[:16]
	c := Credential{
		AccessKeyID:     akid,
		SecretAccessKey: randomToken(30, base64.RawStdEncoding.EncodeToString),
		SessionToken:    randomToken(96, base64.StdEncoding.EncodeToString),
		Expires:         now.Add(ttl).UTC().Truncate(time.Second),
		Principal: Principal{ARN: "arn:aws:sts::" + k.account + ":assumed-role/" + name + "/" + session,
			Account: k.account, AccessKeyID: akid, RoleARN: roleARN},
	}
	k.Add(c)
	return c
}

// randomToken returns n random bytes in enc's text.
func randomToken(n int, enc func([]byte) string) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return enc(b)
}
