package iam

// PolicyStatement is one statement of an IAM policy document, as Sparta's
// aws/iam package declares it (with a string Resource where Sparta had
// go-cloudformation's *StringExpr).
//
// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html.
type PolicyStatement struct {
	Effect    string
	Action    []string
	Resource  string      `json:",omitempty"`
	Principal *Principal  `json:",omitempty"`
	Condition interface{} `json:",omitempty"`
}

// Principal is a statement's Principal element: service principals
// ("states.amazonaws.com"), federated principals, or AWS accounts and roles.
//
// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html.
type Principal struct {
	AWS       []string `json:",omitempty"`
	Service   []string `json:",omitempty"`
	Federated []string `json:",omitempty"`
}

// AssumeRolePolicyDocumentForServicePrincipal is the trust policy that lets
// the AWS service principal assume a role.
func AssumeRolePolicyDocumentForServicePrincipal(principal string) interface{} {
	return map[string]interface{}{
		"Version": "2012-10-17",
		"Statement": []interface{}{
			map[string]interface{}{
				"Effect":    "Allow",
				"Action":    "sts:AssumeRole",
				"Principal": map[string]interface{}{"Service": principal},
			},
		},
	}
}
