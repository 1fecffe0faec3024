//! WASI: each program under `tests/wasi/programs/` runs under wasmtime and as a wasmc
//! executable with the same grants, in fresh fixtures; outputs and exit statuses must be
//! identical and nothing outside the sandbox may change (`tests/wasi/harness.rs`). Then the
//! compile-time handling of imports WASI does not define.

#[path = "../wasi/harness.rs"]
mod harness;

use std::path::Path;
use std::process::Command;

use harness::{Case, Fixture, Granting};
use wasmc::driver::{compile_file, Options};
use wasmc::object::grants::Grants;
use wasmc::object::Target;
use wasmc_tests::program::run_test;

const WORK_ROOT: &str = env!("CARGO_TARGET_TMPDIR");

fn compare(name: &str, case: Case) {
    run_test(&format!("wasi-{name}"), WORK_ROOT, |ws| {
        harness::check(&case, ws)
    });
}

#[test]
fn files() {
    compare("files", Case::new("files.c"));
}

#[test]
fn directories() {
    compare("dirs", Case::new("dirs.c"));
}

#[test]
fn symlinks() {
    compare("symlinks", Case::new("symlinks.c"));
}

#[test]
fn descriptors() {
    compare("descriptors", Case::new("descriptors.c"));
}

#[test]
fn clocks_and_poll() {
    compare("clocks", Case::new("clocks_poll.c"));
}

const ARGS: &[&str] = &["x", "y z", "", "--dir", "/"];
/// Set, passed from the host (WASMC_T_HOST), and asked for but unset on the host.
const ENV: &[&str] = &[
    "A=1",
    "B=two words",
    "EMPTY=",
    "WASMC_T_HOST",
    "WASMC_T_UNSET",
];

#[test]
fn environment_and_args_baked() {
    compare(
        "env-baked",
        Case {
            args: ARGS,
            env: ENV,
            ..Case::new("env_args.c")
        },
    );
}

/// `wasmc run`'s way: the grants arrive in WASMC_RUN_GRANTS, which the program never sees,
/// and arguments that look like wasmc's own flags reach the program untouched.
#[test]
fn environment_and_args_at_run_time() {
    compare(
        "env-run",
        Case {
            args: ARGS,
            env: ENV,
            granting: Granting::RunEnv,
            ..Case::new("env_args.c")
        },
    );
}

#[test]
fn no_grants_no_environment() {
    compare("env-none", Case::new("env_args.c"));
}

#[test]
fn hostile_paths_stay_inside() {
    compare(
        "hostile",
        Case {
            fixture: Fixture::Hostile,
            ..Case::new("hostile.c")
        },
    );
}

#[test]
fn hostile_paths_stay_inside_with_run_time_grants() {
    compare(
        "hostile-run",
        Case {
            fixture: Fixture::Hostile,
            granting: Granting::RunEnv,
            ..Case::new("hostile.c")
        },
    );
}

/// The same programs as aarch64-linux executables under qemu-aarch64.
mod aarch64 {
    use super::*;

    fn on_aarch64(program: &'static str, fixture: Fixture) -> Case {
        Case {
            fixture,
            target: Target::Aarch64Linux,
            ..Case::new(program)
        }
    }

    #[test]
    fn files() {
        compare("a64-files", on_aarch64("files.c", Fixture::Plain));
    }

    #[test]
    fn directories() {
        compare("a64-dirs", on_aarch64("dirs.c", Fixture::Plain));
    }

    #[test]
    fn symlinks() {
        compare("a64-symlinks", on_aarch64("symlinks.c", Fixture::Plain));
    }

    #[test]
    fn hostile_paths_stay_inside() {
        compare("a64-hostile", on_aarch64("hostile.c", Fixture::Hostile));
    }
}

/// A host thread swaps a directory for a symlink to outside while the guest opens through it.
#[test]
fn racing_symlink_swaps_never_escape() {
    run_test("wasi-race", WORK_ROOT, harness::check_race);
}

fn program(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("wasi/programs")
        .join(name)
}

#[test]
fn unknown_import_is_a_compile_error_naming_it() {
    run_test("wasi-unknown-import", WORK_ROOT, |ws| {
        let err = compile_file(
            &program("unknown_import.wat"),
            &ws.scratch.join("app"),
            &Options::default(),
        )
        .err()
        .ok_or("a module importing env.foo compiled")?;
        let text = err.to_string();
        if !text.contains(r#"unknown import "env"."foo""#) || err.offset.is_none() {
            return Err(format!("unexpected error: {text}"));
        }
        Ok(())
    });
}

#[test]
fn wasi_import_of_the_wrong_type_is_a_compile_error() {
    run_test("wasi-wrong-type", WORK_ROOT, |ws| {
        let err = compile_file(
            &program("wrong_wasi_type.wat"),
            &ws.scratch.join("app"),
            &Options::default(),
        )
        .err()
        .ok_or("proc_exit imported as (i64) compiled")?;
        match err
            .to_string()
            .contains(r#"incompatible import type for "wasi_snapshot_preview1"."proc_exit""#)
        {
            true => Ok(()),
            false => Err(format!("unexpected error: {err}")),
        }
    });
}

#[test]
fn allowed_unknown_import_traps_when_called() {
    run_test("wasi-unknown-import-allowed", WORK_ROOT, |ws| {
        let app = ws.scratch.join("app");
        let options = Options {
            grants: Grants {
                trap_unknown_imports: true,
                ..Grants::default()
            },
            ..Options::default()
        };
        compile_file(&program("unknown_import.wat"), &app, &options).map_err(|e| e.to_string())?;
        let out = Command::new(&app).output().map_err(|e| e.to_string())?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        let as_expected = out.stdout == b"before the call\n"
            && out.status.code() == Some(134)
            && stderr.starts_with("wasm trap: call to an unresolved import");
        match as_expected {
            true => Ok(()),
            false => Err(format!(
                "status {:?}, stdout {:?}, stderr {stderr}",
                out.status,
                String::from_utf8_lossy(&out.stdout)
            )),
        }
    });
}
