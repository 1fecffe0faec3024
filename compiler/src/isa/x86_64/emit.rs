//! Allocated machine instructions → bytes, through the `target-x86_64` assembler.
//!
//! The shared walk (`crate::isa::emit`) drives it block by block; this file gives the
//! prologue at entry, the epilogue at each return, the allocator's moves and each instruction.
//! Traps go to out-of-line `ud2` stubs after the code (one per site), then the jump tables.

use super::abi::Frame;
use super::inst::{
    AluOp, Amode, BitCount, BitOp, CallTarget, Cond, ExtFrom, FSize, FloatOp, LoadKind, MBlock, MInst, Reg, RegMem,
    RegMemImm, RoundMode, ShiftOp, Size, StoreKind, UnaryIntOp, CC,
};
use super::vcode::{AllocApplier, VCode};
use crate::ir::TrapCode;
use crate::isa::emit::{emit_blocks, EmitBackend};
use crate::isa::{CompiledFunction, Reloc, RelocKind, RelocTarget};
use crate::regalloc::{Allocation, Edit, RegClass, RegallocOutput};
use crate::vmctx;
use crate::{Error, Result};
use target_x86_64 as asm;
use target_x86_64::{Assembler, Gpr, Label, Mem, Xmm};

pub fn emit(vcode: &VCode, ra: &RegallocOutput) -> Result<CompiledFunction> {
    let frame = Frame::new(vcode.frame.fixed_area, ra.num_spillslots, ra.used_regs)?;
    let mut e = Emitter {
        asm: Assembler::new(),
        frame,
        block_labels: Vec::new(),
        stubs: Vec::new(),
        tables: Vec::new(),
        reloc_targets: Vec::new(),
        mem_traps: Vec::new(),
        srclocs: Vec::new(),
        error: None,
    };
    e.block_labels = (0..vcode.blocks.len()).map(|_| e.asm.new_label()).collect();
    e.prologue();
    e.srclocs = emit_blocks(&mut e, vcode, ra)?;
    e.finish()
}

impl EmitBackend<MInst> for Emitter {
    fn jump_target(inst: &MInst) -> Option<MBlock> {
        match inst {
            MInst::Jmp { target } => Some(*target),
            _ => None,
        }
    }
    fn is_table_jump(inst: &MInst) -> bool {
        matches!(inst, MInst::JmpTable { .. })
    }
    fn branch_reads_only_flags(inst: &MInst) -> bool {
        matches!(inst, MInst::Jcc { .. })
    }
    fn apply_allocs(inst: &mut MInst, allocs: &[Allocation]) -> Result<()> {
        AllocApplier::apply(inst, allocs)
    }
    fn begin_block(&mut self, b: MBlock) {
        let label = self.block_labels[b as usize];
        self.asm.bind_label(label);
    }
    fn code_offset(&self) -> u32 {
        self.asm.offset()
    }
    fn emit_edit(&mut self, edit: &Edit) {
        self.edit_move(edit);
    }
    fn emit_inst(&mut self, inst: &MInst, dest: &[MBlock], next: Option<MBlock>) -> Result<()> {
        self.inst(inst, dest, next)
    }
}

pub(super) struct Emitter {
    pub(super) asm: Assembler,
    frame: Frame,
    block_labels: Vec<Label>,
    /// Out-of-line trap stubs: label and trap code.
    stubs: Vec<(Label, TrapCode)>,
    /// Jump tables to emit after the code: table label and target labels.
    tables: Vec<(Label, Vec<Label>)>,
    /// Relocation targets, indexed by the assembler's symbol ids.
    reloc_targets: Vec<RelocTarget>,
    mem_traps: Vec<(u32, TrapCode)>,
    srclocs: Vec<(u32, u32)>,
    error: Option<String>,
}

fn cc(c: CC) -> asm::Cond {
    use asm::Cond as A;
    match c {
        CC::O => A::O,
        CC::NO => A::NO,
        CC::B => A::B,
        CC::AE => A::AE,
        CC::E => A::E,
        CC::NE => A::NE,
        CC::BE => A::BE,
        CC::A => A::A,
        CC::S => A::S,
        CC::NS => A::NS,
        CC::P => A::P,
        CC::NP => A::NP,
        CC::L => A::L,
        CC::GE => A::GE,
        CC::LE => A::LE,
        CC::G => A::G,
    }
}

