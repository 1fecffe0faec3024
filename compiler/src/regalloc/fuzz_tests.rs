//! Randomized tests: thousands of generated functions (random CFGs with loops, block
//! parameters, calls, fixed registers, two-address defs, more values than registers), each
//! allocated and then verified by the checker.

use super::checker::check;
use super::test_func::*;
use super::*;

/// splitmix64: deterministic, so a failure names its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

fn class_of(rng: &mut Rng) -> RegClass {
    if rng.chance(70) {
        RegClass::Int
    } else {
        RegClass::Float
    }
}

fn preg(class: RegClass, hw: u8) -> PReg {
    PReg { class, hw }
}

/// The shape of the generated CFG, before instructions.
struct Cfg {
    succs: Vec<Vec<u32>>,
    /// Blocks whose branch has an operand (so edges with moves must not be critical).
    cond_operand: Vec<bool>,
}

impl Cfg {
    fn preds(&self) -> Vec<Vec<u32>> {
        let mut preds = vec![Vec::new(); self.succs.len()];
        for (b, ss) in self.succs.iter().enumerate() {
            for &s in ss {
                preds[s as usize].push(b as u32);
            }
        }
        preds
    }
}

/// A chain of `n` blocks with random extra forward and backward edges reaching at most `span`
/// blocks away; the last block returns.
fn random_cfg(rng: &mut Rng, split_all: bool, n: usize, span: usize) -> Cfg {
    let mut succs = vec![Vec::new(); n];
    let mut cond_operand = vec![false; n];
    for b in 0..n.saturating_sub(1) {
        succs[b].push(b as u32 + 1);
        if rng.chance(45) {
            let lo = b.saturating_sub(span).max(1);
            let hi = (b + span).min(n - 1);
            let t = (lo + rng.below(hi - lo + 1)) as u32;
            if t != b as u32 + 1 {
                succs[b].push(t);
                cond_operand[b] = split_all && rng.chance(50);
            }
        }
    }
    let mut cfg = Cfg { succs, cond_operand };
    // Split critical edges (all of them, or only those into blocks that will have params).
    let preds = cfg.preds();
    let original = cfg.succs.len();
    for b in 0..original {
        for k in 0..cfg.succs[b].len() {
            let s = cfg.succs[b][k];
            let critical = cfg.succs[b].len() > 1 && preds[s as usize].len() > 1;
            if critical && (split_all || rng.chance(50)) {
                let e = cfg.succs.len() as u32;
                cfg.succs.push(vec![s]);
                cfg.cond_operand.push(false);
                cfg.succs[b][k] = e;
            }
        }
    }
    cfg
}

/// Immediate dominators (Cooper, Harvey and Kennedy), over block indices; entry is 0.
fn idoms(succs: &[Vec<u32>], preds: &[Vec<u32>]) -> (Vec<usize>, Vec<usize>) {
    let n = succs.len();
    let mut order = Vec::new();
    let mut seen = vec![false; n];
    let mut stack = vec![(0usize, 0usize)];
    seen[0] = true;
    while let Some(top) = stack.last_mut() {
        let (b, k) = *top;
        if k < succs[b].len() {
            top.1 += 1;
            let s = succs[b][k] as usize;
            if !seen[s] {
                seen[s] = true;
                stack.push((s, 0));
            }
        } else {
            order.push(b);
            stack.pop();
        }
    }
    order.reverse();
    let mut rpo_index = vec![usize::MAX; n];
    for (k, &b) in order.iter().enumerate() {
        rpo_index[b] = k;
    }
    let mut idom = vec![usize::MAX; n];
    idom[0] = 0;
    let mut changed = true;
    while changed {
        changed = false;
        for &b in order.iter().skip(1) {
            let mut new = usize::MAX;
            for &p in &preds[b] {
                let p = p as usize;
                if idom[p] == usize::MAX {
                    continue;
                }
                new = if new == usize::MAX {
                    p
                } else {
                    let (mut x, mut y) = (p, new);
                    while x != y {
                        while rpo_index[x] > rpo_index[y] {
                            x = idom[x];
                        }
                        while rpo_index[y] > rpo_index[x] {
                            y = idom[y];
                        }
                    }
                    x
                };
            }
            if idom[b] != new {
                idom[b] = new;
                changed = true;
            }
        }
    }
    (idom, order)
}

fn dominates(idom: &[usize], a: usize, mut b: usize) -> bool {
    loop {
        if a == b {
            return true;
        }
        if b == 0 || idom[b] == usize::MAX {
            return false;
        }
        b = idom[b];
    }
}

