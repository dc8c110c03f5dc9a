//go:build !lambdabinary

package main

import (
	"testing"

	"github.com/sparta-go/sparta/step"
	"github.com/sparta-go/sparta/step/steptest"
)

func machineForTest() *step.StateMachine {
	return newMachine(newLambda("validateName", validateName), newLambda("validateLocation", validateLocation), newLambda("addDragon", addDragon))
}

func TestDragonsOffline(t *testing.T) {
	var alerts []string
	sns := step.WithTaskHandler("arn:aws:states:::sns:publish", offlineSNS(&alerts))
	tests := []struct {
		name       string
		c          steptest.Case
		wantAlerts int
	}{
		{"confirmed sighting is added", steptest.Case{
			Input: `{"dragonName":"Bahamut","reportedBy":"Ana","location":{"latitude":48.1,"longitude":11.6},"sizeFeet":120}`,
			Path:  []string{"ValidateReport", "AddDragon", "Confirmed?", "DragonAdded"},
		}, 0},
		{"sighting without witness alerts", steptest.Case{
			Input: `{"dragonName":"Smok","location":{"latitude":50.05,"longitude":19.93},"sizeFeet":60}`,
			Path:  []string{"ValidateReport", "AddDragon", "Confirmed?", "AlertUnconfirmed", "PendingConfirmation"},
		}, 1},
		{"nameless report is rejected after an alert", steptest.Case{
			Input:  `{"dragonName":"","location":{"latitude":48.1,"longitude":11.6},"sizeFeet":120}`,
			Status: step.StatusFailed, Error: "InvalidReport",
			Path: []string{"ValidateReport", "AlertInvalidReport", "ReportRejected"},
		}, 1},
		{"impossible location is rejected", steptest.Case{
			Input:  `{"dragonName":"Nessie","location":{"latitude":123,"longitude":11.6},"sizeFeet":30}`,
			Status: step.StatusFailed, Error: "InvalidReport",
			Path: []string{"ValidateReport", "AlertInvalidReport", "ReportRejected"},
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			alerts = nil
			tt.c.Options = append(tt.c.Options, sns)
			steptest.Run(t, machineForTest(), tt.c)
			if len(alerts) != tt.wantAlerts {
				t.Errorf("alerts = %q, want %d", alerts, tt.wantAlerts)
			}
		})
	}
}
