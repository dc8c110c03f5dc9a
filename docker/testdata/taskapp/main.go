// Command taskapp is the docker package's test program: it prints its
// arguments and one environment variable, and exits with the code that
// TASK_EXIT names.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

func main() {
	fmt.Printf("taskapp args=%s greeting=%s\n", strings.Join(os.Args[1:], ","), os.Getenv("GREETING"))
	if _, err := os.Stat("/etc/ssl/certs/ca-certificates.crt"); err == nil {
		fmt.Println("taskapp has CA certificates")
	}
	code, _ := strconv.Atoi(os.Getenv("TASK_EXIT"))
	os.Exit(code)
}
