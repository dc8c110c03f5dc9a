package lambda

import "time"

// runtimeLifecycle is one row of AWS's table of deprecated runtimes.
type runtimeLifecycle struct {
	deprecated, blockCreate, blockUpdate string // YYYY-MM-DD
}

// runtimeLifecycles is AWS's runtime deprecation schedule: from
// blockCreate on, CreateFunction refuses the runtime (and no function may
// move to it); from blockUpdate on, functions that use it can no longer
// have their code or configuration updated. Invocations keep working, as
// on AWS.
//
// Snapshot of the Lambda runtimes page as cfn-lint 1.51.0 ships it
// (cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json), checked
// against https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
// (Supported and Deprecated runtimes tables). docs/lambda-runtimes.md
// lists it; update both together.
var runtimeLifecycles = map[string]runtimeLifecycle{
	"dotnet6":         {"2024-12-20", "2026-06-01", "2026-07-01"},
	"dotnet8":         {"2026-11-10", "2026-12-10", "2027-01-11"},
	"dotnetcore1.0":   {"2019-06-27", "2019-06-30", "2019-07-30"},
	"dotnetcore2.0":   {"2019-05-30", "2019-04-30", "2019-05-30"},
	"dotnetcore2.1":   {"2022-01-05", "2022-01-05", "2022-04-13"},
	"dotnetcore3.1":   {"2023-04-03", "2023-04-03", "2023-05-03"},
	"go1.x":           {"2024-01-08", "2024-02-08", "2026-07-01"},
	"java8":           {"2024-01-08", "2024-02-08", "2026-07-01"},
	"java8.al2":       {"2026-06-30", "2026-07-31", "2026-08-31"},
	"java11":          {"2026-06-30", "2026-07-31", "2026-08-31"},
	"java17":          {"2026-06-30", "2026-07-31", "2026-08-31"},
	"java21":          {"2029-06-30", "2029-07-31", "2029-08-31"},
	"java25":          {"2029-06-30", "2029-07-31", "2029-08-31"},
	"nodejs":          {"2016-08-30", "2016-09-30", "2016-10-31"},
	"nodejs4.3":       {"2020-03-05", "2020-02-03", "2020-03-05"},
	"nodejs4.3-edge":  {"2020-03-05", "2019-03-31", "2019-04-30"},
	"nodejs6.10":      {"2019-08-12", "2019-07-12", "2019-08-12"},
	"nodejs8.10":      {"2020-03-06", "2020-02-04", "2020-03-06"},
	"nodejs10.x":      {"2021-07-30", "2021-07-30", "2022-02-14"},
	"nodejs12.x":      {"2023-03-31", "2023-03-31", "2023-04-30"},
	"nodejs14.x":      {"2023-12-04", "2024-01-09", "2026-07-01"},
	"nodejs16.x":      {"2024-06-12", "2026-06-01", "2026-07-01"},
	"nodejs18.x":      {"2025-09-01", "2026-06-01", "2026-07-01"},
	"nodejs20.x":      {"2026-04-30", "2026-06-01", "2026-07-01"},
	"nodejs22.x":      {"2027-04-30", "2027-06-01", "2027-07-01"},
	"nodejs24.x":      {"2028-04-30", "2028-06-01", "2028-07-01"},
	"provided":        {"2024-01-08", "2024-02-08", "2026-07-01"},
	"provided.al2":    {"2026-06-30", "2026-07-31", "2026-08-31"},
	"provided.al2023": {"2029-06-30", "2029-07-31", "2029-08-31"},
	"python2.7":       {"2021-07-15", "2021-07-15", "2022-05-30"},
	"python3.6":       {"2022-07-18", "2022-07-18", "2022-08-29"},
	"python3.7":       {"2023-12-04", "2024-01-09", "2026-03-09"},
	"python3.8":       {"2024-10-14", "2026-06-01", "2026-07-01"},
	"python3.9":       {"2025-12-15", "2026-06-01", "2026-07-01"},
	"python3.10":      {"2026-06-30", "2026-07-31", "2026-08-31"},
	"python3.11":      {"2026-06-30", "2026-07-31", "2026-08-31"},
	"python3.12":      {"2028-10-31", "2028-11-30", "2029-01-10"},
	"python3.13":      {"2029-06-30", "2029-07-31", "2029-08-31"},
	"python3.14":      {"2029-06-30", "2029-07-31", "2029-08-31"},
	"ruby2.5":         {"2021-07-30", "2021-07-30", "2022-03-31"},
	"ruby2.7":         {"2023-12-07", "2024-01-09", "2026-07-01"},
	"ruby3.2":         {"2026-03-31", "2026-06-01", "2026-07-01"},
	"ruby3.3":         {"2027-03-31", "2027-04-30", "2027-05-31"},
	"ruby3.4":         {"2028-03-31", "2028-04-30", "2028-05-31"},
}

// reached reports whether day (YYYY-MM-DD, UTC) has begun at now.
func reached(day string, now time.Time) bool {
	t, err := time.Parse("2006-01-02", day)
	return err == nil && !now.Before(t)
}

// errRuntimeBlocked is Lambda's refusal of a runtime past its block date.
func errRuntimeBlocked(runtime string) error {
	return errInvalid("The runtime parameter of %s is no longer supported for creating or updating AWS Lambda functions. "+
		"We recommend you use a supported runtime while creating or updating functions.", runtime)
}

// checkCreateRuntime refuses a runtime that functions can no longer be
// created with (or moved to).
func (s *Service) checkCreateRuntime(runtime string) error {
	if l, ok := runtimeLifecycles[runtime]; ok && reached(l.blockCreate, s.cfg.Now().UTC()) {
		return errRuntimeBlocked(runtime)
	}
	return nil
}

// checkUpdateRuntime refuses updates to a function whose runtime is past
// its block-update date.
func (s *Service) checkUpdateRuntime(runtime string) error {
	if l, ok := runtimeLifecycles[runtime]; ok && reached(l.blockUpdate, s.cfg.Now().UTC()) {
		return errRuntimeBlocked(runtime)
	}
	return nil
}
