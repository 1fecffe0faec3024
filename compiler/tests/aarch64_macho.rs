//! Mach-O objects for macOS (`--target x86_64-macos|aarch64-macos --emit obj`), read back by
//! LLVM's Mach-O reader and linked by LLVM's Mach-O linker:
//! - every function has its symbol, with Apple's leading underscore (`_wasm_<name>`);
//! - every call in the text is a branch relocation of the architecture's kind
//!   (`X86_64_RELOC_BRANCH`, `ARM64_RELOC_BRANCH26`), sitting on a call instruction, and
//!   naming the callee;
//! - `ld64.lld` links the object into a dylib, the runtime's symbols given by stubs compiled
//!   with `clang --target=<arch>-apple-macos11` (no macOS SDK needed for empty functions).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Named functions (so their symbols are predictable), direct calls between them, a call
/// into the runtime (`memory.grow`) and v128 arguments and results.
const MODULE: &str = r#"
(module
  (memory 1)
  (func $leaf (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func $middle (param i32) (result i32) (call $leaf (i32.add (call $leaf (local.get 0)) (i32.const 1))))
  (func $grow (export "grow") (param i32) (result i32) (memory.grow (call $middle (local.get 0))))
  (func $lanes (export "lanes") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
  (func $caller (export "caller") (param v128) (result v128) (call $lanes (local.get 0) (local.get 0))))
"#;

const FUNCTIONS: [&str; 5] = ["leaf", "middle", "grow", "lanes", "caller"];
/// (caller, callee) of every direct call the module's code makes.
const CALLS: [(&str, &str); 4] = [("middle", "leaf"), ("grow", "middle"), ("caller", "lanes"), ("middle", "leaf")];

struct Arch {
    target: &'static str,
    /// `-arch` of ld64 and the clang triple's architecture.
    ld_arch: &'static str,
    reloc_kind: &'static str,
    /// Where the branch relocation sits relative to the call instruction.
    reloc_offset_in_call: u64,
    call_mnemonic: &'static str,
}

const X86_64: Arch = Arch {
    target: "x86_64-macos",
    ld_arch: "x86_64",
    reloc_kind: "BRANCH",
    reloc_offset_in_call: 1,
    call_mnemonic: "call",
};
const ARM64: Arch = Arch {
    target: "aarch64-macos",
    ld_arch: "arm64",
    reloc_kind: "BR26",
    reloc_offset_in_call: 0,
    call_mnemonic: "bl",
};

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("macho-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?} ({e}): see scripts/setup.sh"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The object `wasmc --emit obj` makes of [`MODULE`] for `arch`.
fn compile(arch: &Arch, dir: &Path) -> PathBuf {
    let wat = dir.join("module.wat");
    std::fs::write(&wat, MODULE).unwrap();
    let obj = dir.join("module.o");
    run(Command::new(env!("CARGO_BIN_EXE_wasmc"))
        .arg(&wat)
        .args(["--target", arch.target, "--emit", "obj", "-o"])
        .arg(&obj));
    obj
}

/// What `llvm-objdump --macho -d -r -t` shows of an object.
struct Listing {
    /// Defined function symbols in `__TEXT,__text`.
    functions: BTreeSet<String>,
    undefined: BTreeSet<String>,
    /// Text relocations: address, kind, symbol.
    text_relocs: Vec<(u64, String, String)>,
    /// Disassembly lines by address.
    code: Vec<(u64, String)>,
}

fn read_back(obj: &Path) -> Listing {
    let text = run(Command::new("llvm-objdump").args(["--macho", "-d", "-r", "-t"]).arg(obj));
    let mut listing =
        Listing { functions: BTreeSet::new(), undefined: BTreeSet::new(), text_relocs: Vec::new(), code: Vec::new() };
    let mut in_text_relocs = false;
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("Relocation information") || line.starts_with("SYMBOL TABLE") {
            in_text_relocs = line.contains("(__TEXT,__text)");
            continue;
        }
        // address pcrel length extern type scattered symbol
        if in_text_relocs && fields.len() == 7 {
            if let Ok(addr) = u64::from_str_radix(fields[0], 16) {
                listing.text_relocs.push((addr, fields[4].to_string(), fields[6].to_string()));
                continue;
            }
        }
        if line.contains(" F __TEXT,__text ") {
            let name = fields.last().unwrap();
            if !name.starts_with("ltmp") {
                listing.functions.insert(name.to_string());
            }
        } else if line.contains("*UND*") {
            listing.undefined.insert(fields.last().unwrap().to_string());
        } else if let Some((addr, rest)) = line.trim_start().split_once(":\t") {
            if let Ok(addr) = u64::from_str_radix(addr, 16) {
                listing.code.push((addr, rest.to_string()));
            }
        }
    }
    listing
}

fn check_object(arch: &Arch) {
    let dir = scratch(arch.ld_arch);
    let obj = compile(arch, &dir);
    let listing = read_back(&obj);

    for f in FUNCTIONS {
        assert!(
            listing.functions.contains(&format!("_wasm_{f}")),
            "{}: no symbol _wasm_{f} in {:?}",
            arch.target,
            listing.functions
        );
    }
    assert!(!listing.text_relocs.is_empty(), "{}: no text relocations", arch.target);
    for (addr, kind, symbol) in &listing.text_relocs {
        assert_eq!(kind, arch.reloc_kind, "{}: relocation at {addr:#x} to {symbol}", arch.target);
        let call_at = addr - arch.reloc_offset_in_call;
        let insn = listing.code.iter().find(|(a, _)| *a == call_at).map(|(_, t)| t.as_str()).unwrap_or("");
        assert!(
            insn.split_whitespace().any(|w| w.starts_with(arch.call_mnemonic)),
            "{}: relocation at {addr:#x} is not on a call: `{insn}`",
            arch.target
        );
    }
    let targets: BTreeSet<&str> = listing.text_relocs.iter().map(|(_, _, s)| s.as_str()).collect();
    for (caller, callee) in CALLS {
        assert!(
            targets.contains(format!("_wasm_{callee}").as_str()),
            "{}: the call {caller} -> {callee} has no relocation",
            arch.target
        );
    }
    assert!(
        listing.undefined.iter().all(|s| s.starts_with("_wasmc_")),
        "{}: undefined symbols outside the runtime: {:?}",
        arch.target,
        listing.undefined
    );
    assert!(
        targets.iter().any(|s| listing.undefined.contains(*s)),
        "{}: memory.grow does not call the runtime",
        arch.target
    );

    link_dylib(arch, &dir, &obj, &listing.undefined);
}

/// Links `obj` with stubs of its undefined (runtime) symbols into a dylib.
fn link_dylib(arch: &Arch, dir: &Path, obj: &Path, undefined: &BTreeSet<String>) {
    let stubs: String = undefined.iter().map(|s| format!("void {}(void) {{}}\n", &s[1..])).collect();
    let stub_c = dir.join("stubs.c");
    std::fs::write(&stub_c, stubs).unwrap();
    let stub_o = dir.join("stubs.o");
    let triple = format!("--target={}-apple-macos11", arch.ld_arch);
    run(Command::new("clang").arg(triple).arg("-c").arg(&stub_c).arg("-o").arg(&stub_o));
    let dylib = dir.join("module.dylib");
    // `lld -flavor darwin` is ld64.lld under a name every Debian lld package has on PATH.
    run(Command::new("lld")
        .args([
            "-flavor",
            "darwin",
            "-arch",
            arch.ld_arch,
            "-platform_version",
            "macos",
            "11.0",
            "11.0",
            "-dylib",
            "-o",
        ])
        .arg(&dylib)
        .arg(obj)
        .arg(&stub_o));
    let linked = run(Command::new("llvm-objdump").args(["--macho", "-t"]).arg(&dylib));
    assert!(linked.contains("_wasm_meta"), "{}: the dylib lost the module's metadata symbol", arch.target);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn x86_64_macos_objects_read_back_and_link() {
    check_object(&X86_64);
}

#[test]
fn aarch64_macos_objects_read_back_and_link() {
    check_object(&ARM64);
}
