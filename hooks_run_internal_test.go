//go:build !lambdabinary

package sparta

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/sirupsen/logrus"

	"github.com/sparta-go/sparta/service"
)

func TestHookRunSharesOneContextAndNamesFailures(t *testing.T) {
	log := logrus.New()
	log.SetOutput(io.Discard)
	var order []string
	record := func(name string) WorkflowHook {
		return func(ctx map[string]interface{}, _, _, _ string, _ aws.Config, _ bool, _ *logrus.Logger) error {
			order = append(order, name+"="+ctx["seed"].(string))
			ctx["seed"] = ctx["seed"].(string) + "+"
			return nil
		}
	}
	rolledBack := 0
	hooks := &WorkflowHooks{
		Context:     map[string]interface{}{"seed": "s"},
		PreBuild:    record("PreBuild"),
		PostBuilds:  []WorkflowHookHandler{WorkflowHookFunc(record("PostBuilds"))},
		PreMarshall: record("PreMarshall"),
		Archive: func(_ map[string]interface{}, _ string, zw *zip.Writer, _ aws.Config, _ bool, _ *logrus.Logger) error {
			_, err := zw.Create("extra.txt")
			return err
		},
		Validators: []ServiceValidationHookHandler{ServiceValidationHookFunc(func(ctx map[string]interface{}, _ string, template *cloudformation.Template, _, _, _ string, _ aws.Config, _ bool, _ *logrus.Logger) error {
			if ctx["seed"] != "s+++" || template == nil {
				return errors.New("validator saw the wrong context")
			}
			return errors.New("policy says no")
		})},
		Rollback:  func(map[string]interface{}, string, aws.Config, bool, *logrus.Logger) { rolledBack++ },
		Rollbacks: []RollbackHookHandler{RollbackHookFunc(func(map[string]interface{}, string, aws.Config, bool, *logrus.Logger) { rolledBack++ })},
	}
	h := newHookRun(&serviceDefinition{name: "svc", hooks: hooks}, "bucket", true, log)
	for _, run := range []func() error{h.preBuild, h.postBuild, h.preMarshall} {
		if err := run(); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(order, ","); got != "PreBuild=s,PostBuilds=s+,PreMarshall=s++" {
		t.Errorf("hooks ran %s, want PreBuild, PostBuilds, PreMarshall over one context", got)
	}
	if hooks.Context["seed"] != "s" {
		t.Errorf("the user's Context map was changed: %v", hooks.Context)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if err := h.archive()(zw); err != nil {
		t.Fatal(err)
	}
	sc := &service.ServiceContext{Template: cloudformation.NewTemplate(), Values: h.values, Log: log}
	err := h.validators(context.Background(), sc)
	if err == nil || err.Error() != "WorkflowHooks.Validators[0]: policy says no" {
		t.Errorf("validators() = %v, want the validator's error named by its field", err)
	}
	h.rollback()
	if rolledBack != 2 {
		t.Errorf("rollback ran %d hooks, want Rollback and Rollbacks[0]", rolledBack)
	}
}
