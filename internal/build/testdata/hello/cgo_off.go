//go:build !cgo

package main

const cgoMarker = "marker-cgo-disabled"
