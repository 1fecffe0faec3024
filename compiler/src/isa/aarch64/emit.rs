//! Allocated machine instructions → bytes, through the `target-aarch64` assembler.
//!
//! The shared walk (`crate::isa::emit`) drives it block by block; this file gives the
//! prologue at entry, the epilogue at each return, the allocator's moves and each instruction.
//! Traps go to out-of-line `udf` stubs after the code (one per site), then the jump tables;
//! the assembler appends its literal pool.
//!
//! Scratch registers: `x17` only ever holds an address part (an offset out of an
//! instruction's reach), `x16` and `v31` values inside one instruction's sequence or one
//! allocator move; neither is live across instructions.

use super::abi::Frame;
use super::inst::{AluOp, Amode, BitCount, CallTarget, Cond, LoadKind, MBlock, MInst, Reg, Shift, Size, StoreKind};
use super::vcode::{AllocApplier, VCode};
use crate::ir::TrapCode;
use crate::isa::emit::{emit_blocks, EmitBackend};
use crate::isa::{CompiledFunction, Reloc, RelocKind, RelocTarget};
use crate::regalloc::{Allocation, Edit, PReg, RegClass, RegallocOutput};
use crate::vmctx;
use crate::{Error, Result};
use target_aarch64 as asm;
use target_aarch64::{imm, Assembler, BitOp, FloatSize, Gpr, Label, Mem, VSize, Vreg};

/// Value scratch (also the allocator's), address scratch, float scratch.
pub(super) const X16: Gpr = Gpr::X16;
const X17: Gpr = Gpr::X17;
pub(super) const V31: Vreg = Vreg::V31;

pub fn emit(vcode: &VCode, ra: &RegallocOutput) -> Result<CompiledFunction> {
    // Branches and literal loads reach ±1 MiB; a function beyond that is emitted again with
    // long-range forms (see `Assembler::set_long_range`), which cost a little speed.
    match emit_with(vcode, ra, false)? {
        Some(code) => Ok(code),
        None => emit_with(vcode, ra, true)?
            .ok_or_else(|| Error::msg("aarch64: a branch is out of range even in long-range mode")),
    }
}

/// The function's code, or `None` when a label is out of an instruction's range.
fn emit_with(vcode: &VCode, ra: &RegallocOutput, long_range: bool) -> Result<Option<CompiledFunction>> {
    let frame = Frame::new(vcode.frame.fixed_area, ra.num_spillslots, ra.used_regs)?;
    let mut e = Emitter {
        asm: Assembler::new(),
        frame,
        block_labels: Vec::new(),
        stubs: Vec::new(),
        tables: Vec::new(),
        reloc_targets: Vec::new(),
        traps: Vec::new(),
        srclocs: Vec::new(),
        error: None,
    };
    e.block_labels = (0..vcode.blocks.len()).map(|_| e.asm.new_label()).collect();
    e.asm.set_long_range(long_range);
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
        matches!(inst, MInst::CondBr { .. })
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
    traps: Vec<(u32, TrapCode)>,
    srclocs: Vec<(u32, u32)>,
    error: Option<String>,
}

/// Whether `[base, #offset]` encodes for an access of `bytes` (scaled 12-bit or 9-bit signed).
fn offset_fits(offset: i64, bytes: i64) -> bool {
    (offset >= 0 && offset % bytes == 0 && offset / bytes < 4096) || (-256..=255).contains(&offset)
}

fn int_size(fs: FloatSize) -> Size {
    match fs {
        FloatSize::F32 => Size::S32,
        FloatSize::F64 => Size::S64,
    }
}

impl Emitter {
    pub(super) fn fail(&mut self, msg: &str) {
        self.error.get_or_insert_with(|| format!("aarch64: {msg}"));
    }

    pub(super) fn gpr(&mut self, r: Reg) -> Gpr {
        match r {
            Reg::Phys(p) if p.class == RegClass::Int => Gpr::from_hw(p.hw).unwrap_or_else(|| {
                self.fail("integer operand in register 31");
                Gpr::X0
            }),
            _ => {
                self.fail("integer operand not in a general register");
                Gpr::X0
            }
        }
    }

