module github.com/identrail/identrail/examples/go

go 1.21

require github.com/identrail/identrail/bindings/go v0.3.0

replace github.com/identrail/identrail/bindings/go => ../../bindings/go
