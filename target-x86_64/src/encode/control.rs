//! Control flow: branches to labels, calls through relocations, indirect jumps, jump tables,
//! traps and padding. Branches are hand-encoded because their targets are labels.

use iced_x86::{Code, Instruction};

use super::iced_map::gpr64;
use super::{Assembler, FieldWidth};
use crate::inst::{Cond, Label, Mem, Size};
use crate::regs::Gpr;
use crate::reloc::{Reloc, RelocKind};

/// Intel's recommended multi-byte NOPs, indexed by length - 1.
const NOPS: [&[u8]; 9] = [
    &[0x90],
    &[0x66, 0x90],
    &[0x0f, 0x1f, 0x00],
    &[0x0f, 0x1f, 0x40, 0x00],
    &[0x0f, 0x1f, 0x44, 0x00, 0x00],
    &[0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00],
    &[0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
    &[0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
    &[0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
];

impl Assembler {
    /// The rel8 displacement of a branch of `len` bytes starting here to `target`, if the
    /// target is already bound (a backward branch) and close enough. Forward branches always
    /// take rel32, so no offset ever moves after it is emitted.
    fn short_displacement(&self, target: Label, len: u32) -> Option<u8> {
        let target = i64::from(self.label_offset(target)?);
        let end = i64::from(self.offset()) + i64::from(len);
        i8::try_from(target - end).ok().map(|d| d as u8)
    }

    /// Emits the opcode bytes of a rel32 branch followed by its label field.
    fn branch32(&mut self, opcode: &[u8], target: Label) {
        self.emit_bytes(opcode);
        let end = self.offset().saturating_add(4);
        self.emit_label_field(FieldWidth::Rel32, end, target, 0);
    }

    /// `jmp target`: `jmp rel8` backward when in range, else `jmp rel32`.
    pub fn jmp(&mut self, target: Label) {
        match self.short_displacement(target, 2) {
            Some(rel8) => self.emit_bytes(&[0xeb, rel8]),
            None => self.branch32(&[0xe9], target),
        }
    }

    /// `jcc target`: jumps if `cond` holds.
    pub fn jcc(&mut self, cond: Cond, target: Label) {
        match self.short_displacement(target, 2) {
            Some(rel8) => self.emit_bytes(&[0x70 | cond.bits(), rel8]),
            None => self.branch32(&[0x0f, 0x80 | cond.bits()], target),
        }
    }

    /// `jmp rel8 target`, for a jump the caller knows is short (within a fixed sequence);
    /// [`finish`](Assembler::finish) fails if the target is out of rel8 range.
    pub fn jmp_short(&mut self, target: Label) {
        self.branch8(0xeb, target);
    }

    /// `jcc rel8 target`; like [`jmp_short`](Assembler::jmp_short).
    pub fn jcc_short(&mut self, cond: Cond, target: Label) {
        self.branch8(0x70 | cond.bits(), target);
    }

    fn branch8(&mut self, opcode: u8, target: Label) {
        self.emit_bytes(&[opcode]);
        let end = self.offset().saturating_add(1);
        self.emit_label_field(FieldWidth::Rel8, end, target, 0);
    }

    /// `call rel32` to a symbol outside this code: records a [`RelocKind::Plt32`] relocation
    /// for `symbol` (the caller's id) with addend -4.
    pub fn call_symbol(&mut self, symbol: u32) {
        self.emit_bytes(&[0xe8]);
        self.emit_reloc32(RelocKind::Plt32, symbol, 4);
    }

    /// `call rel32` to a label of this code.
    pub fn call_label(&mut self, target: Label) {
        self.branch32(&[0xe8], target);
    }

    /// `lea dst, [rip + symbol]`: the address of a symbol outside this code, through a
    /// [`RelocKind::PcRel32`] relocation.
    pub fn lea_symbol(&mut self, dst: Gpr, symbol: u32) {
        // REX.W (+B/R for r8..r15), 8D /r with ModRM mod=00 rm=101 (RIP-relative).
        let rex = 0x48 | (dst.hw() >> 3) << 2;
        let modrm = (dst.hw() & 7) << 3 | 0b101;
        self.emit_bytes(&[rex, 0x8d, modrm]);
        self.emit_reloc32(RelocKind::PcRel32, symbol, 4);
    }

    /// `movabs dst, imm64` holding the absolute address of a symbol, through a
    /// [`RelocKind::Abs64`] relocation.
    pub fn mov_symbol_abs(&mut self, dst: Gpr, symbol: u32) {
        // REX.W (+B for r8..r15), B8+r imm64.
        let rex = 0x48 | (dst.hw() >> 3);
        self.emit_bytes(&[rex, 0xb8 | (dst.hw() & 7)]);
        let offset = self.offset();
        self.relocs.push(Reloc { offset, kind: RelocKind::Abs64, symbol, addend: 0 });
        self.emit_bytes(&[0; 8]);
    }

    /// `call target` through a register.
    pub fn call_reg(&mut self, target: Gpr) {
        self.emit_inst(Instruction::with1(Code::Call_rm64, gpr64(target)), None);
    }

    /// `call qword [mem]`: through a function pointer in memory.
    pub fn call_mem(&mut self, mem: Mem) {
        self.emit_with_mem(mem, |m| Instruction::with1(Code::Call_rm64, m));
    }

    /// `jmp target` through a register.
    pub fn jmp_reg(&mut self, target: Gpr) {
        self.emit_inst(Instruction::with1(Code::Jmp_rm64, gpr64(target)), None);
    }

    pub fn ret(&mut self) {
        self.emit_bytes(&[0xc3]);
    }

    /// `ud2`: a guaranteed invalid-opcode fault (SIGILL), for traps.
    pub fn ud2(&mut self) {
        self.emit_bytes(&[0x0f, 0x0b]);
    }

    /// `int3`: a breakpoint (SIGTRAP).
    pub fn int3(&mut self) {
        self.emit_bytes(&[0xcc]);
    }

    /// `len` bytes of NOPs, in as few instructions as possible.
    pub fn nop(&mut self, len: usize) {
        let mut left = len;
        while left > 0 {
            let chunk = left.min(NOPS.len());
            self.emit_bytes(NOPS[chunk - 1]);
            left -= chunk;
        }
    }

    /// Pads with NOPs up to a multiple of `align` bytes (a power of two, e.g. a loop head).
    pub fn align(&mut self, align: u32) {
        if !align.is_power_of_two() {
            return self.fail(format!("alignment {align} is not a power of two"));
        }
        let misalign = self.offset() & (align - 1);
        if misalign != 0 {
            self.nop((align - misalign) as usize);
        }
    }

    /// Binds `table` here (4-byte aligned) and emits one 32-bit entry per target: the target's
    /// offset minus the table's. Dispatch on an index in `idx` with a scratch `tmp`:
    ///
    /// ```text
    /// lea    tmp, [rip + table]          asm.lea(Size::S64, tmp, Mem::label(table))
    /// movsxd idx, dword [tmp + idx*4]    asm.load_sx(Size::S32, Size::S64, idx, Mem::indexed(tmp, idx, Scale::X4, 0))
    /// add    tmp, idx                    asm.alu_rr(AluOp::Add, Size::S64, tmp, idx)
    /// jmp    tmp                         asm.jmp_reg(tmp)
    /// ```
    ///
    /// ([`jump_table_dispatch`](Assembler::jump_table_dispatch) emits exactly that.) Emit the
    /// table where it is never executed, e.g. after the function's last `ret` or `jmp`.
    pub fn emit_jump_table(&mut self, table: Label, targets: &[Label]) {
        self.pad_to(4, 0xcc);
        self.bind_label(table);
        let base = self.offset();
        for &target in targets {
            self.emit_label_field(FieldWidth::Rel32, base, target, 0);
        }
    }

    /// The dispatch sequence documented at [`emit_jump_table`](Assembler::emit_jump_table).
    /// The index in `idx` (zero-extended to 64 bits, already bounds-checked) is clobbered.
    pub fn jump_table_dispatch(&mut self, table: Label, idx: Gpr, tmp: Gpr) {
        use crate::inst::{AluOp, Scale};
        self.lea(Size::S64, tmp, Mem::label(table));
        self.load_sx(Size::S32, Size::S64, idx, Mem::indexed(tmp, idx, Scale::X4, 0));
        self.alu_rr(AluOp::Add, Size::S64, tmp, idx);
        self.jmp_reg(tmp);
    }
}
