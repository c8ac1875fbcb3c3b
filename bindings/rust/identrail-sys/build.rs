//! Finds identrail's C library through pkg-config and generates the bindings
//! from the header it installs, so they always match the library linked.
use std::env;
use std::path::PathBuf;

fn main() {
    let linked_whole = env::var_os("CARGO_FEATURE_STATIC").is_some();
    let module = if linked_whole { "identrail-static" } else { "identrail" };
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    let library = pkg_config::Config::new()
        .atleast_version("0.3")
        // The static module names the archive by its path, which the pkg-config
        // crate would link as a shared library: that link line is emitted below.
        .cargo_metadata(!linked_whole)
        .probe(module)
        .unwrap_or_else(|e| {
            panic!(
                "identrail-sys: the C library was not found through pkg-config ({module}): {e}\n\
                    install it (cmake --install build/release --prefix PREFIX) and set \
                    PKG_CONFIG_PATH=PREFIX/lib/pkgconfig"
            )
        });
    if linked_whole {
        let libdir =
            pkg_config::get_variable(module, "libdir").expect("identrail-sys: no libdir in identrail-static.pc");
        println!("cargo:rustc-link-search=native={libdir}");
        println!("cargo:rustc-link-lib=static=identrail_c");
        for lib in library.libs.iter().filter(|lib| *lib != "identrail_c") {
            println!("cargo:rustc-link-lib=dylib={lib}");
        }
    }
    let header = library
        .include_paths
        .iter()
        .map(|dir| dir.join("identrail.h"))
        .find(|path| path.exists())
        .expect("identrail-sys: identrail.h is not in the include paths pkg-config gives");
    println!("cargo:rerun-if-changed={}", header.display());
    let bindings = bindgen::Builder::default()
        .header(header.to_string_lossy())
        .allowlist_function("idt_.*")
        .allowlist_type("idt_.*")
        .allowlist_var("IDT_.*")
        .default_enum_style(bindgen::EnumVariation::Consts)
        .prepend_enum_name(false)
        .layout_tests(false)
        .generate()
        .expect("identrail-sys: bindgen could not read identrail.h");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("bindings.rs");
    bindings
        .write_to_file(&out)
        .expect("identrail-sys: cannot write the bindings");
}
