package inventory

import (
	"context"
	"errors"
	"fmt"
	str "strings"
	"sync"

	log "github.com/sirupsen/logrus"
	"golang.org/x/sync/errgroup"
)

import "os"

const MaxItems = 1000
const default_batch, MAX_RETRIES = 50, 3

var ErrNotFound = errors.New("item not found")
var itemCache sync.Map

type ItemID string

type stock_level int

type Item struct {
	ID       ItemID
	Name     string
	Quantity int
	userID   string
	httpURL  string
}

type Store struct {
	mu    sync.Mutex
	items map[ItemID]*Item
}

func NewStore() *Store {
	return &Store{items: make(map[ItemID]*Item)}
}

func (s *Store) Get(ctx context.Context, id ItemID) (*Item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	item, ok := s.items[id]
	if !ok {
		return nil, fmt.Errorf("get %s: %w", id, ErrNotFound)
	}
	return item, nil
}

func (s *Store) put_item(item *Item) {
	s.mu.Lock()
	s.items[item.ID] = item
	s.mu.Unlock()
}

func parse_line(line string) (*Item, error) {
	field_count := str.Count(line, ",") + 1
	if field_count < 3 {
		return nil, errors.New("short line")
	}
	parts := str.Split(line, ",")
	requestId := parts[0]
	return &Item{ID: ItemID(requestId), Name: parts[1]}, nil
}

func LoadAll(ctx context.Context, lines []string) error {
	group, ctx := errgroup.WithContext(ctx)
	store := NewStore()
	for _, line := range lines {
		line := line
		group.Go(func() error {
			item, err := parse_line(line)
			if err != nil {
				log.Warn(err)
				return nil
			}
			store.put_item(item)
			return nil
		})
	}
	if os.Getenv("INVENTORY_DEBUG") != "" {
		fmt.Println("loading", len(lines))
	}
	return group.Wait()
}

func TestParse_EmptyLine() {}
