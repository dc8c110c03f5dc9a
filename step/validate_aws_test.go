//go:build !lambdabinary

package step_test

import (
	"strings"
	"testing"

	"github.com/sparta-go/sparta/step"
	"github.com/sparta-go/sparta/step/engine"
)

// Definitions are accepted and refused as CreateStateMachine does, by the
// typed model (FromJSON, Validate) and by the engine the local cloud
// compiles with alike (recorded AWS behaviour).
func TestDefinitionsAcceptedAndRefusedAsAWSDoes(t *testing.T) {
	for _, tt := range []struct {
		name, def string
		refused   string // "" when AWS accepts the definition
	}{
		{
			name: "a Comment inside a nested Choice rule",
			def: `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"And":[{"Comment":"present","Variable":"$.a","IsPresent":true}],"Next":"S"}],"Default":"S"},
			  "S":{"Type":"Succeed"}}}`,
		},
		{
			name: "a .waitForTaskToken task whose Parameters carry no token",
			def:  `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"QueueUrl":"q","MessageBody":"x"},"End":true}}}`,
		},
		{
			name:    "no terminal state",
			def:     `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}}`,
			refused: "MISSING_END_STATE",
		},
		{
			name:    "a branch without a terminal state",
			def:     `{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A"}}}],"End":true}}}`,
			refused: "MISSING_END_STATE",
		},
		{
			name:    "an optimized integration that exists only in the AWS SDK",
			def:     `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:query","End":true}}}`,
			refused: "aws-sdk:dynamodb:query",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, engineErr := engine.Compile([]byte(tt.def))
			sm, err := step.FromJSON([]byte(tt.def))
			if err == nil {
				err = sm.WithName("M").Validate()
			}
			for who, got := range map[string]error{"engine.Compile": engineErr, "FromJSON+Validate": err} {
				switch {
				case tt.refused == "" && got != nil:
					t.Errorf("%s = %v, want the definition accepted", who, got)
				case tt.refused != "" && (got == nil || !strings.Contains(got.Error(), tt.refused)):
					t.Errorf("%s = %v, want a refusal naming %s", who, got, tt.refused)
				}
			}
		})
	}
}
