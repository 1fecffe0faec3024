//! Hand-written encodings of the most frequent integer instruction forms.
//!
//! iced's general `Encoder` spends some 350 host instructions on each instruction (operand
//! checks, table look-ups, per-form handlers), which made encoding ~4% of compile time. Register
//! moves, ALU operations, immediates, shifts, loads, stores and `lea` with a register base make
//! up most of the code the compiler emits, and their encoding is simple: optional 0x66, REX,
//! opcode, ModRM, SIB, displacement, immediate. Each `direct_*` method below writes exactly the
//! bytes iced would write for the same instruction and returns `true`, or returns `false`
//! without emitting anything for an operand combination it leaves to iced: RIP-relative
//! (label) and base-less addresses, `rsp` as an index, sizes an instruction does not support.
//! iced then encodes the instruction or reports the error, as before. The tests in
//! `direct_tests.rs` compare both paths byte for byte.

use super::Assembler;
use crate::inst::{AluOp, Base, Mem, ShiftOp, Size};
use crate::regs::Gpr;

/// REX prefix bits: 64-bit operand size, and the fourth bit of ModRM.reg, SIB.index and
/// ModRM.rm/SIB.base.
const REX_W: u8 = 0x08;
const REX_R: u8 = 0x04;
const REX_X: u8 = 0x02;
const REX_B: u8 = 0x01;
/// A REX prefix with no bit set: what makes byte registers 4..=7 `spl`..`dil` rather than
/// `ah`..`bh`.
const REX_EMPTY: u8 = 0x40;

/// `bit` if register number `hw` needs the REX extension bit (r8..r15), else 0.
fn rex_bit(hw: u8, bit: u8) -> u8 {
    if hw >= 8 {
        bit
    } else {
        0
    }
}

/// Operand-size prefixes of an instruction: 0x66 for 16 bits, the REX bits it needs whatever
/// its operands (`REX_W`, `REX_EMPTY`).
#[derive(Copy, Clone)]
struct Prefixes {
    p66: bool,
    rex: u8,
}

impl Prefixes {
    /// The prefixes of an operation on `size`-byte operands.
    fn sized(size: Size) -> Prefixes {
        match size {
            Size::S8 | Size::S32 => Prefixes { p66: false, rex: 0 },
            Size::S16 => Prefixes { p66: true, rex: 0 },
            Size::S64 => Prefixes { p66: false, rex: REX_W },
        }
    }

    /// The prefixes of an operation on 32- or 64-bit operands; `None` for other sizes, which
    /// the ALU-style instructions do not support (iced reports the error).
    fn wide(size: Size) -> Option<Prefixes> {
        match size {
            Size::S32 | Size::S64 => Some(Prefixes::sized(size)),
            Size::S8 | Size::S16 => None,
        }
    }

    /// Adds the empty REX prefix an 8-bit operation on `reg` needs when it is `spl`..`dil`.
    fn with_byte_reg(self, size: Size, reg: Gpr) -> Prefixes {
        match size {
            Size::S8 if (4..8).contains(&reg.hw()) => Prefixes { rex: self.rex | REX_EMPTY, ..self },
            _ => self,
        }
    }
}

/// The r/m operand of a ModRM instruction.
#[derive(Copy, Clone)]
enum Rm {
    Reg(Gpr),
    /// `[base + index * scale + disp]`; `index` is never `rsp` and `scale` is the SIB field
    /// (log2 of the factor).
    Mem { base: Gpr, index: Option<(Gpr, u8)>, disp: i32 },
}

impl Rm {
    /// `mem` as an r/m operand, or `None` for the addresses left to iced: a label (RIP-relative,
    /// with a fix-up), no base, or `rsp` as an index (an error iced reports).
    fn mem(mem: Mem) -> Option<Rm> {
        let Base::Reg(base) = mem.base else { return None };
        let index = match mem.index {
            Some((Gpr::Rsp, _)) => return None,
            Some((index, scale)) => Some((index, scale.factor().trailing_zeros() as u8)),
            None => None,
        };
        Some(Rm::Mem { base, index, disp: mem.disp })
    }

    /// The REX.X and REX.B bits the operand needs.
    fn rex_bits(self) -> u8 {
        match self {
            Rm::Reg(reg) => rex_bit(reg.hw(), REX_B),
            Rm::Mem { base, index, .. } => {
                let x = index.map_or(0, |(index, _)| rex_bit(index.hw(), REX_X));
                x | rex_bit(base.hw(), REX_B)
            }
        }
    }
}