    pub(super) fn vreg(&mut self, r: Reg) -> Vreg {
        match r {
            Reg::Phys(p) if p.class == RegClass::Float => Vreg::from_hw(p.hw).unwrap_or_else(|| {
                self.fail("float operand beyond v31");
                Vreg::V0
            }),
            _ => {
                self.fail("float operand not in a vector register");
                Vreg::V0
            }
        }
    }

    /// `dst = src + value` for any value, through `x17` when no immediate fits.
    fn add_imm(&mut self, dst: Gpr, src: Gpr, value: i64) {
        if imm::add_sub_imm(value as u64).is_some() {
            self.asm.alu_rri(AluOp::Add, Size::S64, dst, src, value as u64);
        } else if imm::add_sub_imm(value.unsigned_abs()).is_some() {
            self.asm.alu_rri(AluOp::Sub, Size::S64, dst, src, value.unsigned_abs());
        } else {
            self.asm.mov_imm(Size::S64, X17, value as u64);
            self.asm.alu_rrr(AluOp::Add, Size::S64, dst, src, X17);
        }
    }

    /// `[base, #offset]` for an access of `bytes`, through `x17` when out of reach.
    fn base_offset(&mut self, base: Gpr, offset: i64, bytes: u32) -> Mem {
        if offset_fits(offset, i64::from(bytes)) {
            Mem::offset(base, offset as i32)
        } else {
            self.asm.mov_imm(Size::S64, X17, offset as u64);
            Mem::indexed(base, X17, false)
        }
    }

    /// The operand for an access of `bytes` at `a`, after any address arithmetic it needs.
    fn mem(&mut self, a: Amode, bytes: u32) -> Mem {
        match a {
            Amode::Offset { base, offset } => {
                let b = self.gpr(base);
                self.base_offset(b, offset, bytes)
            }
            Amode::Heap { base, index, offset } => {
                let (b, i) = (self.gpr(base), self.gpr(index));
                if offset == 0 {
                    Mem::uxtw(b, i)
                } else {
                    self.add_imm(X16, b, i64::from(offset));
                    Mem::uxtw(X16, i)
                }
            }
            Amode::Frame(off) => self.base_offset(Gpr::Sp, i64::from(off), bytes),
            Amode::IncomingArg(off) => self.base_offset(Gpr::X29, 16 + i64::from(off), bytes),
        }
    }

    fn slot_mem(&mut self, slot: u32, bytes: u32) -> Mem {
        let off = i64::from(self.frame.spill_base) + 16 * i64::from(slot);
        self.base_offset(Gpr::Sp, off, bytes)
    }

    /// Record that the next instruction may fault on a linear-memory access.
    fn mark_trap(&mut self, trap: bool) {
        if trap {
            self.traps.push((self.asm.offset(), TrapCode::MemoryOutOfBounds));
        }
    }

    pub(super) fn stub(&mut self, code: TrapCode) -> Label {
        let l = self.asm.new_label();
        self.stubs.push((l, code));
        l
    }

    /// Pairs of registers pushed with `stp`, an odd last one alone in its 16 bytes.
    fn pairs(regs: &[PReg]) -> Vec<(u8, Option<u8>)> {
        regs.chunks(2).map(|c| (c[0].hw, c.get(1).map(|r| r.hw))).collect()
    }

