package engine

import "testing"

func TestSmokePassChain(t *testing.T) {
	def := `{"StartAt":"A","States":{
	  "A":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.a","Next":"B"},
	  "B":{"Type":"Pass","Parameters":{"y.$":"$.a.x","z":"lit","f.$":"States.Format('v={}', $.a.x)"},"ResultPath":"$.b","Next":"C"},
	  "C":{"Type":"Choice","Choices":[{"Variable":"$.b.y","NumericEquals":1,"Next":"D"}],"Default":"E"},
	  "D":{"Type":"Succeed"},
	  "E":{"Type":"Fail","Error":"Bad","Cause":"nope"}}}`
	r := execute(t, def, `{"in":true}`, Options{})
	if r.Status != "SUCCEEDED" {
		t.Fatalf("status %s %s %s", r.Status, r.Error, r.Cause)
	}
	jsonEqual(t, r.Output, `{"in":true,"a":{"x":1},"b":{"y":1,"z":"lit","f":"v=1"}}`)
	if got := len(r.History()); got == 0 {
		t.Fatal("no history")
	}
	t.Log(r.Path)
}
