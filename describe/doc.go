// Package describe draws a service so that people can look at it instead of
// reading its template: each state machine as a diagram (every state type
// with its own shape, Choice rules written out, Default and Catch edges
// marked, Retry shown on its state, Parallel branches and Map item
// processors as nested groups), the CloudFormation stack's resources and
// their references grouped by AWS service, and one self-contained HTML
// report holding both with tables of the functions, the roles' policies and
// the template itself.
//
// Everything is pure Go: a layered layout of its own (longest-path layering,
// barycenter crossing reduction, ordered coordinate assignment) renders to
// SVG, so describing a service needs no Graphviz, browser or network.
// [Mermaid] and [DOT] write the same graph as text for documentation and
// pull requests.
//
// The same inputs always give the same bytes: nodes, edges and table rows
// follow the machine's walk order and sorted template keys, never map order
// or the clock.
package describe
