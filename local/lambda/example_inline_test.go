package lambda_test

import (
	"archive/zip"
	"bytes"
	"fmt"

	"github.com/sparta-go/sparta/local/lambda"
)

// InlineZip packages a template's Code.ZipFile as CloudFormation does:
// index.py, with the cfnresponse module when the code imports it.
func ExampleInlineZip() {
	source := "import cfnresponse\n\ndef handler(event, context):\n    cfnresponse.send(event, context, cfnresponse.SUCCESS, {})\n"
	b, err := lambda.InlineZip("python3.13", source)
	if err != nil {
		fmt.Println(err)
		return
	}
	zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	for _, f := range zr.File {
		fmt.Println(f.Name)
	}
	_, err = lambda.InlineZip("java21", "class Handler {}")
	fmt.Println(err != nil)
	// Output:
	// index.py
	// cfnresponse/__init__.py
	// true
}
