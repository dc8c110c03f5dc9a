// Package jsonpath owns the JSONPath dialect that AWS Step Functions uses for
// the JSONPath query language: InputPath, OutputPath, ItemsPath, ResultPath,
// Choice Variable and the ".$" values of Parameters, ResultSelector and Assign.
//
// Step Functions evaluates paths with Jayway JsonPath, so this package follows
// Jayway where the specifications differ (see
// https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html).
// A path is compiled once with [Parse] or [ParseReference] and evaluated many
// times; evaluating a simple path such as "$.a.b" does not allocate.
//
// Values are decoded JSON as produced by encoding/json with UseNumber:
// map[string]any, []any, string, json.Number, bool and nil. Go numbers
// (float64, int, int64, ...) are accepted wherever a number may appear.
// Inputs are never modified.
//
// Behaviour worth knowing:
//   - A definite path (only fields and single indexes) yields one value or an
//     error wrapping [ErrNotFound]; any other path yields a []any of matches,
//     possibly empty, as Jayway does.
//   - Objects have no key order once decoded into a Go map, so wildcards and
//     recursive descent visit object members in sorted key order, which keeps
//     results deterministic.
//   - A filter applied to an array tests each element; applied to an object
//     it tests the object itself (Jayway). Under recursive descent a filter
//     tests every descendant exactly once.
//   - Property unions such as ['a','b'] always yield a list of values; Jayway's
//     merge of a leaf property union into an object is not reproduced.
//   - Functions such as length() and the operators =~, in, nin, subsetof,
//     anyof, noneof, size and empty are not supported and are rejected when
//     parsing.
package jsonpath
