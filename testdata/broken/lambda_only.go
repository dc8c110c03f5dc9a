//go:build lambdabinary

package main

var notAnInt int = "the Lambda build fails here"
