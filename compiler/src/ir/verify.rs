//! The IR verifier: checks the invariants every pass and backend relies on, and names the
//! offending instruction when one fails.
//!
//! Checked: the layout (entry first, no block twice, every block in range); each block ends
//! with exactly one terminator; entry parameters match the signature; value and instruction
//! bookkeeping (`values[v].def` agrees with where `v` is defined); operand counts and types of
//! every instruction; branch arguments against target parameters; `br_table` targets take no
//! parameters; `return` against the signature; every use is dominated by its definition.
//!
//! The verifier never panics, whatever the function holds: it is what runs on broken IR.

use super::print::print_inst;
use super::*;
use crate::passes::cfg::ControlFlowGraph;
use crate::passes::domtree::DomTree;

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct VerifyError {
    pub message: String,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for VerifyError {}

/// Check `func`; the error names the first problem found.
pub fn verify(func: &Function) -> Result<(), VerifyError> {
    let places = check_layout(func)?;
    check_value_bookkeeping(func, &places)?;
    let checker = InstChecker { func };
    for &block in &func.layout {
        for &inst in &func.blocks[block.index()].insts {
            checker.check(block, inst).map_err(|message| VerifyError {
                message: format!("block{}: {}: {}", block.0, print_inst(func, inst), message),
            })?;
        }
    }
    check_dominance(func, &places)
}

fn fail<T>(message: impl Into<String>) -> Result<T, VerifyError> {
    Err(VerifyError {
        message: message.into(),
    })
}

/// Where each instruction sits: (block, index in the block). `None`: in no laid-out block.
type Places = Vec<Option<(Block, usize)>>;

fn check_layout(func: &Function) -> Result<Places, VerifyError> {
    let Some(&entry) = func.layout.first() else {
        return fail("the function has no blocks");
    };
    let mut laid_out = vec![false; func.blocks.len()];
    for &b in &func.layout {
        match laid_out.get_mut(b.index()) {
            None => return fail(format!("block{} in the layout does not exist", b.0)),
            Some(true) => return fail(format!("block{} appears twice in the layout", b.0)),
            Some(seen) => *seen = true,
        }
    }
    let entry_types: Vec<Type> = func.blocks[entry.index()]
        .params
        .iter()
        .map(|&v| value_type(func, v))
        .collect::<Result<_, _>>()?;
    if entry_types != func.sig.params {
        return fail(format!(
            "entry block{} parameters ({}) do not match the signature ({})",
            entry.0,
            type_list(&entry_types),
            type_list(&func.sig.params)
        ));
    }
    if func.inst_results.len() != func.insts.len() || func.srclocs.len() != func.insts.len() {
        return fail("insts, inst_results and srclocs differ in length");
    }
    let mut places: Places = vec![None; func.insts.len()];
    for &b in &func.layout {
        let insts = &func.blocks[b.index()].insts;
        if insts.is_empty() {
            return fail(format!("block{} is empty (it needs a terminator)", b.0));
        }
        for (i, &inst) in insts.iter().enumerate() {
            match places.get_mut(inst.index()) {
                None => return fail(format!("block{}: inst{} does not exist", b.0, inst.0)),
                Some(Some((other, _))) => {
                    return fail(format!(
                        "block{}: inst{} is also placed in block{}",
                        b.0, inst.0, other.0
                    ))
                }
                Some(slot) => *slot = Some((b, i)),
            }
            let is_last = i + 1 == insts.len();
            let is_terminator = func.insts[inst.index()].is_terminator();
            if is_terminator && !is_last {
                return fail(format!(
                    "block{}: terminator before the end: {}",
                    b.0,
                    print_inst(func, inst)
                ));
            }
            if !is_terminator && is_last {
                return fail(format!(
                    "block{} does not end with a terminator: {}",
                    b.0,
                    print_inst(func, inst)
                ));
            }
        }
        for s in func.insts[insts[insts.len() - 1].index()].successors() {
            if !laid_out.get(s.index()).copied().unwrap_or(false) {
                return fail(format!(
                    "block{}: branch to block{}, which is not in the layout",
                    b.0, s.0
                ));
            }
        }
    }
    Ok(places)
}

fn value_type(func: &Function, v: Value) -> Result<Type, VerifyError> {
    match func.values.get(v.index()) {
        Some(data) => Ok(data.ty),
        None => fail(format!("v{} does not exist", v.0)),
    }
}

fn type_list(types: &[Type]) -> String {
    types
        .iter()
        .map(|t| t.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every laid-out definition is recorded in `values[v].def`, with the declared type.
fn check_value_bookkeeping(func: &Function, places: &Places) -> Result<(), VerifyError> {
    for &b in &func.layout {
        for (n, &v) in func.blocks[b.index()].params.iter().enumerate() {
            let data = func.values.get(v.index()).ok_or_else(|| VerifyError {
                message: format!("block{}: parameter v{} does not exist", b.0, v.0),
            })?;
            if data.def != ValueDef::Param(b, n as u32) {
                return fail(format!(
                    "block{}: parameter v{} is recorded as defined by {:?}",
                    b.0, v.0, data.def
                ));
            }
        }
    }
    for (index, place) in places.iter().enumerate() {
        let Some((b, _)) = place else { continue };
        let inst = Inst(index as u32);
        let data = &func.insts[index];
        let where_ = || format!("block{}: {}", b.0, print_inst(func, inst));
        if let InstData::Call { sig, .. } | InstData::CallIndirect { sig, .. } = data {
            if sig.0 as usize >= func.sigs.len() {
                return fail(format!("{}: sig{} is not declared", where_(), sig.0));
            }
        }
        let expected = func.result_types_of(data);
        let results = &func.inst_results[index];
        if results.len() != expected.len() {
            return fail(format!(
                "{}: has {} result(s), expected {}",
                where_(),
                results.len(),
                expected.len()
            ));
        }
        for (n, (&v, &ty)) in results.iter().zip(&expected).enumerate() {
            let actual = value_type(func, v)?;
            if actual != ty {
                return fail(format!(
                    "{}: result v{} has type {}, expected {}",
                    where_(),
                    v.0,
                    actual,
                    ty
                ));
            }
            if func.values[v.index()].def != ValueDef::Result(inst, n as u32) {
                return fail(format!(
                    "{}: v{} is recorded as defined elsewhere",
                    where_(),
                    v.0
                ));
            }
        }
    }
    Ok(())
}

/// Operand checks of one instruction; errors are reported with the instruction prefixed.
struct InstChecker<'a> {
    func: &'a Function,
}

type Check = Result<(), String>;

impl InstChecker<'_> {
    fn ty(&self, v: Value) -> Result<Type, String> {
        self.func
            .values
            .get(v.index())
            .map(|d| d.ty)
            .ok_or_else(|| format!("v{} does not exist", v.0))
    }

    fn expect(&self, v: Value, what: &str, ok: impl Fn(Type) -> bool, wanted: &str) -> Check {
        let ty = self.ty(v)?;
        if ok(ty) {
            Ok(())
        } else {
            Err(format!(
                "{} v{} has type {}, expected {}",
                what, v.0, ty, wanted
            ))
        }
    }

    fn expect_type(&self, v: Value, what: &str, want: Type) -> Check {
        self.expect(v, what, |t| t == want, want.name())
    }

    fn expect_args(&self, args: &[Value], params: &[Type], what: &str) -> Check {
        if args.len() != params.len() {
            return Err(format!(
                "{} takes {} argument(s), given {}",
                what,
                params.len(),
                args.len()
            ));
        }
        for (i, (&v, &ty)) in args.iter().zip(params).enumerate() {
            self.expect_type(v, &format!("argument {}", i), ty)?;
        }
        Ok(())
    }

    fn expect_class(ty: Type, ok: bool, what: &str) -> Check {
        if ok {
            Ok(())
        } else {
            Err(format!("type {} is not {}", ty, what))
        }
    }

    fn branch(&self, dest: &BlockCall) -> Check {
        let params = &self.func.blocks[dest.block.index()].params;
        let types: Vec<Type> = params
            .iter()
            .map(|&v| self.ty(v))
            .collect::<Result<_, _>>()?;
        self.expect_args(&dest.args, &types, &format!("block{}", dest.block.0))
    }

    fn sig(&self, sig: SigRef) -> Result<&Signature, String> {
        self.func
            .sigs
            .get(sig.0 as usize)
            .ok_or_else(|| format!("sig{} is not declared", sig.0))
    }

    fn check(&self, _block: Block, inst: Inst) -> Check {
        use InstData::*;
        let int = |t: Type| matches!(t, Type::I32 | Type::I64);
        let float = |t: Type| t.is_float();
        let pointer = |t: Type| matches!(t, Type::I64 | Type::Ref);
        match &self.func.insts[inst.index()] {
            Iconst { ty, imm } => {
                Self::expect_class(*ty, int(*ty), "an integer type")?;
                // One representation per i32 constant, so equal constants compare equal.
                if *ty == Type::I32 && *imm != *imm as i32 as i64 {
                    return Err(format!(
                        "i32 immediate {:#x} is not sign-extended from 32 bits",
                        imm
                    ));
                }
                Ok(())
            }
            F32const { .. } | F64const { .. } | V128const { .. } | RefNull | Trap { .. } => Ok(()),
            Simd { op, args } => {
                if !op.immediate_in_range() {
                    return Err(format!("{}: lane index out of range", op));
                }
                self.expect_args(args, op.operand_types(), op.name())
            }
            Unary { op, ty, arg } => {
                let ok = match op {
                    UnaryOp::Clz
                    | UnaryOp::Ctz
                    | UnaryOp::Popcnt
                    | UnaryOp::Sext8
                    | UnaryOp::Sext16 => int(*ty),
                    UnaryOp::Sext32 => *ty == Type::I64,
                    _ => float(*ty),
                };
                Self::expect_class(*ty, ok, "valid for this operation")?;
                self.expect_type(*arg, "operand", *ty)
            }
            Binary { op, ty, args } => {
                let is_float_op = matches!(
                    op,
                    BinaryOp::Fadd
                        | BinaryOp::Fsub
                        | BinaryOp::Fmul
                        | BinaryOp::Fdiv
                        | BinaryOp::Fmin
                        | BinaryOp::Fmax
                        | BinaryOp::Fcopysign
                );
                let ok = if is_float_op { float(*ty) } else { int(*ty) };
                Self::expect_class(*ty, ok, "valid for this operation")?;
                self.expect_type(args[0], "operand", *ty)?;
                self.expect_type(args[1], "operand", *ty)
            }
            Icmp { ty, args, .. } => {
                Self::expect_class(*ty, ty.is_int(), "an integer type")?;
                self.expect_type(args[0], "operand", *ty)?;
                self.expect_type(args[1], "operand", *ty)
            }
            Fcmp { ty, args, .. } => {
                Self::expect_class(*ty, float(*ty), "a float type")?;
                self.expect_type(args[0], "operand", *ty)?;
                self.expect_type(args[1], "operand", *ty)
            }
            Conv { op, from, to, arg } => {
                if !conversion_is_valid(*op, *from, *to) {
                    return Err(format!("no such conversion from {} to {}", from, to));
                }
                self.expect_type(*arg, "operand", *from)
            }
            Select { ty, cond, args } => {
                self.expect_type(*cond, "condition", Type::I32)?;
                self.expect_type(args[0], "operand", *ty)?;
                self.expect_type(args[1], "operand", *ty)
            }
            IsNull { arg } => self.expect_type(*arg, "operand", Type::Ref),
            Load {
                ty,
                size,
                heap,
                addr,
                ..
            } => {
                check_mem_size(*ty, *size)?;
                self.expect(*heap, "heap", pointer, "i64 or ref")?;
                self.expect_type(*addr, "address", Type::I32)
            }
            Store {
                ty,
                size,
                heap,
                addr,
                value,
                ..
            } => {
                check_mem_size(*ty, *size)?;
                self.expect(*heap, "heap", pointer, "i64 or ref")?;
                self.expect_type(*addr, "address", Type::I32)?;
                self.expect_type(*value, "stored value", *ty)
            }
            LoadPtr { ptr, .. } => self.expect(*ptr, "pointer", pointer, "i64 or ref"),
            StorePtr { ty, ptr, value, .. } => {
                self.expect(*ptr, "pointer", pointer, "i64 or ref")?;
                self.expect_type(*value, "stored value", *ty)
            }
            Call { func, sig, args } => {
                self.expect_args(args, &self.sig(*sig)?.params, &format!("fn{}", func))
            }
            CallIndirect { sig, callee, args } => {
                self.expect(*callee, "callee", pointer, "i64 or ref")?;
                self.expect_args(args, &self.sig(*sig)?.params, "the callee")
            }
            CallRuntime { func, args } => {
                self.expect_args(args, &func.signature().params, func.name())
            }
            Trapz { cond, .. } | Trapnz { cond, .. } => {
                self.expect_type(*cond, "condition", Type::I32)
            }
            Jump { dest } => self.branch(dest),
            Brif {
                cond,
                then_dest,
                else_dest,
            } => {
                self.expect_type(*cond, "condition", Type::I32)?;
                self.branch(then_dest)?;
                self.branch(else_dest)
            }
            BrTable {
                index,
                targets,
                default,
            } => {
                self.expect_type(*index, "index", Type::I32)?;
                for b in targets.iter().chain(std::iter::once(default)) {
                    if !self.func.blocks[b.index()].params.is_empty() {
                        return Err(format!("br_table target block{} takes parameters", b.0));
                    }
                }
                Ok(())
            }
            Return { args } => self.expect_args(args, &self.func.sig.results, "return"),
        }
    }
}

fn conversion_is_valid(op: ConvOp, from: Type, to: Type) -> bool {
    use Type::*;
    let int = |t: Type| matches!(t, I32 | I64);
    match op {
        ConvOp::Wrap => (from, to) == (I64, I32),
        ConvOp::Sextend | ConvOp::Uextend => (from, to) == (I32, I64),
        ConvOp::FcvtToSint | ConvOp::FcvtToUint | ConvOp::FcvtToSintSat | ConvOp::FcvtToUintSat => {
            from.is_float() && int(to)
        }
        ConvOp::FcvtFromSint | ConvOp::FcvtFromUint => int(from) && to.is_float(),
        ConvOp::Fpromote => (from, to) == (F32, F64),
        ConvOp::Fdemote => (from, to) == (F64, F32),
        ConvOp::Bitcast => matches!(
            (from, to),
            (I32, F32) | (F32, I32) | (I64, F64) | (F64, I64)
        ),
    }
}

fn check_mem_size(ty: Type, size: MemSize) -> Check {
    let ok = match size {
        MemSize::Full => true,
        MemSize::S8 | MemSize::U8 | MemSize::S16 | MemSize::U16 => {
            matches!(ty, Type::I32 | Type::I64)
        }
        MemSize::S32 | MemSize::U32 => ty == Type::I64,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "a {}-byte access cannot have type {}",
            size.bytes(ty),
            ty
        ))
    }
}

