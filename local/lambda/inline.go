package lambda

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"time"
)

// InlineZip packages a CloudFormation Code.ZipFile source the way
// CloudFormation does before it creates the function: the source becomes
// index.py (python3.x) or index.js (nodejs*.x), with AWS's cfn-response
// module beside it when the code loads it ("import cfnresponse",
// require('cfn-response')); ours has the same API. The zip is
// deterministic, so the same source keeps the same CodeSha256. A function
// created from it follows the same path as a zip from S3.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-code.html
// and https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-lambda-function-code-cfnresponsemodule.html
func InlineZip(runtime, source string) ([]byte, error) {
	m, ok := parseManaged(runtime)
	if !ok {
		return nil, fmt.Errorf("Code.ZipFile (inline source code) is only for the Node.js and Python runtimes, and Runtime is %q: "+
			"use nodejs*.x or python3.x, or upload a zip and use Code.S3Bucket and Code.S3Key", runtime)
	}
	files := map[string]string{}
	var order []string
	add := func(name, body string) {
		files[name] = body
		order = append(order, name)
	}
	if m.language == langPython {
		add("index.py", source)
		if strings.Contains(source, "import cfnresponse") {
			b, _ := runtimeFiles.ReadFile("runtimes/cfnresponse.py")
			add("cfnresponse/__init__.py", string(b))
		}
	} else {
		add("index.js", source)
		if strings.Contains(source, "cfn-response") {
			b, _ := runtimeFiles.ReadFile("runtimes/cfn-response.js")
			add("node_modules/cfn-response/index.js", string(b))
		}
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)}
		h.SetMode(0o644)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(files[name])); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
