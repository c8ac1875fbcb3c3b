//go:build identrail_static

package identrail

// #cgo pkg-config: identrail-static
import "C"