/// Every use is dominated by its definition. Uses inside unreachable blocks are exempt (no
/// execution reaches them), but their operands must still be defined in the layout.
fn check_dominance(func: &Function, places: &Places) -> Result<(), VerifyError> {
    let mut laid_out = vec![false; func.blocks.len()];
    for &b in &func.layout {
        laid_out[b.index()] = true;
    }
    let cfg = ControlFlowGraph::new(func);
    let domtree = DomTree::new(&cfg, func.blocks.len());
    for &b in &func.layout {
        for (pos, &inst) in func.blocks[b.index()].insts.iter().enumerate() {
            let mut problem = None;
            func.insts[inst.index()].for_each_arg(|v| {
                if problem.is_some() {
                    return;
                }
                let (def_block, def_pos) = match func.values[v.index()].def {
                    ValueDef::Param(db, n) => {
                        let placed = laid_out.get(db.index()).copied().unwrap_or(false)
                            && func.blocks[db.index()].params.get(n as usize) == Some(&v);
                        if !placed {
                            problem = Some(format!("v{} is not defined in any block", v.0));
                            return;
                        }
                        (db, None)
                    }
                    ValueDef::Result(di, _) => match places.get(di.index()).copied().flatten() {
                        Some((db, dpos)) => (db, Some(dpos)),
                        None => {
                            problem = Some(format!("v{} is not defined in any block", v.0));
                            return;
                        }
                    },
                };
                if !cfg.is_reachable(b) {
                    return;
                }
                let dominated = if def_block == b {
                    def_pos.is_none_or(|dpos| dpos < pos)
                } else {
                    domtree.dominates(def_block, b)
                };
                if !dominated {
                    problem = Some(format!(
                        "the definition of v{} does not dominate this use",
                        v.0
                    ));
                }
            });
            if let Some(message) = problem {
                return fail(format!(
                    "block{}: {}: {}",
                    b.0,
                    print_inst(func, inst),
                    message
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::parse::parse_function;

    fn parsed(text: &str) -> Function {
        parse_function(text).unwrap_or_else(|e| panic!("{}", e))
    }

    const TWO_BLOCKS: &str =
        "function %f(i64) {\nblock0(v0: i64):\n    jump block1\nblock1:\n    return\n}\n";

    #[test]
    fn branch_to_a_block_outside_the_layout_is_rejected() {
        let mut f = parsed(TWO_BLOCKS);
        assert_eq!(verify(&f), Ok(()));
        f.layout.pop();
        assert_eq!(
            verify(&f).unwrap_err().message,
            "block0: branch to block1, which is not in the layout"
        );
    }

    #[test]
    fn malformed_structure_is_an_error_not_a_panic() {
        let f = parsed(TWO_BLOCKS);
        let mut no_blocks = f.clone();
        no_blocks.layout.clear();
        let mut twice = f.clone();
        twice.layout.push(Block(0));
        let mut missing_block = f.clone();
        missing_block.layout.push(Block(9));
        let mut missing_inst = f.clone();
        missing_inst.blocks[1].insts.insert(0, Inst(99));
        let mut shared_inst = f.clone();
        shared_inst.blocks[1].insts = shared_inst.blocks[0].insts.clone();
        let mut missing_value = f.clone();
        missing_value.insts[1] = InstData::Return {
            args: vec![Value(42)],
        };
        let mut wrong_def = f.clone();
        wrong_def.values[0].def = ValueDef::Param(Block(1), 0);
        for broken in [
            no_blocks,
            twice,
            missing_block,
            missing_inst,
            shared_inst,
            missing_value,
            wrong_def,
        ] {
            assert!(verify(&broken).is_err(), "accepted:\n{:?}", broken);
        }
    }

    #[test]
    fn i32_constants_must_be_sign_extended() {
        let text = "function %f(i64) -> i32 {\nblock0(v0: i64):\n    v1 = iconst.i32 -1\n    return v1\n}\n";
        let mut f = parsed(text);
        assert_eq!(verify(&f), Ok(()));
        f.insts[0] = InstData::Iconst {
            ty: Type::I32,
            imm: 0xffff_ffff,
        };
        assert_eq!(
            verify(&f).unwrap_err().message,
            "block0: v1 = iconst.i32 -1: i32 immediate 0xffffffff is not sign-extended from 32 bits"
        );
    }
}
