//! Hand-written allocation cases, each run through the checker.

use super::checker::check;
use super::test_func::*;
use super::*;

fn alloc_and_check(f: &TestFunc, env: &MachineEnv) -> RegallocOutput {
    let out = allocate(f, env).unwrap_or_else(|e| panic!("allocation failed: {e}"));
    if let Err(e) = check(f, env, &out) {
        panic!("checker: {e}\nedits: {:#?}\nallocs: {:?}", out.edits, out.allocs);
    }
    out
}

fn ret(v: VReg, r: PReg) -> TestInst {
    inst(vec![Operand::fixed_use(v, r)])
}

fn block(insts: Vec<TestInst>) -> TestBlock {
    TestBlock { insts, ..TestBlock::default() }
}

fn spills(out: &RegallocOutput) -> usize {
    out.edits.iter().filter(|e| matches!(e.to, Allocation::Stack(_))).count()
}

#[test]
fn two_address_add_takes_the_dying_input_register() {
    let (a, b, c) = (int(0), int(1), int(2));
    let f = TestFunc::new(vec![block(vec![
        inst(vec![Operand::fixed_def(a, gpr(0)), Operand::fixed_def(b, gpr(1))]),
        inst(vec![Operand::reg_use(a), Operand::reuse_def(c, 0), Operand::reg_use(b)]),
        ret(c, gpr(0)),
    ])]);
    let out = alloc_and_check(&f, &small_env(4));
    assert_eq!(out.inst_allocs(1)[0], out.inst_allocs(1)[1]);
    assert!(out.edits.is_empty(), "no copy needed: {:?}", out.edits);
}

#[test]
fn two_address_input_still_live_is_copied() {
    let (a, c) = (int(0), int(1));
    let f = TestFunc::new(vec![block(vec![
        inst(vec![Operand::reg_def(a)]),
        inst(vec![Operand::reg_use(a), Operand::reuse_def(c, 0)]),
        inst(vec![Operand::reg_use(a), Operand::reg_use(c)]),
        ret(c, gpr(0)),
    ])]);
    let out = alloc_and_check(&f, &small_env(4));
    assert_ne!(out.inst_allocs(2)[0], out.inst_allocs(2)[1]);
}

#[test]
fn pressure_spills_and_reloads() {
    let vals: Vec<VReg> = (0..10).map(int).collect();
    let mut insts: Vec<TestInst> = vals.iter().map(|&v| inst(vec![Operand::reg_def(v)])).collect();
    for pair in vals.chunks(2) {
        insts.push(inst(vec![Operand::reg_use(pair[0]), Operand::reg_use(pair[1])]));
    }
    insts.push(inst(vec![]));
    let f = TestFunc::new(vec![block(insts)]);
    let out = alloc_and_check(&f, &small_env(3));
    assert!(out.num_spillslots > 0 && spills(&out) > 0);
}

#[test]
fn value_across_a_call_avoids_clobbered_registers() {
    let (a, r) = (int(0), int(1));
    let mut call = inst(vec![Operand::fixed_def(r, gpr(0))]);
    call.clobbers = PRegSet { int: 0b111, float: 0 };
    let f = TestFunc::new(vec![block(vec![
        inst(vec![Operand::reg_def(a)]),
        call,
        inst(vec![Operand::reg_use(a), Operand::reg_use(r)]),
        inst(vec![]),
    ])]);
    let out = alloc_and_check(&f, &small_env(5));
    let Allocation::Reg(home) = out.inst_allocs(0)[0] else { panic!("def in memory") };
    assert!(home.hw >= 3, "a lives across the call in {home:?}");
    assert!(out.edits.is_empty(), "{:?}", out.edits);
}

