//! Disassembly helpers: encode with the assembler, decode with `llvm-mc`, compare text.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use target_aarch64::{Assembled, Assembler, Gpr, Size, Vreg};

/// The disassembler: LLVM's, as shipped in the Debian `llvm` package.
const LLVM_MC: &str = "llvm-mc";
/// A second opinion on validity: GNU binutils' disassembler.
const GNU_OBJDUMP: &str = "aarch64-linux-gnu-objdump";

/// LLVM's text for each word: mnemonic, one space, operands (`add x0, x1, x2`), or
/// `<invalid>` for a word it does not decode. Panics with an explanation if `llvm-mc` is
/// missing: a test that cannot check its encodings must not pass.
pub fn disasm(words: &[u32]) -> Vec<String> {
    let input: String = words
        .iter()
        .map(|w| w.to_le_bytes().iter().map(|b| format!("0x{b:02x} ")).collect::<String>() + "\n")
        .collect();
    let mut child = Command::new(LLVM_MC)
        .args(["--disassemble", "--triple=aarch64", "-mattr=+neon,+fp-armv8"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run `{LLVM_MC}` ({e}): install the Debian package `llvm`"));
    child.stdin.take().expect("stdin is piped").write_all(input.as_bytes()).expect("write to llvm-mc");
    let out = child.wait_with_output().expect("llvm-mc runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Rejected words are reported on stderr as `<stdin>:LINE:COL: warning: invalid ...`
    // and left out of stdout.
    let invalid_lines: Vec<usize> = stderr
        .lines()
        .filter(|l| l.contains("invalid instruction encoding"))
        .filter_map(|l| l.strip_prefix("<stdin>:")?.split(':').next()?.parse().ok())
        .collect();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut decoded = stdout.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('.'));
    let lines: Vec<String> = (1..=words.len())
        .map(|line| {
            if invalid_lines.contains(&line) {
                "<invalid>".to_string()
            } else {
                decoded.next().map(normalize).unwrap_or_else(|| "<missing>".into())
            }
        })
        .collect();
    assert!(decoded.next().is_none(), "llvm-mc printed more instructions than words:\n{stdout}\n{stderr}");
    lines
}

/// Indices of the words GNU objdump, a second, independent decoder, reports as undefined.
/// Panics if `aarch64-linux-gnu-objdump` is missing.
pub fn gnu_undefined(words: &[u32]) -> Vec<usize> {
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "a64-words-{}-{}.bin",
        std::process::id(),
        RUN.fetch_add(1, Ordering::Relaxed)
    ));
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    std::fs::write(&path, bytes).expect("write the words");
    let out =
        Command::new(GNU_OBJDUMP).args(["-D", "-b", "binary", "-m", "aarch64"]).arg(&path).output().unwrap_or_else(
            |e| panic!("cannot run `{GNU_OBJDUMP}` ({e}): install the Debian package binutils-aarch64-linux-gnu"),
        );
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success(), "{GNU_OBJDUMP} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("undefined"))
        .filter_map(|l| usize::from_str_radix(l.trim().split(':').next()?, 16).ok())
        .map(|offset| offset / 4)
        .collect()
}

/// One space after the mnemonic, and without LLVM's `// =4096` value comments.
fn normalize(line: &str) -> String {
    let code = line.split("//").next().unwrap_or(line).trim_end();
    code.replacen('\t', " ", 1)
}

/// Runs `emit` on a fresh assembler and returns the finished code.
pub fn assemble(emit: impl FnOnce(&mut Assembler)) -> Assembled {
    let mut asm = Assembler::new();
    emit(&mut asm);
    asm.finish().unwrap_or_else(|e| panic!("assembly failed: {e}"))
}

/// The error `emit` leads to.
pub fn error(emit: impl FnOnce(&mut Assembler)) -> String {
    let mut asm = Assembler::new();
    emit(&mut asm);
    match asm.finish() {
        Ok(out) => panic!("expected an error, got {:?}", disasm(&out.words())),
        Err(e) => e.message,
    }
}

/// A batch of expected disassemblies, checked with one run of the disassembler.
#[derive(Default)]
pub struct Expect {
    words: Vec<u32>,
    expected: Vec<String>,
}

impl Expect {
    pub fn new() -> Expect {
        Expect::default()
    }

    /// `emit` must assemble to exactly the instructions `texts`.
    pub fn seq(&mut self, texts: &[String], emit: impl FnOnce(&mut Assembler)) {
        let words = assemble(emit).words();
        assert_eq!(words.len(), texts.len(), "expected {texts:?}, got {} words", words.len());
        self.words.extend(words);
        self.expected.extend(texts.iter().cloned());
    }

    /// `emit` must assemble to the one instruction `text`.
    pub fn one(&mut self, text: impl Into<String>, emit: impl FnOnce(&mut Assembler)) {
        self.seq(&[text.into()], emit);
    }

    /// Disassembles everything and reports every mismatch (with the word's hex); GNU
    /// objdump must also accept every word.
    pub fn check(self) {
        assert!(!self.words.is_empty(), "nothing to check");
        let rejected: Vec<String> = gnu_undefined(&self.words)
            .into_iter()
            .map(|i| format!("{:#010x} (`{}`)", self.words[i], self.expected[i]))
            .collect();
        assert!(rejected.is_empty(), "GNU objdump finds these undefined: {}", rejected.join(", "));
        let actual = disasm(&self.words);
        let mismatches: Vec<String> = (0..self.words.len())
            .filter(|&i| actual[i] != self.expected[i])
            .map(|i| format!("{:#010x}: expected `{}`, got `{}`", self.words[i], self.expected[i], actual[i]))
            .collect();
        assert!(
            mismatches.is_empty(),
            "{} of {} differ:\n{}",
            mismatches.len(),
            self.words.len(),
            mismatches.join("\n")
        );
    }
}

/// The assembler name of `reg` at `size` (written out independently of the crate).
pub fn r(reg: Gpr, size: Size) -> String {
    let wide = size == Size::S64;
    match reg {
        Gpr::Sp => (if wide { "sp" } else { "wsp" }).into(),
        Gpr::Zr => (if wide { "xzr" } else { "wzr" }).into(),
        _ => format!("{}{}", if wide { 'x' } else { 'w' }, reg.hw()),
    }
}

pub fn x(reg: Gpr) -> String {
    r(reg, Size::S64)
}

pub fn w(reg: Gpr) -> String {
    r(reg, Size::S32)
}

/// `v` with a view letter: `s3`, `d31`, `q0`, `b7`.
pub fn vr(view: char, reg: Vreg) -> String {
    format!("{view}{}", reg.hw())
}

pub const WIDTHS: [Size; 2] = [Size::S32, Size::S64];

/// SIMD&FP register triples, including `v31`.
pub const VTRIPLES: [(Vreg, Vreg, Vreg); 3] =
    [(Vreg::V0, Vreg::V1, Vreg::V2), (Vreg::V31, Vreg::V30, Vreg::V15), (Vreg::V8, Vreg::V16, Vreg::V24)];
