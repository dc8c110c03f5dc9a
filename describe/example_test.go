package describe_test

import (
	"fmt"
	"time"

	"github.com/sparta-go/sparta/describe"
	"github.com/sparta-go/sparta/step"
)

// A small machine as Mermaid, ready to paste into Markdown: the Choice is a
// rhombus, its rule is written out, and the Default edge is dashed.
func ExampleMermaid() {
	done := step.NewSucceedState("Done")
	wait := step.NewWaitDelayState("Wait", 5*time.Second)
	poll := step.NewPassState("Poll")
	check := step.NewChoiceState("Ready?",
		step.When(&step.BooleanEquals{Variable: "$.ready", Value: true}, done),
	).WithDefault(wait)
	poll.Next(check)
	wait.Next(poll)
	fmt.Print(describe.Mermaid(step.NewStateMachine("Poller", poll)))
	// Output:
	// flowchart TD
	//     %% State machine Poller
	//     start(("Start"))
	//     s1["Poll"]
	//     s2{"Ready?"}
	//     s3(["Done"])
	//     s4{{"Wait<br/>wait 5s"}}
	//     finish((("End")))
	//     start --> s1
	//     s1 --> s2
	//     s2 -->|"$.ready == true"| s3
	//     s2 -.->|"Default"| s4
	//     s4 --> s1
	//     s3 --> finish
	//     classDef pass fill:#f1f3f5,stroke:#6b7280,color:#1f2933
	//     class s1 pass
	//     classDef choice fill:#fff3dc,stroke:#c27803,color:#1f2933
	//     class s2 choice
	//     classDef wait fill:#f1ebfb,stroke:#6b46c1,color:#1f2933
	//     class s4 wait
	//     classDef succeed fill:#e3f6e8,stroke:#23843b,color:#1f2933
	//     class s3 succeed
	//     classDef marker fill:#323f4b,stroke:#323f4b,color:#ffffff
	//     class start,finish marker
	//     linkStyle 2 stroke:#b76e00
	//     linkStyle 3 stroke:#b76e00
}
