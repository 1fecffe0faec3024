//! Control flow: branches to labels, calls and address loads through relocations, indirect
//! branches, jump tables, traps.

use super::{Assembler, FixupKind};
use crate::inst::{AluOp, Cond, Label, Mem, Size};
use crate::regs::Gpr;
use crate::reloc::RelocKind;

impl Assembler {
    /// `b label` (±128 MiB).
    pub fn b(&mut self, target: Label) {
        self.emit_with_label(0x1400_0000, FixupKind::Imm26, target);
    }

    /// `bl label`: a call to a label of this code.
    pub fn bl(&mut self, target: Label) {
        self.emit_with_label(0x9400_0000, FixupKind::Imm26, target);
    }

    /// `b.cond label` (±1 MiB).
    pub fn b_cond(&mut self, cond: Cond, target: Label) {
        self.emit_cond_branch(0x5400_0000 | cond.bits(), FixupKind::Imm19, target);
    }

    /// `cbz reg, label`: branches if the `size`-bit register is zero (±1 MiB).
    pub fn cbz(&mut self, size: Size, reg: Gpr, target: Label) {
        self.compare_branch(0x3400_0000, size, reg, target);
    }

    /// `cbnz reg, label`: branches if the `size`-bit register is not zero (±1 MiB).
    pub fn cbnz(&mut self, size: Size, reg: Gpr, target: Label) {
        self.compare_branch(0x3500_0000, size, reg, target);
    }

    fn compare_branch(&mut self, opcode: u32, size: Size, reg: Gpr, target: Label) {
        let sf = self.sf(size, "cbz/cbnz");
        let rt = self.zr(reg, "cbz/cbnz");
        self.emit_cond_branch(opcode | sf << 31 | rt, FixupKind::Imm19, target);
    }

    /// `tbz reg, #bit, label`: branches if bit `bit` (0..=63) of `reg` is zero (±32 KiB).
    pub fn tbz(&mut self, reg: Gpr, bit: u32, target: Label) {
        self.test_branch(0x3600_0000, reg, bit, target);
    }

    /// `tbnz reg, #bit, label`: branches if bit `bit` of `reg` is one (±32 KiB).
    pub fn tbnz(&mut self, reg: Gpr, bit: u32, target: Label) {
        self.test_branch(0x3700_0000, reg, bit, target);
    }

    fn test_branch(&mut self, opcode: u32, reg: Gpr, bit: u32, target: Label) {
        let rt = self.zr(reg, "tbz/tbnz");
        if bit >= 64 {
            return self.fail(format!("tbz/tbnz: bit {bit} is not below 64"));
        }
        // The bit number's top bit doubles as the register width.
        self.emit_cond_branch(opcode | (bit >> 5) << 31 | (bit & 31) << 19 | rt, FixupKind::Imm14, target);
    }

    /// `bl symbol`: a call outside this code, through a [`RelocKind::Call26`] relocation.
    pub fn call_symbol(&mut self, symbol: u32) {
        self.emit_with_reloc(0x9400_0000, RelocKind::Call26, symbol, 0);
    }

    /// `b symbol`: a tail call outside this code, through a [`RelocKind::Jump26`] relocation.
    pub fn jump_symbol(&mut self, symbol: u32) {
        self.emit_with_reloc(0x1400_0000, RelocKind::Jump26, symbol, 0);
    }

    /// `adrp dst, symbol` + `add dst, dst, :lo12:symbol`: the address of a symbol outside
    /// this code (±4 GiB), through [`RelocKind::AdrPage21`] and [`RelocKind::AddLo12`].
    pub fn symbol_address(&mut self, dst: Gpr, symbol: u32) {
        let rd = self.zr(dst, "symbol_address");
        if dst == Gpr::Zr {
            return self.fail("symbol_address: the destination cannot be the zero register".into());
        }
        self.emit_with_reloc(0x9000_0000 | rd, RelocKind::AdrPage21, symbol, 0);
        self.emit_with_reloc(0x9100_0000 | rd << 5 | rd, RelocKind::AddLo12, symbol, 0);
    }

