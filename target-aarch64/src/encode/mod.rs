//! The [`Assembler`]: a word buffer with labels, fix-ups, relocations and a literal pool.
//! Instruction families live in the submodules, each an `impl Assembler` block; every
//! instruction is packed from its bit fields here, with no encoder library in between.

mod alu;
mod bits;
mod control;
mod float;
mod memory;
mod moves;
mod neon;

use std::collections::HashMap;

use crate::error::AsmError;
use crate::inst::{Label, Mem, Size};
use crate::regs::{Gpr, Vreg};
use crate::reloc::{Reloc, RelocKind};

/// A label reference to patch once every label is bound.
#[derive(Copy, Clone, Debug)]
struct Fixup {
    /// Offset of the instruction (or table entry) holding the field.
    at: u32,
    kind: FixupKind,
    target: Label,
}

/// The field a fix-up fills in. Instruction fields hold `target - at`, the distance from the
/// instruction itself.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum FixupKind {
    /// `b`, `bl`: signed word offset in bits 0..26 (±128 MiB).
    Imm26,
    /// `b.cond`, `cbz`, `cbnz`, `ldr` literal: signed word offset in bits 5..24 (±1 MiB).
    Imm19,
    /// `tbz`, `tbnz`: signed word offset in bits 5..19 (±32 KiB).
    Imm14,
    /// `adr`: signed byte offset, low 2 bits in 29..31 and the rest in 5..24 (±1 MiB).
    Adr,
    /// A jump-table entry: the 32-bit signed distance from the table at `table` to the target.
    TableEntry { table: u32 },
}

impl Fixup {
    /// Patches the field into `code`, given the target label's offset.
    fn apply(&self, code: &mut [u8], target: u32) -> Result<(), AsmError> {
        let at = self.at as usize;
        let Some(bytes) = code.get_mut(at..at + 4) else {
            return Err(self.error("fix-up outside the code".into()));
        };
        let word = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        let distance = i64::from(target) - i64::from(self.at);
        let patched = match self.kind {
            FixupKind::Imm26 => word | self.word_offset(distance, 26, "b/bl (±128 MiB)")?,
            FixupKind::Imm19 => word | self.word_offset(distance, 19, "b.cond/cbz/ldr literal (±1 MiB)")? << 5,
            FixupKind::Imm14 => word | self.word_offset(distance, 14, "tbz/tbnz (±32 KiB)")? << 5,
            FixupKind::Adr => {
                let field = signed_field(distance, 21).ok_or_else(|| self.out_of_range("adr (±1 MiB)"))?;
                word | (field & 3) << 29 | (field >> 2) << 5
            }
            FixupKind::TableEntry { table } => {
                let entry = i64::from(target) - i64::from(table);
                i32::try_from(entry).map_err(|_| self.out_of_range("a 32-bit jump table entry"))? as u32
            }
        };
        bytes.copy_from_slice(&patched.to_le_bytes());
        Ok(())
    }

    /// `distance` as a `bits`-bit field counting words.
    fn word_offset(&self, distance: i64, bits: u32, what: &str) -> Result<u32, AsmError> {
        if distance % 4 != 0 {
            return Err(self.error(format!("label {} is not 4-byte aligned", self.target.0)));
        }
        signed_field(distance / 4, bits).ok_or_else(|| self.out_of_range(what))
    }

    fn out_of_range(&self, what: &str) -> AsmError {
        AsmError { out_of_range: true, ..self.error(format!("label {} out of range of {what}", self.target.0)) }
    }

    fn error(&self, message: String) -> AsmError {
        AsmError { offset: self.at, message, out_of_range: false }
    }
}

/// `value` as a two's-complement field of `bits` bits, if it fits.
fn signed_field(value: i64, bits: u32) -> Option<u32> {
    let limit = 1i64 << (bits - 1);
    (-limit..limit).contains(&value).then(|| (value as u32) & ((1u32 << bits) - 1))
}

