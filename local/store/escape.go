package store

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// maxEscaped bounds escaped names well under the 255-byte limit of common
// file systems, leaving room for the extension.
const maxEscaped = 200

// escapeKey turns any string into a file name, reversibly for names that fit:
// lower-case letters, digits, '-' and '_' stay; '.' stays unless it leads
// (no hidden files, no "." or ".."); an upper-case letter becomes '^' and its
// lower case, so that keys differing only in case stay distinct on
// case-insensitive file systems (macOS, Windows); any other byte becomes
// %XX. Names whose escaped form is too long become "~" and a SHA-256 prefix:
// documents carry their key inside, see envelope.
func escapeKey(key string) string {
	if key == "" {
		return "%"
	}
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		ch := key[i]
		switch {
		case ch >= 'a' && ch <= 'z', ch >= '0' && ch <= '9', ch == '-', ch == '_':
			b.WriteByte(ch)
		case ch == '.' && i > 0:
			b.WriteByte(ch)
		case ch >= 'A' && ch <= 'Z':
			b.WriteByte('^')
			b.WriteByte(ch + 'a' - 'A')
		default:
			const hexdig = "0123456789ABCDEF"
			b.WriteByte('%')
			b.WriteByte(hexdig[ch>>4])
			b.WriteByte(hexdig[ch&15])
		}
		if b.Len() > maxEscaped {
			sum := sha256.Sum256([]byte(key))
			return "~" + hex.EncodeToString(sum[:20])
		}
	}
	return b.String()
}

// unescapeKey reverses escapeKey; ok is false for hashed or foreign names.
func unescapeKey(name string) (string, bool) {
	if name == "%" {
		return "", true
	}
	if strings.HasPrefix(name, "~") {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		switch ch := name[i]; ch {
		case '^':
			if i+1 >= len(name) || name[i+1] < 'a' || name[i+1] > 'z' {
				return "", false
			}
			b.WriteByte(name[i+1] - 'a' + 'A')
			i++
		case '%':
			if i+2 >= len(name) {
				return "", false
			}
			v, err := hex.DecodeString(name[i+1 : i+3])
			if err != nil {
				return "", false
			}
			b.WriteByte(v[0])
			i += 2
		default:
			b.WriteByte(ch)
		}
	}
	return b.String(), true
}

// randomSuffix names temporary files.
func randomSuffix() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