fn size(s: Size) -> asm::Size {
    match s {
        Size::S32 => asm::Size::S32,
        Size::S64 => asm::Size::S64,
    }
}

fn fsz(s: FSize) -> asm::FloatSize {
    match s {
        FSize::F32 => asm::FloatSize::F32,
        FSize::F64 => asm::FloatSize::F64,
    }
}

fn ext(from: ExtFrom) -> asm::Size {
    match from {
        ExtFrom::B8 => asm::Size::S8,
        ExtFrom::B16 => asm::Size::S16,
        ExtFrom::B32 => asm::Size::S32,
    }
}

impl Emitter {
    pub(super) fn fail(&mut self, msg: &str) {
        self.error.get_or_insert_with(|| format!("x86_64: {msg}"));
    }

    pub(super) fn gpr(&mut self, r: Reg) -> Gpr {
        match r {
            Reg::Phys(p) if p.class == RegClass::Int && p.hw < 16 => Gpr::ALL[p.hw as usize],
            _ => {
                self.fail("integer operand not in a general register");
                Gpr::Rax
            }
        }
    }

    pub(super) fn xmm(&mut self, r: Reg) -> Xmm {
        match r {
            Reg::Phys(p) if p.class == RegClass::Float && p.hw < 16 => Xmm::ALL[p.hw as usize],
            _ => {
                self.fail("float operand not in an xmm register");
                Xmm::Xmm0
            }
        }
    }

    fn slot_mem(&self, slot: u32) -> Mem {
        Mem::base_disp(Gpr::Rsp, (self.frame.spill_base + 16 * slot) as i32)
    }

    pub(super) fn mem(&mut self, a: Amode) -> Mem {
        match a {
            Amode::Regs { base, index: None, disp } => Mem::base_disp(self.gpr(base), disp),
            Amode::Regs { base, index: Some((i, scale)), disp } => Mem::indexed(self.gpr(base), self.gpr(i), asm_scale(scale), disp),
            Amode::Scaled { index, scale, disp } => Mem::scaled(self.gpr(index), asm_scale(scale), disp),
            Amode::Frame(off) => Mem::base_disp(Gpr::Rsp, off),
            Amode::IncomingArg(off) => Mem::base_disp(Gpr::Rbp, 16 + off),
            Amode::Slot(s) => self.slot_mem(s.0),
        }
    }

    /// Record that the next instruction may fault on a linear-memory access.
    pub(super) fn mark_trap(&mut self, trap: bool) {
        if trap {
            self.mem_traps.push((self.asm.offset(), TrapCode::MemoryOutOfBounds));
        }
    }

    pub(super) fn stub(&mut self, code: TrapCode) -> Label {
        let l = self.asm.new_label();
        self.stubs.push((l, code));
        l
    }

    fn jump_if(&mut self, cond: Cond, target: Label) {
        match cond {
            Cond::Simple(c) => self.asm.jcc(cc(c), target),
            Cond::NeOrUnordered => {
                self.asm.jcc(asm::Cond::P, target);
                self.asm.jcc(asm::Cond::NE, target);
            }
            Cond::EqOrdered => {
                let skip = self.asm.new_label();
                self.asm.jcc(asm::Cond::P, skip);
                self.asm.jcc(asm::Cond::E, target);
                self.asm.bind_label(skip);
            }
        }
    }

    fn prologue(&mut self) {
        self.asm.push(Gpr::Rbp);
        self.asm.mov_rr(asm::Size::S64, Gpr::Rbp, Gpr::Rsp);
        for r in self.frame.saved.clone() {
            let g = Gpr::ALL[r.hw as usize & 15];
            self.asm.push(g);
        }
        if self.frame.size > 0 {
            self.asm.alu_ri(asm::AluOp::Sub, asm::Size::S64, Gpr::Rsp, self.frame.size as i32);
        }
        // vmctx is still in rdi: nothing has run yet.
        let overflow = self.stub(TrapCode::StackOverflow);
        self.asm.alu_rm(asm::AluOp::Cmp, asm::Size::S64, Gpr::Rsp, Mem::base_disp(Gpr::Rdi, vmctx::STACK_LIMIT));
        self.asm.jcc(asm::Cond::B, overflow);
    }