/// Loop depth: how many natural loops (back edge to a dominator) contain each block.
fn loop_depths(succs: &[Vec<u32>], preds: &[Vec<u32>], idom: &[usize]) -> Vec<u32> {
    let mut depth = vec![0; succs.len()];
    for (b, ss) in succs.iter().enumerate() {
        for &h in ss {
            let h = h as usize;
            if idom[b] == usize::MAX || !dominates(idom, h, b) {
                continue;
            }
            let mut body = vec![false; succs.len()];
            body[h] = true;
            let mut stack = vec![b];
            while let Some(x) = stack.pop() {
                if !body[x] {
                    body[x] = true;
                    stack.extend(preds[x].iter().map(|&p| p as usize));
                }
            }
            for (x, inside) in body.into_iter().enumerate() {
                depth[x] += inside as u32;
            }
        }
    }
    depth
}

struct Gen<'a> {
    rng: &'a mut Rng,
    nregs: u8,
    next_vreg: u32,
}

impl Gen<'_> {
    fn fresh(&mut self, class: RegClass) -> VReg {
        self.next_vreg += 1;
        VReg { index: self.next_vreg - 1, class }
    }

    /// A value of `class` among `avail`: any recent one (a long lifetime) or the latest.
    fn value(&mut self, avail: &[VReg], class: RegClass) -> Option<VReg> {
        if avail.is_empty() {
            return None;
        }
        // Recent values only, so lifetimes stay bounded in large functions.
        let window = &avail[avail.len().saturating_sub(200)..];
        for _ in 0..3 {
            let v = self.rng.pick(window);
            if v.class == class {
                return Some(v);
            }
        }
        avail.iter().rev().find(|v| v.class == class).copied()
    }

    /// Caller-saved registers in this environment: the lower half of each class.
    fn caller_saved(&self) -> PRegSet {
        let half = (1u64 << (self.nregs / 2)) - 1;
        PRegSet { int: half, float: half }
    }

    fn call(&mut self, avail: &mut Vec<VReg>) -> TestInst {
        let mut ops = Vec::new();
        for (hw, class) in [(0u8, RegClass::Int), (1, RegClass::Int), (0, RegClass::Float)] {
            if self.rng.chance(60) {
                if let Some(v) = self.value(avail, class) {
                    ops.push(Operand::fixed_use(v, preg(class, hw)));
                }
            }
        }
        if self.rng.chance(30) {
            // An indirect call's target, in any register.
            if let Some(v) = self.value(avail, RegClass::Int) {
                ops.push(Operand::reg_use(v));
            }
        }
        let class = class_of(self.rng);
        let result = self.fresh(class);
        ops.push(Operand::fixed_def(result, preg(class, 0)));
        if self.rng.chance(30) {
            let second = self.fresh(RegClass::Int);
            ops.push(Operand::fixed_def(second, preg(RegClass::Int, 2)));
            avail.push(second);
        }
        avail.push(result);
        TestInst { operands: ops, clobbers: self.caller_saved(), is_move: None }
    }

    fn division(&mut self, avail: &mut Vec<VReg>) -> Option<TestInst> {
        let x = self.value(avail, RegClass::Int)?;
        let y = self.value(avail, RegClass::Int)?;
        let (q, r) = (self.fresh(RegClass::Int), self.fresh(RegClass::Int));
        avail.extend([q, r]);
        Some(inst(vec![
            Operand::fixed_use(x, preg(RegClass::Int, 0)),
            Operand { pos: OperandPos::Late, ..Operand::reg_use(y) },
            Operand::fixed_def(q, preg(RegClass::Int, 0)),
            Operand::fixed_def(r, preg(RegClass::Int, 2)),
        ]))
    }

    fn copy(&mut self, avail: &mut Vec<VReg>) -> Option<TestInst> {
        let class = class_of(self.rng);
        let s = self.value(avail, class)?;
        let d = self.fresh(class);
        avail.push(d);
        Some(TestInst {
            operands: vec![Operand::reg_use(s), Operand::reg_def(d)],
            is_move: Some((d, s)),
            ..TestInst::default()
        })
    }

    /// A general instruction of one class: a few uses and defs with mixed constraints, kept
    /// within what the registers can satisfy at once.
    fn general(&mut self, avail: &mut Vec<VReg>) -> Option<TestInst> {
        let class = class_of(self.rng);
        let budget = self.nregs as usize - 1;
        let mut ops: Vec<Operand> = Vec::new();
        let mut fixed_used: Vec<u8> = Vec::new();
        for _ in 0..1 + self.rng.below(3) {
            let v = self.value(avail, class)?;
            let roll = self.rng.below(100);
            let op = if roll < 55 {
                Operand::reg_use(v)
            } else if roll < 75 {
                Operand { constraint: OperandConstraint::Any, ..Operand::reg_use(v) }
            } else if roll < 88 {
                Operand { pos: OperandPos::Late, ..Operand::reg_use(v) }
            } else {
                let hw = self.rng.below(self.nregs as usize) as u8;
                if fixed_used.contains(&hw) {
                    continue;
                }
                fixed_used.push(hw);
                Operand::fixed_use(v, preg(class, hw))
            };
            ops.push(op);
        }
        let num_uses = ops.len();
        let free_uses: Vec<usize> =
            (0..num_uses).filter(|&k| !matches!(ops[k].constraint, OperandConstraint::FixedReg(_))).collect();
        let mut reused = false;
        let mut fixed_defs: Vec<u8> = Vec::new();
        for _ in 0..self.rng.below(3) {
            if ops.len() >= budget {
                break;
            }
            let d = self.fresh(class);
            let roll = self.rng.below(100);
            let op = if roll < 45 {
                Operand::reg_def(d)
            } else if roll < 70 && !reused && !free_uses.is_empty() {
                reused = true;
                Operand::reuse_def(d, self.rng.pick(&free_uses))
            } else if roll < 82 {
                Operand { pos: OperandPos::Early, ..Operand::reg_def(d) }
            } else if roll < 92 {
                Operand { constraint: OperandConstraint::Any, ..Operand::reg_def(d) }
            } else {
                let hw = self.rng.below(self.nregs as usize) as u8;
                if fixed_defs.contains(&hw) {
                    continue;
                }
                fixed_defs.push(hw);
                Operand::fixed_def(d, preg(class, hw))
            };
            avail.push(d);
            ops.push(op);
        }
        // A late fixed def cannot share its register with a late use: make such uses early.
        for k in 0..num_uses {
            if let OperandConstraint::FixedReg(p) = ops[k].constraint {
                if fixed_defs.contains(&p.hw) {
                    ops[k].pos = OperandPos::Early;
                }
            }
        }
        Some(inst(ops))
    }

    fn block_body(&mut self, avail: &mut Vec<VReg>, entry: bool) -> Vec<TestInst> {
        let mut insts = Vec::new();
        if entry {
            // Arguments arrive in fixed registers.
            let mut ops = Vec::new();
            for (hw, class) in [(0u8, RegClass::Int), (1, RegClass::Int), (0, RegClass::Float)] {
                let v = self.fresh(class);
                avail.push(v);
                ops.push(Operand::fixed_def(v, preg(class, hw)));
            }
            insts.push(inst(ops));
        }
        for _ in 0..self.rng.below(12) {
            let roll = self.rng.below(100);
            let made = if roll < 12 {
                Some(self.call(avail))
            } else if roll < 18 {
                self.division(avail)
            } else if roll < 30 {
                self.copy(avail)
            } else {
                self.general(avail)
            };
            insts.extend(made);
        }
        // Keep a value of each class around for branch arguments.
        for class in [RegClass::Int, RegClass::Float] {
            if self.value(avail, class).is_none() {
                let v = self.fresh(class);
                avail.push(v);
                insts.push(inst(vec![Operand::reg_def(v)]));
            }
        }
        insts
    }
}

