package local

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// AdvertFile is the file in the state directory where a running cloud
// names its endpoint, so that another process wanting the same state (a
// second --local command while `local serve` runs, say) can use that cloud
// instead of failing on the directory's lock.
const AdvertFile = "endpoint.json"

// Advert is what a running cloud writes to [AdvertFile].
type Advert struct {
	Endpoint string `json:"endpoint"`
	Region   string `json:"region"`
	PID      int    `json:"pid"`
}

// advertise writes the cloud's advert; the state directory's lock is held,
// so no other cloud writes it at the same time.
func (c *Cloud) advertise() {
	b, _ := json.Marshal(Advert{Endpoint: c.endpoint, Region: c.opts.Region, PID: os.Getpid()})
	path := filepath.Join(c.store.Dir(), AdvertFile)
	tmp := path + ".tmp"
	if os.WriteFile(tmp, b, 0o644) == nil {
		_ = os.Rename(tmp, path)
	}
}

// unadvertise removes the advert if it is still this process's.
func (c *Cloud) unadvertise() {
	path := filepath.Join(c.store.Dir(), AdvertFile)
	if a, ok := readAdvert(path); ok && a.PID == os.Getpid() {
		_ = os.Remove(path)
	}
}

func readAdvert(path string) (Advert, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Advert{}, false
	}
	var a Advert
	if json.Unmarshal(b, &a) != nil || a.Endpoint == "" || a.PID <= 0 {
		return Advert{}, false
	}
	return a, true
}

// Running reports the cloud another process runs on stateDir, if any: its
// advert names a live process other than this one. A stale advert (its
// process gone) reports false, and the next cloud started there replaces it.
func Running(stateDir string) (Advert, bool) {
	a, ok := readAdvert(filepath.Join(stateDir, AdvertFile))
	if !ok || a.PID == os.Getpid() || !processAlive(a.PID) {
		return Advert{}, false
	}
	return a, true
}
