//! Disassembly helpers: encode with the assembler, decode with iced-x86, compare text.

use iced_x86::{Decoder, DecoderOptions, Formatter, IntelFormatter};
use target_x86_64::{Assembled, Assembler, Gpr, Size, Xmm};

/// Intel-syntax text of every instruction in `code`, decoded from offset 0; undecodable bytes
/// show as `(bad)`.
pub fn disasm(code: &[u8]) -> Vec<String> {
    let mut decoder = Decoder::with_ip(64, code, 0, DecoderOptions::NONE);
    let mut formatter = IntelFormatter::new();
    let options = formatter.options_mut();
    options.set_space_after_operand_separator(true);
    options.set_hex_prefix("0x");
    options.set_hex_suffix("");
    options.set_uppercase_hex(false);
    options.set_branch_leading_zeros(false);
    options.set_leading_zeros(false);
    // `cmpps x, y, 2`, not `cmpleps x, y`: show the immediate the assembler was given.
    options.set_use_pseudo_ops(false);
    let mut lines = Vec::new();
    while decoder.can_decode() {
        let inst = decoder.decode();
        let mut text = String::new();
        if inst.is_invalid() {
            text.push_str("(bad)");
        } else {
            formatter.format(&inst, &mut text);
        }
        lines.push(text);
    }
    lines
}

/// Runs `emit` on a fresh assembler and returns the finished code.
pub fn assemble(emit: impl FnOnce(&mut Assembler)) -> Assembled {
    let mut asm = Assembler::new();
    emit(&mut asm);
    match asm.finish() {
        Ok(out) => out,
        Err(e) => panic!("assembly failed: {e}"),
    }
}

/// The disassembly of what `emit` produces.
pub fn lines(emit: impl FnOnce(&mut Assembler)) -> Vec<String> {
    disasm(&assemble(emit).code)
}

/// The disassembly of `emit`, which must produce exactly one instruction.
pub fn one(emit: impl FnOnce(&mut Assembler)) -> String {
    let mut lines = lines(emit);
    assert_eq!(lines.len(), 1, "expected one instruction, got {lines:?}");
    lines.remove(0)
}

/// The error `emit` leads to.
pub fn error(emit: impl FnOnce(&mut Assembler)) -> String {
    let mut asm = Assembler::new();
    emit(&mut asm);
    match asm.finish() {
        Ok(out) => panic!("expected an error, got {:?}", disasm(&out.code)),
        Err(e) => e.message,
    }
}

const NAMES64: [&str; 16] =
    ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"];
const NAMES32: [&str; 16] = [
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d",
    "r15d",
];
const NAMES16: [&str; 16] =
    ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"];
const NAMES8: [&str; 16] =
    ["al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"];

/// The assembler name of `reg` at `size` (written out independently of the crate's tables).
pub fn name(reg: Gpr, size: Size) -> &'static str {
    let table = match size {
        Size::S8 => &NAMES8,
        Size::S16 => &NAMES16,
        Size::S32 => &NAMES32,
        Size::S64 => &NAMES64,
    };
    table[usize::from(reg.hw())]
}

pub fn xname(reg: Xmm) -> String {
    format!("xmm{}", reg.hw())
}

/// A displacement as the formatter prints it inside brackets: nothing for 0, decimal below
/// 10, hex otherwise.
pub fn disp_text(disp: i32) -> String {
    let magnitude = disp.unsigned_abs();
    let sign = if disp < 0 { '-' } else { '+' };
    match magnitude {
        0 => String::new(),
        1..=9 => format!("{sign}{magnitude}"),
        _ => format!("{sign}{magnitude:#x}"),
    }
}
