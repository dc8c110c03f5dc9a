// Command taskapp is the docker package's test program: it prints its
// arguments and one environment variable, and exits with the code that
// TASK_EXIT names, after sleeping for TASK_SLEEP.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	fmt.Printf("taskapp args=%s greeting=%s\n", strings.Join(os.Args[1:], ","), os.Getenv("GREETING"))
	if _, err := os.Stat("/etc/ssl/certs/ca-certificates.crt"); err == nil {
		fmt.Println("taskapp has CA certificates")
	}
	if d, err := time.ParseDuration(os.Getenv("TASK_SLEEP")); err == nil {
		time.Sleep(d)
	}
	code, _ := strconv.Atoi(os.Getenv("TASK_EXIT"))
	os.Exit(code)
}
