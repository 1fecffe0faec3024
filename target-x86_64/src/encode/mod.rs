//! The [`Assembler`]: a byte buffer with labels, fix-ups, relocations and a constant pool.
//! Instruction families live in the submodules, each an `impl Assembler` block.

mod alu;
mod control;
mod direct;
#[cfg(test)]
mod direct_tests;
mod iced_map;
mod moves;
mod packed;
mod sse;

use std::collections::HashMap;

use iced_x86::{Code, Encoder, IcedError, Instruction, MemoryOperand, Register};

use crate::error::AsmError;
use crate::inst::{Base, Label, Mem, Size};
use crate::reloc::{Reloc, RelocKind};

/// Whether an integer operation is 32-bit (`false`) or 64-bit (`true`): most integer forms
/// come in exactly these two widths.
type Wide = bool;

/// A field to patch once every label is bound: it receives `offset(target) + addend - base`.
#[derive(Copy, Clone, Debug)]
struct Fixup {
    /// Where the little-endian value goes.
    at: u32,
    width: FieldWidth,
    /// What the value is relative to: the end of the instruction for branches and RIP-relative
    /// operands, the start of the table for jump-table entries.
    base: u32,
    target: Label,
    addend: i32,
}

/// Width of a fix-up's field: rel8 only for branches the caller asked to be short.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum FieldWidth {
    Rel8,
    Rel32,
}

impl Fixup {
    /// Writes the field into `code`, given the target label's offset.
    fn apply(&self, code: &mut [u8], target: u32) -> Result<(), AsmError> {
        // All three terms are below 2^31 and the addend is an i32, so this cannot overflow an
        // i64; the result may still not fit the field (a huge addend, a far "short" branch).
        let value = i64::from(target) + i64::from(self.addend) - i64::from(self.base);
        let out_of_range =
            |what: &str| AsmError { offset: self.at, message: format!("label {} out of {what} range", self.target.0) };
        let at = self.at as usize;
        match self.width {
            FieldWidth::Rel8 => {
                let value = i8::try_from(value).map_err(|_| out_of_range("short branch (rel8)"))?;
                code[at] = value as u8;
            }
            FieldWidth::Rel32 => {
                let value = i32::try_from(value).map_err(|_| out_of_range("32-bit"))?;
                code[at..at + 4].copy_from_slice(&value.to_le_bytes());
            }
        }
        Ok(())
    }
}

/// A label referenced by a RIP-relative memory operand of the instruction being emitted.
#[derive(Copy, Clone, Debug)]
struct RipRef {
    label: Label,
    disp: i32,
}

/// A constant of the pool, keyed by width and bits so equal constants share one slot.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
enum Constant {
    B4(u32),
    B8(u64),
    B16(u128),
}

/// Code produced by [`Assembler::finish`].
#[derive(Clone, Debug)]
pub struct Assembled {
    /// The function's bytes, constant pool included. Place it at a 16-byte aligned address:
    /// the pool's 16-byte constants are aligned relative to the start of the code.
    pub code: Vec<u8>,
    pub relocs: Vec<Reloc>,
    /// Where the constant pool, with the padding that aligns it, starts (`code.len()` without
    /// one): instructions and jump tables come before it.
    pub pool_start: u32,
    label_offsets: Vec<Option<u32>>,
}

impl Assembled {
    /// Offset of a bound label; `None` for a label that was never bound.
    pub fn label_offset(&self, label: Label) -> Option<u32> {
        self.label_offsets.get(label.0 as usize).copied().flatten()
    }

    /// A listing of the instructions (the constant pool left out), see
    /// [`disassemble`](crate::disassemble).
    pub fn disassemble(&self) -> String {
        crate::disassemble(self.code.get(..self.pool_start as usize).unwrap_or(&self.code))
    }
}

/// Emits x86-64 machine code. See the crate documentation for an overview.
///
/// Instruction methods return nothing: an operand combination that cannot be encoded is
/// remembered, emission goes on, and [`finish`](Assembler::finish) reports the first error.
pub struct Assembler {
    encoder: Encoder,
    /// Bytes emitted so far (they live in the encoder's buffer).
    len: usize,
    labels: Vec<Option<u32>>,
    fixups: Vec<Fixup>,
    relocs: Vec<Reloc>,
    constants: HashMap<Constant, Label>,
    /// Pool entries in first-use order, so the layout is deterministic.
    constant_order: Vec<(Constant, Label)>,
    error: Option<AsmError>,
    /// Tests only: encode everything through iced, as the reference for the direct encodings.
    #[cfg(test)]
    iced_only: bool,
}

