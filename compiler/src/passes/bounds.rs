//! Upper bounds of i32 values, from how they are computed: what an instruction selector needs
//! to know that `x + c` cannot wrap, so that a Wasm address `zext32(x + c)` equals the 64-bit
//! sum `zext(x) + c` and both can go into one machine address.

use super::eval::Const;
use crate::ir::{BinaryOp, Function, InstData, MemSize, Type, Value, ValueDef};

/// How many definitions deep the bound looks.
const MAX_DEPTH: u32 = 4;

/// An upper bound of the unsigned value of i32 `v` (`u32::MAX` when nothing is known).
pub fn u32_bound(f: &Function, v: Value) -> u64 {
    bound(f, v, MAX_DEPTH)
}

fn bound(f: &Function, v: Value, depth: u32) -> u64 {
    const ANY: u64 = u32::MAX as u64;
    if depth == 0 || f.value_type(v) != Type::I32 {
        return ANY;
    }
    let ValueDef::Result(inst, 0) = f.values[v.index()].def else { return ANY };
    let konst = |x: Value| Const::of_value(f, x).and_then(Const::as_i64).map(|k| k as u64 & ANY);
    let b = |x: Value| bound(f, x, depth - 1);
    match f.insts[inst.index()] {
        InstData::Iconst { imm, .. } => imm as u64 & ANY,
        InstData::Icmp { .. } | InstData::Fcmp { .. } => 1,
        InstData::Load { size: MemSize::U8, .. } => 0xff,
        InstData::Load { size: MemSize::U16, .. } => 0xffff,
        InstData::Binary { op, args: [x, y], .. } => match op {
            BinaryOp::And => b(x).min(b(y)),
            BinaryOp::Iadd => (b(x) + b(y)).min(ANY),
            // No bit above the highest bit either operand may have.
            BinaryOp::Or | BinaryOp::Xor => {
                let m = b(x).max(b(y));
                if m == 0 { 0 } else { u64::MAX >> (m.leading_zeros()) }
            }
            BinaryOp::Shl => match konst(y) {
                Some(k) => (b(x) << (k % 32)).min(ANY),
                None => ANY,
            },
            BinaryOp::Ushr => match konst(y) {
                Some(k) => b(x) >> (k % 32),
                None => ANY,
            },
            BinaryOp::Urem => match konst(y) {
                Some(c) if c != 0 => b(x).min(c - 1),
                _ => ANY,
            },
            BinaryOp::Udiv => match konst(y) {
                Some(c) if c != 0 => b(x) / c,
                _ => ANY,
            },
            _ => ANY,
        },
        _ => ANY,
    }
}

#[cfg(test)]
mod tests {
    use super::u32_bound;
    use crate::ir::parse::parse_function;

    /// The bound of `v3`, `v4`, … in a function of `body` over (heap, i32, i32).
    fn bounds(body: &str) -> Vec<u64> {
        let f = parse_function(&format!("function %f(i64, i32, i32) -> i32 {{\nblock0(v0: i64, v1: i32, v2: i32):\n{body}\n}}"))
            .expect("parse");
        (3..f.values.len() as u32).map(|i| u32_bound(&f, crate::ir::Value(i))).collect()
    }

    #[test]
    fn bounds_follow_masks_shifts_bytes_and_sums() {
        let b = bounds(
            "    v3 = iconst.i32 1020
    v4 = and.i32 v1, v3
    v5 = iconst.i32 2
    v6 = shl.i32 v4, v5
    v7 = iconst.i32 24
    v8 = ushr.i32 v2, v7
    v9 = load8_u.i32 v0, v1, +0
    v10 = xor.i32 v9, v7
    v11 = iadd.i32 v6, v10
    v12 = iadd.i32 v1, v3
    v13 = shl.i32 v8, v7
    return v11",
        );
        let u = u64::from(u32::MAX);
        // v3..v13
        assert_eq!(b, vec![1020, 1020, 2, 4080, 24, 255, 255, 255, 4335, u, 0xff00_0000]);
    }
}