/// A literal of the pool, keyed by width and bits so equal constants share one slot.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
enum Constant {
    B4(u32),
    B8(u64),
    B16(u128),
}

/// Code produced by [`Assembler::finish`].
#[derive(Clone, Debug)]
pub struct Assembled {
    /// The function's bytes (little-endian instruction words), literal pool included. Place
    /// it at a 16-byte aligned address: the pool's 16-byte literals are aligned relative to
    /// the start of the code.
    pub code: Vec<u8>,
    pub relocs: Vec<Reloc>,
    /// Where the literal pool, with the padding that aligns it, starts (`code.len()` without
    /// one): instructions and jump tables come before it.
    pub pool_start: u32,
    label_offsets: Vec<Option<u32>>,
}

impl Assembled {
    /// Offset of a bound label; `None` for a label that was never bound.
    pub fn label_offset(&self, label: Label) -> Option<u32> {
        self.label_offsets.get(label.0 as usize).copied().flatten()
    }

    /// The code as instruction words (the last partial word, impossible by construction, is
    /// dropped).
    pub fn words(&self) -> Vec<u32> {
        self.code.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect()
    }
}

/// Emits AArch64 machine code. See the crate documentation for an overview.
///
/// Instruction methods return nothing: an operand combination that cannot be encoded is
/// remembered, emission goes on, and [`finish`](Assembler::finish) reports the first error.
pub struct Assembler {
    code: Vec<u8>,
    labels: Vec<Option<u32>>,
    fixups: Vec<Fixup>,
    relocs: Vec<Reloc>,
    constants: HashMap<Constant, Label>,
    /// Pool entries in first-use order, so the layout is deterministic.
    constant_order: Vec<(Constant, Label)>,
    /// The pool constant of each literal label, for inline literals in long-range mode.
    constant_at: HashMap<u32, Constant>,
    /// See [`set_long_range`](Assembler::set_long_range).
    long_range: bool,
    error: Option<AsmError>,
}

impl Default for Assembler {
    fn default() -> Self {
        Self::new()
    }
}

impl Assembler {
    pub fn new() -> Assembler {
        Assembler {
            code: Vec::new(),
            labels: Vec::new(),
            fixups: Vec::new(),
            relocs: Vec::new(),
            constants: HashMap::new(),
            constant_order: Vec::new(),
            constant_at: HashMap::new(),
            long_range: false,
            error: None,
        }
    }

    /// Long-range mode, for functions whose code may exceed ±1 MiB: conditional branches
    /// become an inverted short branch over a `b` (±128 MiB), and literals are placed inline
    /// next to their load instead of in the pool after the code. Code emitted this way is a
    /// little larger and slower, so emit in the normal mode first and switch only when
    /// [`finish`](Assembler::finish) reports [`AsmError::out_of_range`].
    pub fn set_long_range(&mut self, on: bool) {
        self.long_range = on;
    }

    /// Whether [long-range mode](Assembler::set_long_range) is on.
    pub fn long_range(&self) -> bool {
        self.long_range
    }

    /// Current code offset: where the next instruction starts. Record it before emitting a
    /// load or store to know where it would fault.
    pub fn offset(&self) -> u32 {
        u32::try_from(self.code.len()).unwrap_or(u32::MAX)
    }

    /// A new, unbound label.
    pub fn new_label(&mut self) -> Label {
        let label = Label(u32::try_from(self.labels.len()).unwrap_or(u32::MAX));
        self.labels.push(None);
        label
    }

    /// Binds `label` to the current offset. Binding a label twice is an error.
    pub fn bind_label(&mut self, label: Label) {
        let offset = self.offset();
        match self.labels.get_mut(label.0 as usize) {
            Some(slot @ None) => *slot = Some(offset),
            Some(Some(_)) => self.fail(format!("label {} bound twice", label.0)),
            None => self.fail(format!("label {} does not belong to this assembler", label.0)),
        }
    }

