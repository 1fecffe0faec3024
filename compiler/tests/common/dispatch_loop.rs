//! A function both codegen tests run: a bytecode-style dispatch loop whose header picks a case
//! with a jump table, every case jumping back. The header is short, so each case gets its own
//! copy of the dispatch (tail duplication); the copies must behave like the one they replace.

pub const DISPATCH_LOOP: &str = "function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iconst.i32 0
    jump block1(v1, v2, v3)
block1(v4: i32, v5: i32, v6: i32):
    v7 = iconst.i32 3
    v8 = and.i32 v5, v7
    v9 = iconst.i32 4
    v10 = select.i32 v4, v8, v9
    br_table v10, [block2, block3, block4, block5], block6
block2:
    v11 = iadd.i32 v6, v5
    v12 = iconst.i32 7
    v13 = imul.i32 v5, v12
    v14 = iconst.i32 1
    v15 = iadd.i32 v13, v14
    v16 = isub.i32 v4, v14
    jump block1(v16, v15, v11)
block3:
    v17 = xor.i32 v6, v5
    v18 = iconst.i32 1
    v19 = ushr.i32 v5, v18
    v20 = iconst.i32 11
    v21 = iadd.i32 v19, v20
    v22 = isub.i32 v4, v18
    jump block1(v22, v21, v17)
block4:
    v23 = iconst.i32 3
    v24 = imul.i32 v6, v23
    v25 = iconst.i32 5
    v26 = iadd.i32 v5, v25
    v27 = iconst.i32 1
    v28 = isub.i32 v4, v27
    jump block1(v28, v26, v24)
block5:
    v29 = isub.i32 v6, v5
    v30 = iconst.i32 2
    v31 = shl.i32 v5, v30
    v32 = xor.i32 v31, v4
    v33 = iconst.i32 1
    v34 = isub.i32 v4, v33
    jump block1(v34, v32, v29)
block6:
    return v6
}";

/// What [`DISPATCH_LOOP`] computes for `n` steps from `seed`.
pub fn dispatch_loop_expected(mut n: i32, mut s: i32) -> i32 {
    let mut acc = 0i32;
    while n != 0 {
        match s & 3 {
            0 => (acc, s) = (acc.wrapping_add(s), s.wrapping_mul(7).wrapping_add(1)),
            1 => (acc, s) = (acc ^ s, ((s as u32 >> 1) as i32).wrapping_add(11)),
            2 => (acc, s) = (acc.wrapping_mul(3), s.wrapping_add(5)),
            _ => (acc, s) = (acc.wrapping_sub(s), (s << 2) ^ n),
        }
        n -= 1;
    }
    acc
}

/// (steps, seed) pairs: no step, one step through each case, and long runs.
pub const DISPATCH_LOOP_CASES: [(i32, i32); 8] = [
    (0, 5),
    (1, 0),
    (1, 1),
    (1, 2),
    (1, 3),
    (17, 12345),
    (1000, -99),
    (100_000, 7),
];
