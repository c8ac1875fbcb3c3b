// Package identrail finds compromised cloud identities in AWS CloudTrail logs:
// it decodes the logs, runs the detection rules, builds the identity graph and
// answers with risk, status, remediation plans and least-privilege policies.
// It wraps identrail's C ABI (identrail.h) with cgo.
//
// # Building
//
// The package finds the C library through pkg-config. With the library
// installed under PREFIX (cmake --install build/release --prefix PREFIX):
//
//	PKG_CONFIG_PATH=PREFIX/lib/pkgconfig go build ./...
//
// links libidentrail_c.so (run with LD_LIBRARY_PATH=PREFIX/lib unless PREFIX is
// a system path). The build tag identrail_static links libidentrail_c.a instead:
//
//	PKG_CONFIG_PATH=PREFIX/lib/pkgconfig go build -tags identrail_static ./...
//
// The static archive holds identrail and its dependencies (RE2, yaml-cpp,
// libmaxminddb, libdeflate, zlib, OpenSSL's libcrypto) with only the idt_*
// symbols global, so they cannot clash with a program's own copies; the binary
// still needs libsimdjson, libstdc++ and libc from the system.
//
// # Goroutines
//
// An Engine or a Normalizer is used by one goroutine at a time (guard it with a
// mutex to share it). A RuleSet and a Policy are immutable once made and may be
// used by any number of goroutines and engines at once.
//
// # Callbacks and cgo pointers
//
// The function given to Engine.OnDetection runs on the goroutine that called
// Feed, FeedPath, FeedPaths, Finish or AdvanceTo, before that call returns. It
// receives a copy of the detection (Go memory only) and must not call back
// into the same engine. The engine keeps the function through a cgo.Handle
// held in C memory, released by Close; no Go pointer is ever kept by C, so the
// package passes the cgo pointer checks (it is tested with
// GOEXPERIMENT=cgocheck2).
//
// # Errors
//
// Every failure is an *Error carrying the library's code (the C idt_status);
// compare with errors.Is(err, identrail.ErrNotFound) and the other Err values.
package identrail
