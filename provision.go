//go:build !lambdabinary

package sparta

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/cfn/eventsource"
	"github.com/sparta-go/sparta/internal/build"
	"github.com/sparta-go/sparta/internal/cli"
	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

// DefaultWorkDir is where the framework writes templates and code zips,
// relative to the directory the CLI runs in; --work-dir changes it.
const DefaultWorkDir = ".sparta"

// defaultArtifactBucket is the bucket provisioning uses when --s3Bucket is
// not given; as an Fn::Sub the template stays valid in any account.
const defaultArtifactBucket = "sparta-artifacts-${AWS::AccountId}-${AWS::Region}"

type provisionFlags struct {
	noop              bool
	local             bool
	s3Bucket          string
	buildID           string
	arch              string
	workDir           string
	tags              map[string]string
	params            map[string]string
	cancelOnInterrupt bool
}

func newProvisionCommand(svc *serviceDefinition, cl *CommandLine) *cobra.Command {
	var f provisionFlags
	cmd := &cobra.Command{
		Use:   "provision",
		Short: "Validate, build, package and deploy the service with CloudFormation",
		Long: "Validate the functions and decorators, cross-compile the service for Lambda, " +
			"package it as a zip named by its SHA-256, run the decorators over one template and " +
			"write it to " + DefaultWorkDir + "/<service>-cftemplate.json, upload what is new to the artifacts bucket " +
			"and deploy the stack through a change set, streaming its events. With --noop nothing is uploaded " +
			"or deployed; with --local everything goes to the embedded local cloud.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log, err := cl.logger()
			if err != nil {
				return err
			}
			f.workDir, f.local = cl.workDir, cl.local
			_, err = provision(cmd.Context(), svc, f, log)
			return err
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.noop, "noop", "n", false, "validate, build, package and write the template, but upload and deploy nothing")
	fl.StringVar(&f.s3Bucket, "s3Bucket", "", "S3 bucket for code artifacts (default sparta-artifacts-<account>-<region>)")
	fl.StringVar(&f.buildID, "build-id", "", "build ID recorded in the template (default: derived from the code's SHA-256)")
	fl.StringVar(&f.arch, "arch", "", "build every function for this architecture, arm64 or x86_64 (default: each function's own; with --local, this machine's)")
	fl.StringToStringVar(&f.tags, "tags", nil, "stack tags, k=v,k2=v2")
	fl.StringToStringVar(&f.params, "param", nil, "stack parameters, k=v (repeatable)")
	fl.BoolVar(&f.cancelOnInterrupt, "cancel-on-interrupt", false, "on Ctrl-C, cancel a stack update instead of only stopping to wait")
	return cmd
}

// provisionResult is what a provision produced, for the summary and tests.
type provisionResult struct {
	TemplatePath string
	Template     []byte
	Packages     map[service.Architecture]build.Package
	BuildID      string
	Deploy       *cfn.DeployResult
	Uploaded     []string
}