#[test]
fn division_constraints() {
    // quot(rax), rem(rdx) = div dividend(rax), divisor (late use).
    let (x, y, q, r) = (int(0), int(1), int(2), int(3));
    let f = TestFunc::new(vec![block(vec![
        inst(vec![Operand::reg_def(x), Operand::reg_def(y)]),
        inst(vec![
            Operand::fixed_use(x, gpr(0)),
            Operand { pos: OperandPos::Late, ..Operand::reg_use(y) },
            Operand::fixed_def(q, gpr(0)),
            Operand::fixed_def(r, gpr(2)),
        ]),
        inst(vec![Operand::reg_use(q), Operand::reg_use(r), Operand::reg_use(x), Operand::reg_use(y)]),
        inst(vec![]),
    ])]);
    let out = alloc_and_check(&f, &small_env(5));
    let divisor = out.inst_allocs(1)[1];
    assert!(divisor != Allocation::Reg(gpr(0)) && divisor != Allocation::Reg(gpr(2)));
}

#[test]
fn loop_swapping_parameters_needs_a_cycle_break() {
    // b0: jump b1(a, b); b1(p, q): use p, q; br b1(q, p) or b2; b2: ret p
    let (a, b, p, q) = (int(0), int(1), int(2), int(3));
    let b0 = TestBlock {
        insts: vec![inst(vec![Operand::reg_def(a), Operand::reg_def(b)]), inst(vec![])],
        succs: vec![1],
        args: vec![vec![a, b]],
        ..TestBlock::default()
    };
    let b1 = TestBlock {
        params: vec![p, q],
        insts: vec![inst(vec![Operand::reg_use(p), Operand::reg_use(q)]), inst(vec![])],
        succs: vec![2, 3],
        args: vec![vec![], vec![]],
        loop_depth: 1,
    };
    let latch = TestBlock {
        insts: vec![inst(vec![])],
        succs: vec![1],
        args: vec![vec![q, p]],
        loop_depth: 1,
        ..TestBlock::default()
    };
    let exit = block(vec![ret(p, gpr(0))]);
    let f = TestFunc::new(vec![b0, b1, latch, exit]);
    let out = alloc_and_check(&f, &small_env(4));
    assert!(out.edits.iter().any(|e| e.to == Allocation::Reg(gpr(15))), "swap goes through the scratch");
}

#[test]
fn loop_carried_value_is_defined_in_its_parameter_register() {
    // b0: a in r2; jump b1(a); b1(i): br b2 or b3; b2: n = i + 1; jump b1(n); b3: ret
    let (a, i, n) = (int(0), int(1), int(2));
    let b0 = TestBlock {
        insts: vec![inst(vec![Operand::fixed_def(a, gpr(2))]), inst(vec![])],
        succs: vec![1],
        args: vec![vec![a]],
        ..TestBlock::default()
    };
    let header = TestBlock {
        params: vec![i],
        insts: vec![inst(vec![])],
        succs: vec![2, 3],
        args: vec![vec![], vec![]],
        loop_depth: 1,
    };
    let latch = TestBlock {
        insts: vec![inst(vec![Operand::reg_use(i), Operand::reg_def(n)]), inst(vec![])],
        succs: vec![1],
        args: vec![vec![n]],
        loop_depth: 1,
        ..TestBlock::default()
    };
    let f = TestFunc::new(vec![b0, header, latch, block(vec![inst(vec![])])]);
    let out = alloc_and_check(&f, &small_env(4));
    // Without the parameter's register as a hint, n would take the first free one (r0).
    assert_eq!(out.inst_allocs(3)[1], Allocation::Reg(gpr(2)));
    assert!(out.edits.is_empty(), "no move on either edge: {:?}", out.edits);
}

#[test]
fn memory_operand_takes_a_spilled_value() {
    let vals: Vec<VReg> = (0..4).map(int).collect();
    let mut insts: Vec<TestInst> = vals.iter().map(|&v| inst(vec![Operand::reg_def(v)])).collect();
    let any = Operand { constraint: OperandConstraint::Any, ..Operand::reg_use(vals[0]) };
    insts.push(inst(vec![Operand::reg_use(vals[1]), Operand::reg_use(vals[2]), Operand::reg_use(vals[3]), any]));
    insts.push(inst(vec![]));
    let f = TestFunc::new(vec![block(insts)]);
    let out = alloc_and_check(&f, &small_env(3));
    assert!(matches!(out.inst_allocs(4)[3], Allocation::Stack(_)));
}