impl Default for Assembler {
    fn default() -> Self {
        Self::new()
    }
}

impl Assembler {
    pub fn new() -> Assembler {
        Assembler {
            encoder: Encoder::new(64),
            len: 0,
            labels: Vec::new(),
            fixups: Vec::new(),
            relocs: Vec::new(),
            constants: HashMap::new(),
            constant_order: Vec::new(),
            error: None,
            #[cfg(test)]
            iced_only: false,
        }
    }

    /// Current code offset: where the next instruction starts. Record it before emitting a
    /// load or store to know where it would fault.
    pub fn offset(&self) -> u32 {
        u32::try_from(self.len).unwrap_or(u32::MAX)
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

    /// A 4-byte constant in the pool (an `f32` by its bits), as a RIP-relative operand.
    pub fn const_u32(&mut self, bits: u32) -> Mem {
        self.constant(Constant::B4(bits))
    }

    /// An 8-byte constant in the pool (an `f64` by its bits), as a RIP-relative operand.
    pub fn const_u64(&mut self, bits: u64) -> Mem {
        self.constant(Constant::B8(bits))
    }

    /// A 16-byte, 16-byte aligned constant in the pool (a mask for `andps`, a `v128`).
    pub fn const_u128(&mut self, bits: u128) -> Mem {
        self.constant(Constant::B16(bits))
    }

    fn constant(&mut self, value: Constant) -> Mem {
        if let Some(&label) = self.constants.get(&value) {
            return Mem::label(label);
        }
        let label = self.new_label();
        self.constants.insert(value, label);
        self.constant_order.push((value, label));
        Mem::label(label)
    }

    /// Appends the constant pool, patches every fix-up and returns the code, or the first
    /// error met.
    pub fn finish(mut self) -> Result<Assembled, AsmError> {
        let pool_start = self.emit_constant_pool();
        if let Some(error) = self.error {
            return Err(error);
        }
        // Label fields are at most 32-bit displacements, so the code must stay within ±2 GiB.
        if i32::try_from(self.len).is_err() {
            return Err(AsmError { offset: self.offset(), message: "code larger than 2 GiB".into() });
        }
        let mut code = self.encoder.take_buffer();
        for fixup in &self.fixups {
            let Some(target) = self.labels.get(fixup.target.0 as usize).copied().flatten() else {
                return Err(AsmError {
                    offset: fixup.at,
                    message: format!("label {} referenced but never bound", fixup.target.0),
                });
            };
            fixup.apply(&mut code, target)?;
        }
        Ok(Assembled { code, relocs: self.relocs, pool_start, label_offsets: self.labels })
    }

    /// Lays the pool out after the code, widest first so every entry is naturally aligned,
    /// and returns where it starts.
    fn emit_constant_pool(&mut self) -> u32 {
        let code_end = self.offset();
        if self.constant_order.is_empty() {
            return code_end;
        }
        self.pad_to(16, 0xcc);
        let mut entries = std::mem::take(&mut self.constant_order);
        entries.sort_by_key(|(value, _)| match value {
            Constant::B16(_) => 0,
            Constant::B8(_) => 1,
            Constant::B4(_) => 2,
        });
        for (value, label) in entries {
            self.bind_label(label);
            match value {
                Constant::B4(bits) => self.emit_bytes(&bits.to_le_bytes()),
                Constant::B8(bits) => self.emit_bytes(&bits.to_le_bytes()),
                Constant::B16(bits) => self.emit_bytes(&bits.to_le_bytes()),
            }
        }
        code_end
    }

    // ---- Emission primitives used by the instruction modules ----

    /// Remembers the first error; later ones are usually consequences of it.
    fn fail(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(AsmError { offset: self.offset(), message });
        }
    }

