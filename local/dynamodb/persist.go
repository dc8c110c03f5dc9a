package dynamodb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/sparta-go/sparta/local/store"
	"github.com/truora/minidyn/server"
)

// record is one line of a table's item log: the state of the item with key
// K after a write, or its deletion (I absent).
type record struct {
	K string
	I Item `json:",omitempty"`
}

func (s *Service) snapshotsColl() *store.Collection {
	return s.env.Store.Collection("dynamodb", "snapshots")
}

// keyOf returns the canonical form of an item's primary key (the JSON of
// its key attributes, whose map keys encoding/json sorts) and the key.
func keyOf(t *table, item Item) (string, Item, bool) {
	key := Item{}
	for _, a := range []string{t.hash, t.rng} {
		if a == "" {
			continue
		}
		v, ok := item[a]
		if !ok || v == nil {
			return "", nil, false
		}
		key[a] = v
	}
	b, err := json.Marshal(key)
	if err != nil {
		return "", nil, false
	}
	return string(b), key, true
}

// persist appends the current state of each touched item to its table's
// log and returns what each write did to it (old is filled by the caller
// from before). The caller holds tablesMu (shared) and writeMu.
func (s *Service) persist(touched []touch, before map[string]Item) ([]change, error) {
	seen := map[string]bool{}
	var changes []change
	for _, tc := range touched {
		t, ok := s.tables[tc.table]
		if !ok {
			continue
		}
		k, key, ok := keyOf(t, tc.item)
		if !ok || seen[tc.table+"\x00"+k] {
			continue
		}
		seen[tc.table+"\x00"+k] = true
		name := tc.table
		out, err := s.db.GetItem(context.Background(), &server.GetItemInput{TableName: &name, Key: key, ConsistentRead: aws.Bool(true)})
		if err != nil {
			continue // an invalid key: nothing was written
		}
		if err := s.itemsColl().Append(name, record{K: k, I: out.Item}); err != nil {
			return changes, fmt.Errorf("dynamodb: logging an item of table %s: %w", name, err)
		}
		t.logLines++
		if before != nil {
			if old, tracked := before[tc.table+"\x00"+k]; tracked {
				changes = append(changes, change{table: name, key: key, old: old, new: out.Item})
			}
		}
	}
	return changes, nil
}

// imagesBefore reads, before a write, the items it touches in tables with
// an enabled stream: the old images of the stream records. Nil when no
// touched table has a stream, so that writes without streams pay nothing.
// The caller holds tablesMu (shared) and writeMu.
func (s *Service) imagesBefore(touched []touch) map[string]Item {
	var out map[string]Item
	for _, tc := range touched {
		if !s.streaming(tc.table) {
			continue
		}
		t, ok := s.tables[tc.table]
		if !ok {
			continue
		}
		k, key, ok := keyOf(t, tc.item)
		if !ok {
			continue
		}
		if out == nil {
			out = map[string]Item{}
		}
		name := tc.table
		got, err := s.db.GetItem(context.Background(), &server.GetItemInput{TableName: &name, Key: key, ConsistentRead: aws.Bool(true)})
		if err != nil {
			continue
		}
		if len(got.Item) == 0 {
			out[tc.table+"\x00"+k] = nil
		} else {
			out[tc.table+"\x00"+k] = got.Item
		}
	}
	return out
}

// streaming reports whether a table's stream takes records.
func (s *Service) streaming(table string) bool {
	s.streams.mu.Lock()
	defer s.streams.mu.Unlock()
	st := s.streams.byName[table]
	return st != nil && st.viewType != ""
}

// dropItems forgets the items of a table. The caller holds tablesMu.
func (s *Service) dropItems(name string) error {
	if err := s.itemsColl().Delete(name); err != nil {
		return err
	}
	if err := s.dropStream(name); err != nil {
		return err
	}
	return s.snapshotsColl().Delete(name)
}

// reload rebuilds every table in the engine from its meta, its snapshot
// and its log, compacting logs that grew past twice their live items.
func (s *Service) reload() error {
	return store.ScanAs(s.tablesColl(), "table", func(name string, m tableMeta) error {
		ctx := context.Background()
		create := m.Create
		if _, err := s.db.CreateTable(ctx, &create); err != nil {
			return fmt.Errorf("table %s: %w", name, err)
		}
		for i := range m.Updates {
			if _, err := s.db.UpdateTable(ctx, &m.Updates[i]); err != nil {
				return fmt.Errorf("table %s: update %d: %w", name, i, err)
			}
		}
		t := newTable(m)
		items := map[string]Item{}
		var snapshot []record
		if err := s.snapshotsColl().Get(name, &snapshot); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("table %s: snapshot: %w", name, err)
		}
		for _, r := range snapshot {
			items[r.K] = r.I
		}
		err := s.itemsColl().ReadLog(name, func(raw json.RawMessage) error {
			var r record
			if err := json.Unmarshal(raw, &r); err != nil {
				return err
			}
			t.logLines++
			if r.I == nil {
				delete(items, r.K)
			} else {
				items[r.K] = r.I
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("table %s: item log: %w", name, err)
		}
		for k, item := range items {
			if _, err := s.db.PutItem(ctx, &server.PutItemInput{TableName: &name, Item: item}); err != nil {
				return fmt.Errorf("table %s: item %s: %w", name, k, err)
			}
		}
		s.tables[name] = t
		if err := s.loadStream(t); err != nil {
			return err
		}
		if t.logLines > 2*len(items)+1000 {
			return s.compact(t, items)
		}
		return nil
	})
}

// compact writes the live items as the table's snapshot, then drops the
// log. A kill between the two replays the old log over the new snapshot,
// which yields the same items: each record is an item's whole state.
func (s *Service) compact(t *table, items map[string]Item) error {
	name := aws.ToString(t.meta.Create.TableName)
	snapshot := make([]record, 0, len(items))
	for k, it := range items {
		snapshot = append(snapshot, record{K: k, I: it})
	}
	if err := s.snapshotsColl().Put(name, snapshot); err != nil {
		return fmt.Errorf("table %s: compacting: %w", name, err)
	}
	if err := s.itemsColl().Delete(name); err != nil {
		return fmt.Errorf("table %s: compacting: %w", name, err)
	}
	t.logLines = 0
	return nil
}