    fn prologue(&mut self) {
        let push = Mem::PreIndex { base: Gpr::Sp, offset: -16 };
        self.asm.store_pair(Size::S64, push, Gpr::X29, Gpr::X30);
        self.asm.mov_rr(Size::S64, Gpr::X29, Gpr::Sp);
        for (a, b) in Self::pairs(&self.frame.saved_int) {
            let a = Gpr::from_hw(a).unwrap_or(Gpr::X19);
            match b.and_then(Gpr::from_hw) {
                Some(b) => self.asm.store_pair(Size::S64, push, a, b),
                None => self.asm.store(Size::S64, push, a),
            }
        }
        for (a, b) in Self::pairs(&self.frame.saved_float) {
            let a = Vreg::from_hw(a).unwrap_or(Vreg::V8);
            match b.and_then(Vreg::from_hw) {
                Some(b) => self.asm.store_pair_fp(VSize::D, push, a, b),
                None => self.asm.store_fp(VSize::D, push, a),
            }
        }
        if self.frame.size > 0 {
            self.add_imm(Gpr::Sp, Gpr::Sp, -i64::from(self.frame.size));
        }
        // vmctx is still in x0: nothing has run yet.
        let overflow = self.stub(TrapCode::StackOverflow);
        self.asm.load(Size::S64, X16, Mem::offset(Gpr::X0, vmctx::STACK_LIMIT));
        self.asm.mov_rr(Size::S64, X17, Gpr::Sp);
        self.asm.cmp_rr(Size::S64, X17, X16);
        self.asm.b_cond(Cond::Lo, overflow);
    }

    fn epilogue(&mut self) {
        if self.frame.size > 0 {
            self.add_imm(Gpr::Sp, Gpr::Sp, i64::from(self.frame.size));
        }
        let pop = Mem::PostIndex { base: Gpr::Sp, offset: 16 };
        for (a, b) in Self::pairs(&self.frame.saved_float).into_iter().rev() {
            let a = Vreg::from_hw(a).unwrap_or(Vreg::V8);
            match b.and_then(Vreg::from_hw) {
                Some(b) => self.asm.load_pair_fp(VSize::D, a, b, pop),
                None => self.asm.load_fp(VSize::D, a, pop),
            }
        }
        for (a, b) in Self::pairs(&self.frame.saved_int).into_iter().rev() {
            let a = Gpr::from_hw(a).unwrap_or(Gpr::X19);
            match b.and_then(Gpr::from_hw) {
                Some(b) => self.asm.load_pair(Size::S64, a, b, pop),
                None => self.asm.load(Size::S64, a, pop),
            }
        }
        self.asm.load_pair(Size::S64, Gpr::X29, Gpr::X30, pop);
        self.asm.ret();
    }