#[test]
fn checker_rejects_a_wrong_allocation() {
    let (a, b, c) = (int(0), int(1), int(2));
    let f = TestFunc::new(vec![block(vec![
        inst(vec![Operand::reg_def(a), Operand::reg_def(b)]),
        inst(vec![Operand::reg_use(a), Operand::reg_use(b), Operand::reg_def(c)]),
        ret(c, gpr(0)),
    ])]);
    let env = small_env(4);
    let good = alloc_and_check(&f, &env);
    // Swap the two inputs: each now reads the other's register.
    let mut swapped = good.clone();
    swapped.allocs.swap(2, 3);
    assert!(check(&f, &env, &swapped).is_err());
    // Clobber the register holding `a` before it is read.
    let mut clobbered = good.clone();
    let Allocation::Reg(ra) = good.inst_allocs(1)[0] else { panic!() };
    clobbered.edits.push(Edit {
        point: ProgPoint { inst: 1, after: false },
        class: RegClass::Int,
        from: good.inst_allocs(1)[1],
        to: Allocation::Reg(ra),
    });
    assert!(check(&f, &env, &clobbered).is_err());
    // A fixed use served from another register.
    let mut unfixed = good;
    let last = unfixed.allocs.len() - 1;
    unfixed.allocs[last] = Allocation::Reg(gpr(3));
    assert!(check(&f, &env, &unfixed).is_err());
}

#[test]
fn bad_input_is_an_error() {
    let env = small_env(4);
    let (a, b) = (int(0), int(1));
    let two_in_one = TestFunc::new(vec![block(vec![
        inst(vec![Operand::reg_def(a), Operand::reg_def(b)]),
        inst(vec![Operand::fixed_use(a, gpr(0)), Operand::fixed_use(b, gpr(0))]),
    ])]);
    assert!(allocate(&two_in_one, &env).is_err());
    let undefined = TestFunc::new(vec![block(vec![inst(vec![Operand::reg_use(a)])])]);
    assert!(allocate(&undefined, &env).is_err());
    let bad_reuse = TestFunc::new(vec![block(vec![inst(vec![Operand::reuse_def(a, 3)])])]);
    assert!(allocate(&bad_reuse, &env).is_err());
    let scratch = TestFunc::new(vec![block(vec![inst(vec![Operand::fixed_def(a, gpr(15))])])]);
    assert!(allocate(&scratch, &env).is_err());
}

#[test]
fn classes_have_separate_registers() {
    let ints: Vec<VReg> = (0..3).map(int).collect();
    let floats: Vec<VReg> = (3..6).map(float).collect();
    let all: Vec<VReg> = ints.iter().chain(&floats).copied().collect();
    let f = TestFunc::new(vec![block(vec![
        inst(all.iter().map(|&v| Operand::reg_def(v)).collect()),
        inst(all.iter().map(|&v| Operand::reg_use(v)).collect()),
        inst(vec![]),
    ])]);
    let out = alloc_and_check(&f, &small_env(3));
    assert!(out.edits.is_empty() && out.num_spillslots == 0, "{:?}", out.edits);
    assert_eq!((out.used_regs.int, out.used_regs.float), (0b111, 0b111));
}

