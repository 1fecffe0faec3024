//! Instruction selection, part 2: one IR instruction at a time, with its folded operands.

use super::inst::{
    AluOp, Amode, BitCount, BitOp, Cond, ExtFrom, FSize, FloatOp, LoadKind, MInst, Reg, RegMem, RegMemImm,
    RoundMode, ShiftOp, Size, StoreKind, UnaryIntOp, CC,
};
use super::lower::{class_of, size_of, Lower};
use crate::ir::{BinaryOp, ConvOp, FloatCC, Inst, InstData, IntCC, MemSize, Type, UnaryOp, Value};
use crate::regalloc::{RegClass, VReg};
use crate::{Error, Result};

/// The condition `data` reads as flags (a branch, select or conditional trap), unless the
/// condition is also one of its other operands.
fn flag_user_cond(data: &InstData) -> Option<Value> {
    match data {
        InstData::Brif { cond, .. } | InstData::Trapnz { cond, .. } | InstData::Trapz { cond, .. } => Some(*cond),
        InstData::Select { cond, args, .. } if !args.contains(cond) => Some(*cond),
        _ => None,
    }
}

impl Lower<'_> {
    /// Decide which instructions are emitted inside their single user (see the module docs
    /// of `lower.rs`). The users' lowering asks `sunk` and must agree with these rules.
    pub(super) fn mark_sunk(&mut self, blocks: &[crate::ir::Block]) {
        // Block and position of each instruction, for "defined earlier in this block" checks.
        let mut place: Vec<Option<(crate::ir::Block, usize)>> = vec![None; self.f.insts.len()];
        for &b in blocks {
            for (pos, &i) in self.f.blocks[b.index()].insts.iter().enumerate() {
                place[i.index()] = Some((b, pos));
            }
        }
        // Per value, its uses as the condition of a branch, select or trap in its own block.
        let mut flag_uses = vec![0u32; self.use_counts.len()];
        for &b in blocks {
            for &user in &self.f.blocks[b.index()].insts {
                if let Some(cond) = flag_user_cond(&self.f.insts[user.index()]) {
                    if self.def_inst(cond).is_some_and(|d| place[d.index()].is_some_and(|p| p.0 == b)) {
                        flag_uses[cond.index()] += 1;
                    }
                }
            }
        }
        for &b in blocks {
            let insts = &self.f.blocks[b.index()].insts;
            let pos_of = |i: Inst| place[i.index()].filter(|p| p.0 == b).map(|p| p.1);
            let mut last_effect: Option<usize> = None;
            for (pos, &user) in insts.iter().enumerate() {
                let data = &self.f.insts[user.index()];
                let single_local_def = |v: Value, this: &Self| -> Option<(Inst, usize)> {
                    let d = this.def_inst(v)?;
                    if this.use_counts[v.index()] != 1 {
                        return None;
                    }
                    Some((d, pos_of(d)?))
                };
                match data {
                    InstData::Brif { cond, .. }
                    | InstData::Select { cond, .. }
                    | InstData::Trapnz { cond, .. }
                    | InstData::Trapz { cond, .. } => {
                        if let Some((d, dpos)) = single_local_def(*cond, self) {
                            if matches!(self.f.insts[d.index()], InstData::Icmp { .. } | InstData::Fcmp { .. } | InstData::IsNull { .. })
                                || self.and_movable_to_test(d, dpos, last_effect)
                            {
                                self.sunk[d.index()] = true;
                            }
                        } else if let Some(d) = self.def_inst(*cond) {
                            // A compare of plain values read as a condition here is emitted
                            // again at each such use (a `cmp` each, rather than `setcc; movzx`
                            // and a `test` each, so the condition does not wait for the
                            // materialised value). Only where every use is a condition is it
                            // not materialised at all.
                            if let InstData::Icmp { args, .. } | InstData::Fcmp { args, .. } = self.f.insts[d.index()] {
                                let plain = args.iter().all(|&a| self.def_inst(a).is_none_or(|ad| !self.sunk[ad.index()]));
                                if plain && self.use_counts[cond.index()] == flag_uses[cond.index()] {
                                    self.sunk[d.index()] = true;
                                } else if plain && pos_of(d).is_some() {
                                    self.recompare[d.index()] = true;
                                }
                            }
                        }
                    }
                    InstData::Store { .. } if self.rmw_parts(user).is_some_and(|(bin, load, _, other)| {
                        // Both only feed this store, in this block, and nothing between the
                        // load and the store may write memory or trap; the operation's other
                        // operand is a plain value.
                        let single = |i: Inst| self.use_counts[self.f.results(i)[0].index()] == 1;
                        single(bin)
                            && single(load)
                            && pos_of(bin).is_some()
                            && pos_of(load).is_some_and(|lpos| last_effect.is_none_or(|e| e <= lpos))
                            && self.def_inst(other).is_none_or(|d| !self.sunk[d.index()])
                    }) =>
                    {
                        let (bin, load, ..) = self.rmw_parts(user).expect("checked above");
                        self.sunk[bin.index()] = true;
                        self.sunk[load.index()] = true;
                    }
                    InstData::Load { addr, offset, .. } | InstData::Store { addr, offset, .. } => {
                        // `x + c` or `x << k` that provably does not wrap becomes part of the
                        // access's machine address.
                        // So does one whose every use is such an access in its block.
                        let d = single_local_def(*addr, self).map(|(d, _)| d).or_else(|| self.add_folded_into_every_access(*addr));
                        if let Some(d) = d {
                            if self.address_parts(d, *offset).is_some() {
                                self.sunk[d.index()] = true;
                            }
                        }
                    }
                    InstData::Icmp { cond, args, .. } => {
                        // `x & y` compared with zero becomes `test x, y` when the and has no other use.
                        let (a, b, cc) = self.compare_operands(*cond, *args);
                        if self.iconst(b) == Some(0) && zero_test_cc(cc).is_some() {
                            if let Some((d, dpos)) = single_local_def(a, self) {
                                if self.and_movable_to_test(d, dpos, last_effect) {
                                    self.sunk[d.index()] = true;
                                }
                            }
                        }
                    }
                    InstData::Binary { op, ty, args } => {
                        let slots: &[usize] = match op {
                            BinaryOp::Iadd | BinaryOp::Imul | BinaryOp::And | BinaryOp::Or | BinaryOp::Xor => &[1, 0],
                            BinaryOp::Fadd | BinaryOp::Fmul => &[1, 0],
                            BinaryOp::Isub | BinaryOp::Fsub | BinaryOp::Fdiv => &[1],
                            _ => &[],
                        };
                        let foldable = slots.iter().find_map(|&s| {
                            let (d, dpos) = single_local_def(args[s], self)?;
                            let full_load = matches!(self.f.insts[d.index()],
                                InstData::Load { ty: lty, size: MemSize::Full, .. } if lty == *ty);
                            // Moving the load down past a side effect (other than the load
                            // itself) could reorder memory accesses or traps.
                            (full_load && last_effect.is_none_or(|e| e <= dpos) && args[0] != args[1]).then_some(d)
                        });
                        let inverted = (self.cpu.bmi1 && *op == BinaryOp::And && args[0] != args[1])
                            .then(|| {
                                [0, 1].iter().find_map(|&s| {
                                    let (d, _) = single_local_def(args[s], self)?;
                                    self.inverted_operand(d).is_some().then_some(d)
                                })
                            })
                            .flatten();
                        if let Some(d) = foldable {
                            self.sunk[d.index()] = true;
                        } else if let Some(d) = inverted {
                            // `!y & x` becomes one `andn`.
                            self.sunk[d.index()] = true;
                        } else if *op == BinaryOp::Iadd && args[0] != args[1] {
                            // `x + (y << k)` becomes one `lea` with a scaled index, and so does
                            // `c + (y << k)` for a constant `c` that fits the displacement.
                            let size = size_of(*ty);
                            let shift = [(0, 1), (1, 0)].iter().find_map(|&(s, other)| {
                                let (d, _) = single_local_def(args[s], self)?;
                                let other_ok = self.iconst(args[other]).is_none() || self.imm32(args[other], size).is_some();
                                (other_ok && self.scaled_index(d).is_some()).then_some(d)
                            });
                            // `(x + y) + c` becomes one `lea` with a displacement.
                            let nested = || {
                                [(0, 1), (1, 0)].iter().find_map(|&(s, other)| {
                                    let (d, _) = single_local_def(args[s], self)?;
                                    (self.imm32(args[other], size).is_some() && self.add_of_registers(d)).then_some(d)
                                })
                            };
                            if let Some(d) = shift.or_else(nested) {
                                self.sunk[d.index()] = true;
                            }
                        } else if *op == BinaryOp::Isub {
                            // `(x + y) - c` is `(x + y) + (-c)`: one `lea` too.
                            let size = size_of(*ty);
                            if let Some((d, _)) = single_local_def(args[0], self) {
                                let negatable = self.imm32(args[1], size).and_then(i32::checked_neg).is_some();
                                if negatable && self.add_of_registers(d) {
                                    self.sunk[d.index()] = true;
                                }
                            }
                        }
                    }
                    InstData::Simd { op, args } if self.cpu.avx => {
                        // A 16-byte load read only here becomes the memory operand of a
                        // three-operand AVX operation (VEX forms take unaligned memory).
                        let load = super::lower_simd_table::avx_memory_slots(*op).iter().find_map(|&s| {
                            let (d, dpos) = single_local_def(args[s], self)?;
                            let full_load =
                                matches!(self.f.insts[d.index()], InstData::Load { ty: Type::V128, size: MemSize::Full, .. });
                            (full_load && last_effect.is_none_or(|e| e <= dpos) && args[0] != args[1]).then_some(d)
                        });
                        if let Some(d) = load {
                            self.sunk[d.index()] = true;
                        }
                    }
                    _ => {}
                }
                if data.has_side_effects() {
                    last_effect = Some(pos);
                }
            }
        }
    }

    /// For a full-width integer store of `op(load, x)` (or `load - x`) whose load reads the
    /// address the store writes: the operation, the load, the machine operation and `x`. Such
    /// a store becomes one `op [mem], x` when `mark_sunk` sinks the operation into it.
    fn rmw_parts(&self, store: Inst) -> Option<(Inst, Inst, AluOp, Value)> {
        let InstData::Store { ty, size: MemSize::Full, heap, addr, offset, value } = self.f.insts[store.index()] else {
            return None;
        };
        if !matches!(ty, Type::I32 | Type::I64) {
            return None;
        }
        let bin = self.def_inst(value)?;
        let InstData::Binary { op, ty: bty, args } = self.f.insts[bin.index()] else { return None };
        let (alu, slots): (AluOp, &[usize]) = match op {
            BinaryOp::Iadd => (AluOp::Add, &[0, 1]),
            BinaryOp::Isub => (AluOp::Sub, &[0]),
            BinaryOp::And => (AluOp::And, &[0, 1]),
            BinaryOp::Or => (AluOp::Or, &[0, 1]),
            BinaryOp::Xor => (AluOp::Xor, &[0, 1]),
            _ => return None,
        };
        if bty != ty || args[0] == args[1] {
            return None;
        }
        slots.iter().find_map(|&s| {
            let load = self.def_inst(args[s])?;
            let same_place = matches!(self.f.insts[load.index()],
                InstData::Load { ty: lty, size: MemSize::Full, heap: h, addr: a, offset: o }
                    if lty == ty && h == heap && a == addr && o == offset);
            same_place.then_some((bin, load, alu, args[1 - s]))
        })
    }

    /// Lowers a store that `rmw_parts` describes and `mark_sunk` fused, as `op [mem], x`.
    fn lower_rmw_store(&mut self, store: Inst) -> Result<bool> {
        let Some((bin, _, op, other)) = self.rmw_parts(store) else { return Ok(false) };
        if !self.sunk[bin.index()] {
            return Ok(false);
        }
        let InstData::Store { ty, heap, addr, offset, .. } = self.f.insts[store.index()] else { return Ok(false) };
        let size = size_of(ty);
        let src = match self.imm32(other, size) {
            Some(imm) => RegMemImm::Imm(imm),
            None => RegMemImm::Rm(RegMem::Reg(self.put_in_reg(other)?)),
        };
        let amode = self.heap_amode(heap, addr, offset)?;
        self.emit(MInst::AluMem { op, size, amode, src, trap: true });
        Ok(true)
    }

    /// Whether `inst`, at `pos` in its block, is an integer `and` that may be emitted as a
    /// `test` at a later point of the block whose last side effect so far is `last_effect`.
    /// Its operands must be registers, immediates, or loads not moved past a side effect
    /// (other folded forms, like the `!y` of `andn`, have no `test` equivalent).
    fn and_movable_to_test(&self, inst: Inst, pos: usize, last_effect: Option<usize>) -> bool {
        let InstData::Binary { op: BinaryOp::And, ty, args } = self.f.insts[inst.index()] else {
            return false;
        };
        ty.is_int()
            && args.iter().all(|&v| match self.def_inst(v) {
                Some(d) if self.sunk[d.index()] => self.is_folded_load(v) && last_effect.is_none_or(|e| e <= pos),
                _ => true,
            })
    }

    /// The operands of a sunk `and` that is emitted as a `test`.
    fn sunk_and(&self, v: Value) -> Option<[Value; 2]> {
        let d = self.def_inst(v)?;
        match self.f.insts[d.index()] {
            InstData::Binary { op: BinaryOp::And, args, .. } if self.sunk[d.index()] => Some(args),
            _ => None,
        }
    }

    /// `test x, y` for `x & y`: the flags of the and without its result. The constant or
    /// folded load goes on the right, where x86 takes it.
    fn emit_test_and(&mut self, size: Size, [a, b]: [Value; 2]) -> Result<()> {
        let (x, y) = if self.iconst(a).is_some() || self.is_folded_load(a) { (b, a) } else { (a, b) };
        let rhs = self.rmi(y, size)?;
        let lhs = self.put_in_reg(x)?;
        self.emit(MInst::Test { size, lhs, rhs });
        Ok(())
    }

    /// A load folded into its user, as a memory operand.
    pub(super) fn folded_load(&mut self, v: Value) -> Result<Option<RegMem>> {
        let Some(d) = self.def_inst(v) else { return Ok(None) };
        if !self.sunk[d.index()] {
            return Ok(None);
        }
        match self.f.insts[d.index()] {
            InstData::Load { heap, addr, offset, .. } => {
                let amode = self.heap_amode(heap, addr, offset)?;
                Ok(Some(RegMem::Mem { amode, trap: true }))
            }
            _ => Ok(None),
        }
    }

    /// `(y, 2^k)` when `inst` is `y << k` with a constant `k` of 1, 2 or 3 (modulo the width):
    /// an x86 index register and scale.
    fn scaled_index(&self, inst: Inst) -> Option<(Value, u8)> {
        let InstData::Binary { op: BinaryOp::Shl, ty, args: [y, k] } = self.f.insts[inst.index()] else {
            return None;
        };
        match self.iconst(k)? % size_of(ty).bits() as u64 {
            k @ 1..=3 => Some((y, 1 << k)),
            _ => None,
        }
    }

    /// The index and scale of an add's operand that is a shift emitted inside the add.
    fn sunk_scaled_index(&self, v: Value) -> Option<(Value, u8)> {
        let d = self.def_inst(v)?;
        if self.sunk[d.index()] { self.scaled_index(d) } else { None }
    }

    /// Whether `inst` is an add of two non-constant values (one may be a sunk shift), which
    /// an x86 address can compute.
    fn add_of_registers(&self, inst: Inst) -> bool {
        let InstData::Binary { op: BinaryOp::Iadd, args, .. } = self.f.insts[inst.index()] else {
            return false;
        };
        args.iter().all(|&v| self.iconst(v).is_none() && !self.is_folded_load(v))
    }

    /// The operands of an add emitted inside the add of a constant that uses it.
    fn sunk_add(&self, v: Value) -> Option<[Value; 2]> {
        let d = self.def_inst(v)?;
        match self.f.insts[d.index()] {
            InstData::Binary { op: BinaryOp::Iadd, args, .. } if self.sunk[d.index()] => Some(args),
            _ => None,
        }
    }

    /// `a + b + disp` as an address, for registers `a` and `b` (either may be a sunk shift).
    fn register_sum_amode(&mut self, [a, b]: [Value; 2], disp: i32) -> Result<Amode> {
        let (base, (index, scale)) = match (self.sunk_scaled_index(b), self.sunk_scaled_index(a)) {
            (Some(scaled), _) => (a, scaled),
            (None, Some(scaled)) => (b, scaled),
            (None, None) => (a, (b, 1)),
        };
        let base = self.put_in_reg(base)?;
        let index = self.put_in_reg(index)?;
        Ok(Amode::Regs { base, index: Some((index, scale)), disp })
    }

    /// `y` when `inst` is `y ^ -1` (or `-1 ^ y`), an integer `!y`.
    fn inverted_operand(&self, inst: Inst) -> Option<Value> {
        let InstData::Binary { op: BinaryOp::Xor, ty, args: [a, b] } = self.f.insts[inst.index()] else {
            return None;
        };
        let ones = if size_of(ty) == Size::S32 { u64::from(u32::MAX) } else { u64::MAX };
        let all_ones = |v: Value| self.iconst(v).is_some_and(|c| c & ones == ones);
        if all_ones(b) {
            Some(a)
        } else if all_ones(a) {
            Some(b)
        } else {
            None
        }
    }

    /// `y` when `v` is a sunk `!y` (see [`Self::inverted_operand`]).
    fn sunk_inverted(&self, v: Value) -> Option<Value> {
        let d = self.def_inst(v)?;
        if self.sunk[d.index()] { self.inverted_operand(d) } else { None }
    }

    pub(super) fn is_folded_load(&self, v: Value) -> bool {
        self.def_inst(v).is_some_and(|d| self.sunk[d.index()] && matches!(self.f.insts[d.index()], InstData::Load { .. }))
    }

    /// The value in a virtual register, materialising constants at this use.
    pub(super) fn put_in_vreg(&mut self, v: Value) -> Result<VReg> {
        let ty = self.f.value_type(v);
        if self.held_const(v).is_some() {
            return Ok(self.vreg(v));
        }
        if ty.is_int() {
            if let Some(c) = self.iconst(v) {
                let dst = self.new_vreg(RegClass::Int);
                self.emit(MInst::Imm { size: size_of(ty), dst: Reg::Virt(dst), imm: c });
                return Ok(dst);
            }
        }
        match self.def_data(v) {
            Some(InstData::F32const { bits }) => return Ok(self.float_const(FSize::F32, *bits as u64)),
            Some(InstData::F64const { bits }) => return Ok(self.float_const(FSize::F64, *bits)),
            Some(InstData::V128const { bytes }) => return Ok(self.v128_const(*bytes)),
            _ => {}
        }
        if let Some(RegMem::Mem { amode, trap }) = self.folded_load(v)? {
            // Defensive: a folded load read by a path that wants a register.
            let dst = self.new_vreg(class_of(ty));
            self.emit(MInst::Load { kind: super::lower::load_kind_full(ty)?, dst: Reg::Virt(dst), amode, trap });
            return Ok(dst);
        }
        Ok(self.vreg(v))
    }

    pub(super) fn put_in_reg(&mut self, v: Value) -> Result<Reg> {
        self.put_in_vreg(v).map(Reg::Virt)
    }

    /// A constant that a call-free loop deeper than its definition reads and that costs
    /// something at each use: a 64-bit one too wide for an immediate (a `movabs`) or a non-zero
    /// float (a constant-pool load). It is defined once in a register where the IR defines it,
    /// which LICM put outside the loop; the allocator spills it if the loop needs the register.
    fn held_const(&self, v: Value) -> Option<HeldConst> {
        if !self.used_deeper[v.index()] {
            return None;
        }
        match *self.def_data(v)? {
            InstData::Iconst { ty: Type::I64, imm } if i32::try_from(imm).is_err() => Some(HeldConst::Int(imm as u64)),
            InstData::F32const { bits } if bits != 0 => Some(HeldConst::Float(FSize::F32, bits as u64)),
            InstData::F64const { bits } if bits != 0 => Some(HeldConst::Float(FSize::F64, bits)),
            _ => None,
        }
    }

    fn float_const(&mut self, size: FSize, bits: u64) -> VReg {
        let dst = self.new_vreg(RegClass::Float);
        if bits == 0 {
            self.emit(MInst::XmmZero { dst: Reg::Virt(dst) });
        } else {
            self.emit(MInst::FloatConst { size, dst: Reg::Virt(dst), bits });
        }
        dst
    }

    /// An integer constant usable as an instruction's 32-bit immediate at `size`.
    fn imm32(&self, v: Value, size: Size) -> Option<i32> {
        let c = self.iconst(v)?;
        match size {
            Size::S32 => Some(c as u32 as i32),
            Size::S64 => i32::try_from(c as i64).ok(),
        }
    }

    fn rm(&mut self, v: Value) -> Result<RegMem> {
        match self.folded_load(v)? {
            Some(m) => Ok(m),
            None => Ok(RegMem::Reg(self.put_in_reg(v)?)),
        }
    }

    fn rmi(&mut self, v: Value, size: Size) -> Result<RegMemImm> {
        match self.imm32(v, size) {
            Some(i) => Ok(RegMemImm::Imm(i)),
            None => Ok(RegMemImm::Rm(self.rm(v)?)),
        }
    }

    /// For an i32 address computed by `inst`, used by an access at `offset`: `(x, scale,
    /// disp)` with `zext(addr) + offset == zext(x) * scale + disp`, when `inst` is `x + c`,
    /// `(y << k) + c` or `y << k` (k of 1 to 3) that cannot wrap (by the bounds of `x`, `y`),
    /// and `disp` fits a displacement. `x` is the shifted value itself when the shift is
    /// emitted on its own.
    pub(super) fn address_parts(&self, inst: Inst, offset: u32) -> Option<(Value, u8, i32)> {
        let InstData::Binary { op, ty: Type::I32, args: [x, y] } = self.f.insts[inst.index()] else {
            return None;
        };
        let bound = |v: Value| crate::passes::bounds::u32_bound(self.f, v);
        match op {
            BinaryOp::Iadd => {
                let c = self.iconst(y)? & 0xffff_ffff;
                let disp = i32::try_from(c + u64::from(offset)).ok()?;
                let plain = self.def_inst(x).is_none_or(|d| !self.sunk[d.index()]);
                let (index, scale) = match self.sunk_scaled_index(x) {
                    Some(scaled) => scaled,
                    None if plain && self.iconst(x).is_none() => (x, 1),
                    None => return None,
                };
                // No wrap: by the bounds of `x`, or because an access at `x` ran before.
                let after_access = scale == 1 && index == x && self.addr_facts.after_access[inst.index()];
                (bound(x) + c <= u64::from(u32::MAX) || after_access).then_some((index, scale, disp))
            }
            BinaryOp::Shl => {
                let (index, scale) = self.scaled_index(inst)?;
                let disp = i32::try_from(offset).ok()?;
                (bound(x) * u64::from(scale) <= u64::from(u32::MAX)).then_some((index, scale, disp))
            }
            _ => None,
        }
    }

    /// `heap + zext(addr) + offset`. i32 values are zero-extended in their registers already.
    pub(super) fn heap_amode(&mut self, heap: Value, addr: Value, offset: u32) -> Result<Amode> {
        let base = self.put_in_reg(heap)?;
        if let Some(d) = self.def_inst(addr).filter(|d| self.sunk[d.index()]) {
            let (index, scale, disp) = self
                .address_parts(d, offset)
                .ok_or_else(|| Error::msg("x86_64: a sunk address is not foldable"))?;
            let index = self.put_in_reg(index)?;
            return Ok(Amode::Regs { base, index: Some((index, scale)), disp });
        }
        if let Some(a) = self.iconst(addr) {
            let total = (a & 0xffff_ffff) + offset as u64;
            if let Ok(disp) = i32::try_from(total) {
                return Ok(Amode::Regs { base, index: None, disp });
            }
        }
        let index = self.put_in_reg(addr)?;
        if let Ok(disp) = i32::try_from(offset) {
            return Ok(Amode::Regs { base, index: Some((index, 1)), disp });
        }
        // The offset does not fit a signed disp32: add it (zero-extended) to the address.
        let off = Reg::Virt(self.new_vreg(RegClass::Int));
        self.emit(MInst::Imm { size: Size::S32, dst: off, imm: offset as u64 });
        let sum = Reg::Virt(self.new_vreg(RegClass::Int));
        self.emit(MInst::Alu { op: AluOp::Add, size: Size::S64, dst: sum, lhs: off, rhs: RegMemImm::Rm(RegMem::Reg(index)) });
        Ok(Amode::Regs { base, index: Some((sum, 1)), disp: 0 })
    }

    pub(super) fn lower_inst(&mut self, inst: Inst) -> Result<()> {
        let data = &self.f.insts[inst.index()];
        match *data {
            // Constants are materialised at their uses, but for costly ones loops read.
            InstData::Iconst { .. } | InstData::F32const { .. } | InstData::F64const { .. } => {
                let v = self.f.results(inst)[0];
                if let Some(held) = self.held_const(v) {
                    let dst = Reg::Virt(self.vreg(v));
                    self.emit(held.define(dst));
                }
                self.define_held_magic(v);
                Ok(())
            }
            InstData::RefNull => Ok(()),
            InstData::V128const { .. } => Ok(()),
            InstData::Simd { op, ref args } => self.lower_simd(inst, op, args),
            InstData::Unary { op, ty, arg } => self.lower_unary(inst, op, ty, arg),
            InstData::Binary { op, ty, args } => self.lower_binary(inst, op, ty, args),
            InstData::Icmp { .. } | InstData::Fcmp { .. } | InstData::IsNull { .. } => {
                let dst = self.result(inst, 0)?;
                let v = self.f.results(inst)[0];
                let cond = self.flags_for(v, inst)?;
                let tmp = match cond {
                    Cond::Simple(_) => None,
                    _ => Some(Reg::Virt(self.new_vreg(RegClass::Int))),
                };
                self.emit(MInst::Setcc { cond, dst, tmp });
                Ok(())
            }
            InstData::Conv { op, from, to, arg } => self.lower_conv(inst, op, from, to, arg),
            InstData::Select { ty, cond, args } => self.lower_select(inst, ty, cond, args),
            InstData::Load { ty, size, heap, addr, offset } => {
                let kind = load_kind(ty, size)?;
                let amode = self.heap_amode(heap, addr, offset)?;
                let dst = self.result(inst, 0)?;
                self.emit(MInst::Load { kind, dst, amode, trap: true });
                Ok(())
            }
            InstData::Store { ty, size, heap, addr, offset, value } => {
                if self.lower_rmw_store(inst)? {
                    return Ok(());
                }
                let kind = store_kind(ty, size)?;
                let amode = self.heap_amode(heap, addr, offset)?;
                self.store(kind, ty, value, amode, true)
            }
            InstData::LoadPtr { ty, ptr, offset, .. } => {
                let kind = super::lower::load_kind_full(ty)?;
                let amode = Amode::base_disp(self.put_in_reg(ptr)?, offset);
                let dst = self.result(inst, 0)?;
                self.emit(MInst::Load { kind, dst, amode, trap: false });
                Ok(())
            }
            InstData::StorePtr { ty, ptr, offset, value } => {
                let kind = store_kind(ty, MemSize::Full)?;
                let amode = Amode::base_disp(self.put_in_reg(ptr)?, offset);
                self.store(kind, ty, value, amode, false)
            }
            InstData::Call { .. } | InstData::CallIndirect { .. } | InstData::CallRuntime { .. } => crate::isa::lower_call::lower_call(self, inst),
            InstData::Trapnz { cond, code } => {
                let c = self.lower_cond(cond)?;
                self.emit(MInst::TrapIf { cond: c, code });
                Ok(())
            }
            InstData::Trapz { cond, code } => {
                let c = self.lower_cond(cond)?;
                self.emit(MInst::TrapIf { cond: c.invert(), code });
                Ok(())
            }
            _ => Err(Error::msg("x86_64: terminator in the middle of a block")),
        }
    }

    pub(super) fn store(&mut self, kind: StoreKind, ty: Type, value: Value, amode: Amode, trap: bool) -> Result<()> {
        let size = if kind == StoreKind::Int64 { Size::S64 } else { Size::S32 };
        if let (true, Some(imm)) = (ty.is_int(), self.imm32(value, size)) {
            // A narrow store keeps the low bits; the encoder takes an immediate of its width.
            let imm = match kind {
                StoreKind::Int8 => imm as i8 as i32,
                StoreKind::Int16 => imm as i16 as i32,
                _ => imm,
            };
            self.emit(MInst::StoreImm { kind, imm, amode, trap });
        } else {
            let src = self.put_in_reg(value)?;
            self.emit(MInst::Store { kind, src, amode, trap });
        }
        Ok(())
    }

    /// Set the flags for boolean `cond` and say which condition means "true".
    pub(super) fn lower_cond(&mut self, cond: Value) -> Result<Cond> {
        match self.def_inst(cond) {
            Some(d) if self.sunk[d.index()] || self.recompare[d.index()] => self.flags_for(cond, d),
            _ => {
                let r = self.put_in_reg(cond)?;
                self.emit(MInst::Test { size: Size::S32, lhs: r, rhs: RegMemImm::Rm(RegMem::Reg(r)) });
                Ok(Cond::Simple(CC::NE))
            }
        }
    }

    /// Emit the compare that `inst` (an icmp, fcmp or is_null) stands for.
    fn flags_for(&mut self, _v: Value, inst: Inst) -> Result<Cond> {
        match self.f.insts[inst.index()] {
            InstData::Icmp { cond, ty, args } => self.int_compare(cond, ty, args),
            InstData::Fcmp { cond, ty, args } => self.float_compare(cond, ty, args),
            InstData::Binary { op: BinaryOp::And, ty, args } => {
                self.emit_test_and(size_of(ty), args)?;
                Ok(Cond::Simple(CC::NE))
            }
            InstData::IsNull { arg } => {
                let r = self.put_in_reg(arg)?;
                self.emit(MInst::Test { size: Size::S64, lhs: r, rhs: RegMemImm::Rm(RegMem::Reg(r)) });
                Ok(Cond::Simple(CC::E))
            }
            _ => Err(Error::msg("x86_64: not a comparison")),
        }
    }

    fn int_compare(&mut self, cc: IntCC, ty: Type, args: [Value; 2]) -> Result<Cond> {
        let size = size_of(ty);
        let (a, b, cc) = self.compare_operands(cc, args);
        if self.iconst(b) == Some(0) {
            if let Some(zcc) = zero_test_cc(cc) {
                if let Some(and_args) = self.sunk_and(a) {
                    self.emit_test_and(size, and_args)?;
                } else {
                    let r = self.put_in_reg(a)?;
                    self.emit(MInst::Test { size, lhs: r, rhs: RegMemImm::Rm(RegMem::Reg(r)) });
                }
                return Ok(Cond::Simple(zcc));
            }
        }
        let lhs = self.put_in_reg(a)?;
        let rhs = self.rmi(b, size)?;
        self.emit(MInst::Cmp { size, lhs, rhs });
        Ok(Cond::Simple(intcc_to_cc(cc)))
    }

    /// An integer compare's operands with a lone constant on the right.
    fn compare_operands(&self, cc: IntCC, args: [Value; 2]) -> (Value, Value, IntCC) {
        if self.iconst(args[0]).is_some() && self.iconst(args[1]).is_none() {
            (args[1], args[0], swap_intcc(cc))
        } else {
            (args[0], args[1], cc)
        }
    }

    fn float_compare(&mut self, cc: FloatCC, ty: Type, args: [Value; 2]) -> Result<Cond> {
        let size = fsize(ty)?;
        // `ucomis` sets "above" only for ordered operands, so lt/le swap into gt/ge.
        let (a, b, cond) = match cc {
            FloatCC::Eq => (args[0], args[1], Cond::EqOrdered),
            FloatCC::Ne => (args[0], args[1], Cond::NeOrUnordered),
            FloatCC::Gt => (args[0], args[1], Cond::Simple(CC::A)),
            FloatCC::Ge => (args[0], args[1], Cond::Simple(CC::AE)),
            FloatCC::Lt => (args[1], args[0], Cond::Simple(CC::A)),
            FloatCC::Le => (args[1], args[0], Cond::Simple(CC::AE)),
        };
        let lhs = self.put_in_reg(a)?;
        let rhs = self.put_in_reg(b)?;
        self.emit(MInst::Ucomis { size, lhs, rhs });
        Ok(cond)
    }

    fn lower_select(&mut self, inst: Inst, ty: Type, cond: Value, args: [Value; 2]) -> Result<()> {
        let dst = self.result(inst, 0)?;
        // Operands first: materialising a constant may clobber the flags.
        let x = self.put_in_reg(args[0])?;
        let y = self.put_in_reg(args[1])?;
        let c = self.lower_cond(cond)?;
        // `EqOrdered` needs two flags; selecting the other way round uses its inverse.
        let (c, cons, alt) = if c == Cond::EqOrdered { (c.invert(), y, x) } else { (c, x, y) };
        if class_of(ty) == RegClass::Float {
            self.emit(MInst::XmmCmove { cond: c, dst, alt, cons });
        } else {
            self.emit(MInst::Cmov { size: size_of(ty), cond: c, dst, alt, cons: RegMem::Reg(cons) });
        }
        Ok(())
    }

    fn lower_unary(&mut self, inst: Inst, op: UnaryOp, ty: Type, arg: Value) -> Result<()> {
        let dst = self.result(inst, 0)?;
        let size = size_of(ty);
        match op {
            UnaryOp::Clz | UnaryOp::Ctz | UnaryOp::Popcnt => {
                let op = match op {
                    UnaryOp::Clz => BitCount::Clz,
                    UnaryOp::Ctz => BitCount::Ctz,
                    _ => BitCount::Popcnt,
                };
                let src = self.put_in_reg(arg)?;
                let one_inst = match op {
                    BitCount::Clz => self.cpu.lzcnt,
                    BitCount::Ctz => self.cpu.bmi1,
                    BitCount::Popcnt => self.cpu.popcnt,
                };
                if one_inst {
                    self.emit(MInst::BitCountInst { op, size, dst, src });
                    return Ok(());
                }
                let tmp = Reg::Virt(self.new_vreg(RegClass::Int));
                let tmp2 = Reg::Virt(self.new_vreg(RegClass::Int));
                self.emit(MInst::BitCount { op, size, dst, src, tmp, tmp2 });
            }
            UnaryOp::Sext8 | UnaryOp::Sext16 | UnaryOp::Sext32 => {
                let from = match op {
                    UnaryOp::Sext8 => ExtFrom::B8,
                    UnaryOp::Sext16 => ExtFrom::B16,
                    _ => ExtFrom::B32,
                };
                let src = RegMem::Reg(self.put_in_reg(arg)?);
                self.emit(MInst::Movsx { from, size, dst, src });
            }
            UnaryOp::Fabs | UnaryOp::Fneg => {
                let fs = fsize(ty)?;
                let (bits_op, mask) = match (op, fs) {
                    (UnaryOp::Fabs, FSize::F32) => (BitOp::And, 0x7fff_ffff),
                    (UnaryOp::Fabs, FSize::F64) => (BitOp::And, 0x7fff_ffff_ffff_ffff),
                    (_, FSize::F32) => (BitOp::Xor, 0x8000_0000),
                    (_, FSize::F64) => (BitOp::Xor, 0x8000_0000_0000_0000),
                };
                let src = self.put_in_reg(arg)?;
                // The mask register is dead afterwards, so the result takes it over.
                let m = Reg::Virt(self.float_const(fs, mask));
                self.emit(MInst::XmmBits { op: bits_op, dst, lhs: m, rhs: src });
            }
            UnaryOp::Fsqrt => {
                let src = self.put_in_reg(arg)?;
                self.emit(MInst::Sqrt { size: fsize(ty)?, dst, src });
            }
            UnaryOp::Fceil | UnaryOp::Ffloor | UnaryOp::Ftrunc | UnaryOp::Fnearest => {
                let mode = match op {
                    UnaryOp::Fceil => RoundMode::Ceil,
                    UnaryOp::Ffloor => RoundMode::Floor,
                    UnaryOp::Ftrunc => RoundMode::Trunc,
                    _ => RoundMode::Nearest,
                };
                let src = self.put_in_reg(arg)?;
                self.emit(MInst::Round { size: fsize(ty)?, mode, dst, src });
            }
        }
        Ok(())
    }

    fn lower_binary(&mut self, inst: Inst, op: BinaryOp, ty: Type, args: [Value; 2]) -> Result<()> {
        let dst = self.result(inst, 0)?;
        if ty.is_float() {
            return self.lower_float_binary(dst, op, fsize(ty)?, args);
        }
        let size = size_of(ty);
        let commutative = matches!(op, BinaryOp::Iadd | BinaryOp::Imul | BinaryOp::And | BinaryOp::Or | BinaryOp::Xor);
        let [a, b] = args;
        // Put the immediate or folded load on the right, where x86 takes it.
        let (x, y) = if commutative
            && (self.iconst(a).is_some() && self.iconst(b).is_none() || self.is_folded_load(a))
        {
            (b, a)
        } else {
            (a, b)
        };
        let alu = |this: &mut Self, op: AluOp| -> Result<()> {
            let rhs = this.rmi(y, size)?;
            let lhs = this.put_in_reg(x)?;
            this.emit(MInst::Alu { op, size, dst, lhs, rhs });
            Ok(())
        };
        match op {
            // A 32-bit `lea` wraps like i32 arithmetic.
            BinaryOp::Iadd if self.sunk_add(x).is_some() => {
                let inner = self.sunk_add(x).ok_or_else(|| Error::msg("x86_64: lost a nested add"))?;
                let disp = self.imm32(y, size).ok_or_else(|| Error::msg("x86_64: nested add without a displacement"))?;
                let amode = self.register_sum_amode(inner, disp)?;
                self.emit(MInst::Lea { size, dst, amode });
            }
            BinaryOp::Iadd if self.sunk_scaled_index(x).or(self.sunk_scaled_index(y)).is_some() => {
                let amode = match (self.imm32(x, size), self.imm32(y, size)) {
                    (Some(disp), _) => {
                        let (index, scale) = self.sunk_scaled_index(y).ok_or_else(|| Error::msg("x86_64: lost a scaled index"))?;
                        Amode::Scaled { index: self.put_in_reg(index)?, scale, disp }
                    }
                    (None, Some(disp)) => {
                        let (index, scale) = self.sunk_scaled_index(x).ok_or_else(|| Error::msg("x86_64: lost a scaled index"))?;
                        Amode::Scaled { index: self.put_in_reg(index)?, scale, disp }
                    }
                    (None, None) => self.register_sum_amode([x, y], 0)?,
                };
                self.emit(MInst::Lea { size, dst, amode });
            }
            BinaryOp::Iadd => match self.imm32(y, size) {
                Some(0) => {
                    let src = self.put_in_reg(x)?;
                    self.emit(MInst::Move { dst, src, float: false });
                }
                Some(disp) => {
                    let base = self.put_in_reg(x)?;
                    self.emit(MInst::Lea { size, dst, amode: Amode::Regs { base, index: None, disp } });
                }
                None if self.is_folded_load(y) => alu(self, AluOp::Add)?,
                None => {
                    let base = self.put_in_reg(x)?;
                    let index = self.put_in_reg(y)?;
                    self.emit(MInst::Lea { size, dst, amode: Amode::Regs { base, index: Some((index, 1)), disp: 0 } });
                }
            },
            BinaryOp::Isub => {
                if self.iconst(x) == Some(0) {
                    let src = self.put_in_reg(y)?;
                    self.emit(MInst::UnaryInt { op: UnaryIntOp::Neg, size, dst, src });
                } else if let Some(disp) = self.imm32(y, size).and_then(i32::checked_neg) {
                    if let Some(inner) = self.sunk_add(x) {
                        let amode = self.register_sum_amode(inner, disp)?;
                        self.emit(MInst::Lea { size, dst, amode });
                        return Ok(());
                    }
                    let base = self.put_in_reg(x)?;
                    self.emit(MInst::Lea { size, dst, amode: Amode::Regs { base, index: None, disp } });
                } else {
                    alu(self, AluOp::Sub)?;
                }
            }
            BinaryOp::And => {
                let and_not = self.sunk_inverted(x).map(|n| (n, y)).or_else(|| self.sunk_inverted(y).map(|n| (n, x)));
                match and_not {
                    Some((inverted, other)) => {
                        let inverted = self.put_in_reg(inverted)?;
                        let other = self.put_in_reg(other)?;
                        self.emit(MInst::Andn { size, dst, inverted, other });
                    }
                    // The low byte or half: `movzx` leaves `x` where it is (no copy).
                    None => {
                        let low = match self.iconst(y) {
                            Some(0xff) => Some(ExtFrom::B8),
                            Some(0xffff) => Some(ExtFrom::B16),
                            _ => None,
                        };
                        match low.filter(|_| !self.is_folded_load(x)) {
                            Some(from) => {
                                let src = self.put_in_reg(x)?;
                                self.emit(MInst::Movzx { from, dst, src });
                            }
                            None => alu(self, AluOp::And)?,
                        }
                    }
                }
            }
            BinaryOp::Or => alu(self, AluOp::Or)?,
            BinaryOp::Xor => alu(self, AluOp::Xor)?,
            BinaryOp::Imul => match self.imm32(y, size) {
                Some(imm) => {
                    let src = self.rm(x)?;
                    self.emit(MInst::ImulImm { size, dst, src, imm });
                }
                None => {
                    let rhs = RegMemImm::Rm(self.rm(y)?);
                    let lhs = self.put_in_reg(x)?;
                    self.emit(MInst::Alu { op: AluOp::Imul, size, dst, lhs, rhs });
                }
            },
            BinaryOp::Shl | BinaryOp::Sshr | BinaryOp::Ushr | BinaryOp::Rotl | BinaryOp::Rotr => {
                let sop = match op {
                    BinaryOp::Shl => ShiftOp::Shl,
                    BinaryOp::Sshr => ShiftOp::Sar,
                    BinaryOp::Ushr => ShiftOp::Shr,
                    BinaryOp::Rotl => ShiftOp::Rol,
                    _ => ShiftOp::Ror,
                };
                let src = self.put_in_reg(a)?;
                // Wasm and x86 both take the count modulo the width.
                match self.iconst(b) {
                    Some(c) if c % size.bits() as u64 == 0 => self.emit(MInst::Move { dst, src, float: false }),
                    Some(c) if self.cpu.bmi2 && matches!(sop, ShiftOp::Rol | ShiftOp::Ror) => {
                        // rorx only rotates right: left by c is right by width - c (c is not 0 here).
                        let c = (c % size.bits() as u64) as u8;
                        let imm = if sop == ShiftOp::Ror { c } else { size.bits() as u8 - c };
                        self.emit(MInst::Rorx { size, dst, src, imm });
                    }
                    Some(c) => {
                        let imm = (c % size.bits() as u64) as u8;
                        self.emit(MInst::Shift { op: sop, size, dst, src, count: None, imm });
                    }
                    None if self.cpu.bmi2 && matches!(sop, ShiftOp::Shl | ShiftOp::Shr | ShiftOp::Sar) => {
                        let count = self.put_in_reg(b)?;
                        self.emit(MInst::ShiftX { op: sop, size, dst, src, count });
                    }
                    None => {
                        let count = Some(self.put_in_reg(b)?);
                        self.emit(MInst::Shift { op: sop, size, dst, src, count, imm: 0 });
                    }
                }
            }
            BinaryOp::Sdiv | BinaryOp::Udiv | BinaryOp::Srem | BinaryOp::Urem => {
                let signed = matches!(op, BinaryOp::Sdiv | BinaryOp::Srem);
                let rem = matches!(op, BinaryOp::Srem | BinaryOp::Urem);
                if let Some(d) = self.iconst(b) {
                    let done = if signed {
                        self.lower_sdiv_pow2(dst, a, d, size, rem)?
                    } else {
                        self.lower_udiv_const(dst, a, b, d, size, rem)?
                    };
                    if done {
                        return Ok(());
                    }
                }
                let divisor_const = self.iconst(b).map(|c| if size == Size::S32 { c as u32 as i32 as i64 } else { c as i64 });
                let checked = match divisor_const {
                    Some(0) | None => true,
                    Some(-1) => signed,
                    Some(_) => false,
                };
                let dividend = self.put_in_reg(a)?;
                // The divisor needs its own register even when it is the dividend's value.
                let divisor = if a == b {
                    let d = Reg::Virt(self.new_vreg(RegClass::Int));
                    self.emit(MInst::Move { dst: d, src: dividend, float: false });
                    d
                } else {
                    self.put_in_reg(b)?
                };
                let other = Reg::Virt(self.new_vreg(RegClass::Int));
                let (quot, rem_out) = if rem { (other, dst) } else { (dst, other) };
                self.emit(MInst::Div { size, signed, rem, dividend, divisor, quot, rem_out, checked });
            }
            _ => return Err(Error::msg(format!("x86_64: {op:?} on {ty} is not an integer operation"))),
        }
        Ok(())
    }

    fn lower_float_binary(&mut self, dst: Reg, op: BinaryOp, size: FSize, args: [Value; 2]) -> Result<()> {
        let [a, b] = args;
        let arith = |this: &mut Self, fop: FloatOp, commutative: bool| -> Result<()> {
            let (x, y) = if commutative && this.is_folded_load(a) { (b, a) } else { (a, b) };
            let rhs = this.rm(y)?;
            let lhs = this.put_in_reg(x)?;
            if this.cpu.avx {
                this.emit(MInst::AvxFloatArith { op: fop, size, dst, lhs, rhs });
            } else {
                this.emit(MInst::FloatArith { op: fop, size, dst, lhs, rhs });
            }
            Ok(())
        };
        match op {
            BinaryOp::Fadd => arith(self, FloatOp::Add, true),
            BinaryOp::Fsub => arith(self, FloatOp::Sub, false),
            BinaryOp::Fmul => arith(self, FloatOp::Mul, true),
            BinaryOp::Fdiv => arith(self, FloatOp::Div, false),
            BinaryOp::Fmin | BinaryOp::Fmax => {
                let lhs = self.put_in_reg(a)?;
                let rhs = self.put_in_reg(b)?;
                self.emit(MInst::FMinMax { min: op == BinaryOp::Fmin, size, dst, lhs, rhs });
                Ok(())
            }
            BinaryOp::Fcopysign => {
                let sign = match size {
                    FSize::F32 => 0x8000_0000,
                    FSize::F64 => 0x8000_0000_0000_0000,
                };
                let x = self.put_in_reg(a)?;
                let y = self.put_in_reg(b)?;
                let m1 = Reg::Virt(self.float_const(size, sign));
                let magnitude = Reg::Virt(self.new_vreg(RegClass::Float));
                self.emit(MInst::XmmBits { op: BitOp::Andn, dst: magnitude, lhs: m1, rhs: x });
                let m2 = Reg::Virt(self.float_const(size, sign));
                let sign_bit = Reg::Virt(self.new_vreg(RegClass::Float));
                self.emit(MInst::XmmBits { op: BitOp::And, dst: sign_bit, lhs: m2, rhs: y });
                self.emit(MInst::XmmBits { op: BitOp::Or, dst, lhs: magnitude, rhs: sign_bit });
                Ok(())
            }
            _ => Err(Error::msg(format!("x86_64: {op:?} is not a float operation"))),
        }
    }

    fn lower_conv(&mut self, inst: Inst, op: ConvOp, from: Type, to: Type, arg: Value) -> Result<()> {
        // A zero-extension of a register value is the value itself (see `Lower::vreg`).
        if op == ConvOp::Uextend && self.iconst(arg).is_none() {
            return Ok(());
        }
        let dst = self.result(inst, 0)?;
        let src = self.put_in_reg(arg)?;
        match op {
            ConvOp::Wrap | ConvOp::Uextend => self.emit(MInst::Zext32 { dst, src }),
            ConvOp::Sextend => self.emit(MInst::Movsx { from: ExtFrom::B32, size: Size::S64, dst, src: RegMem::Reg(src) }),
            ConvOp::FcvtToSint | ConvOp::FcvtToUint | ConvOp::FcvtToSintSat | ConvOp::FcvtToUintSat => {
                let signed = matches!(op, ConvOp::FcvtToSint | ConvOp::FcvtToSintSat);
                let sat = matches!(op, ConvOp::FcvtToSintSat | ConvOp::FcvtToUintSat);
                let tmp_x = Reg::Virt(self.new_vreg(RegClass::Float));
                let tmp_g = Reg::Virt(self.new_vreg(RegClass::Int));
                self.emit(MInst::FloatToInt { from: fsize(from)?, to: size_of(to), signed, sat, dst, src, tmp_x, tmp_g });
            }
            ConvOp::FcvtFromSint => self.emit(MInst::IntToFloat { from: size_of(from), to: fsize(to)?, dst, src }),
            // A zero-extended u32 is a non-negative i64.
            ConvOp::FcvtFromUint if from == Type::I32 => {
                self.emit(MInst::IntToFloat { from: Size::S64, to: fsize(to)?, dst, src })
            }
            ConvOp::FcvtFromUint => {
                let tmp1 = Reg::Virt(self.new_vreg(RegClass::Int));
                let tmp2 = Reg::Virt(self.new_vreg(RegClass::Int));
                self.emit(MInst::U64ToFloat { to: fsize(to)?, dst, src, tmp1, tmp2 });
            }
            ConvOp::Fpromote | ConvOp::Fdemote => self.emit(MInst::FloatCvt { to: fsize(to)?, dst, src }),
            ConvOp::Bitcast if from.is_int() => self.emit(MInst::GprToXmm { size: size_of(from), dst, src }),
            ConvOp::Bitcast => self.emit(MInst::XmmToGpr { size: size_of(to), dst, src }),
        }
        Ok(())
    }
}

