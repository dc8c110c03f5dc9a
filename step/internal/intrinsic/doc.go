// Package intrinsic owns the Amazon States Language intrinsic functions of
// the JSONPath query language, such as States.Format and States.Array: it
// parses an invocation once and evaluates it against the state's data.
//
// The behaviour follows the AWS Step Functions Developer Guide
// (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html):
// each function checks its argument count when parsing and its argument
// types when evaluating. Runtime failures are *Error values whose ErrorName
// is "States.IntrinsicFailure", the error a Catch or Retry matches. Errors
// from resolving a path argument are returned wrapped but otherwise
// unchanged, so the engine keeps its own classification of them.
//
// Numbers are produced as json.Number, matching encoding/json's UseNumber,
// and numeric arguments may be json.Number or Go numbers. Where AWS rounds a
// non-integer argument it rounds half up, as Java's Math.round does.
//
// Differences from AWS worth knowing: Go maps have no key order, so
// States.JsonToString writes object keys sorted; a States.Format template
// that comes from a path has its {} placeholders replaced but no escape
// sequences processed; nesting is limited to 10 levels of calls.
package intrinsic