#[test]
fn spill_store_goes_before_the_loop() {
    // v is defined before a loop whose body calls a function clobbering every register.
    let v = int(0);
    let mut call = inst(vec![]);
    call.clobbers = PRegSet { int: 0b111, float: 0b111 };
    let entry = TestBlock {
        insts: vec![inst(vec![Operand::reg_def(v)]), inst(vec![])],
        succs: vec![1],
        args: vec![vec![]],
        ..TestBlock::default()
    };
    let body = TestBlock {
        insts: vec![call, inst(vec![Operand::reg_use(v)]), inst(vec![])],
        succs: vec![2, 3],
        args: vec![vec![], vec![]],
        loop_depth: 1,
        ..TestBlock::default()
    };
    let latch = TestBlock {
        insts: vec![inst(vec![])],
        succs: vec![1],
        args: vec![vec![]],
        loop_depth: 1,
        ..TestBlock::default()
    };
    let exit = block(vec![ret(v, gpr(0))]);
    let f = TestFunc::new(vec![entry, body, latch, exit]);
    let out = alloc_and_check(&f, &small_env(3));
    let stores: Vec<ProgPoint> =
        out.edits.iter().filter(|e| matches!(e.to, Allocation::Stack(_))).map(|e| e.point).collect();
    assert_eq!(stores, vec![ProgPoint { inst: 0, after: true }], "{:?}", out.edits);
}

/// Edits that load a value from its slot inside the instruction range `insts`.
fn reloads_in(out: &RegallocOutput, insts: std::ops::Range<u32>) -> Vec<Edit> {
    let loads = out.edits.iter().filter(|e| matches!((e.from, e.to), (Allocation::Stack(_), Allocation::Reg(_))));
    loads.filter(|e| insts.contains(&e.point.inst)).copied().collect()
}

/// b0: defs; jump b1. b1 (loop header, depth 1): `body`; br b2 or b3. b2: jump b1. b3: `exit`.
fn simple_loop(before: Vec<TestInst>, body: Vec<TestInst>, exit: Vec<TestInst>) -> TestFunc {
    let mut before = before;
    before.push(inst(vec![]));
    let mut body = body;
    body.push(inst(vec![]));
    let entry = TestBlock { insts: before, succs: vec![1], args: vec![vec![]], ..TestBlock::default() };
    let header =
        TestBlock { insts: body, succs: vec![2, 3], args: vec![vec![], vec![]], loop_depth: 1, ..TestBlock::default() };
    let latch = TestBlock {
        insts: vec![inst(vec![])],
        succs: vec![1],
        args: vec![vec![]],
        loop_depth: 1,
        ..TestBlock::default()
    };
    TestFunc::new(vec![entry, header, latch, block(exit)])
}

#[test]
fn value_unused_in_a_crowded_loop_waits_in_its_slot() {
    // a lives across the loop without being read there; the loop needs x and two temporaries,
    // one register more than there are.
    let (a, x, t, u) = (int(0), int(1), int(2), int(3));
    let f = simple_loop(
        vec![inst(vec![Operand::reg_def(a), Operand::reg_def(x)])],
        vec![
            inst(vec![Operand::reg_use(x), Operand::reg_def(t), Operand::reg_def(u)]),
            inst(vec![Operand::reg_use(t), Operand::reg_use(u), Operand::reg_use(x)]),
        ],
        vec![ret(a, gpr(0))],
    );
    let out = alloc_and_check(&f, &small_env(3));
    // Without the plan, a keeps a register on entry, the body evicts it, the back edge reloads it.
    let loop_insts = f.block_insts(1).start..f.block_insts(2).end;
    assert_eq!(reloads_in(&out, loop_insts), vec![], "{:?}", out.edits);
    assert_eq!(spills(&out), 1, "a is stored once, before the loop: {:?}", out.edits);
}

#[test]
fn spilled_value_the_loop_reads_is_reloaded_before_it() {
    // x is spilled across a call before the loop, then read on every iteration.
    let x = int(0);
    let mut call = inst(vec![]);
    call.clobbers = PRegSet { int: 0b111, float: 0 };
    let f = simple_loop(
        vec![inst(vec![Operand::reg_def(x)]), call],
        vec![inst(vec![Operand::reg_use(x)])],
        vec![inst(vec![])],
    );
    let out = alloc_and_check(&f, &small_env(3));
    let loop_insts = f.block_insts(1).start..f.block_insts(2).end;
    assert_eq!(reloads_in(&out, loop_insts), vec![], "{:?}", out.edits);
    assert_eq!(reloads_in(&out, 0..f.block_insts(0).end).len(), 1, "{:?}", out.edits);
}