pub(super) fn fsize(ty: Type) -> Result<FSize> {
    match ty {
        Type::F32 => Ok(FSize::F32),
        Type::F64 => Ok(FSize::F64),
        _ => Err(Error::msg(format!("x86_64: expected a float type, got {ty}"))),
    }
}

fn load_kind(ty: Type, size: MemSize) -> Result<LoadKind> {
    let s = size_of(ty);
    Ok(match (ty, size) {
        (_, MemSize::Full) => super::lower::load_kind_full(ty)?,
        (Type::I32 | Type::I64, MemSize::S8) => LoadKind::Sext(ExtFrom::B8, s),
        (Type::I32 | Type::I64, MemSize::S16) => LoadKind::Sext(ExtFrom::B16, s),
        (Type::I64, MemSize::S32) => LoadKind::Sext(ExtFrom::B32, Size::S64),
        (Type::I32 | Type::I64, MemSize::U8) => LoadKind::Zext(ExtFrom::B8),
        (Type::I32 | Type::I64, MemSize::U16) => LoadKind::Zext(ExtFrom::B16),
        (Type::I32 | Type::I64, MemSize::U32) => LoadKind::Int(Size::S32),
        _ => return Err(Error::msg(format!("x86_64: no {size:?} load of {ty}"))),
    })
}