    fn edit_move(&mut self, ed: &Edit) {
        let float = ed.class == RegClass::Float;
        match (ed.from, ed.to) {
            (Allocation::Reg(f), Allocation::Reg(t)) if f != t => {
                if float {
                    let (t, f) = (self.vreg(Reg::Phys(t)), self.vreg(Reg::Phys(f)));
                    self.asm.mov_v128(t, f);
                } else {
                    let (t, f) = (self.gpr(Reg::Phys(t)), self.gpr(Reg::Phys(f)));
                    self.asm.mov_rr(Size::S64, t, f);
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

    /// Float registers are spilled whole: a slot may hold a v128.
    fn spill(&mut self, float: bool, r: PReg, slot: u32) {
        let m = self.slot_mem(slot, 16);
        if float {
            let v = self.vreg(Reg::Phys(r));
            self.asm.store_fp(VSize::Q, m, v);
        } else {
            let g = self.gpr(Reg::Phys(r));
            self.asm.store(Size::S64, m, g);
        }
    }

    fn reload(&mut self, float: bool, r: PReg, slot: u32) {
        let m = self.slot_mem(slot, 16);
        if float {
            let v = self.vreg(Reg::Phys(r));
            self.asm.load_fp(VSize::Q, v, m);
        } else {
            let g = self.gpr(Reg::Phys(r));
            self.asm.load(Size::S64, g, m);
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

    fn finish(mut self) -> Result<Option<CompiledFunction>> {
        let stubs = std::mem::take(&mut self.stubs);
        for (label, code) in &stubs {
            self.asm.bind_label(*label);
            self.asm.udf(*code as u16);
        }
        for (table, targets) in std::mem::take(&mut self.tables) {
            self.asm.emit_jump_table(table, &targets);
        }
        if let Some(e) = self.error {
            return Err(Error::msg(e));
        }
        let out = match self.asm.finish() {
            Ok(out) => out,
            Err(e) if e.out_of_range => return Ok(None),
            Err(e) => return Err(Error::msg(e.to_string())),
        };
        let mut traps = self.traps;
        for (label, code) in stubs {
            let off = out.label_offset(label).ok_or_else(|| Error::msg("aarch64: unbound trap stub"))?;
            traps.push((off, code));
        }
        traps.sort_by_key(|t| t.0);
        let relocs = out
            .relocs
            .iter()
            .map(|r| {
                let kind = match r.kind {
                    asm::RelocKind::Call26 => RelocKind::Arm64Call26,
                    asm::RelocKind::Abs64 => RelocKind::Abs8,
                    other => return Err(Error::msg(format!("aarch64: unexpected relocation {other:?}"))),
                };
                let target = self
                    .reloc_targets
                    .get(r.symbol as usize)
                    .cloned()
                    .ok_or_else(|| Error::msg("aarch64: relocation to an unknown symbol"))?;
                Ok(Reloc { offset: r.offset, kind, target, addend: r.addend })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(CompiledFunction { code: out.code, relocs, traps, srclocs: self.srclocs }))
    }
}

impl Emitter {
    /// Emit one allocated instruction. `dest` maps blocks to where branches really go;
    /// `next` is the block laid out after this one.
    fn inst(&mut self, inst: &MInst, dest: &[MBlock], next: Option<MBlock>) -> Result<()> {
        match inst {
            MInst::Args { .. } => {}
            MInst::Move { dst, src, float: false } => {
                let (d, s) = (self.gpr(*dst), self.gpr(*src));
                if d != s {
                    self.asm.mov_rr(Size::S64, d, s);
                }
            }
            MInst::Move { dst, src, float: true } => {
                let (d, s) = (self.vreg(*dst), self.vreg(*src));
                if d != s {
                    self.asm.mov_v128(d, s);
                }
            }
            MInst::Zext32 { dst, src } => {
                let (d, s) = (self.gpr(*dst), self.gpr(*src));
                self.asm.mov_rr(Size::S32, d, s);
            }
            MInst::Imm { size, dst, imm } => {
                let d = self.gpr(*dst);
                self.asm.mov_imm(*size, d, *imm);
            }
            MInst::FrameAddr { dst, offset } => {
                let d = self.gpr(*dst);
                self.add_imm(d, Gpr::Sp, i64::from(*offset));
            }
            MInst::AluRRR { op, size, dst, a, b } => {
                let (d, a, b) = (self.gpr(*dst), self.gpr(*a), self.gpr(*b));
                self.asm.alu_rrr(*op, *size, d, a, b);
            }
            MInst::AluRRImm { op, size, dst, a, imm } => {
                let (d, a) = (self.gpr(*dst), self.gpr(*a));
                self.asm.alu_rri(*op, *size, d, a, *imm);
            }
            MInst::Neg { size, dst, src } => {
                let (d, s) = (self.gpr(*dst), self.gpr(*src));
                self.asm.neg(*size, d, s);
            }
            MInst::Mul { size, dst, a, b } => {
                let (d, a, b) = (self.gpr(*dst), self.gpr(*a), self.gpr(*b));
                self.asm.mul(*size, d, a, b);
            }
            MInst::ShiftRR { op, size, dst, src, amount } => {
                let (d, s, n) = (self.gpr(*dst), self.gpr(*src), self.gpr(*amount));
                self.asm.shift_rrr(*op, *size, d, s, n);
            }
            MInst::ShiftRI { op, size, dst, src, amount } => {
                let (d, s) = (self.gpr(*dst), self.gpr(*src));
                self.asm.shift_rri(*op, *size, d, s, *amount);
            }
            MInst::RotlRR { size, dst, src, amount } => {
                // rotl(x, n) = rotr(x, -n): the hardware takes the count modulo the width.
                let (d, s, n) = (self.gpr(*dst), self.gpr(*src), self.gpr(*amount));
                self.asm.neg(*size, X16, n);
                self.asm.shift_rrr(Shift::Ror, *size, d, s, X16);
            }
            MInst::Sext { from, to, dst, src } => {
                let (d, s) = (self.gpr(*dst), self.gpr(*src));
                self.asm.sign_extend(*from, *to, d, s);
            }
            MInst::BitCount { op, size, dst, src } => {
                let (d, s) = (self.gpr(*dst), self.gpr(*src));
                match op {
                    BitCount::Clz => self.asm.bit_op(BitOp::Clz, *size, d, s),
                    BitCount::Ctz => {
                        self.asm.bit_op(BitOp::Rbit, *size, d, s);
                        self.asm.bit_op(BitOp::Clz, *size, d, d);
                    }
                    BitCount::Popcnt => self.asm.popcnt(*size, d, s, V31),
                }
            }
            MInst::Div { size, signed, rem, dst, a, b, checked } => {
                let (d, a, b) = (self.gpr(*dst), self.gpr(*a), self.gpr(*b));
                self.div(*size, *signed, *rem, *checked, (d, a, b));
            }
            MInst::CmpRR { size, a, b } => {
                let (a, b) = (self.gpr(*a), self.gpr(*b));
                self.asm.cmp_rr(*size, a, b);
            }
            MInst::CmpRI { size, a, imm, negated } => {
                let a = self.gpr(*a);
                if *negated {
                    self.asm.cmn_ri(*size, a, *imm);
                } else {
                    self.asm.cmp_ri(*size, a, *imm);
                }
            }
            MInst::Tst { size, a } => {
                let a = self.gpr(*a);
                self.asm.tst_rr(*size, a, a);
            }
            MInst::CSet { cond, dst } => {
                let d = self.gpr(*dst);
                self.asm.cset(Size::S32, d, *cond);
            }
            MInst::CSel { size, cond, dst, a, b } => {
                let (d, a, b) = (self.gpr(*dst), self.gpr(*a), self.gpr(*b));
                self.asm.csel(*size, d, a, b, *cond);
            }
            MInst::FCSel { size, cond, dst, a, b } => {
                let (d, a, b) = (self.vreg(*dst), self.vreg(*a), self.vreg(*b));
                self.asm.fcsel(*size, d, a, b, *cond);
            }
            MInst::Load { kind, dst, amode, trap } => match *kind {
                LoadKind::Float(fs) => {
                    let d = self.vreg(*dst);
                    let m = self.mem(*amode, VSize::from(fs).bytes());
                    self.mark_trap(*trap);
                    self.asm.load_fp(VSize::from(fs), d, m);
                }
                LoadKind::V128 => {
                    let d = self.vreg(*dst);
                    let m = self.mem(*amode, 16);
                    self.mark_trap(*trap);
                    self.asm.load_fp(VSize::Q, d, m);
                }
                LoadKind::Int(size) => {
                    let d = self.gpr(*dst);
                    let m = self.mem(*amode, size.bytes());
                    self.mark_trap(*trap);
                    self.asm.load(size, d, m);
                }
                LoadKind::Sext(from, to) => {
                    let d = self.gpr(*dst);
                    let m = self.mem(*amode, from.bytes());
                    self.mark_trap(*trap);
                    self.asm.load_sx(from, to, d, m);
                }
            },
            MInst::Store { kind, src, amode, trap } => match *kind {
                StoreKind::Float(fs) => {
                    let s = self.vreg(*src);
                    let m = self.mem(*amode, VSize::from(fs).bytes());
                    self.mark_trap(*trap);
                    self.asm.store_fp(VSize::from(fs), m, s);
                }
                StoreKind::V128 => {
                    let s = self.vreg(*src);
                    let m = self.mem(*amode, 16);
                    self.mark_trap(*trap);
                    self.asm.store_fp(VSize::Q, m, s);
                }
                StoreKind::Int(size) => {
                    let s = self.gpr(*src);
                    let m = self.mem(*amode, size.bytes());
                    self.mark_trap(*trap);
                    self.asm.store(size, m, s);
                }
            },
            MInst::StoreZero { kind, amode, trap } => {
                let size = match *kind {
                    StoreKind::Int(size) => size,
                    StoreKind::Float(fs) => int_size(fs),
                    StoreKind::V128 => {
                        self.fail("v128 zero store");
                        Size::S64
                    }
                };
                let m = self.mem(*amode, size.bytes());
                self.mark_trap(*trap);
                self.asm.store(size, m, Gpr::Zr);
            }
            MInst::FloatArith { op, size, dst, a, b } => {
                let (d, a, b) = (self.vreg(*dst), self.vreg(*a), self.vreg(*b));
                self.asm.float_rrr(*op, *size, d, a, b);
            }
            MInst::FloatUnary { op, size, dst, src } => {
                let (d, s) = (self.vreg(*dst), self.vreg(*src));
                self.asm.float_unary(*op, *size, d, s);
            }
            MInst::Round { mode, size, dst, src } => {
                let (d, s) = (self.vreg(*dst), self.vreg(*src));
                self.asm.float_round(*mode, *size, d, s);
            }
            MInst::Copysign { size, dst, a, b } => {
                let (d, a, b) = (self.vreg(*dst), self.vreg(*a), self.vreg(*b));
                self.copysign(*size, d, a, b);
            }
            MInst::Fcmp { size, a, b } => {
                let (a, b) = (self.vreg(*a), self.vreg(*b));
                self.asm.fcmp(*size, a, b);
            }
            MInst::FloatConst { size, dst, bits } => {
                let d = self.vreg(*dst);
                self.float_const(*size, d, *bits);
            }
            MInst::VecConst { dst, bits } => {
                let d = self.vreg(*dst);
                self.vec_const(d, *bits);
            }
            MInst::VecSelect { cond, dst, a, b } => {
                // An all-ones or all-zeros mask from the flags, then a bitwise select.
                let (d, a, b) = (self.vreg(*dst), self.vreg(*a), self.vreg(*b));
                self.asm.cset(Size::S64, X16, *cond);
                self.asm.neg(Size::S64, X16, X16);
                self.asm.dup_gpr(asm::VArr::D2, V31, X16);
                self.asm.vec_rrr(asm::VecOp::Bsl, asm::VArr::B16, V31, a, b);
                self.asm.mov_v128(d, V31);
            }
            MInst::Simd { op, dst, args, tmp } => self.simd(*op, *dst, args, *tmp),
            MInst::VecShiftImm { op, arr, dst, src, amount } => {
                let (d, s) = (self.vreg(*dst), self.vreg(*src));
                self.asm.vec_shift_imm(*op, *arr, d, s, *amount);
            }
            MInst::GprToFpr { size, dst, src } => {
                let (d, s) = (self.vreg(*dst), self.gpr(*src));
                self.asm.fmov_from_gpr(*size, d, s);
            }
            MInst::FprToGpr { size, dst, src } => {
                let (d, s) = (self.gpr(*dst), self.vreg(*src));
                self.asm.fmov_to_gpr(*size, d, s);
            }
            MInst::FloatCvt { from, dst, src } => {
                let (d, s) = (self.vreg(*dst), self.vreg(*src));
                self.asm.fcvt(*from, d, s);
            }
            MInst::IntToFloat { signed, from, to, dst, src } => {
                let (d, s) = (self.vreg(*dst), self.gpr(*src));
                self.asm.int_to_float(*signed, *from, *to, d, s);
            }
            MInst::FloatToInt { from, to, signed, sat, dst, src } => {
                let (d, s) = (self.gpr(*dst), self.vreg(*src));
                if !*sat {
                    self.float_to_int_checks(*from, *to, *signed, s);
                }
                // fcvtzs/fcvtzu saturate and give 0 for NaN: Wasm's saturating conversions.
                self.asm.float_to_int(*signed, *from, *to, d, s);
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
                    self.asm.blr(g);
                }
            },
            MInst::TrapIf { cond, code } => {
                let l = self.stub(*code);
                self.asm.b_cond(*cond, l);
            }
            MInst::TrapIfZero { size, reg, nonzero, code } => {
                let r = self.gpr(*reg);
                let l = self.stub(*code);
                self.branch_zero(*size, r, *nonzero, l);
            }
            MInst::Jmp { target } => {
                let t = dest[*target as usize];
                if Some(t) != next {
                    let l = self.block_labels[t as usize];
                    self.asm.b(l);
                }
            }
            MInst::CondBr { cond, taken, not_taken } => {
                let (t, nt) = (dest[*taken as usize], dest[*not_taken as usize]);
                let (tl, ntl) = (self.block_labels[t as usize], self.block_labels[nt as usize]);
                if Some(nt) == next {
                    self.asm.b_cond(*cond, tl);
                } else if Some(t) == next {
                    self.asm.b_cond(cond.invert(), ntl);
                } else {
                    self.asm.b_cond(*cond, tl);
                    self.asm.b(ntl);
                }
            }
            MInst::CbzBr { size, reg, nonzero, taken, not_taken } => {
                let r = self.gpr(*reg);
                let (t, nt) = (dest[*taken as usize], dest[*not_taken as usize]);
                let (tl, ntl) = (self.block_labels[t as usize], self.block_labels[nt as usize]);
                if Some(nt) == next {
                    self.branch_zero(*size, r, *nonzero, tl);
                } else if Some(t) == next {
                    self.branch_zero(*size, r, !*nonzero, ntl);
                } else {
                    self.branch_zero(*size, r, *nonzero, tl);
                    self.asm.b(ntl);
                }
            }
            MInst::JmpTable { index, targets, default } => {
                let i = self.gpr(*index);
                let n = targets.len() as u64;
                let dl = self.block_labels[dest[*default as usize] as usize];
                if imm::add_sub_imm(n).is_some() {
                    self.asm.cmp_ri(Size::S32, i, n);
                } else {
                    self.asm.mov_imm(Size::S32, X16, n);
                    self.asm.cmp_rr(Size::S32, i, X16);
                }
                self.asm.b_cond(Cond::Hs, dl);
                let table = self.asm.new_label();
                // The dispatch clobbers its index; the index may live on in a successor.
                self.asm.mov_rr(Size::S32, X16, i);
                self.asm.jump_table_dispatch(table, X16, X17);
                let labels: Vec<Label> = targets.iter().map(|&b| self.block_labels[dest[b as usize] as usize]).collect();
                if self.asm.long_range() {
                    // `adr` reaches ±1 MiB: the table goes right after the dispatch's `br`.
                    self.asm.emit_jump_table(table, &labels);
                } else {
                    self.tables.push((table, labels));
                }
            }
            MInst::Ret { .. } => self.epilogue(),
            MInst::Udf { code } => {
                self.traps.push((self.asm.offset(), *code));
                self.asm.udf(*code as u16);
            }
        }
        Ok(())
    }

    /// `cbnz` (or `cbz` when `!nonzero`) to `target`.
    fn branch_zero(&mut self, size: Size, r: Gpr, nonzero: bool, target: Label) {
        if nonzero {
            self.asm.cbnz(size, r, target);
        } else {
            self.asm.cbz(size, r, target);
        }
    }

    /// `fmov` of zero or an encodable immediate, else a load from the literal pool.
    fn float_const(&mut self, size: FloatSize, d: Vreg, bits: u64) {
        if bits == 0 {
            self.asm.fmov_from_gpr(int_size(size), d, Gpr::Zr);
        } else if imm::fmov_imm(size, bits).is_some() {
            self.asm.fmov_imm(size, d, bits);
        } else {
            let m = match size {
                FloatSize::F32 => self.asm.const_u32(bits as u32),
                FloatSize::F64 => self.asm.const_u64(bits),
            };
            self.asm.load_fp(VSize::from(size), d, m);
        }
    }
}
