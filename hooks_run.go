//go:build !lambdabinary

package sparta

import (
	"archive/zip"
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/sirupsen/logrus"

	"github.com/sparta-go/sparta/service"
)

// hookRun carries what Sparta's positional workflow hooks receive, shared
// by every hook of one provision (the context map is ServiceContext.Values).
type hookRun struct {
	hooks    *WorkflowHooks
	values   map[string]any
	service  string
	s3Bucket string
	buildID  string
	aws      aws.Config
	noop     bool
	log      *logrus.Logger
}

func newHookRun(svc *serviceDefinition, s3Bucket string, noop bool, log *logrus.Logger) *hookRun {
	values := map[string]any{}
	if svc.hooks != nil {
		for k, v := range svc.hooks.Context {
			values[k] = v
		}
	}
	return &hookRun{hooks: svc.hooks, values: values, service: svc.name, s3Bucket: s3Bucket, noop: noop, log: log}
}

// workflow runs one singular hook and its plural list, naming the failing
// one by its field.
func (h *hookRun) workflow(field string, one WorkflowHook, many []WorkflowHookHandler) error {
	if h.hooks == nil {
		return nil
	}
	if one != nil {
		if err := one(h.values, h.service, h.s3Bucket, h.buildID, h.aws, h.noop, h.log); err != nil {
			return fmt.Errorf("WorkflowHooks.%s: %w", field, err)
		}
	}
	for i, w := range many {
		if w == nil {
			continue
		}
		if err := w.DecorateWorkflow(h.values, h.service, h.s3Bucket, h.buildID, h.aws, h.noop, h.log); err != nil {
			return fmt.Errorf("WorkflowHooks.%ss[%d]: %w", field, i, err)
		}
	}
	return nil
}

func (h *hookRun) preBuild() error {
	if h.hooks == nil {
		return nil
	}
	return h.workflow("PreBuild", h.hooks.PreBuild, h.hooks.PreBuilds)
}

func (h *hookRun) postBuild() error {
	if h.hooks == nil {
		return nil
	}
	return h.workflow("PostBuild", h.hooks.PostBuild, h.hooks.PostBuilds)
}

func (h *hookRun) preMarshall() error {
	if h.hooks == nil {
		return nil
	}
	return h.workflow("PreMarshall", h.hooks.PreMarshall, h.hooks.PreMarshalls)
}

func (h *hookRun) postMarshall() error {
	if h.hooks == nil {
		return nil
	}
	return h.workflow("PostMarshall", h.hooks.PostMarshall, h.hooks.PostMarshalls)
}

// archive is the zip callback that runs the Archive hooks, or nil.
func (h *hookRun) archive() func(*zip.Writer) error {
	if h.hooks == nil || (h.hooks.Archive == nil && len(h.hooks.Archives) == 0) {
		return nil
	}
	return func(zw *zip.Writer) error {
		if a := h.hooks.Archive; a != nil {
			if err := a(h.values, h.service, zw, h.aws, h.noop, h.log); err != nil {
				return fmt.Errorf("WorkflowHooks.Archive: %w", err)
			}
		}
		for i, a := range h.hooks.Archives {
			if a == nil {
				continue
			}
			if err := a.DecorateArchive(h.values, h.service, zw, h.aws, h.noop, h.log); err != nil {
				return fmt.Errorf("WorkflowHooks.Archives[%d]: %w", i, err)
			}
		}
		return nil
	}
}

// validators runs the Validators over the finished template.
func (h *hookRun) validators(ctx context.Context, sc *service.ServiceContext) error {
	if h.hooks == nil {
		return nil
	}
	for i, v := range h.hooks.Validators {
		if v == nil {
			continue
		}
		if err := v.ValidateService(ctx, sc); err != nil {
			return fmt.Errorf("WorkflowHooks.Validators[%d]: %w", i, err)
		}
	}
	return nil
}

// rollback runs the Rollback hooks after a failure; their errors are
// logged, since the failure that started them is the one to report.
func (h *hookRun) rollback() {
	if h.hooks == nil {
		return
	}
	if r := h.hooks.Rollback; r != nil {
		r(h.values, h.service, h.aws, h.noop, h.log)
	}
	for i, r := range h.hooks.Rollbacks {
		if r == nil {
			continue
		}
		if err := r.Rollback(h.values, h.service, h.aws, h.noop, h.log); err != nil {
			h.log.WithError(err).Warnf("WorkflowHooks.Rollbacks[%d] failed", i)
		}
	}
}
