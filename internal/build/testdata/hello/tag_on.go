//go:build lambdabinary

package main

const marker = "marker-with-lambdabinary-tag"