// provision runs the workflow phase by phase: nothing is built before the
// inputs validate, no AWS call is made before that either, and a failed
// phase leaves no artifact of its own behind.
func provision(ctx context.Context, svc *serviceDefinition, f provisionFlags, log *logrus.Logger) (res *provisionResult, err error) {
	entry := log.WithField(cli.FieldService, svc.name)
	cli.Banner(entry, svc.name, "provision", Version)
	phases := cli.NewPhases(entry)
	res = &provisionResult{}

	var archOverride service.Architecture
	err = phases.Run("validate", func() error {
		var errs []error
		if f.arch != "" {
			a, err := service.ParseArchitecture(f.arch)
			if err != nil {
				errs = append(errs, fmt.Errorf("--arch: %w", err))
			}
			archOverride = a
		}
		if f.local {
			host, err := service.ArchitectureForGOARCH(runtime.GOARCH)
			switch {
			case err != nil:
				errs = append(errs, fmt.Errorf("--local: %w", err))
			case archOverride != "" && archOverride != host:
				errs = append(errs, fmt.Errorf("--arch %s: with --local the functions run on this machine, which is %s; leave --arch out", archOverride, host))
			}
			archOverride = host
		}
		errs = append(errs, validateService(svc))
		return errors.Join(errs...)
	})
	if err != nil {
		return nil, fmt.Errorf("invalid service %q:\n%w", svc.name, err)
	}

	workDir, err := filepath.Abs(f.workDir)
	if err == nil {
		err = os.MkdirAll(workDir, 0o755)
	}
	if err != nil {
		return nil, fmt.Errorf("creating --work-dir %s: %w", f.workDir, err)
	}

	var tgt *target
	if f.noop {
		phases.Skip("credentials")
	} else {
		err = phases.Run("credentials", func() error {
			var err error
			tgt, err = openTarget(ctx, f.local, workDir, entry)
			if err == nil {
				entry.Info("Deploying to " + tgt.where())
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		defer tgt.Close()
	}

	hooks := newHookRun(svc, f.s3Bucket, f.noop, log)
	if tgt != nil {
		hooks.aws = tgt.cfg
	} else {
		hooks.aws = awsConfig(ctx, entry)
	}
	hooks.buildID = f.buildID
	defer func() {
		if err != nil {
			hooks.rollback()
		}
	}()

	archs := architectures(svc.lambdas, archOverride)
	if err := buildAndPackage(ctx, svc, archs, workDir, phases, entry, res, hooks); err != nil {
		return nil, err
	}
	res.BuildID = f.buildID
	if res.BuildID == "" {
		res.BuildID = deriveBuildID(res.Packages)
	}
	hooks.buildID = res.BuildID
	entry.WithField(cli.FieldBuildID, res.BuildID).Info("Build ID")

	// The template names the default bucket with Fn::Sub, so that it is the
	// same in every account and region; uploads use the resolved name.
	bucketRef := f.s3Bucket
	if bucketRef == "" {
		bucketRef = cloudformation.Sub(defaultArtifactBucket)
	}
	artifacts := map[service.Architecture]service.Artifact{}
	for a, p := range res.Packages {
		artifacts[a] = service.Artifact{Bucket: bucketRef, Key: build.ArtifactKey(svc.name, string(a), p.SHA256)}
	}

	var store *artifactStore
	if f.noop {
		phases.Skip("upload")
	} else {
		err = phases.Run("upload", func() error {
			var err error
			store, err = openArtifacts(ctx, tgt, f.s3Bucket, entry)
			if err != nil {
				return err
			}
			for _, a := range service.SortedKeys(archKeys(res.Packages)) {
				p := res.Packages[service.Architecture(a)]
				key := artifacts[service.Architecture(a)].Key
				uploaded, err := store.UploadIfAbsent(ctx, key, p.Path)
				if err != nil {
					return err
				}
				e := entry.WithFields(logrus.Fields{cli.FieldArch: a, "key": key})
				if uploaded {
					res.Uploaded = append(res.Uploaded, key)
					e.Info("Uploaded code")
				} else {
					e.Info("Code unchanged: already in the bucket")
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}

	var template *cloudformation.Template
	err = phases.Run("decorate", func() error {
		if err := hooks.preMarshall(); err != nil {
			return err
		}
		var err error
		template, err = assembleTemplate(ctx, svc, templateInputs{
			artifacts: artifacts, defaultArch: defaultArch(archs), archOverride: archOverride,
			buildID: res.BuildID, noop: f.noop, aws: hooks.aws, log: entry, hooks: hooks,
		})
		return err
	})
	if err != nil {
		return nil, err
	}

	err = phases.Run("template", func() error {
		b, err := cfn.Marshal(template)
		if err != nil {
			return err
		}
		if err := cfn.ValidateTemplate(b); err != nil {
			return fmt.Errorf("the assembled template is invalid:\n%w", err)
		}
		res.Template = b
		res.TemplatePath = filepath.Join(workDir, svc.name+"-cftemplate.json")
		if err := build.WriteFileAtomic(res.TemplatePath, b, 0o644); err != nil {
			return err
		}
		return hooks.postMarshall()
	})
	if err != nil {
		return nil, err
	}

	if f.noop {
		phases.Skip("deploy")
		if svc.site != nil {
			phases.Skip("site")
		}
		summarizeNoop(entry, res)
		phases.Summary("Provision (noop) complete")
		return res, nil
	}

	err = phases.Run("deploy", func() error {
		in := cfn.DeployInput{
			StackName:     svc.name,
			Description:   svc.description,
			Parameters:    f.params,
			Tags:          f.tags,
			ChangeSetName: changeSetName(res.BuildID, time.Now()),
		}
		if len(res.Template) > cfn.MaxTemplateBodyBytes {
			url, err := store.PutTemplate(ctx, svc.name, res.Template)
			if err != nil {
				return err
			}
			entry.WithField(cli.FieldBytes, len(res.Template)).Info("Template is over 51,200 bytes: deploying it from S3")
			in.TemplateURL = url
		} else {
			in.TemplateBody = string(res.Template)
		}
		if svc.site == nil {
			// A site removed from main.go leaves a bucket the update
			// deletes, which S3 refuses while it holds the site's files.
			if err := emptySite(ctx, tgt, svc.name, entry); err != nil {
				return err
			}
		}
		d := newDeployer(tgt, entry, f.cancelOnInterrupt)
		var err error
		res.Deploy, err = d.Deploy(ctx, in)
		return err
	})
	if err != nil {
		return res, explainDeployError(svc.name, f.local, err)
	}
	if svc.site != nil {
		err = phases.Run("site", func() error { return uploadSite(ctx, tgt, svc, res.Deploy.Outputs, entry) })
		if err != nil {
			return res, err
		}
	}
	summarizeDeploy(entry, svc.name, f.local, res.Deploy)
	phases.Summary("Provision complete")
	return res, nil
}

// buildAndPackage cross-compiles the service once per architecture and
// zips each binary into the work directory.
func buildAndPackage(ctx context.Context, svc *serviceDefinition, archs []service.Architecture, workDir string, phases *cli.Phases, entry logrus.FieldLogger, res *provisionResult, hooks *hookRun) error {
	res.Packages = map[service.Architecture]build.Package{}
	if err := hooks.preBuild(); err != nil {
		return err
	}
	if len(archs) == 0 {
		return hooks.postBuild()
	}
	pkg, err := build.MainPackage(svc.callerFile)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "sparta-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	err = phases.Run("build", func() error {
		for _, a := range archs {
			entry.WithFields(logrus.Fields{cli.FieldArch: a, "package": pkg}).Info("Compiling for Lambda")
			if err := build.Compile(ctx, build.Options{
				Package: pkg, GOARCH: a.GOARCH(), Tags: build.LambdaTags,
				Output: filepath.Join(tmp, string(a), "bootstrap"),
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := hooks.postBuild(); err != nil {
		return err
	}
	return phases.Run("package", func() error {
		for _, a := range archs {
			zipPath := filepath.Join(workDir, fmt.Sprintf("%s-%s.zip", svc.name, a))
			p, err := build.ZipWith(filepath.Join(tmp, string(a), "bootstrap"), zipPath, hooks.archive())
			if err != nil {
				return err
			}
			res.Packages[a] = p
			entry.WithFields(logrus.Fields{cli.FieldArch: a, cli.FieldPath: relPath(zipPath), cli.FieldBytes: p.Size}).Info("Packaged code")
		}
		return nil
	})
}

// templateInputs are what the template depends on besides the service.
type templateInputs struct {
	artifacts    map[service.Architecture]service.Artifact
	defaultArch  service.Architecture
	archOverride service.Architecture
	buildID      string
	noop         bool
	describe     bool
	aws          aws.Config
	log          logrus.FieldLogger
	// hooks shares its context map with the decorators (Values) and runs
	// the Validators; nil runs neither.
	hooks *hookRun
}

// assembleTemplate adds every function to a new template and runs the
// decorators over it, in order. provision and describe share it, so that
// what describe draws is what provision deploys.
func assembleTemplate(ctx context.Context, svc *serviceDefinition, in templateInputs) (*cloudformation.Template, error) {
	template := cfn.NewServiceTemplate(svc.description, in.buildID, Version)
	var fns []*LambdaAWSInfo
	var fnResources []cfn.FunctionResources
	for _, l := range svc.lambdas {
		a := in.archOverride
		if a == "" {
			a = functionArch(l)
		} else {
			opts := service.LambdaFunctionOptions{}
			if l.Options != nil {
				opts = *l.Options
			}
			opts.Architecture = in.archOverride
			copied := *l
			copied.Options = &opts
			l = &copied
		}
		res := cfn.AddFunction(template, svc.name, l, in.artifacts[a])
		if err := eventsource.Add(template, svc.name, l, res); err != nil {
			return nil, err
		}
		fns, fnResources = append(fns, l), append(fnResources, res)
	}
	if svc.site != nil {
		if err := cfn.AddS3Site(template, svc.site); err != nil {
			return nil, err
		}
	}
	sc := &service.ServiceContext{
		Service:   svc.name,
		Template:  template,
		Code:      in.artifacts[in.defaultArch],
		Artifacts: in.artifacts,
		BuildID:   in.buildID,
		Lambdas:   svc.lambdas,
		AWS:       in.aws,
		Values:    map[string]any{},
		Noop:      in.noop,
		Describe:  in.describe,
	}
	if in.hooks != nil {
		sc.Values = in.hooks.values
	}
	sc.MainPackage = build.MainPackageOf(svc.callerFile)
	for i, d := range svc.decorators() {
		name := service.DecoratorName(i, d)
		sc.Log = in.log.WithField("decorator", name)
		if err := d.DecorateService(ctx, sc); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	// Buckets come from decorators too, so S3 notifications are attached
	// once every decorator has run.
	if err := eventsource.AttachS3(template, svc.name, fns, fnResources); err != nil {
		return nil, err
	}
	if in.hooks != nil {
		sc.Log = in.log
		if err := in.hooks.validators(ctx, sc); err != nil {
			return nil, err
		}
	}
	return template, nil
}

// validateService checks every function and every decorator that can check
// itself (a state machine, say), reporting all problems together.
func validateService(svc *serviceDefinition) error {
	var errs []error
	if svc.name == "" {
		errs = append(errs, errors.New("service name is empty: pass one to sparta.MainEx"))
	}
	// The static site of Main/MainEx: its folder must exist before
	// anything is built. The API validates as a decorator.
	if svc.site != nil {
		errs = append(errs, splitJoined(svc.site.Validate())...)
	}
	if svc.useCGO {
		errs = append(errs, errors.New("useCGO: cgo builds for Lambda are not supported; pass false as the useCGO argument of sparta.MainEx"))
	}
	if err := service.ValidateLambdas(svc.lambdas); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, splitJoined(eventsource.ValidateS3Sources(svc.lambdas, declaredBuckets(svc)))...)
	errs = append(errs, validateMachineFunctions(svc)...)
	for i, d := range svc.decorators() {
		if d == nil {
			errs = append(errs, fmt.Errorf("service decorator %d is nil", i))
			continue
		}
		if v, ok := service.Unwrap(d).(interface{ Validate() error }); ok {
			for _, err := range splitJoined(v.Validate()) {
				errs = append(errs, fmt.Errorf("%s: %w", service.DecoratorName(i, d), err))
			}
		}
	}
	return errors.Join(errs...)
}

// declaredBuckets lists the buckets the service's decorators declare
// (cfn.S3BucketDecorator).
func declaredBuckets(svc *serviceDefinition) []*service.S3Bucket {
	var out []*service.S3Bucket
	for _, d := range svc.decorators() {
		if b, ok := service.Unwrap(d).(interface{ S3Buckets() []*service.S3Bucket }); ok {
			out = append(out, b.S3Buckets()...)
		}
	}
	return out
}

// validateMachineFunctions reports every Lambda task whose function was not
// handed to Main/MainEx: its ARN would not resolve when deployed, and
// offline it would run code the service does not have.
func validateMachineFunctions(svc *serviceDefinition) []error {
	declared := map[*LambdaAWSInfo]bool{}
	names := map[string]bool{}
	for _, l := range svc.lambdas {
		if l != nil {
			declared[l], names[l.Name] = true, true
		}
	}
	var errs []error
	for _, sm := range stateMachines(svc) {
		sm.Walk(func(s, _ step.State) bool {
			t, ok := s.(*step.TaskState)
			if !ok || t.LambdaFunction() == nil {
				return true
			}
			fn := t.LambdaFunction()
			if !declared[fn] && !names[fn.Name] {
				errs = append(errs, fmt.Errorf("state machine %q: state %q (Task): function %q is not one of the service's functions; add it to the lambdas you pass to %s", sm.Name(), s.Name(), fn.Name, svc.entryPoint()))
			}
			return true
		})
	}
	return errs
}

// splitJoined lists the errors inside an errors.Join, so that each can be
// prefixed with what it belongs to.
func splitJoined(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, splitJoined(e)...)
		}
		return out
	}
	return []error{err}
}

func functionArch(l *LambdaAWSInfo) service.Architecture {
	if l.Options == nil {
		return service.ArchARM64
	}
	return l.Options.Architecture.Or(service.ArchARM64)
}

// architectures lists, in a fixed order, the architectures to build for.
func architectures(lambdas []*LambdaAWSInfo, override service.Architecture) []service.Architecture {
	if len(lambdas) == 0 {
		return nil
	}
	if override != "" {
		return []service.Architecture{override}
	}
	var out []service.Architecture
	for _, l := range lambdas {
		if a := functionArch(l); !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return out
}

func defaultArch(archs []service.Architecture) service.Architecture {
	if len(archs) == 0 || slices.Contains(archs, service.ArchARM64) {
		return service.ArchARM64
	}
	return archs[0]
}

// deriveBuildID names a build by its code, so that the same code gives the
// same template bytes.
func deriveBuildID(pkgs map[service.Architecture]build.Package) string {
	if len(pkgs) == 0 {
		return "nocode"
	}
	h := sha256.New()
	for _, a := range service.SortedKeys(archKeys(pkgs)) {
		fmt.Fprintf(h, "%s=%s\n", a, pkgs[service.Architecture(a)].SHA256)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func archKeys(pkgs map[service.Architecture]build.Package) map[string]bool {
	m := map[string]bool{}
	for a := range pkgs {
		m[string(a)] = true
	}
	return m
}

// awsConfig loads the standard AWS configuration for decorators. It reads
// only local files and the environment; a failure leaves an empty config
// and a warning, because --noop must work without any AWS setup.
func awsConfig(ctx context.Context, log logrus.FieldLogger) aws.Config {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.WithError(err).Warn("AWS configuration could not be loaded; decorators get an empty one")
		return aws.Config{}
	}
	return cfg
}

func summarizeNoop(log logrus.FieldLogger, res *provisionResult) {
	doc, err := cfn.Decode(res.Template)
	if err != nil {
		return
	}
	counts := map[string]int{}
	resources, _ := doc["Resources"].(map[string]any)
	for _, r := range resources {
		if m, ok := r.(map[string]any); ok {
			t, _ := m["Type"].(string)
			counts[t]++
		}
	}
	var parts []string
	for _, t := range service.SortedKeys(counts) {
		parts = append(parts, fmt.Sprintf("%d %s", counts[t], t))
	}
	log.WithFields(logrus.Fields{cli.FieldPath: relPath(res.TemplatePath), cli.FieldBytes: len(res.Template)}).Info("Wrote template")
	log.Info("Resources: " + strings.Join(parts, ", "))
}

func relPath(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, p); err == nil {
			return r
		}
	}
	return p
}

// changeSetName names a provision's change set. It must be unique per stack
// (CreateChangeSet refuses a name in use with AlreadyExistsException) and an
// unchanged service provisions again in well under a second with the same
// build ID, so the time is written to the nanosecond.
func changeSetName(buildID string, now time.Time) string {
	return fmt.Sprintf("sparta-%s-%d", buildID, now.UnixNano())
}
