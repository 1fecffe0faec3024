//! Loads and stores of general and SIMD&FP registers in every addressing form, literal loads
//! from the pool, and register pairs.

use super::{v, Assembler};
use crate::inst::{Extend, Mem, Size, VSize};
use crate::regs::{Gpr, Vreg};

/// One load/store instruction class: the `size`, `V` and `opc` fields, which the addressing
/// forms share, plus what they need to know about the access.
#[derive(Copy, Clone, Debug)]
struct Access {
    /// `size<<30 | V<<26 | opc<<22` with the class bits `111 at 27..30`.
    bits: u32,
    /// log2 of the bytes transferred: the scale of the unsigned offset and of an index.
    log2: u32,
    /// The literal (`ldr rt, label`) opcode, for the loads that have one.
    literal: Option<u32>,
    /// Integer loads and stores, whose writeback forms must not use the base as the transfer
    /// register.
    general: bool,
}

impl Access {
    fn new(size_field: u32, simd: bool, opc: u32, log2: u32, literal: Option<u32>) -> Access {
        let bits = size_field << 30 | 0b111 << 27 | u32::from(simd) << 26 | opc << 22;
        Access { bits, log2, literal, general: !simd }
    }

    fn gpr(size: Size, opc: u32, literal: Option<u32>) -> Access {
        Access::new(size.log2(), false, opc, size.log2(), literal)
    }

    /// An `s`/`d`/`q` access; `load` picks the opc bit (and the literal form).
    fn simd(size: VSize, load: bool) -> Access {
        let l = u32::from(load);
        match size {
            VSize::S => Access::new(0b10, true, l, 2, load.then_some(0x1c00_0000)),
            VSize::D => Access::new(0b11, true, l, 3, load.then_some(0x5c00_0000)),
            VSize::Q => Access::new(0b00, true, 0b10 | l, 4, load.then_some(0x9c00_0000)),
        }
    }
}

impl Assembler {
    /// `ldr`/`ldrh`/`ldrb dst, mem`: loads `size` bytes zero-extended to 64 bits (the `w`
    /// view for 8..32 bits). A [`Mem::Label`] works for `S32` and `S64`.
    pub fn load(&mut self, size: Size, dst: Gpr, mem: Mem) {
        let literal = match size {
            Size::S32 => Some(0x1800_0000),
            Size::S64 => Some(0x5800_0000),
            _ => None,
        };
        let rt = self.zr(dst, "load");
        self.access(Access::gpr(size, 0b01, literal), rt, mem, "load");
    }

    /// `ldrsb`/`ldrsh`/`ldrsw dst, mem`: loads `from` bytes sign-extended to `to` (`S32` or
    /// `S64`; `ldrsw` only to `S64`). A [`Mem::Label`] works for `S32` to `S64`.
    pub fn load_sx(&mut self, from: Size, to: Size, dst: Gpr, mem: Mem) {
        let what = "sign-extending load";
        let opc = match (from, to) {
            (Size::S8 | Size::S16, Size::S32) => 0b11,
            (Size::S8 | Size::S16 | Size::S32, Size::S64) => 0b10,
            _ => return self.fail(format!("{what}: cannot extend {from:?} to {to:?}")),
        };
        let literal = (from == Size::S32).then_some(0x9800_0000);
        let rt = self.zr(dst, what);
        self.access(Access::gpr(from, opc, literal), rt, mem, what);
    }

    /// `str`/`strh`/`strb src, mem`: stores the low `size` bytes of `src` (`Zr` stores zeros).
    pub fn store(&mut self, size: Size, mem: Mem, src: Gpr) {
        let rt = self.zr(src, "store");
        self.access(Access::gpr(size, 0b00, None), rt, mem, "store");
    }

    /// `ldr s/d/q dst, mem`; a [`Mem::Label`] loads a literal from the pool.
    pub fn load_fp(&mut self, size: VSize, dst: Vreg, mem: Mem) {
        self.access(Access::simd(size, true), v(dst), mem, "SIMD&FP load");
    }

    /// `str s/d/q src, mem`.
    pub fn store_fp(&mut self, size: VSize, mem: Mem, src: Vreg) {
        self.access(Access::simd(size, false), v(src), mem, "SIMD&FP store");
    }

