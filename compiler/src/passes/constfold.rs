//! Constant folding and algebraic simplification, with exact Wasm semantics (see `eval`).
//!
//! Blocks are visited in reverse postorder, so an operand's definition has been simplified
//! before its uses. An instruction whose operands are constants becomes a constant in place
//! (keeping its result value); one that simplifies to an existing value is removed and its
//! uses are redirected. Conditional branches, `br_table`s and conditional traps on constants
//! are resolved, and blocks that no longer have a way in leave the layout.
//!
//! Never folded: a division or remainder that would trap, a trapping conversion out of range,
//! a float result that is NaN. Floats get no algebraic identities (`x + 0.0` is not `x` when
//! `x` is `-0.0`).

use super::bounds;
use super::analyses::Analyses;
use super::dce::remove_unreachable_blocks;
use super::edit::{replace_uses, Aliases};
use super::eval::{self, Const};
use crate::ir::{BinaryOp, BlockCall, Function, Inst, InstData, IntCC, Type, Value, ValueDef};

/// What an instruction becomes.
enum Outcome {
    Keep,
    /// Rewritten in place (a constant, a canonical operand order, a simpler terminator).
    Replace(InstData),
    /// Its single result equals this existing value; the instruction goes.
    Alias(Value),
    /// A conditional trap that can never fire; it goes.
    Remove,
    /// Always traps: becomes `trap`, and the rest of its block goes.
    AlwaysTraps(InstData),
}

/// Runs the pass; the shared analyses are invalidated when a branch or a trap changes edges.
pub fn run(func: &mut Function, analyses: &mut Analyses) {
    let cfg = analyses.cfg(func);
    let mut aliases = Aliases::new(func);
    let mut cfg_changed = false;
    for &b in cfg.reverse_postorder() {
        let old_insts = std::mem::take(&mut func.blocks[b.index()].insts);
        let mut insts = Vec::with_capacity(old_insts.len());
        for inst in old_insts {
            func.insts[inst.index()].map_args(|v| aliases.resolve(v));
            match simplify(func, inst) {
                Outcome::Keep => insts.push(inst),
                Outcome::Replace(data) => {
                    cfg_changed |= data.is_terminator();
                    func.insts[inst.index()] = data;
                    insts.push(inst);
                }
                Outcome::Alias(v) => aliases.set(func.results(inst)[0], v),
                Outcome::Remove => {}
                Outcome::AlwaysTraps(trap) => {
                    func.insts[inst.index()] = trap;
                    insts.push(inst);
                    cfg_changed = true;
                    break;
                }
            }
        }
        func.blocks[b.index()].insts = insts;
    }
    replace_uses(func, &mut aliases);
    if cfg_changed {
        analyses.invalidate();
        remove_unreachable_blocks(func, analyses);
    }
}