/// A value read only as a call argument is defined in the argument's register, even though
/// the call clobbers it: no copy into it at the call (and no callee-saved register taken).
#[test]
fn call_argument_is_defined_in_its_register() {
    let (live, arg, r) = (int(0), int(1), int(2));
    let mut call = inst(vec![Operand::fixed_use(arg, gpr(1)), Operand::fixed_def(r, gpr(0))]);
    call.clobbers = PRegSet { int: 0b111, float: 0 };
    let f = TestFunc::new(vec![block(vec![
        inst(vec![Operand::reg_def(live)]),
        inst(vec![Operand::reg_def(arg)]),
        call,
        inst(vec![Operand::reg_use(live), Operand::reg_use(r)]),
        inst(vec![]),
    ])]);
    let out = alloc_and_check(&f, &small_env(5));
    assert_eq!(out.inst_allocs(1)[0], Allocation::Reg(gpr(1)));
    assert!(out.edits.is_empty(), "{:?}", out.edits);
}

/// Edits at points inside the instruction range `insts`.
fn edits_in(out: &RegallocOutput, insts: std::ops::Range<u32>) -> Vec<Edit> {
    out.edits.iter().filter(|e| insts.contains(&e.point.inst)).copied().collect()
}

/// A value entering a loop in a register the loop overwrites (a call result in rax, a `mul`
/// inside) moves once on the way in, not out and back on every iteration.
#[test]
fn loop_live_in_leaves_a_register_the_loop_overwrites() {
    let (x, t) = (int(0), int(1));
    let mut clobbering = inst(vec![Operand::reg_def(t)]);
    clobbering.clobbers = PRegSet { int: 0b1, float: 0 };
    let f = simple_loop(
        vec![inst(vec![Operand::fixed_def(x, gpr(0))])],
        vec![clobbering, inst(vec![Operand::reg_use(x), Operand::reg_use(t)])],
        vec![inst(vec![])],
    );
    let out = alloc_and_check(&f, &small_env(4));
    let loop_insts = f.block_insts(1).start..f.block_insts(2).end;
    assert_eq!(edits_in(&out, loop_insts), vec![], "{:?}", out.edits);
    assert_ne!(out.inst_allocs(2)[0], Allocation::Reg(gpr(0)));
}

/// The same for a loop parameter whose argument sits in such a register: the parameter takes
/// another one, and the value carried around the loop is defined there.
#[test]
fn loop_parameter_avoids_a_register_the_loop_overwrites() {
    // b0: a in r0; jump b1(a). b1(i): t = op (clobbers r0); n = i + t; br b2 or b3.
    // b2: jump b1(n). b3: ret.
    let (a, i, t, n) = (int(0), int(1), int(2), int(3));
    let b0 = TestBlock {
        insts: vec![inst(vec![Operand::fixed_def(a, gpr(0))]), inst(vec![])],
        succs: vec![1],
        args: vec![vec![a]],
        ..TestBlock::default()
    };
    let mut clobbering = inst(vec![Operand::reg_def(t)]);
    clobbering.clobbers = PRegSet { int: 0b1, float: 0 };
    let header = TestBlock {
        params: vec![i],
        insts: vec![clobbering, inst(vec![Operand::reg_use(i), Operand::reg_use(t), Operand::reg_def(n)]), inst(vec![])],
        succs: vec![2, 3],
        args: vec![vec![], vec![]],
        loop_depth: 1,
    };
    let latch =
        TestBlock { insts: vec![inst(vec![])], succs: vec![1], args: vec![vec![n]], loop_depth: 1, ..TestBlock::default() };
    let f = TestFunc::new(vec![b0, header, latch, block(vec![inst(vec![])])]);
    let out = alloc_and_check(&f, &small_env(4));
    let loop_insts = f.block_insts(1).start..f.block_insts(2).end;
    assert_eq!(edits_in(&out, loop_insts), vec![], "{:?}", out.edits);
    assert_ne!(out.inst_allocs(3)[0], Allocation::Reg(gpr(0)));
}
