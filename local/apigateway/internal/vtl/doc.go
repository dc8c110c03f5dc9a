// Package vtl evaluates the subset of the Velocity Template Language that
// API Gateway mapping templates use: references with properties, method
// calls and indexes ($input.path('$.a'), $data.name, ${x}, $!x), string
// and number literals, lists, maps and ranges, the operators of Velocity
// (|| && ! == != < <= > >= + - * / %, and their word forms), and the
// directives #set, #if/#elseif/#else/#end, #foreach/#end (with
// $foreach.hasNext, $foreach.index, $foreach.count and $velocityCount),
// ## and #* *# comments. No Go library implements Velocity, so this one is
// written for API Gateway's needs, and nothing more (no macros, #parse or
// #include: a template cannot reach outside the request).
//
// Where Velocity 1.7 and API Gateway differ from a literal reading, the
// choices are:
//   - a reference to nothing renders as the empty string (API Gateway's
//     templates rely on it: "$input.params('missing')" is "");
//   - maps and lists render as compact JSON, in insertion order, so that
//     an object built in a template and passed to $util.escapeJavaScript is
//     a JSON document;
//   - string literals keep backslashes as written (Velocity 1.7): in
//     "\\'" the regex of replaceAll sees \\' (a backslash then a quote), as
//     API Gateway's documented $util.escapeJavaScript(...).replaceAll("\\'","'")
//     needs; "" inside "..." is a quote.
//
// Values are Go values: nil, bool, int64, float64, string, *Map (an
// ordered map), []any and Object (host objects such as $input and $util).
// Evaluation is bounded: #foreach stops after 1,000 iterations, as on AWS,
// and the output is limited in size, so a hostile template cannot exhaust
// the local cloud.
package vtl
