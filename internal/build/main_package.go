package build

// MainPackageOf is MainPackage without the error: the main package, or ""
// when it cannot be told. Decorators that need it say so themselves.
func MainPackageOf(callerFile string) string {
	pkg, err := MainPackage(callerFile)
	if err != nil {
		return ""
	}
	return pkg
}