fn simplify(func: &Function, inst: Inst) -> Outcome {
    let c = |v: Value| Const::of_value(func, v);
    let folded = |k: Option<Const>| k.map_or(Outcome::Keep, |k| Outcome::Replace(k.to_inst()));
    let boolean = |b: Option<bool>| folded(b.map(|b| Const::I32(b as i32)));
    match func.insts[inst.index()].clone() {
        InstData::Unary { op, arg, .. } => folded(c(arg).and_then(|a| eval::unary(op, a))),
        InstData::Binary {
            op,
            ty,
            args: [x, y],
        } => match (c(x), c(y)) {
            (Some(a), Some(b)) => folded(eval::binary(op, a, b)),
            // Constants go to the right, so identities and value numbering see one form.
            (Some(a), None) if op.is_commutative() => match int_identity(op, ty, y, x, a.as_i64()) {
                Outcome::Keep => Outcome::Replace(InstData::Binary {
                    op,
                    ty,
                    args: [y, x],
                }),
                simpler => simpler,
            },
            (_, rhs) => match int_identity(op, ty, x, y, rhs.and_then(Const::as_i64)) {
                Outcome::Keep if op == BinaryOp::And && ty == Type::I32 => {
                    mask_keeping_every_bit(func, x, rhs.and_then(Const::as_i64))
                }
                Outcome::Keep if op == BinaryOp::Sshr => {
                    shifted_sign_extension(func, ty, x, rhs.and_then(Const::as_i64))
                }
                other => other,
            },
        },
        InstData::Icmp {
            cond, args: [x, y], ..
        } => {
            if x == y {
                let reflexive = matches!(
                    cond,
                    IntCC::Eq | IntCC::Sle | IntCC::Sge | IntCC::Ule | IntCC::Uge
                );
                return boolean(Some(reflexive));
            }
            if let Some(simpler) = compare_of_compare(func, cond, x, y) {
                return simpler;
            }
            boolean(c(x).zip(c(y)).and_then(|(a, b)| eval::icmp(cond, a, b)))
        }
        InstData::Fcmp {
            cond, args: [x, y], ..
        } => boolean(c(x).zip(c(y)).and_then(|(a, b)| eval::fcmp(cond, a, b))),
        InstData::Conv { op, to, arg, .. } => folded(c(arg).and_then(|a| eval::conv(op, to, a))),
        InstData::Select {
            ty,
            cond,
            args: [x, y],
        } => match c(cond).and_then(Const::as_i64) {
            Some(k) => Outcome::Alias(if k != 0 { x } else { y }),
            None if x == y => Outcome::Alias(x),
            // `select (v == 0), x, y` is `select v, y, x`.
            None => match zero_test(func, cond) {
                Some((v, negated)) => Outcome::Replace(InstData::Select {
                    ty,
                    cond: v,
                    args: if negated { [y, x] } else { [x, y] },
                }),
                None => Outcome::Keep,
            },
        },
        InstData::Trapnz { cond, code } | InstData::Trapz { cond, code } => {
            let Some(k) = c(cond).and_then(Const::as_i64) else {
                return Outcome::Keep;
            };
            let traps_on_nonzero = matches!(func.insts[inst.index()], InstData::Trapnz { .. });
            if (k != 0) == traps_on_nonzero {
                Outcome::AlwaysTraps(InstData::Trap { code })
            } else {
                Outcome::Remove
            }
        }
        InstData::Brif {
            cond,
            then_dest,
            else_dest,
        } => match c(cond).and_then(Const::as_i64) {
            Some(k) => Outcome::Replace(InstData::Jump {
                dest: if k != 0 { then_dest } else { else_dest },
            }),
            None if then_dest == else_dest => Outcome::Replace(InstData::Jump { dest: then_dest }),
            // `brif (v == 0), a, b` is `brif v, b, a`.
            None => match zero_test(func, cond) {
                Some((v, negated)) => {
                    let (then_dest, else_dest) = if negated {
                        (else_dest, then_dest)
                    } else {
                        (then_dest, else_dest)
                    };
                    Outcome::Replace(InstData::Brif {
                        cond: v,
                        then_dest,
                        else_dest,
                    })
                }
                None => Outcome::Keep,
            },
        },
        InstData::BrTable {
            index,
            targets,
            default,
        } => match c(index).and_then(Const::as_i64) {
            Some(k) => {
                let block = usize::try_from(k as u32)
                    .ok()
                    .and_then(|i| targets.get(i))
                    .copied()
                    .unwrap_or(default);
                Outcome::Replace(InstData::Jump {
                    dest: BlockCall {
                        block,
                        args: Vec::new(),
                    },
                })
            }
            None => Outcome::Keep,
        },
        _ => Outcome::Keep,
    }
}

/// `(a cc b) != 0` is `a cc b`, and `(a cc b) == 0` is `a !cc b`: what `i32.eqz` of a
/// comparison becomes, so a branch on it needs no materialised boolean.
fn compare_of_compare(func: &Function, cond: IntCC, x: Value, y: Value) -> Option<Outcome> {
    let (inner, negated) = compared_with_zero(func, cond, x, y)?;
    let ValueDef::Result(d, 0) = func.values.get(inner.index())?.def else { return None };
    let InstData::Icmp { cond: inner_cond, ty, args } = func.insts[d.index()] else { return None };
    Some(if negated {
        Outcome::Replace(InstData::Icmp { cond: inverse(inner_cond), ty, args })
    } else {
        Outcome::Alias(inner)
    })
}

/// `(v, negated)` when condition `cond` is `v == 0` (negated) or `v != 0` for an i32 `v`:
/// a branch or select can test `v` itself.
fn zero_test(func: &Function, cond: Value) -> Option<(Value, bool)> {
    let ValueDef::Result(d, 0) = func.values.get(cond.index())?.def else { return None };
    let InstData::Icmp { cond: cc, ty: Type::I32, args: [x, y] } = func.insts[d.index()] else { return None };
    compared_with_zero(func, cc, x, y)
}