    /// Offset of `label` if it is already bound.
    pub fn label_offset(&self, label: Label) -> Option<u32> {
        self.labels.get(label.0 as usize).copied().flatten()
    }

    /// The first error met so far, if any.
    pub fn error(&self) -> Option<&AsmError> {
        self.error.as_ref()
    }

    /// A 4-byte literal in the pool (an `f32` by its bits), as a pc-relative operand for
    /// [`load`](Assembler::load) or [`load_fp`](Assembler::load_fp).
    pub fn const_u32(&mut self, bits: u32) -> Mem {
        self.constant(Constant::B4(bits))
    }

    /// An 8-byte literal in the pool (an `f64` by its bits).
    pub fn const_u64(&mut self, bits: u64) -> Mem {
        self.constant(Constant::B8(bits))
    }

    /// A 16-byte literal in the pool (a `v128`), 16-byte aligned.
    pub fn const_u128(&mut self, bits: u128) -> Mem {
        self.constant(Constant::B16(bits))
    }

    fn constant(&mut self, value: Constant) -> Mem {
        if let Some(&label) = self.constants.get(&value) {
            return Mem::Label(label);
        }
        let label = self.new_label();
        self.constants.insert(value, label);
        self.constant_order.push((value, label));
        self.constant_at.insert(label.0, value);
        Mem::Label(label)
    }

    /// Appends the literal pool, patches every fix-up and returns the code, or the first
    /// error met (an out-of-range branch included: nothing is silently truncated).
    pub fn finish(mut self) -> Result<Assembled, AsmError> {
        let pool_start = self.emit_literal_pool();
        if let Some(error) = self.error {
            return Err(error);
        }
        if i32::try_from(self.code.len()).is_err() {
            return Err(AsmError { offset: self.offset(), message: "code larger than 2 GiB".into(), out_of_range: false });
        }
        let mut code = self.code;
        for fixup in &self.fixups {
            let Some(target) = self.labels.get(fixup.target.0 as usize).copied().flatten() else {
                return Err(AsmError {
                    offset: fixup.at,
                    message: format!("label {} referenced but never bound", fixup.target.0),
                    out_of_range: false,
                });
            };
            fixup.apply(&mut code, target)?;
        }
        Ok(Assembled { code, relocs: self.relocs, pool_start, label_offsets: self.labels })
    }

    /// Lays the pool out after the code, widest first so every entry is naturally aligned,
    /// and returns where it starts.
    fn emit_literal_pool(&mut self) -> u32 {
        let code_end = self.offset();
        // Long-range mode placed every literal inline.
        if self.constant_order.is_empty() || self.long_range {
            return code_end;
        }
        // `udf #0` words: falling into the pool traps instead of running data.
        self.pad_to(16);
        let mut entries = std::mem::take(&mut self.constant_order);
        entries.sort_by_key(|(value, _)| match value {
            Constant::B16(_) => 0,
            Constant::B8(_) => 1,
            Constant::B4(_) => 2,
        });
        for (value, label) in entries {
            self.bind_label(label);
            match value {
                Constant::B4(bits) => self.code.extend_from_slice(&bits.to_le_bytes()),
                Constant::B8(bits) => self.code.extend_from_slice(&bits.to_le_bytes()),
                Constant::B16(bits) => self.code.extend_from_slice(&bits.to_le_bytes()),
            }
        }
        code_end
    }

    // ---- Emission primitives used by the instruction modules ----