    /// An 8-byte aligned data word holding the absolute address of `symbol`, through a
    /// [`RelocKind::Abs64`] relocation (a pointer table placed with the code; never executed).
    pub fn symbol_address_word(&mut self, symbol: u32) {
        self.pad_to(8);
        self.emit_with_reloc(0, RelocKind::Abs64, symbol, 0);
        self.emit(0);
    }

    /// `br target`: an indirect jump.
    pub fn br(&mut self, target: Gpr) {
        let rn = self.zr(target, "br");
        self.emit(0xd61f_0000 | rn << 5);
    }

    /// `blr target`: an indirect call.
    pub fn blr(&mut self, target: Gpr) {
        let rn = self.zr(target, "blr");
        self.emit(0xd63f_0000 | rn << 5);
    }

    /// `ret`: returns to the address in `x30`.
    pub fn ret(&mut self) {
        self.emit(0xd65f_0000 | 30 << 5);
    }

    /// `udf #imm16`: a permanently undefined instruction (SIGILL), for traps; the immediate
    /// is free for the trap handler to read.
    pub fn udf(&mut self, imm16: u16) {
        self.emit(u32::from(imm16));
    }

    /// `brk #imm16`: a breakpoint (SIGTRAP).
    pub fn brk(&mut self, imm16: u16) {
        self.emit(0xd420_0000 | u32::from(imm16) << 5);
    }

    pub fn nop(&mut self) {
        self.emit(0xd503_201f);
    }

    /// Pads with `nop`s up to a multiple of `align` bytes (a power of two, e.g. a loop head).
    pub fn align(&mut self, align: u32) {
        if !align.is_power_of_two() {
            return self.fail(format!("alignment {align} is not a power of two"));
        }
        while self.offset() & (align - 1) != 0 {
            self.nop();
        }
    }

    /// Binds `table` here and emits one 32-bit entry per target: the target's offset minus
    /// the table's. Dispatch on a 32-bit index in `idx` with a scratch `tmp`:
    ///
    /// ```text
    /// adr   tmp, table                    asm.adr(tmp, table)
    /// ldrsw idx, [tmp, widx, uxtw #2]     asm.load_sx(Size::S32, Size::S64, idx, Mem::Indexed { .. Uxtw, scaled: true })
    /// add   tmp, tmp, idx                 asm.alu_rrr(AluOp::Add, Size::S64, tmp, tmp, idx)
    /// br    tmp                           asm.br(tmp)
    /// ```
    ///
    /// ([`jump_table_dispatch`](Assembler::jump_table_dispatch) emits exactly that.) Emit the
    /// table where it is never executed, e.g. after the function's last `ret` or `b`.
    pub fn emit_jump_table(&mut self, table: Label, targets: &[Label]) {
        self.bind_label(table);
        let base = self.offset();
        for &target in targets {
            self.emit_with_label(0, FixupKind::TableEntry { table: base }, target);
        }
    }

    /// The dispatch sequence documented at [`emit_jump_table`](Assembler::emit_jump_table).
    /// The index in `idx` (its low 32 bits, already bounds-checked) is clobbered.
    pub fn jump_table_dispatch(&mut self, table: Label, idx: Gpr, tmp: Gpr) {
        if idx == tmp {
            return self.fail("jump_table_dispatch: the index and the scratch register must differ".into());
        }
        self.adr(tmp, table);
        let entry = Mem::Indexed { base: tmp, index: idx, extend: crate::inst::Extend::Uxtw, scaled: true };
        self.load_sx(Size::S32, Size::S64, idx, entry);
        self.alu_rrr(AluOp::Add, Size::S64, tmp, tmp, idx);
        self.br(tmp);
    }
}
