//! One instruction: its operands' constraints turned into locations and the moves before it.

use super::{err, reg_index, DefSite, Scan};
use crate::regalloc::{
    Allocation, MachineEnv, Operand, OperandConstraint, OperandKind, OperandPos, PReg, PRegSet, ProgPoint, RegClass,
    RegallocError, RegallocInput, VReg,
};

/// Registers an instruction reads and writes, gathered before assigning its operands.
#[derive(Default)]
struct InstRegs {
    /// Written before the uses are read (early fixed defs).
    early_written: PRegSet,
    /// Written at the end (clobbers, late fixed defs, reused fixed inputs).
    late_written: PRegSet,
    /// Fixed uses: register and value.
    fixed_uses: Vec<(PReg, VReg)>,
    /// Registers holding values the instruction reads, early or late.
    read: PRegSet,
    read_late: PRegSet,
    /// Registers given to defs so far.
    defs: PRegSet,
}

/// Checks an instruction's constraints; fills `reused_by` with, for each use, the def that
/// reuses it.
fn check_operands(
    i: u32,
    ops: &[Operand],
    env: &MachineEnv,
    reused_by: &mut Vec<Option<usize>>,
) -> Result<(), RegallocError> {
    reused_by.clear();
    reused_by.resize(ops.len(), None);
    for (k, op) in ops.iter().enumerate() {
        if let OperandConstraint::FixedReg(p) = op.constraint {
            let scratch = if p.class == RegClass::Int { env.int_scratch } else { env.float_scratch };
            if p.class != op.vreg.class || p.hw >= 64 || p == scratch {
                return err(format!("instruction {i}: operand {k} fixed to unusable register {p:?}"));
            }
        }
        match (op.kind, op.constraint) {
            (OperandKind::Use, OperandConstraint::Reuse(_)) => {
                return err(format!("instruction {i}: operand {k} is a use with a reuse constraint"));
            }
            (OperandKind::Def, OperandConstraint::Reuse(n)) => {
                let ok = ops.get(n).is_some_and(|u| u.kind == OperandKind::Use && u.vreg.class == op.vreg.class);
                if !ok || reused_by[n].is_some() {
                    return err(format!(
                        "instruction {i}: operand {k} reuses operand {n}, which is not a free use of its class"
                    ));
                }
                reused_by[n] = Some(k);
            }
            _ => {}
        }
        if op.kind == OperandKind::Def && ops[..k].iter().any(|o| o.kind == OperandKind::Def && o.vreg == op.vreg) {
            return err(format!("instruction {i}: v{} defined twice", op.vreg.index));
        }
    }
    Ok(())
}

