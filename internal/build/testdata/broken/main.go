// Command broken does not compile: the build package's tests check that
// the compiler's message reaches the user.
package main

func main() { undefinedFunctionForTheTest() }