fn store_kind(ty: Type, size: MemSize) -> Result<StoreKind> {
    Ok(match (size.bytes(ty), ty) {
        (16, Type::V128) => StoreKind::V128,
        (4, Type::F32) => StoreKind::Float(FSize::F32),
        (8, Type::F64) => StoreKind::Float(FSize::F64),
        (1, _) => StoreKind::Int8,
        (2, _) => StoreKind::Int16,
        (4, _) => StoreKind::Int32,
        (8, _) => StoreKind::Int64,
        _ => return Err(Error::msg(format!("x86_64: no {size:?} store of {ty}"))),
    })
}

pub(super) fn store_kind_full(ty: Type) -> Result<StoreKind> {
    store_kind(ty, MemSize::Full)
}

/// The condition for `x cc 0` read from the flags of `test x, x` (zero and sign only), if any.
fn zero_test_cc(cc: IntCC) -> Option<CC> {
    match cc {
        IntCC::Eq | IntCC::Ule => Some(CC::E),
        IntCC::Ne | IntCC::Ugt => Some(CC::NE),
        IntCC::Slt => Some(CC::S),
        IntCC::Sge => Some(CC::NS),
        _ => None,
    }
}

fn intcc_to_cc(cc: IntCC) -> CC {
    match cc {
        IntCC::Eq => CC::E,
        IntCC::Ne => CC::NE,
        IntCC::Slt => CC::L,
        IntCC::Sle => CC::LE,
        IntCC::Sgt => CC::G,
        IntCC::Sge => CC::GE,
        IntCC::Ult => CC::B,
        IntCC::Ule => CC::BE,
        IntCC::Ugt => CC::A,
        IntCC::Uge => CC::AE,
    }
}

/// The condition that holds for `(b, a)` when `cc` holds for `(a, b)`.
fn swap_intcc(cc: IntCC) -> IntCC {
    match cc {
        IntCC::Eq => IntCC::Eq,
        IntCC::Ne => IntCC::Ne,
        IntCC::Slt => IntCC::Sgt,
        IntCC::Sle => IntCC::Sge,
        IntCC::Sgt => IntCC::Slt,
        IntCC::Sge => IntCC::Sle,
        IntCC::Ult => IntCC::Ugt,
        IntCC::Ule => IntCC::Uge,
        IntCC::Ugt => IntCC::Ult,
        IntCC::Uge => IntCC::Ule,
    }
}

/// A constant kept in a register (see `Lower::held_const`).
enum HeldConst {
    Int(u64),
    Float(FSize, u64),
}

impl HeldConst {
    fn define(self, dst: Reg) -> MInst {
        match self {
            HeldConst::Int(imm) => MInst::Imm { size: Size::S64, dst, imm },
            HeldConst::Float(size, bits) => MInst::FloatConst { size, dst, bits },
        }
    }
}
