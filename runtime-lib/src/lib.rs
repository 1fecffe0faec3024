//! runtime-lib: the C runtime sources, embedded so wasmc can build them for any target.
//!
//! Each entry is `(path relative to runtime-lib/, contents)`. Compile every source with
//! `-Iinclude -Isrc` (see [`CFLAGS`]) and archive them as `libwasmc_rt.a`.

/// The C sources. `main.c` defines `main` for command modules; an archive pulls it in only
/// when nothing else defines `main`.
pub const SOURCES: &[(&str, &str)] = &[
    ("src/code.c", include_str!("code.c")),
    ("src/exports.c", include_str!("exports.c")),
    ("src/instance.c", include_str!("instance.c")),
    ("src/linker.c", include_str!("linker.c")),
    ("src/main.c", include_str!("main.c")),
    ("src/memory.c", include_str!("memory.c")),
    ("src/table.c", include_str!("table.c")),
    ("src/trap.c", include_str!("trap.c")),
    ("src/types.c", include_str!("types.c")),
    ("src/wasi.c", include_str!("wasi.c")),
    ("src/wasi_extra.c", include_str!("wasi_extra.c")),
];

/// The headers: the public ABI (`include/`) and the private one (`src/internal.h`).
pub const HEADERS: &[(&str, &str)] = &[
    ("include/wasmc.h", include_str!("../include/wasmc.h")),
    (
        "include/wasmc_meta.h",
        include_str!("../include/wasmc_meta.h"),
    ),
    ("src/internal.h", include_str!("internal.h")),
    ("src/wasi_internal.h", include_str!("wasi_internal.h")),
];

/// Flags every source is compiled with. Frame pointers let trap reports walk the stack.
pub const CFLAGS: &[&str] = &[
    "-std=c11",
    "-O2",
    "-Wall",
    "-Wextra",
    "-fno-omit-frame-pointer",
    "-Iinclude",
    "-Isrc",
];
