// Command hello is compiled by the build package's tests.
package main

import "fmt"

func main() { fmt.Println(marker, cgoMarker) }