    /// Remembers the first error; later ones are usually consequences of it.
    fn fail(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(AsmError { offset: self.offset(), message, out_of_range: false });
        }
    }

    /// Appends one instruction word.
    fn emit(&mut self, word: u32) {
        self.code.extend_from_slice(&word.to_le_bytes());
    }

    /// Pads with `udf #0` words up to a multiple of `align` bytes (a power of two, at least 4).
    fn pad_to(&mut self, align: usize) {
        while !self.code.len().is_multiple_of(align) {
            self.emit(0);
        }
    }

    /// Emits `word`, whose label field `kind` will point at `target`.
    fn emit_with_label(&mut self, word: u32, kind: FixupKind, target: Label) {
        if target.0 as usize >= self.labels.len() {
            self.fail(format!("label {} does not belong to this assembler", target.0));
        }
        self.fixups.push(Fixup { at: self.offset(), kind, target });
        self.emit(word);
    }

    /// Emits a pc-relative literal load `word` (its offset field zero) of the pool constant
    /// `label`; in long-range mode the literal goes right after it, jumped over.
    fn emit_literal_load(&mut self, word: u32, label: Label) {
        let inline = if self.long_range { self.constant_at.get(&label.0).copied() } else { None };
        let Some(value) = inline else {
            return self.emit_with_label(word, FixupKind::Imm19, label);
        };
        let bytes: Vec<u8> = match value {
            Constant::B4(bits) => bits.to_le_bytes().to_vec(),
            Constant::B8(bits) => bits.to_le_bytes().to_vec(),
            Constant::B16(bits) => bits.to_le_bytes().to_vec(),
        };
        // `ldr rt, 1f; b 2f; 1: .data; 2:` with the data naturally aligned (up to 8 bytes).
        while !(self.code.len() + 8).is_multiple_of(bytes.len().min(8)) {
            self.nop();
        }
        self.emit(word | 2 << 5);
        self.emit(0x1400_0000 | (1 + bytes.len() as u32 / 4));
        self.code.extend_from_slice(&bytes);
    }

    /// Emits the conditional branch `word` (its offset field zero) to `target`; in long-range
    /// mode as `inverted 1f; b target; 1:`, where `inverted` is `word` with bit 24 flipped
    /// (`cbz`↔`cbnz`, `tbz`↔`tbnz`) or, for `b.cond`, its condition inverted.
    fn emit_cond_branch(&mut self, word: u32, kind: FixupKind, target: Label) {
        if !self.long_range {
            return self.emit_with_label(word, kind, target);
        }
        let is_b_cond = word & 0xff00_0010 == 0x5400_0000;
        if is_b_cond && word & 0xe == 0xe {
            // `al`/`nv`: always taken.
            return self.b(target);
        }
        let inverted = if is_b_cond { word ^ 1 } else { word ^ 1 << 24 };
        // Both offset fields (imm19, imm14) start at bit 5: skip two words.
        self.emit(inverted | 2 << 5);
        self.b(target);
    }

    /// Emits `word` with a relocation against `symbol` at it.
    fn emit_with_reloc(&mut self, word: u32, kind: RelocKind, symbol: u32, addend: i64) {
        self.relocs.push(Reloc { offset: self.offset(), kind, symbol, addend });
        self.emit(word);
    }

    /// The `sf` bit (bit 31) of a 32/64-bit integer operation: 0 or 1. Other sizes are an
    /// error naming the instruction.
    fn sf(&mut self, size: Size, what: &str) -> u32 {
        match size {
            Size::S32 => 0,
            Size::S64 => 1,
            Size::S8 | Size::S16 => {
                self.fail(format!("{what}: only 32- and 64-bit operands are supported, not {size:?}"));
                0
            }
        }
    }

    /// A register field where number 31 means the zero register.
    fn zr(&mut self, reg: Gpr, what: &str) -> u32 {
        if reg == Gpr::Sp {
            self.fail(format!("{what}: sp is not allowed in this operand (31 would mean the zero register)"));
        }
        u32::from(reg.hw())
    }

    /// A register field where number 31 means the stack pointer.
    fn sp(&mut self, reg: Gpr, what: &str) -> u32 {
        if reg == Gpr::Zr {
            self.fail(format!("{what}: the zero register is not allowed in this operand (31 would mean sp)"));
        }
        u32::from(reg.hw())
    }
}

/// A SIMD&FP register field.
fn v(reg: Vreg) -> u32 {
    u32::from(reg.hw())
}