fn random_function(rng: &mut Rng, nregs: u8, split_all: bool, blocks: usize, span: usize) -> TestFunc {
    let cfg = random_cfg(rng, split_all, blocks, span);
    let preds = cfg.preds();
    let (idom, rpo) = idoms(&cfg.succs, &preds);
    let depth = loop_depths(&cfg.succs, &preds, &idom);
    let n = cfg.succs.len();
    let mut g = Gen { rng, nregs, next_vreg: 0 };
    let mut blocks: Vec<TestBlock> = vec![TestBlock::default(); n];
    // Parameters first (edges need them), only where every edge into the block may carry moves.
    for b in 1..n {
        let can_have_params = preds[b].iter().all(|&p| cfg.succs[p as usize].len() == 1 || preds[b].len() == 1);
        if can_have_params {
            for _ in 0..g.rng.below(4) {
                let class = class_of(g.rng);
                blocks[b].params.push(g.fresh(class));
            }
        }
    }
    // Bodies in reverse postorder, so a block sees every value its dominators define.
    let mut avail_at_end: Vec<Vec<VReg>> = vec![Vec::new(); n];
    for &b in &rpo {
        // The dominator's values, but only the recent ones `value` could pick.
        let inherited = if b == 0 { &[][..] } else { &avail_at_end[idom[b]][..] };
        let mut avail = inherited[inherited.len().saturating_sub(400)..].to_vec();
        avail.extend(blocks[b].params.iter().copied());
        let mut insts = g.block_body(&mut avail, b == 0);
        let mut term = inst(Vec::new());
        if cfg.cond_operand[b] {
            if let Some(c) = g.value(&avail, RegClass::Int) {
                term.operands.push(Operand::reg_use(c));
            }
            if g.rng.chance(30) {
                let t = g.fresh(RegClass::Int);
                term.operands.push(Operand { pos: OperandPos::Early, ..Operand::reg_def(t) });
            }
        } else if cfg.succs[b].is_empty() {
            if let Some(v) = g.value(&avail, RegClass::Int) {
                term.operands.push(Operand::fixed_use(v, preg(RegClass::Int, 0)));
            }
        }
        insts.push(term);
        blocks[b].insts = insts;
        avail_at_end[b] = avail;
    }
    for &b in &rpo {
        let avail = avail_at_end[b].clone();
        blocks[b].succs = cfg.succs[b].clone();
        blocks[b].args = cfg.succs[b]
            .iter()
            .map(|&s| {
                blocks[s as usize].params.clone().iter().map(|p| g.value(&avail, p.class).unwrap_or(*p)).collect()
            })
            .collect();
        blocks[b].loop_depth = depth[b];
    }
    TestFunc::new(blocks)
}

