//go:build !lambdabinary

package main

const marker = "marker-without-lambdabinary-tag"
