package describe

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/sparta-go/sparta/step"
)

// Service is what a report describes: what the code declares, and the
// template that provisioning would deploy for it.
type Service struct {
	// Name is the service (stack) name.
	Name string
	// Description is the service's description.
	Description string
	// Template is the rendered CloudFormation template JSON, as cfn.Marshal
	// writes it; nil leaves the stack sections empty.
	Template []byte
	// StateMachines are drawn in order.
	StateMachines []*step.StateMachine
	// Version is the framework version, printed in the footer.
	Version string
	// TemplateNote explains the template, such as "code artifacts are
	// placeholders: describe does not build".
	TemplateNote string
}

// Options adds what is known beyond the code: the deployed stack's status
// and each machine's last execution. The zero value describes the code
// alone.
type Options struct {
	// Status is the stack's status ("CREATE_COMPLETE",
	// "UPDATE_ROLLBACK_FAILED"), shown beside the service name.
	Status string
	// Executions is the last execution of each state machine, by machine
	// name: its path is highlighted on the machine's diagram.
	Executions map[string]Execution
}

// Execution is an execution to highlight on a state machine's diagram.
type Execution struct {
	// Name is the execution's name or ARN, as shown to the reader.
	Name string
	// Status is "SUCCEEDED", "FAILED", "RUNNING", ...
	Status string
	// Path is the states entered, in order, as step.Execution.Path and the
	// execution history's StateEntered events give them.
	Path []string
}

// StatusClass is the CSS class of the execution's status badge.
func (e Execution) StatusClass() string { return statusClass(e.Status) }

// statusClass colors a CloudFormation or Step Functions status.
func statusClass(s string) string {
	switch {
	case s == "":
		return ""
	case strings.Contains(s, "FAILED") || strings.Contains(s, "ROLLBACK") || s == "TIMED_OUT" || s == "ABORTED":
		return "failed"
	case strings.HasSuffix(s, "_COMPLETE") || s == "SUCCEEDED":
		return "ok"
	case strings.HasSuffix(s, "IN_PROGRESS") || s == "RUNNING":
		return "progress"
	}
	return ""
}

//go:embed assets/report.html.tmpl
var reportHTML string

//go:embed assets/report.css
var reportCSS string

//go:embed assets/report.js
var reportJS string

var reportTemplate = template.Must(template.New("report").Parse(reportHTML))

type machineView struct {
	Name, ID, Type, Comment string
	States                  int
	SVG                     template.HTML
	ASL                     string
	ASLBytes                int
	StateJSON               map[string]string
	Execution               *Execution
}

type reportData struct {
	Service, Description string
	Status, StatusClass  string
	Version              string
	Machines             []machineView
	Stack                template.HTML
	Counts               []string
	Functions            []functionRow
	Roles                []roleSection
	Outputs              []outputRow
	Routes               []routeRow
	Template             template.HTML
	TemplateBytes        int
	TemplateNote         string
	CSS                  template.CSS
	JS                   template.JS
}

// WriteHTML writes the report as one self-contained HTML file: inline SVG,
// style sheet and script, no external resource, so that it opens offline
// and can be attached to a ticket. The same service and options always
// give the same bytes.
func WriteHTML(w io.Writer, svc Service, opts Options) error {
	data := reportData{
		Service: svc.Name, Description: svc.Description, Version: svc.Version,
		Status: opts.Status, StatusClass: statusClass(opts.Status),
		TemplateNote: svc.TemplateNote,
		CSS:          template.CSS(reportCSS), JS: template.JS(reportJS),
	}
	tasks := map[string][]string{}
	for i, sm := range svc.StateMachines {
		mv, err := machineSection(sm, i, opts.Executions, tasks)
		if err != nil {
			return err
		}
		data.Machines = append(data.Machines, mv)
	}
	if len(svc.Template) > 0 {
		var doc cfnDoc
		if err := json.Unmarshal(svc.Template, &doc); err != nil {
			return fmt.Errorf("describe %s: decoding the template: %w", svc.Name, err)
		}
		g := stackGraph(doc)
		layoutGraph(g)
		var b bytes.Buffer
		writeSVG(&b, g, "stack", "Stack "+svc.Name, false)
		data.Stack = template.HTML(b.String())
		data.Counts = resourceCounts(doc)
		data.Functions = functionRows(doc, tasks)
		data.Roles = roleSections(doc)
		data.Outputs = outputRows(doc)
		data.Routes = routeRows(doc)
		data.Template = template.HTML(jsonTree(doc))
		data.TemplateBytes = len(svc.Template)
	}
	var out bytes.Buffer
	if err := reportTemplate.Execute(&out, data); err != nil {
		return fmt.Errorf("describe %s: %w", svc.Name, err)
	}
	_, err := w.Write(out.Bytes())
	return err
}

// machineSection draws one machine and gathers what its section shows;
// it records which states run each Lambda function (by handler name) for
// the functions table.
func machineSection(sm *step.StateMachine, i int, execs map[string]Execution, tasks map[string][]string) (machineView, error) {
	asl, err := sm.MarshalIndent()
	if err != nil {
		return machineView{}, fmt.Errorf("describe: state machine %q: %w", sm.Name(), err)
	}
	mv := machineView{
		Name: sm.Name(), ID: fmt.Sprintf("sm%d-%s", i+1, sanitizeID(sm.Name())),
		Type: string(sm.Type()), ASL: string(asl), ASLBytes: len(asl),
		StateJSON: map[string]string{},
	}
	var comment struct{ Comment string }
	_ = json.Unmarshal(asl, &comment)
	mv.Comment = comment.Comment
	var path []string
	if e, ok := execs[sm.Name()]; ok {
		e := e
		mv.Execution = &e
		path = e.Path
	}
	sm.Walk(func(s, _ step.State) bool {
		mv.States++
		if raw, err := s.MarshalJSON(); err == nil {
			var pretty bytes.Buffer
			if json.Indent(&pretty, raw, "", "  ") == nil {
				raw = pretty.Bytes()
			}
			mv.StateJSON[s.Name()] = string(raw)
		}
		if t, ok := s.(*step.TaskState); ok && t.LambdaFunction() != nil {
			fn := t.LambdaFunction().Name
			tasks[fn] = append(tasks[fn], sm.Name()+"."+s.Name())
		}
		return true
	})
	g := machineGraph(sm, path)
	layoutGraph(g)
	var b bytes.Buffer
	writeSVG(&b, g, mv.ID, "State machine "+sm.Name(), len(path) > 0)
	mv.SVG = template.HTML(b.String())
	return mv, nil
}