/// What the allocations of a batch did, to make sure the generator exercises the allocator.
#[derive(Default, Debug)]
struct Coverage {
    functions: usize,
    refused: usize,
    with_spills: usize,
    with_reloads: usize,
    through_scratch: usize,
    memory_operands: usize,
}

fn run_seed(seed: u64, split_all: bool, cov: &mut Coverage) {
    let mut rng = Rng(seed);
    let nregs = [3u8, 4, 5, 6, 8][rng.below(5)];
    let blocks = 1 + rng.below(9);
    let f = random_function(&mut rng, nregs, split_all, blocks, blocks);
    let env = small_env(nregs);
    cov.functions += 1;
    match allocate(&f, &env) {
        Ok(out) => {
            if let Err(e) = check(&f, &env, &out) {
                panic!("seed {seed}: checker: {e}\n{f}\nallocs {:?}\nedits {:?}", out.allocs, out.edits);
            }
            let stack = |a: Allocation| matches!(a, Allocation::Stack(_));
            let scratch =
                |a: Allocation| a == Allocation::Reg(env.int_scratch) || a == Allocation::Reg(env.float_scratch);
            cov.with_spills += out.edits.iter().any(|e| stack(e.to)) as usize;
            cov.with_reloads += out.edits.iter().any(|e| stack(e.from)) as usize;
            cov.through_scratch += out.edits.iter().any(|e| scratch(e.to)) as usize;
            cov.memory_operands += out.allocs.iter().any(|&a| stack(a)) as usize;
        }
        // Unsplit critical edges are allowed to be refused, for that reason only.
        Err(e) if !split_all && e.0.contains("split") => cov.refused += 1,
        Err(e) => panic!("seed {seed}: allocation failed: {e}\n{f}"),
    }
}

#[test]
fn random_functions_with_split_edges() {
    let mut cov = Coverage::default();
    for seed in 0..3000 {
        run_seed(seed, true, &mut cov);
    }
    let n = cov.functions;
    assert!(cov.with_spills > n / 2 && cov.with_reloads > n / 2, "{cov:?}");
    assert!(cov.through_scratch > n / 10 && cov.memory_operands > n / 4, "{cov:?}");
}

#[test]
fn random_functions_with_critical_edges() {
    let mut cov = Coverage::default();
    for seed in 0..1500 {
        run_seed(1 << 32 | seed, false, &mut cov);
    }
    assert!(cov.refused < cov.functions / 10, "{cov:?}");
}

#[test]
fn large_function() {
    // About 50k instructions; run time would show a quadratic corner.
    let mut rng = Rng(7);
    let f = random_function(&mut rng, 6, true, 8000, 4);
    assert!(f.num_insts() > 40_000, "{}", f.num_insts());
    let env = small_env(6);
    let out = allocate(&f, &env).unwrap_or_else(|e| panic!("{e}"));
    check(&f, &env, &out).unwrap_or_else(|e| panic!("{e}"));
}
