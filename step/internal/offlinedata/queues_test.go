package offlinedata

import (
	"errors"
	"testing"
	"time"

	"github.com/sparta-go/sparta/service"
)

// SendMessage checks what SQS checks.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
func TestSendMessage(t *testing.T) {
	d := New()
	for _, q := range []*service.SQSQueue{
		service.NewSQSQueue("Standard"),
		{LogicalID: "Orders", QueueName: "orders.fifo", FIFO: true},
		{LogicalID: "Dedup", FIFO: true, ContentBasedDeduplication: true},
	} {
		if err := d.CreateQueue(q); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	delay := func(s int) *time.Duration { d := time.Duration(s) * time.Second; return &d }
	tests := []struct {
		name, queue string
		in          SendInput
		code        string
	}{
		{"standard", "Standard", SendInput{Body: "a", Now: now}, ""},
		{"by URL", "https://sqs.us-east-1.amazonaws.com/000000000000/Standard", SendInput{Body: "b", Now: now}, ""},
		{"no body", "Standard", SendInput{Now: now}, "MissingParameter"},
		{"delay 900", "Standard", SendInput{Body: "c", Delay: delay(900), Now: now}, ""},
		{"delay 901", "Standard", SendInput{Body: "c", Delay: delay(901), Now: now}, "InvalidParameterValue"},
		{"too big", "Standard", SendInput{Body: string(make([]byte, maxMessageBytes+1)), Now: now}, "InvalidParameterValue"},
		{"no queue", "Nowhere", SendInput{Body: "a", Now: now}, "QueueDoesNotExist"},
		{"fifo without group", "orders.fifo", SendInput{Body: "a", DedupID: "1", Now: now}, "MissingParameter"},
		{"fifo without dedup", "Orders", SendInput{Body: "a", GroupID: "g", Now: now}, "InvalidParameterValue"},
		{"fifo with delay", "Orders", SendInput{Body: "a", GroupID: "g", DedupID: "1", Delay: delay(1), Now: now}, "InvalidParameterValue"},
		{"fifo", "Orders", SendInput{Body: "a", GroupID: "g", DedupID: "1", Now: now}, ""},
		{"content dedup", "Dedup", SendInput{Body: "x", GroupID: "g", Now: now}, ""},
	}
	for _, tt := range tests {
		_, err := d.SendMessage(tt.queue, tt.in)
		var e *Error
		if got := ""; errors.As(err, &e) {
			got = e.Code
			if got != tt.code {
				t.Errorf("%s: SendMessage = %v, want %s", tt.name, err, tt.code)
			}
		} else if err != nil || tt.code != "" {
			t.Errorf("%s: SendMessage = %v, want %q", tt.name, err, tt.code)
		}
	}
	// A duplicate within five minutes answers the first message and is not
	// kept twice; after them it is a new message.
	first, _ := d.SendMessage("Dedup", SendInput{Body: "y", GroupID: "g", Now: now})
	again, _ := d.SendMessage("Dedup", SendInput{Body: "y", GroupID: "g", Now: now.Add(4 * time.Minute)})
	later, _ := d.SendMessage("Dedup", SendInput{Body: "y", GroupID: "g", Now: now.Add(6 * time.Minute)})
	if first.MessageID != again.MessageID || later.MessageID == first.MessageID {
		t.Errorf("dedup: %s %s %s", first.MessageID, again.MessageID, later.MessageID)
	}
	if msgs, _ := d.Messages("Dedup"); len(msgs) != 3 {
		t.Errorf("Dedup holds %d messages, want 3 (x, y, y after the window)", len(msgs))
	}
	if msgs, _ := d.Messages("Standard"); len(msgs) != 3 || msgs[0].Body != "a" || msgs[2].Delay != 900*time.Second {
		t.Errorf("Standard holds %+v", msgs)
	}
	if err := d.CreateQueue(service.NewSQSQueue("Standard")); err == nil {
		t.Error("a second queue named Standard was created")
	}
}
