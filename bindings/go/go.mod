module github.com/identrail/identrail/bindings/go

go 1.21