impl<F: RegallocInput> Scan<'_, F> {
    /// Gathers the registers an instruction's fixed operands and clobbers write and read.
    fn fixed_regs(&self, i: u32, reused_by: &[Option<usize>]) -> Result<InstRegs, RegallocError> {
        let ops = self.f.inst_operands(i);
        let clobbers = self.f.inst_clobbers(i);
        let mut r = InstRegs { late_written: clobbers, ..InstRegs::default() };
        let mut fixed_defs = PRegSet::default();
        for (k, op) in ops.iter().enumerate() {
            let OperandConstraint::FixedReg(p) = op.constraint else { continue };
            match op.kind {
                OperandKind::Def => {
                    if fixed_defs.contains(p) {
                        return err(format!("instruction {i}: two defs fixed to {p:?}"));
                    }
                    fixed_defs.insert(p);
                    match op.pos {
                        OperandPos::Early => r.early_written.insert(p),
                        OperandPos::Late => r.late_written.insert(p),
                    }
                }
                OperandKind::Use => {
                    match r.fixed_uses.iter().find(|(q, _)| *q == p) {
                        Some(&(_, w)) if w != op.vreg => {
                            return err(format!("instruction {i}: two values fixed to {p:?}"));
                        }
                        Some(_) => {}
                        None => r.fixed_uses.push((p, op.vreg)),
                    }
                    if reused_by[k].is_some() {
                        r.late_written.insert(p);
                        r.defs.insert(p);
                    }
                }
            }
        }
        if fixed_defs.int & r.defs.int != 0 || fixed_defs.float & r.defs.float != 0 {
            return err(format!("instruction {i}: a def reuses a fixed input whose register another def has"));
        }
        for op in ops.iter().filter(|o| o.kind == OperandKind::Use) {
            if let OperandConstraint::FixedReg(p) = op.constraint {
                let late_clash = op.pos == OperandPos::Late && (clobbers.contains(p) || fixed_defs.contains(p));
                if r.early_written.contains(p) || late_clash {
                    return err(format!("instruction {i}: {p:?} is read by a use and written before it is read"));
                }
            }
        }
        Ok(r)
    }

    pub(super) fn instruction(&mut self, i: u32) -> Result<(), RegallocError> {
        // The per-operand buffers pass from one instruction to the next, saving two
        // allocations per instruction.
        let mut reused_by = std::mem::take(&mut self.reused_by_buf);
        let mut alloc = std::mem::take(&mut self.alloc_buf);
        let result = self.assign(i, &mut reused_by, &mut alloc);
        self.reused_by_buf = reused_by;
        self.alloc_buf = alloc;
        result
    }

    /// Locations for instruction `i`'s operands, and the moves before it.
    fn assign(
        &mut self,
        i: u32,
        reused_by: &mut Vec<Option<usize>>,
        alloc: &mut Vec<Option<Allocation>>,
    ) -> Result<(), RegallocError> {
        let f = self.f;
        let ops = f.inst_operands(i);
        check_operands(i, ops, self.env, reused_by)?;
        let mut r = self.fixed_regs(i, reused_by)?;
        alloc.clear();
        alloc.resize(ops.len(), None);
        let danger = r.early_written.union(r.late_written);
        let mut fixed_use_regs = PRegSet::default();
        r.fixed_uses.iter().for_each(|&(p, _)| fixed_use_regs.insert(p));
        let used_here = |v: VReg| ops.iter().any(|o| o.kind == OperandKind::Use && o.vreg == v);
        let late_use_here =
            |v: VReg| ops.iter().any(|o| o.kind == OperandKind::Use && o.vreg == v && o.pos == OperandPos::Late);

        // 1. Values in registers the instruction writes, or that fixed uses need, move out.
        let touched = danger.union(fixed_use_regs);
        for class in [RegClass::Int, RegClass::Float] {
            // Most instructions have no fixed registers or clobbers: nothing to scan.
            if (if class == RegClass::Int { touched.int } else { touched.float }) == 0 {
                continue;
            }
            for &reg in self.regs(class) {
                if !touched.contains(reg) {
                    continue;
                }
                let Some(w) = self.occupant(reg) else { continue };
                let owner = r.fixed_uses.iter().find(|(p, _)| *p == reg).map(|&(_, v)| v);
                let stays = if danger.contains(reg) {
                    // Only a value read early and dead afterwards survives until the write.
                    !self.live_after(w)
                        && !late_use_here(w)
                        && !r.early_written.contains(reg)
                        && owner.is_none_or(|o| o == w)
                } else {
                    owner == Some(w)
                };
                if stays {
                    continue;
                }
                if self.live_after(w) || used_here(w) {
                    self.relocate(w, danger.union(fixed_use_regs));
                } else {
                    self.home[w.index as usize] = None;
                }
            }
        }

        // 2. Fixed uses: copy each value into its register.
        for (k, op) in ops.iter().enumerate() {
            let (OperandKind::Use, OperandConstraint::FixedReg(p)) = (op.kind, op.constraint) else { continue };
            let v = op.vreg;
            if self.content[reg_index(p)] != Some(v) {
                let from = self.where_is(v)?;
                self.emit(v.class, from, Allocation::Reg(p));
                self.hold(p, v);
            }
            self.note_read(&mut r, p, op.pos);
            let can_be_home = !danger.contains(p) && self.regs(v.class).contains(&p);
            if self.home_of(v).is_none() && self.live_after(v) && can_be_home {
                self.home[v.index as usize] = Some(p);
            }
            alloc[k] = Some(Allocation::Reg(p));
        }

        // 3. Register and register-or-memory uses.
        for (k, op) in ops.iter().enumerate() {
            let free_use = matches!(op.constraint, OperandConstraint::Reg | OperandConstraint::Any);
            if op.kind != OperandKind::Use || !free_use || reused_by[k].is_some() {
                continue;
            }
            let v = op.vreg;
            // A register written before this use reads it is no good.
            let bad = if op.pos == OperandPos::Late { danger } else { r.early_written };
            let in_reg = self.home_of(v).filter(|&x| !bad.contains(x)).or_else(|| {
                self.regs(v.class).iter().copied().find(|&x| self.content[reg_index(x)] == Some(v) && !bad.contains(x))
            });
            let loc = match in_reg {
                Some(x) => Allocation::Reg(x),
                None if op.constraint == OperandConstraint::Any && self.in_slot(v) => self.slot(v),
                None => {
                    // Prefer a register that can stay the value's home after the instruction.
                    let avoid = r.read.union(bad).union(r.defs);
                    let y = match self.pick_reg(v, avoid.union(danger), None) {
                        Some(y) => y,
                        None => self.take_reg(v, avoid, None)?,
                    };
                    let from = self.where_is(v)?;
                    self.emit(v.class, from, Allocation::Reg(y));
                    self.hold(y, v);
                    if self.home_of(v).is_none() && !danger.contains(y) {
                        self.home[v.index as usize] = Some(y);
                    }
                    Allocation::Reg(y)
                }
            };
            if let Allocation::Reg(x) = loc {
                self.note_read(&mut r, x, op.pos);
            }
            alloc[k] = Some(loc);
        }

        // 4. Two-address defs: the input's register if the input dies here, else a copy.
        for (k, op) in ops.iter().enumerate() {
            let OperandConstraint::Reuse(n) = op.constraint else { continue };
            let input = ops[n];
            let v = input.vreg;
            let reg = match input.constraint {
                OperandConstraint::FixedReg(p) => p,
                _ => {
                    let dies = !self.live_after(v) && !late_use_here(v);
                    let own = self.home_of(v).filter(|&x| dies && !danger.contains(x) && !r.defs.contains(x));
                    let reg = match own {
                        Some(x) => x,
                        None => {
                            let avoid = r.read.union(danger).union(r.defs);
                            let hint = self.param_hint[op.vreg.index as usize].or(self.home_of(v));
                            let y = self.take_reg(op.vreg, avoid, hint)?;
                            let from = self.where_is(v)?;
                            self.emit(v.class, from, Allocation::Reg(y));
                            self.hold(y, v);
                            y
                        }
                    };
                    self.note_read(&mut r, reg, input.pos);
                    alloc[n] = Some(Allocation::Reg(reg));
                    reg
                }
            };
            r.defs.insert(reg);
            alloc[k] = Some(Allocation::Reg(reg));
        }

        // Values read here for the last time give up their registers to the defs.
        for op in ops.iter().filter(|o| o.kind == OperandKind::Use) {
            if !self.live_after(op.vreg) {
                self.home[op.vreg.index as usize] = None;
            }
        }

        // 5. Other defs, early ones first.
        let move_src = f.is_move(i);
        for pos in [OperandPos::Early, OperandPos::Late] {
            for (k, op) in ops.iter().enumerate() {
                if op.kind != OperandKind::Def || op.pos != pos {
                    continue;
                }
                let loc = match op.constraint {
                    OperandConstraint::FixedReg(p) => Allocation::Reg(p),
                    OperandConstraint::Reg | OperandConstraint::Any => {
                        let reads = if pos == OperandPos::Early { r.read } else { r.read_late };
                        let avoid = r.defs.union(danger).union(reads);
                        let move_hint = move_src.filter(|&(d, _)| d == op.vreg).and_then(|(_, s)| {
                            ops.iter().zip(alloc.iter()).find_map(|(o, a)| match (o.kind, a) {
                                (OperandKind::Use, Some(Allocation::Reg(x))) if o.vreg == s => Some(*x),
                                _ => None,
                            })
                        });
                        let hint = move_hint
                            .or(self.param_hint[op.vreg.index as usize])
                            .or_else(|| self.only_use_fixed_in(op.vreg));
                        match self.pick_reg(op.vreg, avoid, hint) {
                            Some(x) => Allocation::Reg(x),
                            None if op.constraint == OperandConstraint::Any => self.slot(op.vreg),
                            None => Allocation::Reg(self.take_reg(op.vreg, avoid, None)?),
                        }
                    }
                    OperandConstraint::Reuse(_) => continue,
                };
                if let Allocation::Reg(x) = loc {
                    r.defs.insert(x);
                }
                alloc[k] = Some(loc);
            }
        }

        // 6. The instruction runs: clobbers, then defs.
        let clobbers = f.inst_clobbers(i);
        for class in [RegClass::Int, RegClass::Float] {
            let mut bits = if class == RegClass::Int { clobbers.int } else { clobbers.float };
            while bits != 0 {
                let hw = bits.trailing_zeros() as u8;
                bits &= bits - 1;
                let reg = PReg { class, hw };
                if let Some(w) = self.occupant(reg) {
                    self.home[w.index as usize] = None;
                }
                self.content[reg_index(reg)] = None;
            }
        }
        let is_terminator = i + 1 == self.block_end;
        for (k, op) in ops.iter().enumerate() {
            if op.kind != OperandKind::Def {
                continue;
            }
            let v = op.vreg;
            let Some(loc) = alloc[k] else { continue };
            // A redefinition makes every old copy stale.
            for &x in self.regs(v.class) {
                if self.content[reg_index(x)] == Some(v) {
                    self.content[reg_index(x)] = None;
                }
            }
            self.home[v.index as usize] = None;
            self.slot_valid[v.index as usize] = false;
            self.def_site[v.index as usize] = None;
            match loc {
                Allocation::Reg(x) => {
                    if let Some(w) = self.occupant(x) {
                        self.home[w.index as usize] = None;
                    }
                    self.hold(x, v);
                    if self.live_after(v) {
                        self.home[v.index as usize] = Some(x);
                    }
                    if !is_terminator {
                        let point = ProgPoint { inst: i, after: true };
                        self.def_site[v.index as usize] =
                            Some(DefSite { point, major: 0, reg: x, loop_depth: self.loop_depth });
                    }
                }
                Allocation::Stack(_) => {
                    self.mark_slot_valid(v);
                    if self.single_def(v) {
                        self.stored_at_def[v.index as usize] = true;
                    }
                }
            }
        }

        self.offsets.push(self.allocs.len() as u32);
        for (k, &a) in alloc.iter().enumerate() {
            match a {
                Some(a) => self.allocs.push(a),
                None => return err(format!("internal: operand {k} of instruction {i} left unallocated")),
            }
        }
        Ok(())
    }

    fn note_read(&self, r: &mut InstRegs, reg: PReg, pos: OperandPos) {
        r.read.insert(reg);
        if pos == OperandPos::Late {
            r.read_late.insert(reg);
        }
    }
}