/// Opcode of `op rm, reg` (`op reg, rm` is this plus 2, except for `test`).
fn alu_rm_r_opcode(op: AluOp) -> u16 {
    match op {
        AluOp::Add => 0x01,
        AluOp::Or => 0x09,
        AluOp::And => 0x21,
        AluOp::Sub => 0x29,
        AluOp::Xor => 0x31,
        AluOp::Cmp => 0x39,
        AluOp::Test => 0x85,
    }
}

/// Opcode and ModRM extension of `op rm, imm`, choosing the sign-extended imm8 form when
/// `imm` fits (as the iced path does; `test` has no imm8 form), plus the immediate.
fn alu_imm(op: AluOp, imm: i32) -> (u16, u8, Imm) {
    let digit = match op {
        AluOp::Add => 0,
        AluOp::Or => 1,
        AluOp::And => 4,
        AluOp::Sub => 5,
        AluOp::Xor => 6,
        AluOp::Cmp => 7,
        AluOp::Test => return (0xf7, 0, Imm::B4(imm as u32)),
    };
    match i8::try_from(imm) {
        Ok(imm8) => (0x83, digit, Imm::B1(imm8 as u8)),
        Err(_) => (0x81, digit, Imm::B4(imm as u32)),
    }
}

/// A displacement or immediate field of 0 to 8 bytes, written little-endian.
#[derive(Copy, Clone)]
enum Imm {
    None,
    B1(u8),
    B2(u16),
    B4(u32),
    B8(u64),
}

/// ModRM extension of a shift or rotate (`C1 /digit ib`).
fn shift_digit(op: ShiftOp) -> u8 {
    match op {
        ShiftOp::Rol => 0,
        ShiftOp::Ror => 1,
        ShiftOp::Shl => 4,
        ShiftOp::Shr => 5,
        ShiftOp::Sar => 7,
    }
}

impl Assembler {
    /// Whether the direct encodings are used: always, except by the tests' reference
    /// assembler, which must go through iced alone.
    #[cfg(not(test))]
    fn direct_enabled(&self) -> bool {
        true
    }

    #[cfg(test)]
    fn direct_enabled(&self) -> bool {
        !self.iced_only
    }

    /// The prefixes of a 32/64-bit instruction, if it is encoded directly.
    fn direct_wide(&self, size: Size) -> Option<Prefixes> {
        Prefixes::wide(size).filter(|_| self.direct_enabled())
    }

    /// `mem` as an r/m operand, if the instruction is encoded directly.
    fn direct_mem(&self, mem: Mem) -> Option<Rm> {
        Rm::mem(mem).filter(|_| self.direct_enabled())
    }

    /// Prefixes and r/m operand of a 32/64-bit instruction on `mem`, if it is encoded directly.
    fn direct_wide_mem(&self, size: Size, mem: Mem) -> Option<(Prefixes, Rm)> {
        Some((self.direct_wide(size)?, self.direct_mem(mem)?))
    }

    /// Appends one byte to the code.
    fn put(&mut self, byte: u8) {
        self.encoder.write_u8(byte);
        self.len += 1;
    }

    /// Appends a displacement or immediate field.
    fn put_imm(&mut self, imm: Imm) {
        match imm {
            Imm::None => {}
            Imm::B1(value) => self.put(value),
            Imm::B2(value) => value.to_le_bytes().into_iter().for_each(|b| self.put(b)),
            Imm::B4(value) => value.to_le_bytes().into_iter().for_each(|b| self.put(b)),
            Imm::B8(value) => value.to_le_bytes().into_iter().for_each(|b| self.put(b)),
        }
    }

    /// `[66] [REX] opcode ModRM [SIB] [disp] [imm]`: an instruction with `reg` (a register
    /// number or an opcode extension `/digit`) in ModRM.reg and `rm` in ModRM.rm. `opcode` is
    /// one byte, or two for the 0F-escaped ones (`0x0fb6`).
    fn put_modrm_inst(&mut self, prefixes: Prefixes, opcode: u16, reg: u8, rm: Rm, imm: Imm) {
        if prefixes.p66 {
            self.put(0x66);
        }
        let rex = prefixes.rex | rex_bit(reg, REX_R) | rm.rex_bits();
        if rex != 0 {
            self.put(REX_EMPTY | rex);
        }
        if opcode > 0xff {
            self.put((opcode >> 8) as u8);
        }
        self.put(opcode as u8);
        self.put_rm(reg & 7, rm);
        self.put_imm(imm);
    }