    fn epilogue(&mut self) {
        if self.frame.size > 0 {
            self.asm.alu_ri(asm::AluOp::Add, asm::Size::S64, Gpr::Rsp, self.frame.size as i32);
        }
        for r in self.frame.saved.clone().into_iter().rev() {
            self.asm.pop(Gpr::ALL[r.hw as usize & 15]);
        }
        self.asm.pop(Gpr::Rbp);
        self.asm.ret();
    }

    fn edit_move(&mut self, ed: &Edit) {
        let float = ed.class == RegClass::Float;
        match (ed.from, ed.to) {
            (Allocation::Reg(f), Allocation::Reg(t)) if f != t => {
                if float {
                    let (t, f) = (self.xmm(Reg::Phys(t)), self.xmm(Reg::Phys(f)));
                    self.asm.movaps(t, f);
                } else {
                    let (t, f) = (self.gpr(Reg::Phys(t)), self.gpr(Reg::Phys(f)));
                    self.asm.mov_rr(asm::Size::S64, t, f);
                }
            }
            (Allocation::Reg(_), Allocation::Reg(_)) => {}
            (Allocation::Reg(f), Allocation::Stack(s)) => self.spill(float, f, s.0),
            (Allocation::Stack(s), Allocation::Reg(t)) => self.reload(float, t, s.0),
            (Allocation::Stack(a), Allocation::Stack(b)) if a != b => {
                let scratch = if float { super::regs::FLOAT_SCRATCH } else { super::regs::INT_SCRATCH };
                self.reload(float, scratch, a.0);
                self.spill(float, scratch, b.0);
            }
            (Allocation::Stack(_), Allocation::Stack(_)) => {}
        }
    }

    /// Float-class registers spill whole (16 bytes): they may hold a `v128`.
    fn spill(&mut self, float: bool, r: crate::regalloc::PReg, slot: u32) {
        let m = self.slot_mem(slot);
        if float {
            let x = self.xmm(Reg::Phys(r));
            self.asm.store_v128(m, x);
        } else {
            let g = self.gpr(Reg::Phys(r));
            self.asm.store(asm::Size::S64, m, g);
        }
    }

    fn reload(&mut self, float: bool, r: crate::regalloc::PReg, slot: u32) {
        let m = self.slot_mem(slot);
        if float {
            let x = self.xmm(Reg::Phys(r));
            self.asm.load_v128(x, m);
        } else {
            let g = self.gpr(Reg::Phys(r));
            self.asm.load_zx(asm::Size::S64, g, m);
        }
    }

    fn reloc_symbol(&mut self, t: RelocTarget) -> u32 {
        match self.reloc_targets.iter().position(|x| *x == t) {
            Some(i) => i as u32,
            None => {
                self.reloc_targets.push(t);
                self.reloc_targets.len() as u32 - 1
            }
        }
    }

