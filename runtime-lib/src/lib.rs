//! runtime-lib: the C runtime sources, embedded so wasmc can build them for any target.
//!
//! Each entry is `(path relative to runtime-lib/, contents)`. Compile every source with
//! `-Iinclude -Isrc` (see [`CFLAGS`]) and archive them as `libwasmc_rt.a`.

/// The C sources. `main.c` defines `main` for command modules; an archive pulls it in only
/// when nothing else defines `main`.
pub const SOURCES: &[(&str, &str)] = &[
    ("src/code.c", include_str!("code.c")),
    ("src/exports.c", include_str!("exports.c")),
    ("src/grants.c", include_str!("grants.c")),
    ("src/instance.c", include_str!("instance.c")),
    ("src/linker.c", include_str!("linker.c")),
    ("src/main.c", include_str!("main.c")),
    ("src/memory.c", include_str!("memory.c")),
    ("src/table.c", include_str!("table.c")),
    ("src/trap.c", include_str!("trap.c")),
    ("src/types.c", include_str!("types.c")),
    ("src/wasi.c", include_str!("wasi.c")),
    ("src/wasi_fd.c", include_str!("wasi_fd.c")),
    ("src/wasi_io.c", include_str!("wasi_io.c")),
    ("src/wasi_path.c", include_str!("wasi_path.c")),
    ("src/wasi_poll.c", include_str!("wasi_poll.c")),
    ("src/wasi_readdir.c", include_str!("wasi_readdir.c")),
    ("src/wasi_resolve.c", include_str!("wasi_resolve.c")),
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

/// Wasm value type codes used in [`WASI_FUNCTIONS`].
const I32: u8 = 0x7f;
const I64: u8 = 0x7e;

/// The module every WASI function lives in.
pub const WASI_MODULE: &str = "wasi_snapshot_preview1";

/// Every function of `wasi_snapshot_preview1` the runtime defines (`src/wasi.c`'s table), as
/// (name, parameter types, result types) in Wasm type codes, so the compiler can refuse an
/// import the runtime cannot satisfy before linking.
pub const WASI_FUNCTIONS: &[(&str, &[u8], &[u8])] = &[
    ("args_get", &[I32, I32], &[I32]),
    ("args_sizes_get", &[I32, I32], &[I32]),
    ("environ_get", &[I32, I32], &[I32]),
    ("environ_sizes_get", &[I32, I32], &[I32]),
    ("fd_write", &[I32, I32, I32, I32], &[I32]),
    ("fd_read", &[I32, I32, I32, I32], &[I32]),
    ("fd_close", &[I32], &[I32]),
    ("fd_seek", &[I32, I64, I32, I32], &[I32]),
    ("fd_fdstat_get", &[I32, I32], &[I32]),
    ("fd_prestat_get", &[I32, I32], &[I32]),
    ("fd_prestat_dir_name", &[I32, I32, I32], &[I32]),
    ("clock_res_get", &[I32, I32], &[I32]),
    ("clock_time_get", &[I32, I64, I32], &[I32]),
    ("random_get", &[I32, I32], &[I32]),
    ("proc_exit", &[I32], &[]),
    ("sched_yield", &[], &[I32]),
    ("fd_filestat_get", &[I32, I32], &[I32]),
    ("fd_tell", &[I32, I32], &[I32]),
    ("fd_sync", &[I32], &[I32]),
    ("fd_datasync", &[I32], &[I32]),
    ("fd_fdstat_set_flags", &[I32, I32], &[I32]),
    ("poll_oneoff", &[I32, I32, I32, I32], &[I32]),
    ("fd_advise", &[I32, I64, I64, I32], &[I32]),
    ("fd_allocate", &[I32, I64, I64], &[I32]),
    ("fd_fdstat_set_rights", &[I32, I64, I64], &[I32]),
    ("fd_filestat_set_size", &[I32, I64], &[I32]),
    ("fd_filestat_set_times", &[I32, I64, I64, I32], &[I32]),
    ("fd_pread", &[I32, I32, I32, I64, I32], &[I32]),
    ("fd_pwrite", &[I32, I32, I32, I64, I32], &[I32]),
    ("fd_readdir", &[I32, I32, I32, I64, I32], &[I32]),
    ("fd_renumber", &[I32, I32], &[I32]),
    ("path_create_directory", &[I32, I32, I32], &[I32]),
    ("path_filestat_get", &[I32, I32, I32, I32, I32], &[I32]),
    (
        "path_filestat_set_times",
        &[I32, I32, I32, I32, I64, I64, I32],
        &[I32],
    ),
    ("path_link", &[I32, I32, I32, I32, I32, I32, I32], &[I32]),
    (
        "path_open",
        &[I32, I32, I32, I32, I32, I64, I64, I32, I32],
        &[I32],
    ),
    ("path_readlink", &[I32, I32, I32, I32, I32, I32], &[I32]),
    ("path_remove_directory", &[I32, I32, I32], &[I32]),
    ("path_rename", &[I32, I32, I32, I32, I32, I32], &[I32]),
    ("path_symlink", &[I32, I32, I32, I32, I32], &[I32]),
    ("path_unlink_file", &[I32, I32, I32], &[I32]),
    ("proc_raise", &[I32], &[I32]),
    ("sock_accept", &[I32, I32, I32], &[I32]),
    ("sock_recv", &[I32, I32, I32, I32, I32, I32], &[I32]),
    ("sock_send", &[I32, I32, I32, I32, I32], &[I32]),
    ("sock_shutdown", &[I32, I32], &[I32]),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The C table, entry by entry: `{"name", (void *)f, nparams, nresults, {TYPES}}`.
    fn c_table() -> Vec<(String, Vec<u8>, usize)> {
        let source = include_str!("wasi.c");
        let start = source
            .find("wasi_funcs[] = {")
            .expect("the table in wasi.c");
        source[start..]
            .lines()
            .skip(1)
            .take_while(|line| !line.starts_with("};"))
            .map(|line| {
                let fields: Vec<&str> = line.trim().trim_start_matches('{').split(", ").collect();
                let name = fields[0].trim_matches('"').to_string();
                let nresults: usize = fields[3].parse().expect("nresults");
                let types = line[line.rfind('{').unwrap() + 1..line.find("}}").unwrap()]
                    .split(", ")
                    .filter_map(|t| match t {
                        "I32" => Some(I32),
                        "I64" => Some(I64),
                        _ => None,
                    })
                    .collect();
                (name, types, nresults)
            })
            .collect()
    }

    #[test]
    fn rust_list_matches_the_c_table() {
        let c = c_table();
        assert_eq!(c.len(), WASI_FUNCTIONS.len());
        for ((name, params, nresults), (rname, rparams, rresults)) in c.iter().zip(WASI_FUNCTIONS) {
            assert_eq!(name, rname);
            assert_eq!(params.as_slice(), *rparams, "{name}");
            assert_eq!(*nresults, rresults.len(), "{name}");
        }
    }

    #[test]
    fn every_preview1_function_is_defined() {
        assert_eq!(
            WASI_FUNCTIONS.len(),
            46,
            "wasi_snapshot_preview1 has 46 functions"
        );
    }
}