    /// ModRM (with `reg` as its 3-bit reg field), then SIB and displacement if any.
    fn put_rm(&mut self, reg: u8, rm: Rm) {
        let (base, index, disp) = match rm {
            Rm::Reg(rm) => return self.put(0xc0 | reg << 3 | (rm.hw() & 7)),
            Rm::Mem { base, index, disp } => (base.hw() & 7, index, disp),
        };
        // mod=00 with rbp/r13 as base means RIP-relative or no base, so those take a zero
        // disp8; otherwise the shortest field that holds the displacement.
        let (mode, disp) = match i8::try_from(disp) {
            Ok(0) if base != 5 => (0x00, Imm::None),
            Ok(disp8) => (0x40, Imm::B1(disp8 as u8)),
            Err(_) => (0x80, Imm::B4(disp as u32)),
        };
        match index {
            // rsp/r12 as base only exist through a SIB byte (rm=100 means "SIB follows").
            None if base != 4 => self.put(mode | reg << 3 | base),
            None => {
                self.put(mode | reg << 3 | 4);
                self.put(0x24);
            }
            Some((index, scale)) => {
                self.put(mode | reg << 3 | 4);
                self.put(scale << 6 | (index.hw() & 7) << 3 | base);
            }
        }
        self.put_imm(disp);
    }

    /// `mov dst, src` at 32/64 bits: `89 /r`.
    pub(super) fn direct_mov_rr(&mut self, size: Size, dst: Gpr, src: Gpr) -> bool {
        let Some(prefixes) = self.direct_wide(size) else { return false };
        self.put_modrm_inst(prefixes, 0x89, src.hw(), Rm::Reg(dst), Imm::None);
        true
    }

    /// `mov r32, imm32` (`B8+r`), `mov r/m64, simm32` (`REX.W C7 /0`) or `movabs r64, imm64`
    /// (`REX.W B8+r`): the same choice as [`Assembler::mov_imm`].
    pub(super) fn direct_mov_imm(&mut self, dst: Gpr, value: u64) -> bool {
        if !self.direct_enabled() {
            return false;
        }
        let rex_b = rex_bit(dst.hw(), REX_B);
        let short_opcode = 0xb8 | (dst.hw() & 7);
        if let Ok(v) = u32::try_from(value) {
            if rex_b != 0 {
                self.put(REX_EMPTY | rex_b);
            }
            self.put(short_opcode);
            self.put_imm(Imm::B4(v));
        } else if let Ok(v) = i32::try_from(value as i64) {
            self.put_modrm_inst(Prefixes::sized(Size::S64), 0xc7, 0, Rm::Reg(dst), Imm::B4(v as u32));
        } else {
            self.put(REX_EMPTY | REX_W | rex_b);
            self.put(short_opcode);
            self.put_imm(Imm::B8(value));
        }
        true
    }

    /// `op dst, src` at 32/64 bits (the `op r/m, r` form).
    pub(super) fn direct_alu_rr(&mut self, op: AluOp, size: Size, dst: Gpr, src: Gpr) -> bool {
        let Some(prefixes) = self.direct_wide(size) else { return false };
        self.put_modrm_inst(prefixes, alu_rm_r_opcode(op), src.hw(), Rm::Reg(dst), Imm::None);
        true
    }

    /// `op dst, imm` at 32/64 bits.
    pub(super) fn direct_alu_ri(&mut self, op: AluOp, size: Size, dst: Gpr, imm: i32) -> bool {
        let Some(prefixes) = self.direct_wide(size) else { return false };
        let (opcode, digit, imm) = alu_imm(op, imm);
        self.put_modrm_inst(prefixes, opcode, digit, Rm::Reg(dst), imm);
        true
    }