/// `(v, negated)` when `x cc y` is `v == 0` (negated) or `v != 0`, the zero on either side.
fn compared_with_zero(func: &Function, cc: IntCC, x: Value, y: Value) -> Option<(Value, bool)> {
    let negated = match cc {
        IntCC::Eq => true,
        IntCC::Ne => false,
        _ => return None,
    };
    let zero = |v: Value| Const::of_value(func, v).and_then(Const::as_i64) == Some(0);
    let v = if zero(y) { x } else if zero(x) { y } else { return None };
    Some((v, negated))
}

/// The condition true exactly when `cc` is false.
fn inverse(cc: IntCC) -> IntCC {
    use IntCC::*;
    match cc {
        Eq => Ne,
        Ne => Eq,
        Slt => Sge,
        Sge => Slt,
        Sgt => Sle,
        Sle => Sgt,
        Ult => Uge,
        Uge => Ult,
        Ugt => Ule,
        Ule => Ugt,
    }
}

/// `x & k` is `x` when `k` keeps every bit `x` can have (`(a ^ b) & 0xff` of two bytes, a
/// compare masked with 1): `passes::bounds` says which bits those are.
fn mask_keeping_every_bit(func: &Function, x: Value, k: Option<i64>) -> Outcome {
    let Some(k) = k else { return Outcome::Keep };
    let bound = bounds::u32_bound(func, x);
    let possible = if bound == 0 { 0 } else { u64::MAX >> bound.leading_zeros() };
    if possible & !(k as u32 as u64) == 0 {
        Outcome::Alias(x)
    } else {
        Outcome::Keep
    }
}

/// `(x << k) >> k` (arithmetic) keeps the low `width - k` bits of `x`, sign-extended: one
/// `Sext8`, `Sext16` or `Sext32` when that is 8, 16 or 32 bits (how compilers without the
/// sign-extension instructions write `(int8_t)x`).
fn shifted_sign_extension(func: &Function, ty: Type, x: Value, k: Option<i64>) -> Outcome {
    use crate::ir::UnaryOp::{Sext16, Sext32, Sext8};
    let width = match ty {
        Type::I32 => 32,
        Type::I64 => 64,
        _ => return Outcome::Keep,
    };
    let Some(k) = k.map(|k| k.rem_euclid(width)) else { return Outcome::Keep };
    let ValueDef::Result(def, 0) = func.values[x.index()].def else { return Outcome::Keep };
    let InstData::Binary { op: BinaryOp::Shl, ty: shl_ty, args: [inner, amount] } = func.insts[def.index()] else {
        return Outcome::Keep;
    };
    let same_amount = Const::of_value(func, amount).and_then(Const::as_i64).map(|a| a.rem_euclid(width)) == Some(k);
    let op = match width - k {
        8 => Sext8,
        16 => Sext16,
        32 if width == 64 => Sext32,
        _ => return Outcome::Keep,
    };
    if shl_ty != ty || !same_amount {
        return Outcome::Keep;
    }
    Outcome::Replace(InstData::Unary { op, ty, arg: inner })
}

/// Integer identities of `x op y`, where `rhs` is `y`'s value when it is a constant.
fn int_identity(op: BinaryOp, ty: Type, x: Value, y: Value, rhs: Option<i64>) -> Outcome {
    use BinaryOp::*;
    if !matches!(ty, Type::I32 | Type::I64) {
        return Outcome::Keep;
    }
    let constant =
        |v: i64| Const::int(ty, v).map_or(Outcome::Keep, |k| Outcome::Replace(k.to_inst()));
    let all_ones = -1i64;
    let width = if ty == Type::I32 { 32 } else { 64 };
    if x == y {
        return match op {
            Isub | Xor => constant(0),
            And | Or => Outcome::Alias(x),
            _ => Outcome::Keep,
        };
    }
    let Some(k) = rhs else { return Outcome::Keep };
    // For i32, `k` is sign-extended, so -1 is all ones in either width.
    match op {
        Iadd | Isub | Or | Xor if k == 0 => Outcome::Alias(x),
        Shl | Sshr | Ushr | Rotl | Rotr if k.rem_euclid(width) == 0 => Outcome::Alias(x),
        Imul | Sdiv | Udiv if k == 1 => Outcome::Alias(x),
        Imul | And if k == 0 => constant(0),
        Srem | Urem if k == 1 => constant(0),
        And if k == all_ones => Outcome::Alias(x),
        Or if k == all_ones => constant(all_ones),
        _ => Outcome::Keep,
    }
}