    fn emit_bytes(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.encoder.write_u8(byte);
        }
        self.len += bytes.len();
    }

    /// Pads with `fill` bytes up to a multiple of `align` (a power of two).
    fn pad_to(&mut self, align: usize, fill: u8) {
        while !self.len.is_multiple_of(align) {
            self.emit_bytes(&[fill]);
        }
    }

    /// Emits a field that will hold `offset(target) + addend - base`.
    fn emit_label_field(&mut self, width: FieldWidth, base: u32, target: Label, addend: i32) {
        self.add_fixup(Fixup { at: self.offset(), width, base, target, addend });
        match width {
            FieldWidth::Rel8 => self.emit_bytes(&[0]),
            FieldWidth::Rel32 => self.emit_bytes(&[0; 4]),
        }
    }

    /// Records a fix-up, reporting a label made by another assembler right away (rather than
    /// as "never bound" at the end).
    fn add_fixup(&mut self, fixup: Fixup) {
        if fixup.target.0 as usize >= self.labels.len() {
            self.fail(format!("label {} does not belong to this assembler", fixup.target.0));
        }
        self.fixups.push(fixup);
    }

    /// Records a relocation for a 4-byte field at the current offset and emits the field.
    /// `field_to_end` is how many bytes the instruction continues after the field's start.
    fn emit_reloc32(&mut self, kind: RelocKind, symbol: u32, field_to_end: i64) {
        self.relocs.push(Reloc { offset: self.offset(), kind, symbol, addend: -field_to_end });
        self.emit_bytes(&[0; 4]);
    }

    /// Converts a memory operand; a label base becomes a RIP-relative operand whose field is
    /// patched after encoding through the returned [`RipRef`].
    fn mem_operand(&self, mem: Mem) -> Result<(MemoryOperand, Option<RipRef>), String> {
        match mem.base {
            Base::Reg(base) => Ok((iced_map::reg_mem(base, mem.index, mem.disp), None)),
            Base::None => match mem.index {
                Some((index, scale)) => Ok((iced_map::index_mem(index, scale, mem.disp), None)),
                None => Err("an address without a base needs an index register".into()),
            },
            Base::Label(label) => {
                if mem.index.is_some() {
                    return Err("a RIP-relative address cannot have an index register".into());
                }
                // Aim at the instruction's own start: any in-range target will do, the field
                // is overwritten by the fix-up.
                let placeholder = iced_map::rip_mem(self.len as u64);
                Ok((placeholder, Some(RipRef { label, disp: mem.disp })))
            }
        }
    }

    /// Encodes one instruction built by iced; `rip_ref` is the label its RIP-relative memory
    /// operand refers to, if it has one.
    fn emit_inst(&mut self, inst: Result<Instruction, IcedError>, rip_ref: Option<RipRef>) {
        let start = self.offset();
        let inst = match inst {
            Ok(inst) => inst,
            Err(e) => return self.fail(e.to_string()),
        };
        match self.encoder.encode(&inst, self.len as u64) {
            Ok(size) => self.len += size,
            Err(e) => return self.fail(format!("cannot encode `{:?}`: {}", inst.code(), e)),
        }
        if let Some(RipRef { label, disp }) = rip_ref {
            let offsets = self.encoder.get_constant_offsets();
            // Saturating: offsets beyond 2 GiB are rejected by `finish` before any patching.
            let at = start.saturating_add(offsets.displacement_offset() as u32);
            self.add_fixup(Fixup { at, width: FieldWidth::Rel32, base: self.offset(), target: label, addend: disp });
        }
    }

    /// `size` as a 32/64-bit choice; other sizes are an error naming the instruction.
    fn wide(&mut self, size: Size, what: &str) -> Option<Wide> {
        match size {
            Size::S32 => Some(false),
            Size::S64 => Some(true),
            Size::S8 | Size::S16 => {
                self.fail(format!("{what}: only 32- and 64-bit operands are supported, not {size:?}"));
                None
            }
        }
    }

    /// Encodes a register-register instruction.
    fn emit_rr(&mut self, code: Code, dst: Register, src: Register) {
        self.emit_inst(Instruction::with2(code, dst, src), None);
    }

    /// Encodes an instruction whose operands are built from a converted memory operand.
    fn emit_with_mem(&mut self, mem: Mem, build: impl FnOnce(MemoryOperand) -> Result<Instruction, IcedError>) {
        match self.mem_operand(mem) {
            Ok((operand, rip_ref)) => self.emit_inst(build(operand), rip_ref),
            Err(message) => self.fail(message),
        }
    }
}