    /// Encodes `access` of transfer register `rt` at `mem`.
    fn access(&mut self, access: Access, rt: u32, mem: Mem, what: &str) {
        let bytes = 1i64 << access.log2;
        match mem {
            Mem::Offset { base, offset } => {
                let rn = self.sp(base, what);
                let offset = i64::from(offset);
                let scaled = offset / bytes;
                if offset >= 0 && offset % bytes == 0 && scaled < 4096 {
                    self.emit(access.bits | 1 << 24 | (scaled as u32) << 10 | rn << 5 | rt);
                } else if let Some(imm9) = simm9(offset) {
                    self.emit(access.bits | imm9 << 12 | rn << 5 | rt);
                } else {
                    let max = 4095 * bytes;
                    self.fail(format!(
                        "{what}: offset {offset} is neither a multiple of {bytes} in 0..={max} nor in -256..=255"
                    ));
                }
            }
            Mem::PreIndex { base, offset } | Mem::PostIndex { base, offset } => {
                let rn = self.sp(base, what);
                if access.general && rn == rt && rn != 31 {
                    return self.fail(format!("{what}: writeback to the base register, which is also transferred"));
                }
                let Some(imm9) = simm9(i64::from(offset)) else {
                    return self.fail(format!("{what}: writeback offset {offset} is not in -256..=255"));
                };
                let mode = if matches!(mem, Mem::PreIndex { .. }) { 0b11 } else { 0b01 };
                self.emit(access.bits | imm9 << 12 | mode << 10 | rn << 5 | rt);
            }
            Mem::Indexed { base, index, extend, scaled } => {
                let rn = self.sp(base, what);
                let rm = self.zr(index, what);
                if !matches!(extend, Extend::Uxtw | Extend::Uxtx | Extend::Sxtw | Extend::Sxtx) {
                    return self.fail(format!("{what}: an index cannot be extended with {extend:?}"));
                }
                let s = u32::from(scaled);
                self.emit(
                    access.bits | 1 << 21 | rm << 16 | (extend as u32) << 13 | s << 12 | 0b10 << 10 | rn << 5 | rt,
                );
            }
            Mem::Label(label) => match access.literal {
                Some(opcode) => self.emit_literal_load(opcode | rt, label),
                None => self.fail(format!("{what}: this access has no pc-relative (literal) form")),
            },
        }
    }

    /// `ldp a, b, mem`: two registers of `size` (`S32` or `S64`) from consecutive slots.
    /// `mem` is an offset, pre-index or post-index address; the offset is a multiple of the
    /// size within 64 slots either way.
    pub fn load_pair(&mut self, size: Size, a: Gpr, b: Gpr, mem: Mem) {
        self.gpr_pair(true, size, a, b, mem);
    }

    /// `stp a, b, mem` (e.g. `stp x29, x30, [sp, #-16]!` in a prologue).
    pub fn store_pair(&mut self, size: Size, mem: Mem, a: Gpr, b: Gpr) {
        self.gpr_pair(false, size, a, b, mem);
    }

    /// `ldp s/d/q a, b, mem`.
    pub fn load_pair_fp(&mut self, size: VSize, a: Vreg, b: Vreg, mem: Mem) {
        self.pair(Self::simd_pair_opc(size), true, true, size.bytes(), v(a), v(b), mem);
    }

    /// `stp s/d/q a, b, mem` (e.g. saving `d8`..`d15`).
    pub fn store_pair_fp(&mut self, size: VSize, mem: Mem, a: Vreg, b: Vreg) {
        self.pair(Self::simd_pair_opc(size), true, false, size.bytes(), v(a), v(b), mem);
    }

    fn simd_pair_opc(size: VSize) -> u32 {
        match size {
            VSize::S => 0b00,
            VSize::D => 0b01,
            VSize::Q => 0b10,
        }
    }

    fn gpr_pair(&mut self, load: bool, size: Size, a: Gpr, b: Gpr, mem: Mem) {
        let what = if load { "ldp" } else { "stp" };
        let sf = self.sf(size, what);
        let (rt, rt2) = (self.zr(a, what), self.zr(b, what));
        if load && rt == rt2 {
            return self.fail(format!("{what}: both registers are the same"));
        }
        self.pair(sf << 1, false, load, size.bytes(), rt, rt2, mem);
    }

    #[allow(clippy::too_many_arguments)]
    fn pair(&mut self, opc: u32, simd: bool, load: bool, bytes: u32, rt: u32, rt2: u32, mem: Mem) {
        let what = if load { "ldp" } else { "stp" };
        let (base, offset, mode) = match mem {
            Mem::Offset { base, offset } => (base, offset, 0b010),
            Mem::PostIndex { base, offset } => (base, offset, 0b001),
            Mem::PreIndex { base, offset } => (base, offset, 0b011),
            _ => return self.fail(format!("{what}: only offset, pre-index and post-index addresses")),
        };
        let rn = self.sp(base, what);
        if !simd && mode != 0b010 && rn != 31 && (rn == rt || rn == rt2) {
            return self.fail(format!("{what}: writeback to the base register, which is also transferred"));
        }
        let bytes = i64::from(bytes);
        let offset = i64::from(offset);
        if offset % bytes != 0 || !(-64..64).contains(&(offset / bytes)) {
            return self.fail(format!("{what}: offset {offset} is not a multiple of {bytes} within 64 slots"));
        }
        let imm7 = ((offset / bytes) as u32) & 0x7f;
        let l = u32::from(load);
        let s = u32::from(simd);
        self.emit(opc << 30 | 0b101 << 27 | s << 26 | mode << 23 | l << 22 | imm7 << 15 | rt2 << 10 | rn << 5 | rt);
    }
}

/// A signed 9-bit offset field, if `offset` fits.
fn simm9(offset: i64) -> Option<u32> {
    (-256..256).contains(&offset).then_some((offset as u32) & 0x1ff)
}