    fn finish(mut self) -> Result<CompiledFunction> {
        let stubs = std::mem::take(&mut self.stubs);
        for (label, _) in &stubs {
            self.asm.bind_label(*label);
            self.asm.ud2();
        }
        for (table, targets) in std::mem::take(&mut self.tables) {
            self.asm.align(4);
            self.asm.emit_jump_table(table, &targets);
        }
        if let Some(e) = self.error {
            return Err(Error::msg(e));
        }
        let out = self.asm.finish().map_err(|e| Error::msg(format!("x86_64: assembler: {e:?}")))?;
        let mut traps = self.mem_traps;
        for (label, code) in stubs {
            let off = out.label_offset(label).ok_or_else(|| Error::msg("x86_64: unbound trap stub"))?;
            traps.push((off, code));
        }
        traps.sort_by_key(|t| t.0);
        let relocs = out
            .relocs
            .iter()
            .map(|r| {
                let kind = match r.kind {
                    asm::RelocKind::PcRel32 => RelocKind::X86PcRel4,
                    asm::RelocKind::Plt32 => RelocKind::X86CallPlt4,
                    asm::RelocKind::Abs64 => RelocKind::Abs8,
                };
                let target = self
                    .reloc_targets
                    .get(r.symbol as usize)
                    .cloned()
                    .ok_or_else(|| Error::msg("x86_64: relocation to an unknown symbol"))?;
                Ok(Reloc { offset: r.offset, kind, target, addend: r.addend })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(CompiledFunction { code: out.code, relocs, traps, srclocs: self.srclocs })
    }
}

impl Emitter {
    /// Emit one allocated instruction. `dest` maps blocks to where branches really go;
    /// `next` is the block laid out after this one.
    fn inst(&mut self, inst: &MInst, dest: &[MBlock], next: Option<MBlock>) -> Result<()> {
        match inst {
            MInst::Args { .. } => {}
            MInst::Move { dst, src, float: false } | MInst::Zext32 { dst, src } => {
                let (d, s) = (self.gpr(*dst), self.gpr(*src));
                let sz = if matches!(inst, MInst::Zext32 { .. }) { asm::Size::S32 } else { asm::Size::S64 };
                if d != s || sz == asm::Size::S32 {
                    self.asm.mov_rr(sz, d, s);
                }
            }
            MInst::Move { dst, src, float: true } => {
                let (d, s) = (self.xmm(*dst), self.xmm(*src));
                if d != s {
                    self.asm.movaps(d, s);
                }
            }
            MInst::Imm { size: sz, dst, imm } => {
                let d = self.gpr(*dst);
                let v = if *sz == Size::S32 { *imm & 0xffff_ffff } else { *imm };
                if v == 0 {
                    self.asm.zero(d);
                } else {
                    self.asm.mov_imm(d, v);
                }
            }
            MInst::Alu { op, size: sz, dst, lhs, rhs } => {
                let d = self.gpr(*dst);
                if d != self.gpr(*lhs) {
                    self.fail("two-address operand not reused");
                }
                self.alu(*op, size(*sz), d, *rhs);
            }
            MInst::ImulImm { size: sz, dst, src, imm } => {
                let d = self.gpr(*dst);
                match *src {
                    RegMem::Reg(r) => {
                        let s = self.gpr(r);
                        self.asm.imul_rri(size(*sz), d, s, *imm);
                    }
                    RegMem::Mem { amode, trap } => {
                        let m = self.mem(amode);
                        self.mark_trap(trap);
                        self.asm.imul_rmi(size(*sz), d, m, *imm);
                    }
                }
            }
            MInst::Lea { size: sz, dst, amode } => {
                let (d, m) = (self.gpr(*dst), self.mem(*amode));
                self.asm.lea(size(*sz), d, m);
            }
            MInst::Shift { op, size: sz, dst, count, imm, .. } => {
                let d = self.gpr(*dst);
                let op = match op {
                    ShiftOp::Shl => asm::ShiftOp::Shl,
                    ShiftOp::Shr => asm::ShiftOp::Shr,
                    ShiftOp::Sar => asm::ShiftOp::Sar,
                    ShiftOp::Rol => asm::ShiftOp::Rol,
                    ShiftOp::Ror => asm::ShiftOp::Ror,
                };
                match count {
                    Some(_) => self.asm.shift_cl(op, size(*sz), d),
                    None => self.asm.shift_ri(op, size(*sz), d, *imm),
                }
            }
            MInst::ShiftX { op, size: sz, dst, src, count } => {
                let (d, s, c) = (self.gpr(*dst), self.gpr(*src), self.gpr(*count));
                let op = match op {
                    ShiftOp::Shl => asm::ShiftOp::Shl,
                    ShiftOp::Shr => asm::ShiftOp::Shr,
                    ShiftOp::Sar => asm::ShiftOp::Sar,
                    ShiftOp::Rol => asm::ShiftOp::Rol,
                    ShiftOp::Ror => asm::ShiftOp::Ror,
                };
                self.asm.shiftx_rrr(op, size(*sz), d, s, c);
            }
            MInst::Andn { size: sz, dst, inverted, other } => {
                let (d, a, b) = (self.gpr(*dst), self.gpr(*inverted), self.gpr(*other));
                self.asm.andn_rrr(size(*sz), d, a, b);
            }
            MInst::Rorx { size: sz, dst, src, imm } => {
                let (d, s) = (self.gpr(*dst), self.gpr(*src));
                self.asm.rorx_rri(size(*sz), d, s, *imm);
            }
            MInst::UnaryInt { op, size: sz, dst, .. } => {
                let d = self.gpr(*dst);
                match op {
                    UnaryIntOp::Neg => self.asm.neg(size(*sz), d),
                }
            }
            MInst::Movsx { from, size: sz, dst, src } => {
                let d = self.gpr(*dst);
                match *src {
                    RegMem::Reg(r) => {
                        let s = self.gpr(r);
                        self.asm.movsx_rr(ext(*from), size(*sz), d, s);
                    }
                    RegMem::Mem { amode, trap } => {
                        let m = self.mem(amode);
                        self.mark_trap(trap);
                        self.asm.load_sx(ext(*from), size(*sz), d, m);
                    }
                }
            }
            MInst::Movzx { from, dst, src } => {
                let (d, s) = (self.gpr(*dst), self.gpr(*src));
                self.asm.movzx_rr(ext(*from), d, s);
            }
            MInst::Cmp { size: sz, lhs, rhs } | MInst::Test { size: sz, lhs, rhs } => {
                let op = if matches!(inst, MInst::Cmp { .. }) { asm::AluOp::Cmp } else { asm::AluOp::Test };
                let l = self.gpr(*lhs);
                self.alu_raw(op, size(*sz), l, *rhs);
            }
            MInst::Div { size: sz, signed, rem, divisor, checked, .. } => self.div(*sz, *signed, *rem, *divisor, *checked),
            MInst::MulHigh { rhs, .. } => {
                let r = self.gpr(*rhs);
                self.asm.mul_wide(r);
            }
            MInst::Setcc { cond, dst, tmp } => {
                let d = self.gpr(*dst);
                match (cond, tmp) {
                    (Cond::Simple(c), _) => self.asm.set_bool(cc(*c), d),
                    (Cond::EqOrdered, Some(t)) | (Cond::NeOrUnordered, Some(t)) => {
                        let t = self.gpr(*t);
                        let (c1, c2, op) = if *cond == Cond::EqOrdered {
                            (asm::Cond::E, asm::Cond::NP, asm::AluOp::And)
                        } else {
                            (asm::Cond::NE, asm::Cond::P, asm::AluOp::Or)
                        };
                        self.asm.set_bool(c1, d);
                        self.asm.set_bool(c2, t);
                        self.asm.alu_rr(op, asm::Size::S32, d, t);
                    }
                    _ => self.fail("two-flag setcc without a temporary"),
                }
            }
            MInst::Cmov { size: sz, cond, dst, cons, .. } => {
                let d = self.gpr(*dst);
                let conds: &[asm::Cond] = match cond {
                    Cond::Simple(c) => &[cc(*c)],
                    Cond::NeOrUnordered => &[asm::Cond::NE, asm::Cond::P],
                    Cond::EqOrdered => {
                        self.fail("cmov on two flags at once");
                        &[]
                    }
                };
                for &c in conds {
                    match *cons {
                        RegMem::Reg(r) => {
                            let s = self.gpr(r);
                            self.asm.cmov(c, size(*sz), d, s);
                        }
                        RegMem::Mem { amode, trap } => {
                            let m = self.mem(amode);
                            self.mark_trap(trap);
                            self.asm.cmov_rm(c, size(*sz), d, m);
                        }
                    }
                }
            }
            MInst::XmmCmove { cond, dst, cons, .. } => {
                let (d, s) = (self.xmm(*dst), self.xmm(*cons));
                let skip = self.asm.new_label();
                self.jump_if(cond.invert(), skip);
                self.asm.movaps(d, s);
                self.asm.bind_label(skip);
            }
            MInst::Load { kind, dst, amode, trap } => {
                let m = self.mem(*amode);
                match kind {
                    LoadKind::Float(fs) => {
                        let d = self.xmm(*dst);
                        self.mark_trap(*trap);
                        self.asm.load_float(fsz(*fs), d, m);
                    }
                    LoadKind::V128 => {
                        let d = self.xmm(*dst);
                        self.mark_trap(*trap);
                        self.asm.load_v128(d, m);
                    }
                    _ => {
                        let d = self.gpr(*dst);
                        self.mark_trap(*trap);
                        match kind {
                            LoadKind::Int(sz) => self.asm.load_zx(size(*sz), d, m),
                            LoadKind::Zext(from) => self.asm.load_zx(ext(*from), d, m),
                            LoadKind::Sext(from, to) => self.asm.load_sx(ext(*from), size(*to), d, m),
                            LoadKind::Float(_) | LoadKind::V128 => {}
                        }
                    }
                }
            }
            MInst::Store { kind, src, amode, trap } => {
                let m = self.mem(*amode);
                match kind {
                    StoreKind::Float(fs) => {
                        let s = self.xmm(*src);
                        self.mark_trap(*trap);
                        self.asm.store_float(fsz(*fs), m, s);
                    }
                    StoreKind::V128 => {
                        let s = self.xmm(*src);
                        self.mark_trap(*trap);
                        self.asm.store_v128(m, s);
                    }
                    _ => {
                        let s = self.gpr(*src);
                        self.mark_trap(*trap);
                        self.asm.store(store_size(*kind), m, s);
                    }
                }
            }
            MInst::AluMem { op, size: sz, amode, src, trap } => {
                let m = self.mem(*amode);
                match (plain_alu_op(*op), *src) {
                    (None, _) => self.fail("imul to memory"),
                    (Some(op), RegMemImm::Imm(imm)) => {
                        self.mark_trap(*trap);
                        self.asm.alu_mi(op, size(*sz), m, imm);
                    }
                    (Some(op), RegMemImm::Rm(RegMem::Reg(r))) => {
                        let s = self.gpr(r);
                        self.mark_trap(*trap);
                        self.asm.alu_mr(op, size(*sz), m, s);
                    }
                    (Some(_), RegMemImm::Rm(RegMem::Mem { .. })) => self.fail("memory-to-memory ALU operation"),
                }
            }
            MInst::StoreImm { kind, imm, amode, trap } => {
                let m = self.mem(*amode);
                self.mark_trap(*trap);
                self.asm.store_imm(store_size(*kind), m, *imm);
            }
            MInst::FloatArith { op, size: fs, dst, rhs, .. } => {
                let d = self.xmm(*dst);
                let op = float_op(*op);
                match *rhs {
                    RegMem::Reg(r) => {
                        let s = self.xmm(r);
                        self.asm.float_rr(op, fsz(*fs), d, s);
                    }
                    RegMem::Mem { amode, trap } => {
                        let m = self.mem(amode);
                        self.mark_trap(trap);
                        self.asm.float_rm(op, fsz(*fs), d, m);
                    }
                }
            }
            MInst::AvxFloatArith { op, size: fs, dst, lhs, rhs } => {
                let (d, l) = (self.xmm(*dst), self.xmm(*lhs));
                let op = float_op(*op);
                match *rhs {
                    RegMem::Reg(r) => {
                        let s = self.xmm(r);
                        self.asm.avx_float_rrr(op, fsz(*fs), d, l, s);
                    }
                    RegMem::Mem { amode, trap } => {
                        let m = self.mem(amode);
                        self.mark_trap(trap);
                        self.asm.avx_float_rrm(op, fsz(*fs), d, l, m);
                    }
                }
            }
            MInst::XmmBits { op, dst, rhs, .. } => {
                let (d, s) = (self.xmm(*dst), self.xmm(*rhs));
                let op = match op {
                    BitOp::And => asm::BitwiseOp::And,
                    BitOp::Andn => asm::BitwiseOp::AndNot,
                    BitOp::Or => asm::BitwiseOp::Or,
                    BitOp::Xor => asm::BitwiseOp::Xor,
                };
                self.asm.bitwise_rr(op, d, s);
            }
            MInst::Sqrt { size: fs, dst, src } => {
                let (d, s) = (self.xmm(*dst), self.xmm(*src));
                self.asm.float_rr(asm::FloatOp::Sqrt, fsz(*fs), d, s);
            }
            MInst::Round { size: fs, mode, dst, src } => {
                let (d, s) = (self.xmm(*dst), self.xmm(*src));
                let mode = match mode {
                    RoundMode::Nearest => asm::RoundMode::Nearest,
                    RoundMode::Floor => asm::RoundMode::Floor,
                    RoundMode::Ceil => asm::RoundMode::Ceil,
                    RoundMode::Trunc => asm::RoundMode::Trunc,
                };
                self.asm.round(fsz(*fs), mode, d, s);
            }
            MInst::FMinMax { min, size: fs, dst, lhs, .. } => self.min_max(*min, fsz(*fs), *dst, *lhs),
            MInst::Ucomis { size: fs, lhs, rhs } => {
                let (l, r) = (self.xmm(*lhs), self.xmm(*rhs));
                self.asm.ucomis(fsz(*fs), l, r);
            }
            MInst::XmmZero { dst } => {
                let d = self.xmm(*dst);
                self.asm.bitwise_rr(asm::BitwiseOp::Xor, d, d);
            }
            MInst::FloatConst { size: fs, dst, bits } => {
                let d = self.xmm(*dst);
                let m = match fs {
                    FSize::F32 => self.asm.const_u32(*bits as u32),
                    FSize::F64 => self.asm.const_u64(*bits),
                };
                self.asm.load_float(fsz(*fs), d, m);
            }
            MInst::GprToXmm { size: sz, dst, src } => {
                let (d, s) = (self.xmm(*dst), self.gpr(*src));
                self.asm.mov_gpr_to_xmm(size(*sz), d, s);
            }
            MInst::XmmToGpr { size: sz, dst, src } => {
                let (d, s) = (self.gpr(*dst), self.xmm(*src));
                self.asm.mov_xmm_to_gpr(size(*sz), d, s);
            }
            MInst::FloatCvt { to, dst, src } => {
                let (d, s) = (self.xmm(*dst), self.xmm(*src));
                let from = if *to == FSize::F64 { asm::FloatSize::F32 } else { asm::FloatSize::F64 };
                self.asm.cvt_float(from, d, s);
            }
            MInst::IntToFloat { from, to, dst, src } => {
                let (d, s) = (self.xmm(*dst), self.gpr(*src));
                // cvtsi2s* only writes the low lane: break the dependency on d's old value.
                self.asm.bitwise_rr(asm::BitwiseOp::Xor, d, d);
                self.asm.cvt_int_to_float(fsz(*to), size(*from), d, s);
            }
            MInst::U64ToFloat { to, dst, src, tmp1, tmp2 } => self.u64_to_float(fsz(*to), *dst, *src, *tmp1, *tmp2),
            MInst::FloatToInt { from, to, signed, sat, dst, src, tmp_x, tmp_g } => {
                let regs = (self.gpr(*dst), self.xmm(*src), self.xmm(*tmp_x), self.gpr(*tmp_g));
                match (*signed, *sat) {
                    (true, false) => self.float_to_sint(*from, *to, regs),
                    (true, true) => self.float_to_sint_sat(*from, *to, regs),
                    (false, false) => self.float_to_uint(*from, *to, regs),
                    (false, true) => self.float_to_uint_sat(*from, *to, regs),
                }
            }
            MInst::BitCount { op, size: sz, dst, src, tmp, tmp2 } => {
                let (d, s, t, t2) = (self.gpr(*dst), self.gpr(*src), self.gpr(*tmp), self.gpr(*tmp2));
                match op {
                    BitCount::Clz => self.clz(*sz, d, s, t),
                    BitCount::Ctz => self.ctz(*sz, d, s, t),
                    BitCount::Popcnt => self.popcnt(*sz, d, s, t, t2),
                }
            }
            MInst::BitCountInst { op, size: sz, dst, src } => {
                let (d, s) = (self.gpr(*dst), self.gpr(*src));
                let op = match op {
                    BitCount::Clz => asm::BitCountOp::Lzcnt,
                    BitCount::Ctz => asm::BitCountOp::Tzcnt,
                    BitCount::Popcnt => asm::BitCountOp::Popcnt,
                };
                // These write all of `dst` but wait for its old value on many Intel cores.
                if d != s {
                    self.asm.zero(d);
                }
                self.asm.bit_count(op, size(*sz), d, s);
            }
            MInst::Call { target, .. } => match target {
                CallTarget::Func(f) => {
                    let sym = self.reloc_symbol(RelocTarget::Func(*f));
                    self.asm.call_symbol(sym);
                }
                CallTarget::Symbol(s) => {
                    let sym = self.reloc_symbol(RelocTarget::Symbol(s.to_string()));
                    self.asm.call_symbol(sym);
                }
                CallTarget::Reg(r) => {
                    let g = self.gpr(*r);
                    self.asm.call_reg(g);
                }
            },
            MInst::TrapIf { cond, code } => {
                let l = self.stub(*code);
                self.jump_if(*cond, l);
            }
            MInst::Jmp { target } => {
                let t = dest[*target as usize];
                if Some(t) != next {
                    let l = self.block_labels[t as usize];
                    self.asm.jmp(l);
                }
            }
            MInst::Jcc { cond, taken, not_taken } => {
                let (t, nt) = (dest[*taken as usize], dest[*not_taken as usize]);
                let (tl, ntl) = (self.block_labels[t as usize], self.block_labels[nt as usize]);
                if Some(nt) == next {
                    self.jump_if(*cond, tl);
                } else if Some(t) == next {
                    self.jump_if(cond.invert(), ntl);
                } else {
                    self.jump_if(*cond, tl);
                    self.asm.jmp(ntl);
                }
            }
            MInst::JmpTable { index, tmp1, tmp2, targets, default } => {
                let (i, t1, t2) = (self.gpr(*index), self.gpr(*tmp1), self.gpr(*tmp2));
                let n = i32::try_from(targets.len()).map_err(|_| Error::msg("x86_64: jump table too large"))?;
                let dl = self.block_labels[dest[*default as usize] as usize];
                self.asm.alu_ri(asm::AluOp::Cmp, asm::Size::S32, i, n);
                self.asm.jcc(asm::Cond::AE, dl);
                let table = self.asm.new_label();
                // The dispatch clobbers its index; the index may live on in a successor.
                self.asm.mov_rr(asm::Size::S32, t1, i);
                self.asm.jump_table_dispatch(table, t1, t2);
                let labels = targets.iter().map(|&b| self.block_labels[dest[b as usize] as usize]).collect();
                self.tables.push((table, labels));
            }
            MInst::Ret { .. } => self.epilogue(),
            MInst::Vec(v) => self.vec_inst(v),
            MInst::Ud2 { code } => {
                self.mem_traps.push((self.asm.offset(), *code));
                self.asm.ud2();
            }
        }
        Ok(())
    }

    fn alu(&mut self, op: AluOp, sz: asm::Size, dst: Gpr, rhs: RegMemImm) {
        match op {
            AluOp::Imul => match rhs {
                RegMemImm::Rm(RegMem::Reg(r)) => {
                    let s = self.gpr(r);
                    self.asm.imul_rr(sz, dst, s);
                }
                RegMemImm::Rm(RegMem::Mem { amode, trap }) => {
                    let m = self.mem(amode);
                    self.mark_trap(trap);
                    self.asm.imul_rm(sz, dst, m);
                }
                RegMemImm::Imm(imm) => self.asm.imul_rri(sz, dst, dst, imm),
            },
            _ => {
                let op = plain_alu_op(op).unwrap_or(asm::AluOp::Xor);
                self.alu_raw(op, sz, dst, rhs);
            }
        }
    }

    fn alu_raw(&mut self, op: asm::AluOp, sz: asm::Size, dst: Gpr, rhs: RegMemImm) {
        match rhs {
            RegMemImm::Imm(imm) => self.asm.alu_ri(op, sz, dst, imm),
            RegMemImm::Rm(RegMem::Reg(r)) => {
                let s = self.gpr(r);
                self.asm.alu_rr(op, sz, dst, s);
            }
            RegMemImm::Rm(RegMem::Mem { amode, trap }) => {
                let m = self.mem(amode);
                self.mark_trap(trap);
                self.asm.alu_rm(op, sz, dst, m);
            }
        }
    }
}

/// An x86 scale factor; lowering only forms 1, 2, 4 and 8.
fn asm_scale(scale: u8) -> asm::Scale {
    match scale {
        1 => asm::Scale::X1,
        2 => asm::Scale::X2,
        4 => asm::Scale::X4,
        _ => asm::Scale::X8,
    }
}

fn float_op(op: FloatOp) -> asm::FloatOp {
    match op {
        FloatOp::Add => asm::FloatOp::Add,
        FloatOp::Sub => asm::FloatOp::Sub,
        FloatOp::Mul => asm::FloatOp::Mul,
        FloatOp::Div => asm::FloatOp::Div,
    }
}

fn store_size(kind: StoreKind) -> asm::Size {
    match kind {
        StoreKind::Int8 => asm::Size::S8,
        StoreKind::Int16 => asm::Size::S16,
        StoreKind::Int32 | StoreKind::Float(FSize::F32) => asm::Size::S32,
        // A v128 is never stored from a general register or as an immediate.
        StoreKind::Int64 | StoreKind::Float(FSize::F64) | StoreKind::V128 => asm::Size::S64,
    }
}

/// The assembler's operation for an ALU operation other than `Imul`.
fn plain_alu_op(op: AluOp) -> Option<asm::AluOp> {
    Some(match op {
        AluOp::Add => asm::AluOp::Add,
        AluOp::Sub => asm::AluOp::Sub,
        AluOp::And => asm::AluOp::And,
        AluOp::Or => asm::AluOp::Or,
        AluOp::Xor => asm::AluOp::Xor,
        AluOp::Imul => return None,
    })
}