    /// `op dst, [mem]` at 32/64 bits (`test` has only the `test r/m, r` form).
    pub(super) fn direct_alu_rm(&mut self, op: AluOp, size: Size, dst: Gpr, mem: Mem) -> bool {
        let Some((prefixes, rm)) = self.direct_wide_mem(size, mem) else { return false };
        let opcode = match op {
            AluOp::Test => alu_rm_r_opcode(op),
            _ => alu_rm_r_opcode(op) + 2,
        };
        self.put_modrm_inst(prefixes, opcode, dst.hw(), rm, Imm::None);
        true
    }

    /// `op [mem], src` at 32/64 bits.
    pub(super) fn direct_alu_mr(&mut self, op: AluOp, size: Size, mem: Mem, src: Gpr) -> bool {
        let Some((prefixes, rm)) = self.direct_wide_mem(size, mem) else { return false };
        self.put_modrm_inst(prefixes, alu_rm_r_opcode(op), src.hw(), rm, Imm::None);
        true
    }

    /// `op [mem], imm` at 32/64 bits.
    pub(super) fn direct_alu_mi(&mut self, op: AluOp, size: Size, mem: Mem, imm: i32) -> bool {
        let Some((prefixes, rm)) = self.direct_wide_mem(size, mem) else { return false };
        let (opcode, digit, imm) = alu_imm(op, imm);
        self.put_modrm_inst(prefixes, opcode, digit, rm, imm);
        true
    }

    /// `op dst, imm8` at 32/64 bits (`C1 /digit ib`), the count masked as
    /// [`Assembler::shift_ri`] masks it.
    pub(super) fn direct_shift_ri(&mut self, op: ShiftOp, size: Size, dst: Gpr, count: u8) -> bool {
        let Some(prefixes) = self.direct_wide(size) else { return false };
        let count = count & if size == Size::S64 { 63 } else { 31 };
        self.put_modrm_inst(prefixes, 0xc1, shift_digit(op), Rm::Reg(dst), Imm::B1(count));
        true
    }

    /// `movzx r32, m8` (`0F B6`), `movzx r32, m16` (`0F B7`), `mov r32, m32` or
    /// `mov r64, m64` (`8B`): [`Assembler::load_zx`].
    pub(super) fn direct_load_zx(&mut self, size: Size, dst: Gpr, mem: Mem) -> bool {
        let Some(rm) = self.direct_mem(mem) else { return false };
        // movzx writes a 32-bit register whatever the memory size, so it takes no prefix.
        let (size, opcode) = match size {
            Size::S8 => (Size::S32, 0x0fb6),
            Size::S16 => (Size::S32, 0x0fb7),
            Size::S32 | Size::S64 => (size, 0x8b),
        };
        self.put_modrm_inst(Prefixes::sized(size), opcode, dst.hw(), rm, Imm::None);
        true
    }

    /// `mov [mem], src` at any size: `88 /r` for 8 bits, else `89 /r`.
    pub(super) fn direct_store(&mut self, size: Size, mem: Mem, src: Gpr) -> bool {
        let Some(rm) = self.direct_mem(mem) else { return false };
        let opcode = if size == Size::S8 { 0x88 } else { 0x89 };
        let prefixes = Prefixes::sized(size).with_byte_reg(size, src);
        self.put_modrm_inst(prefixes, opcode, src.hw(), rm, Imm::None);
        true
    }

    /// `mov [mem], imm` at any size (`C6 /0 ib`, else `C7 /0` with an imm16 or imm32); `imm`
    /// has been checked to fit the size.
    pub(super) fn direct_store_imm(&mut self, size: Size, mem: Mem, imm: i32) -> bool {
        let Some(rm) = self.direct_mem(mem) else { return false };
        let (opcode, imm) = match size {
            Size::S8 => (0xc6, Imm::B1(imm as u8)),
            Size::S16 => (0xc7, Imm::B2(imm as u16)),
            Size::S32 | Size::S64 => (0xc7, Imm::B4(imm as u32)),
        };
        self.put_modrm_inst(Prefixes::sized(size), opcode, 0, rm, imm);
        true
    }

    /// `lea dst, [mem]` at 32/64 bits: `8D /r`.
    pub(super) fn direct_lea(&mut self, size: Size, dst: Gpr, mem: Mem) -> bool {
        let Some((prefixes, rm)) = self.direct_wide_mem(size, mem) else { return false };
        self.put_modrm_inst(prefixes, 0x8d, dst.hw(), rm, Imm::None);
        true
    }
}
